package explain

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Match is a known message near an unknown one, with how near (higher is nearer).
type Match struct {
	Known Message
	Score float64
}

// maxNearestInput bounds the text Nearest reads: an error message or a trace's first screens.
const maxNearestInput = 64 << 10

// stopWords carry no meaning for telling messages apart.
var stopWords = map[string]bool{"the": true, "a": true, "an": true, "to": true, "of": true, "in": true, "is": true,
	"not": true, "at": true, "and": true, "or": true, "for": true, "be": true, "with": true, "on": true, "by": true,
	"error": true, "exception": true, "was": true, "this": true, "it": true, "from": true, "as": true, "that": true,
	"which": true, "than": true, "its": true, "are": true, "has": true, "have": true, "when": true, "does": true,
	"did": true, "but": true, "so": true, "if": true, "no": true, "all": true, "any": true, "one": true, "their": true}

// words splits text into lowercase words of letters, digits and '_', each once, in one pass; a
// word joined by '_' also counts as its parts (redirect_uri_mismatch is redirect, uri, mismatch).
func words(text string, visit func(string)) {
	seen := map[string]bool{}
	emit := func(w string) {
		if len(w) > 1 && !stopWords[w] && !seen[w] {
			seen[w] = true
			visit(w)
		}
	}
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := strings.ToLower(text[start:end])
			emit(w)
			if strings.Contains(w, "_") {
				for _, part := range strings.Split(w, "_") {
					emit(part)
				}
			}
			start = -1
		}
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
}

// posting is one message holding a word, with the word's weight there: 1 in the message, its
// patterns or its language, meansWeight only in what it means.
type posting struct {
	msg    int
	weight float64
}

const meansWeight = 1.0

// index maps each word of the table to the messages that hold it; built on first use.
var index map[string][]posting

var indexMu sync.Mutex

// work counts postings visited by Nearest, for the test that its work is linear.
var work int

func buildIndex() {
	index = map[string][]posting{}
	for i, m := range table {
		named := map[string]bool{}
		words(m.Language+" "+m.Message+" "+strings.Join(m.Patterns, " "), func(w string) {
			named[w] = true
			index[w] = append(index[w], posting{i, 1})
		})
		words(m.Means, func(w string) {
			if !named[w] {
				index[w] = append(index[w], posting{i, meansWeight})
			}
		})
	}
}

// Nearest ranks the known messages by the words they share with text, each word weighted by how
// rare it is in the table (a word every message has says nothing), and returns up to n with any
// word in common, nearest first. It reads text once: its work is linear in the text's length.
func Nearest(text string, n int) []Match {
	indexMu.Lock()
	if index == nil {
		buildIndex()
	}
	indexMu.Unlock()
	if len(text) > maxNearestInput {
		text = text[:maxNearestInput]
		for !utf8.ValidString(text) && len(text) > 0 { // do not split a character
			text = text[:len(text)-1]
		}
	}
	score := make([]float64, len(table))
	words(text, func(w string) {
		posts := index[w]
		work += len(posts) + 1
		if len(posts) == 0 {
			return
		}
		idf := math.Log(1 + float64(len(table))/float64(len(posts)))
		for _, p := range posts {
			score[p.msg] += idf * p.weight
		}
	})
	var out []Match
	for i, s := range score {
		if s > 0 {
			out = append(out, Match{Known: full(table[i]), Score: s})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out[:min(n, len(out))]
}
