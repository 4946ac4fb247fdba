package scan

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestLineStampNoColon holds lineStamp's shortcut (a line with no ':' has no time, told by one
// search of the block for ':' per ':') to lineTime on every line: random blocks of bare runs,
// times and stray ':' on lines ending in "\n", "\r\n", "\r" or the block's end, several runs on
// a line, a ':' just before and just after a run.
func TestLineStampNoColon(t *testing.T) {
	run := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 2) // 70 base64url characters: a bare candidate
	parts := []string{
		run, run, " " + run, run + " ", "\n", "\n", "\r\n", "\r", " ", ":", " : ", "a:b", "x",
		"[20/Nov/2026:09:30:05 +0000] ", "2026-11-20T09:30:05Z ", "2026-11-20 09:30:05 IST ", "12:34",
		`{"time":1763631005000,"msg":"`, `"}`, "Nov 20 09:30:05 host ",
	}
	r := rand.New(rand.NewPCG(21, 1))
	lines := 0
	for n := 0; n < 20000; n++ {
		data := randomText(r, []string{run}, parts, 24, 4)
		o := &Opener{local: time.UTC, lines: lineCache{on: true}}
		findBlock(nil, data, nil, func(c Candidate, _ int64) {
			got, gotOK := o.lineStamp(&c)
			want, wantOK := lineTime(c.line(), time.UTC)
			if gotOK != wantOK || !got.t.Equal(want.t) || got.format != want.format || got.ambiguous != want.ambiguous {
				t.Fatalf("in %q, the line %q: lineStamp gives %v %v, lineTime %v %v", data, c.line(), got, gotOK, want, wantOK)
			}
			lines++
		})
	}
	if lines < 50000 {
		t.Fatalf("only %d candidates were timed: the texts hold too few runs to test the shortcut", lines)
	}
}
