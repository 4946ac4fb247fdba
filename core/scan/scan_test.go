package scan_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

var fixtureNow = time.UnixMilli(1795167000000 + 30000)

func load(t testing.TB) fixtures.File {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// seal seals the payload pt with Zoom's key for secret, under a random IV.
func seal(t testing.TB, secret []byte, pt string) string {
	t.Helper()
	tok, err := appctx.Seal(appctx.ZoomKey(secret), []byte(pt), nil, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// find returns the candidates of text that Run would report: keyed ones, and bare ones whose
// layout parses.
func find(t *testing.T, text string) []scan.Candidate {
	t.Helper()
	o := scan.NewOpener(nil, fixtureNow)
	var got []scan.Candidate
	err := scan.Find(strings.NewReader(text), "f", func(c scan.Candidate) error {
		if _, ok := o.Check(c); ok {
			c.Text = bytes.Clone(c.Text)
			got = append(got, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// cutShort reports whether text, with its padding and, at 4k+1 characters, its last character
// dropped, decodes in either alphabet to the start of a token cut short.
func cutShort(text []byte) bool {
	body := strings.TrimRight(string(text), "=")
	if len(body)%4 == 1 {
		body = body[:len(body)-1]
	}
	enc := base64.RawURLEncoding
	if strings.ContainsAny(body, "+/") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(body)
	if err != nil {
		return false
	}
	_, ok := appctx.CutShort(b)
	return ok
}

func TestFindContexts(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	bad := f.Get("truncated").Token
	tests := []struct {
		name      string
		line      string
		want      string // the candidate's text, "" for none
		wantKeyed bool
	}{
		{"header", "x-zoom-app-context: " + tok, tok, true},
		{"header any case", "X-Zoom-App-Context:" + tok + "\r", tok, true},
		{"header in a dump", `headers={'X-ZOOM-APP-CONTEXT': '` + tok + `', 'host': 'a'}`, tok, true},
		{"json field", `{"level":"info","appContext":"` + tok + `","ms":3}`, tok, true},
		{"query", "GET /launch?context=" + tok + "&x=1 HTTP/1.1", tok, true},
		{"bare", "decrypt failed for " + tok + " at handler", tok, false},
		{"bare padded std", "token " + f.Get("valid-std").Token, f.Get("valid-std").Token, false},
		{"named but broken", "x-zoom-app-context: " + bad, bad, true},
		{"bare but broken", "token " + bad, bad, false},
		{"jwt", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "", false},
		{"sha256 hex", "digest=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a089f86d081884c7d659a2feaa0c55ad015", "", false},
		{"base64 blob", "data: " + strings.Repeat("QUJDREVGR0hJSktMTU5PUA", 20), "", false},
		{"context word only", "the context was lost", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := find(t, tc.line+"\n")
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("found %d candidates in a look-alike: %+v", len(got), got)
				}
				return
			}
			if len(got) != 1 || string(got[0].Text) != tc.want || got[0].Keyed != tc.wantKeyed || got[0].Line != 1 {
				t.Fatalf("got %+v, want one candidate keyed=%v", got, tc.wantKeyed)
			}
		})
	}
}

// TestFindLongLines: a token at the end of a line over 1 MiB is found, and one that spans the
// reader's 64 KiB fragments is read whole; line numbers stay right.
func TestFindLongLines(t *testing.T) {
	tok := load(t).Get("valid").Token
	var b strings.Builder
	b.WriteString("first x-zoom-app-context: " + tok + "\n")
	b.WriteString(strings.Repeat("noise ", (1<<20)/6+100) + "x-zoom-app-context: " + tok + "\n")
	pad := (64 << 10) - 100 // puts the next token across a fragment boundary
	b.WriteString(strings.Repeat(".", pad) + " " + tok + "\n")
	b.WriteString(strings.Repeat("Q", 2<<20) + "\n") // a 2 MiB run: skipped, not buffered
	b.WriteString("last " + tok)                     // no final newline
	got := find(t, b.String())
	if len(got) != 4 {
		t.Fatalf("found %d candidates, want 4", len(got))
	}
	for i, wantLine := range []int64{1, 2, 3, 5} {
		if string(got[i].Text) != tok || got[i].Line != wantLine {
			t.Errorf("candidate %d: line %d, text ok %v; want line %d", i, got[i].Line, string(got[i].Text) == tok, wantLine)
		}
	}
}

// mixedLog builds a log of n lines cycling through good, expired-by-clock, wrong-secret, HKDF and
// malformed tokens, with noise between, and returns how many of each it holds.
func mixedLog(t testing.TB, n int) (string, map[scan.Status]int64) {
	f := load(t)
	kinds := []struct {
		vector string
		status scan.Status
	}{
		{"valid", scan.OK}, {"valid-aad", scan.OK}, {"wrong-secret", scan.TagMismatch},
		{"hkdf-key", scan.TagMismatch}, {"truncated", scan.Malformed}, {"non-json", scan.BadPayload},
	}
	want := map[scan.Status]int64{}
	var b strings.Builder
	for i := 0; i < n; i++ {
		k := kinds[i%len(kinds)]
		fmt.Fprintf(&b, "2026-11-20T09:30:%02dZ req=%d x-zoom-app-context: %s\n", i%60, i, f.Get(k.vector).Token)
		if i%7 == 0 {
			b.WriteString("GET /health 200 a=eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2lnbmF0dXJl\n")
		}
		want[k.status]++
	}
	return b.String(), want
}

func TestRunCountsAndOrder(t *testing.T) {
	f := load(t)
	log, want := mixedLog(t, 3000)
	opener := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow)
	for _, workers := range []int{1, 2, 7} {
		var lines []int64
		var results []scan.Result
		sum, err := scan.Run(context.Background(), []scan.Input{{Name: "a.log", R: strings.NewReader(log)}}, opener, workers,
			func(r scan.Result) error { lines = append(lines, r.Line); results = append(results, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		for st, n := range want {
			if sum.ByStatus[st] != n {
				t.Errorf("workers=%d: %s = %d, want %d", workers, st, sum.ByStatus[st], n)
			}
		}
		if sum.Tokens != 3000 || sum.BySecret["dev"] != want[scan.OK]+want[scan.BadPayload] || sum.UIDs != 1 || sum.Meetings != 1 {
			t.Errorf("workers=%d: summary %+v", workers, sum)
		}
		for i := 1; i < len(lines); i++ {
			if lines[i] <= lines[i-1] {
				t.Fatalf("workers=%d: results out of input order at %d: line %d after %d", workers, i, lines[i], lines[i-1])
			}
		}
		if r := results[3]; r.Status != scan.TagMismatch || !strings.Contains(r.Error, "opens with hkdf-sha256") {
			t.Errorf("hkdf token: %+v", r)
		}
		if r := results[0]; r.UID != "MPjq6UmhQWWBP4Yuf-FARg" || r.Typ != "meeting" || r.TS != 1795167000000 || r.Exp != 1795167120000 {
			t.Errorf("claims not extracted: %+v", r)
		}
	}
}

func TestExpiredByClock(t *testing.T) {
	f := load(t)
	opener := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow.Add(time.Hour))
	r, _ := opener.Check(scan.Candidate{Text: []byte(f.Get("valid").Token), Keyed: true})
	if r.Status != scan.Expired || r.Status.Failed() {
		t.Errorf("status %s", r.Status)
	}
}

func TestMultipleSecretsAndInputs(t *testing.T) {
	f := load(t)
	opener := scan.NewOpener([]appctx.Secret{
		{Label: "dev", Value: []byte(f.Secrets["dev"])}, {Label: "prod", Value: []byte(f.Secrets["prod"])}}, fixtureNow)
	inputs := []scan.Input{
		{Name: "one", R: strings.NewReader("x-zoom-app-context: " + f.Get("valid").Token + "\n")},
		{Name: "two", R: strings.NewReader("x-zoom-app-context: " + f.Get("wrong-secret").Token + "\n")},
	}
	var files []string
	sum, err := scan.Run(context.Background(), inputs, opener, 2, func(r scan.Result) error { files = append(files, r.File); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if sum.BySecret["dev"] != 1 || sum.BySecret["prod"] != 1 || strings.Join(files, ",") != "one,two" {
		t.Errorf("by secret %v, files %v", sum.BySecret, files)
	}
}

func TestEmitErrorStops(t *testing.T) {
	log, _ := mixedLog(t, 5000)
	stop := fmt.Errorf("stop")
	n := 0
	_, err := scan.Run(context.Background(), []scan.Input{{Name: "a", R: strings.NewReader(log)}}, scan.NewOpener(nil, fixtureNow), 2,
		func(scan.Result) error {
			n++
			if n == 10 {
				return stop
			}
			return nil
		})
	if err != stop || n != 10 {
		t.Fatalf("err %v after %d results", err, n)
	}
}

// FuzzFind: the finder never panics, every candidate it reports is a substring of the input on a
// line that exists, and the opener never panics on it; a bare candidate the opener keeps parses.
func FuzzFind(f *testing.F) {
	fx, _ := fixtures.Load()
	f.Add("x-zoom-app-context: " + fx.Get("valid").Token + "\n")
	f.Add("a=" + fx.Get("truncated").Token + " context=" + fx.Get("valid-std").Token)
	f.Add("\n\n===\xff" + strings.Repeat("A", 100))
	f.Add(`{"name": "x-zoom-app-context",` + "\r\n" + `"value": "` + strings.ReplaceAll(fx.Get("valid-std").Token, "/", `\/`) + `"}`)
	f.Add("GET /?context=" + strings.NewReplacer("+", "%2B", "/", "%2f", "=", "%3D").Replace(fx.Get("valid-std").Token) + "\r")
	f.Add("[HTTP_X_ZOOM_APP_CONTEXT] => " + strings.ReplaceAll(fx.Get("valid-std").Token, "+", " "))
	o := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(fx.Secrets["dev"])}}, fixtureNow)
	f.Fuzz(func(t *testing.T, s string) {
		err := scan.Find(strings.NewReader(s), "f", func(c scan.Candidate) error {
			// A run taken as it stood is in the input; a decoded one is at least no longer
			// than the input, and says what was decoded.
			if len(c.Unwrapped) == 0 && !strings.Contains(s, string(c.Text)) || len(c.Text) > len(s) {
				t.Fatalf("candidate %q (unwrapped %q) is not in the input", c.Text, c.Unwrapped)
			}
			if lines := int64(strings.Count(s, "\n") + strings.Count(s, "\r") + 1); c.Line < 1 || c.Line > lines {
				t.Fatalf("candidate %q at line %d of at most %d", c.Text, c.Line, lines)
			}
			r, kept := o.Check(c)
			if kept && !c.Keyed {
				// A bare run is kept only when it decodes to a token's layout, or to the start of
				// one cut short; the verdict may still call it malformed for a rule the layout
				// alone does not make.
				loose := r.Reason == string(appctx.ReasonStdBase64) || r.Reason == string(appctx.ReasonIVLength) ||
					r.Reason == string(appctx.ReasonTooLong)
				if cut := cutShort(c.Text); cut && r.Status != scan.Malformed {
					t.Fatalf("bare candidate %q, a token cut short: %s", c.Text, r.Status)
				} else if _, err := appctx.Parse(string(c.Text)); !cut && (err != nil || r.Status == scan.Malformed && !loose) {
					t.Fatalf("bare candidate %q kept but does not parse: %v", c.Text, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestRunAcrossBlocks: in an input of many blocks, with lines of irregular length, every
// token is found once, on its own line number, in order, including ones named by a key that sits
// just before a block's cut.
func TestRunAcrossBlocks(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	var b strings.Builder
	var want []int64
	line := int64(1)
	for b.Len() < 6<<20 {
		noise := int(line*7919) % 5000
		b.WriteString(strings.Repeat("-. ", noise/3))
		if line%3 == 0 {
			b.WriteString("\n")
			line++
		}
		b.WriteString(` "x-zoom-app-context": "` + tok + "\"\n")
		want = append(want, line)
		line++
	}
	opener := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow)
	var got []int64
	_, err := scan.Run(context.Background(), []scan.Input{{Name: "big", R: strings.NewReader(b.String())}}, opener, 3,
		func(r scan.Result) error {
			if r.Status != scan.OK {
				t.Fatalf("line %d: %s %s", r.Line, r.Status, r.Error)
			}
			got = append(got, r.Line)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("found %d tokens, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("token %d on line %d, want %d", i, got[i], want[i])
		}
	}
}
