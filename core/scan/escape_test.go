package scan_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// trace writes a request line as curl --trace-ascii does: 64 bytes of data a line after the
// offset, a header's CRLF ending its last line.
func trace(header string, at int) string {
	var b strings.Builder
	for len(header) > 0 {
		n := min(64, len(header))
		fmt.Fprintf(&b, "%04x: %s\n", at, header[:n])
		header, at = header[n:], at+n
	}
	return b.String()
}

// TestFindEscapes: a token is found whole whatever escaping real servers and loggers applied, in
// any combination, and the candidate says what was undone.
func TestFindEscapes(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	std := f.Get("valid-std").Token // holds '+' and '/'
	if !strings.Contains(std, "+") || !strings.Contains(std, "/") {
		t.Fatal("the valid-std fixture should hold '+' and '/'")
	}
	spaced := strings.ReplaceAll(std, "+", " ")
	tests := []struct {
		name, line, want string
		unwrapped        []string
	}{
		{"nginx escape=default", `POST /api 200 "{\x22context\x22: \x22` + tok + `\x22}"`, tok, nil},
		{"nginx escape=default std", `"{\x22appContext\x22:\x22` + std + `\x22}"`, std, nil},
		{"nginx \\x2B", `"{\x22context\x22: \x22` + strings.ReplaceAll(std, "+", `\x2B`) + `\x22}"`, std, []string{"JSON escapes removed"}},
		{"json \\u0022 quotes", `{"body":"{\u0022context\u0022:\u0022` + tok + `\u0022}"}`, tok, nil},
		{"json in json", `{"log":"{\"context\":\"` + strings.ReplaceAll(std, "/", `\\\/`) + `\"}\n"}`, std, []string{"JSON escapes removed"}},
		{"php json_encode of a form-decoded token", `{"context":"` + strings.ReplaceAll(spaced, "/", `\/`) + `","x":"1"}`, std,
			[]string{"JSON escapes removed", "'+' restored where a URL decoder made spaces"}},
		{"percent and spaces", `GET /?context=` + strings.ReplaceAll(strings.ReplaceAll(spaced, "/", "%2F"), "=", "%3D") + ` HTTP/1.1`, std,
			[]string{"percent-decoded", "'+' restored where a URL decoder made spaces"}},
		{"spaces then the protocol", `GET /?context=` + spaced + ` HTTP/1.1`, std, []string{"'+' restored where a URL decoder made spaces"}},
		{"curl --trace-ascii header", "=> Send header, 410 bytes (0x19a)\n" + trace("GET / HTTP/1.1", 0) + trace("x-zoom-app-context: "+tok, 0x10),
			tok, []string{"joined across curl --trace-ascii's 64-byte lines"}},
		{"curl --trace-ascii query", trace("GET /?context="+std+" HTTP/1.1", 0), std, []string{"joined across curl --trace-ascii's 64-byte lines"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := find(t, tc.line+"\n")
			if len(got) != 1 || string(got[0].Text) != tc.want || !got[0].Keyed || fmt.Sprint(got[0].Unwrapped) != fmt.Sprint(tc.unwrapped) {
				t.Fatalf("got %d candidates %+v; want %q keyed, unwrapped %q", len(got), got, tc.want, tc.unwrapped)
			}
		})
	}
}

// TestTraceLineNumbers: lines after a wrapped token keep their numbers.
func TestTraceLineNumbers(t *testing.T) {
	tok := load(t).Get("valid").Token
	text := trace("x-zoom-app-context: "+tok, 0) + "x-zoom-app-context: " + tok + "\n"
	got := find(t, text)
	wantLast := int64(strings.Count(text, "\n"))
	if len(got) != 2 || got[0].Line != 1 || got[1].Line != wantLast {
		t.Fatalf("got %+v, want lines 1 and %d", got, wantLast)
	}
}

// TestTraceAcrossBlocks: curl traces filling many blocks: no token is cut at a block's end.
func TestTraceAcrossBlocks(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	var b strings.Builder
	n := 0
	for b.Len() < 1<<20 {
		b.WriteString("=> Send header, 400 bytes\n" + trace("GET /home HTTP/1.1", 0) + trace(strings.Repeat("h", n%97)+"x-zoom-app-context: "+tok, 0x12))
		n++
	}
	opener := scan.NewOpener([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}, fixtureNow)
	sum, err := scan.Run(context.Background(), []scan.Input{{Name: "trace", R: strings.NewReader(b.String())}}, opener, 2,
		func(r scan.Result) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Tokens != int64(n) || sum.ByStatus[scan.OK] != int64(n) {
		t.Fatalf("%d tokens, %v; want %d ok", sum.Tokens, sum.ByStatus, n)
	}
}

// TestDistinctStable: the distinct count is never more than the tokens counted, and a token logged
// many times, escaped differently, counts once. (TestScanDistinctRunToRun runs the binary twice.)
func TestDistinctStable(t *testing.T) {
	f := load(t)
	opener := scan.NewOpener(nil, fixtureNow)
	std := f.Get("valid-std").Token
	same := strings.Repeat("x-zoom-app-context: "+std+"\n"+`{"context":"`+strings.ReplaceAll(std, "/", `\/`)+`"}`+"\n", 3000)
	sum, err := scan.Run(context.Background(), []scan.Input{{Name: "same", R: strings.NewReader(same)}}, opener, 2, func(scan.Result) error { return nil })
	if err != nil || sum.Tokens != 6000 || sum.Distinct != 1 {
		t.Fatalf("one token logged 6000 times: %d tokens, %d distinct (%v)", sum.Tokens, sum.Distinct, err)
	}
	// Many distinct malformed tokens: past the exact limit, an estimate.
	var b strings.Builder
	for i := 0; i < 6000; i++ {
		fmt.Fprintf(&b, "x-zoom-app-context: DAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%08d\n", i)
	}
	sum, err = scan.Run(context.Background(), []scan.Input{{Name: "many", R: strings.NewReader(b.String())}}, opener, 2, func(scan.Result) error { return nil })
	if err != nil || !sum.Estimated || sum.Distinct > int(sum.Tokens) || sum.Distinct < 5800 {
		t.Fatalf("%d distinct of %d tokens, estimated %v (%v)", sum.Distinct, sum.Tokens, sum.Estimated, err)
	}
}

// TestDeferredMismatch: with the reason deferred, a tag mismatch has the same status, and Explain
// gives the same reason as the opener that does not defer, with the keys derived in the
// background (PrepareExplain) or not.
func TestDeferredMismatch(t *testing.T) {
	f := load(t)
	secrets := []appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}
	for _, v := range []string{"hkdf-key", "wrong-secret"} {
		c := scan.Candidate{Text: []byte(f.Get(v).Token), Keyed: true}
		now, _ := scan.NewOpener(secrets, fixtureNow).Check(c)
		o := scan.NewOpener(secrets, fixtureNow).WithDeferredMismatch()
		later, _ := o.Check(c)
		if later.Status != scan.TagMismatch || later.Error != "" {
			t.Fatalf("%s: deferred %s %q, want tag_mismatch with no reason yet", v, later.Status, later.Error)
		}
		if v == "hkdf-key" {
			o.PrepareExplain() // the keys derived on a goroutine meanwhile: the same reason
		}
		o.Explain(&later)
		if later.Error != now.Error || now.Error == "" {
			t.Errorf("%s: explained %q, want %q", v, later.Error, now.Error)
		}
	}
}

// TestFindEscapesSeenInRealLogs: two shapes the real servers' corpus showed: "++" that PHP's
// decoder made two spaces (with json_encode's "\/"), and curl's trace cutting a percent-escape
// anywhere, the cut swept over every position.
func TestFindEscapesSeenInRealLogs(t *testing.T) {
	f := load(t)
	var doubled string // a standard-base64 token holding "++" and '/'
	for doubled == "" {
		tok := seal(t, []byte(f.Secrets["dev"]), `{"typ":"panel","ts":1,"exp":2}`)
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		if s := base64.StdEncoding.EncodeToString(raw); strings.Contains(s, "++") && strings.Contains(s, "/") {
			doubled = s
		}
	}
	php := `[Mon Nov 30 12:32:16 2026] {"context":"` + strings.ReplaceAll(strings.ReplaceAll(doubled, "+", " "), "/", `\/`) + `"}`
	if got := find(t, php+"\n"); len(got) != 1 || string(got[0].Text) != doubled {
		t.Errorf("json_encode of a token whose \"++\" became two spaces: %d candidates", len(got))
	}
	std := f.Get("valid-std").Token
	percent := strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(std)
	for pad := 0; pad < 64; pad++ {
		text := trace("GET /"+strings.Repeat("a", pad)+"?context="+percent+" HTTP/1.1", 0)
		if got := find(t, text); len(got) != 1 || string(got[0].Text) != std {
			t.Fatalf("trace cut after %d bytes of path: %d candidates", pad, len(got))
		}
	}
}
