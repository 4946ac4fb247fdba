package check

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// How a check told accepted answers from refused ones (Report.JudgedBy).
const (
	JudgedByStatus       = "status"        // the valid context's status differs from the refusals'
	JudgedByBody         = "body"          // same status, told apart by the body (a 200 error page)
	JudgedByRefusedBody  = "refused-body"  // the user's --refused-body pattern
	JudgedByValidRefused = "valid-refused" // even the valid context was refused: accepted = any 2xx
	JudgedByNothing      = "ambiguous"     // the answers look alike: nothing could be judged
)

// judge tells accepted from refused. It learns what a refusal looks like from the backend itself:
// the answers to no context and to another app's context, which every correct backend refuses,
// compared with the answer to the valid context.
type judge struct {
	by     string
	text   string // how, in words, for the report
	valid  answer
	refs   []answer // refusals that share the valid answer's status, told apart by body
	all    []answer // every reference answer, to tell a probe's answer from them
	refuse *regexp.Regexp
}

// seen: the answer is like the valid context's or a reference refusal's.
func (j judge) seen(a answer) bool {
	if alike(a, j.valid) {
		return true
	}
	for _, r := range j.all {
		if alike(a, r) {
			return true
		}
	}
	return false
}

// answer is what is compared of a response: its status and a profile of its body's words.
type answer struct {
	name   string
	status int
	words  map[string]int
	n      int
}

func answerOf(c *Case) answer {
	a := answer{name: c.Name, status: c.Status, words: map[string]int{}}
	for _, w := range words(c.body) {
		a.words[w]++
		a.n++
	}
	return a
}

// words splits a body into runs of letters and digits, linear in its length. Digits become '#'
// and runs longer than 24 characters become '~', so that times, request IDs, tokens and nonces
// that differ between two answers of the same kind do not make them look different.
func words(b []byte) []string {
	var out []string
	var cur []byte
	flush := func() {
		switch {
		case len(cur) == 0:
		case len(cur) > 24:
			out = append(out, "~")
		default:
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			cur = append(cur, '#')
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= 0x80:
			cur = append(cur, c)
		default:
			flush()
		}
	}
	flush()
	return out
}

// similarity is the share of words two answers have in common (Dice's coefficient on the word
// multisets): 1 for the same words, 0 for none in common.
func similarity(a, b answer) float64 {
	if a.n+b.n == 0 {
		return 1
	}
	common := 0
	for w, n := range a.words {
		common += min(n, b.words[w])
	}
	return 2 * float64(common) / float64(a.n+b.n)
}

// alike: the same status and (nearly) the same words.
func alike(a, b answer) bool { return a.status == b.status && similarity(a, b) >= 0.9 }

func is2xx(status int) bool { return status >= 200 && status < 300 }

// learn builds the judge from the valid case and the reference refusals that were answered (no
// context, another app's secret). refused, when set, overrides what is learned.
func learn(valid *Case, refs []*Case, refused *regexp.Regexp) judge {
	j := judge{valid: answerOf(valid), refuse: refused}
	switch {
	case refused != nil:
		j.by = JudgedByRefusedBody
		j.text = fmt.Sprintf("refused = a body matching %q (--refused-body); otherwise accepted = HTTP %d, the valid context's answer", refused.String(), valid.Status)
		if !is2xx(valid.Status) || refused.Match(valid.body) {
			j.by, j.text = JudgedByValidRefused, fmt.Sprintf("the valid context was refused (HTTP %d), so accepted = any 2xx answer whose body does not match %q", valid.Status, refused.String())
		}
		return j
	case !is2xx(valid.Status):
		j.by = JudgedByValidRefused
		j.text = fmt.Sprintf("the valid context was refused (HTTP %d), so accepted = any 2xx answer", valid.Status)
		return j
	}
	var seen []string
	var same []answer // refusals with the valid answer's status and body
	for _, r := range refs {
		a := answerOf(r)
		j.all = append(j.all, a)
		seen = append(seen, fmt.Sprintf("%s HTTP %d", r.Name, r.Status))
		switch {
		case a.status != j.valid.status:
		case alike(a, j.valid):
			same = append(same, a)
		default:
			j.refs = append(j.refs, a)
		}
	}
	learned := fmt.Sprintf("learned from the backend: valid context HTTP %d, %s", valid.Status, strings.Join(seen, ", "))
	decrypted := bytes.Contains(valid.body, []byte(checkUID)) // the backend read the sealed user: it opened the context
	byStatus := false                                         // a reference refusal got another status: this backend refuses with statuses
	for _, a := range j.all {
		byStatus = byStatus || a.status != j.valid.status
	}
	switch {
	case len(same) > 0 && !decrypted && len(same) == len(refs):
		j.by = JudgedByNothing
		j.text = learned + ", all alike: this URL does not seem to read the context (point --endpoint at the route that does), or it answers every request with one page; tell refused from accepted with --refused-body REGEX"
	case len(same) > 0 && !decrypted && same[len(same)-1].name == caseOtherSecret && !byStatus:
		j.by = JudgedByNothing
		j.text = learned + ": the valid context and another app's got the same answer, so either the backend does not check the tag or it refuses both with one page; tell refused from accepted with --refused-body REGEX (a phrase of its error page)"
	case len(j.refs) > 0:
		j.by = JudgedByBody
		j.text = learned + fmt.Sprintf(": the status does not tell, so the body does: refused looks like %s", excerpt(refs, j.refs[0].name))
	default:
		j.by = JudgedByStatus
		j.text = learned + fmt.Sprintf(": accepted = HTTP %d", valid.Status)
	}
	return j
}

// excerpt quotes the start of a reference refusal's body, control characters escaped.
func excerpt(refs []*Case, name string) string {
	for _, r := range refs {
		if r.Name == name {
			b := strings.Join(strings.Fields(string(r.body)), " ")
			return fmt.Sprintf("%q (the answer to %s)", termsafe.Escape(clip(b, 60)), name)
		}
	}
	return ""
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// verdict says whether an answer is an acceptance; known false when it cannot be told, with the
// reason.
func (j judge) verdict(status int, body []byte) (accepted bool, unknown string) {
	switch j.by {
	case JudgedByRefusedBody:
		return !j.refuse.Match(body) && status == j.valid.status, ""
	case JudgedByValidRefused:
		return is2xx(status) && (j.refuse == nil || !j.refuse.Match(body)), ""
	case JudgedByStatus:
		return status == j.valid.status, ""
	case JudgedByNothing:
		return false, "accepted and refused answers look alike (see how the answers were judged)"
	}
	if status != j.valid.status {
		return false, ""
	}
	a := answer{status: status, words: map[string]int{}}
	for _, w := range words(body) {
		a.words[w]++
		a.n++
	}
	toValid, toRefused := similarity(a, j.valid), 0.0
	for _, r := range j.refs {
		toRefused = max(toRefused, similarity(a, r))
	}
	if toValid == toRefused {
		return false, fmt.Sprintf("its HTTP %d body is as much like the valid context's answer as like a refusal", status)
	}
	return toValid > toRefused, ""
}

// statusText names a status for the report: "HTTP 405 Method Not Allowed".
func statusText(status int) string {
	return strings.TrimSpace(fmt.Sprintf("HTTP %d %s", status, http.StatusText(status)))
}
