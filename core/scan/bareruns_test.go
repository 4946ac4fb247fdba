package scan_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
)

// TestBareRunsThatAreNoToken: a bare run is a result only when it decodes to a token's layout or
// to the start of one cut short; one whose layout holds with another IV length is one (malformed:
// Zoom's IV is 12 bytes), as is any keyed run; random runs and runs whose first byte says 12 but
// whose lengths do not fit are not.
func TestBareRunsThatAreNoToken(t *testing.T) {
	secret := []byte("bare-runs-test-secret")
	key := appctx.ZoomKey(secret)
	o := scan.NewOpener([]appctx.Secret{{Label: "s", Value: secret}}, time.Time{})
	seal := func(iv []byte) []byte {
		b, err := appctx.SealBytes(key, iv, []byte(`{"typ":"meeting","ts":1763631005000,"exp":1763631125000}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	random := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	valid := seal(random(12))
	var std []byte // a token whose standard base64 holds '+' or '/'
	for std == nil {
		if v := seal(random(12)); strings.ContainsAny(base64.StdEncoding.EncodeToString(v), "+/") {
			std = v
		}
	}
	twelveFirst := append([]byte{12}, random(59)...) // says 12, lengths at random
	for _, c := range []struct {
		name   string
		bytes  []byte
		keyed  bool
		status scan.Status // "" for no result
	}{
		{"a token", valid, false, scan.OK},
		{"16-byte IV", seal(random(16)), false, scan.Malformed},
		{"1-byte IV", seal(random(1)), false, scan.Malformed},
		{"truncated token", valid[:len(valid)-5], false, scan.Malformed},
		{"truncated token, 4k+1 characters", valid, false, scan.Malformed},
		{"cut within the tag", valid[:len(valid)-3], false, scan.Malformed},
		{"cut after the cipher length", valid[:19], false, scan.Malformed},
		{"cut before the cipher length", valid[:18], false, ""},
		{"random bytes", random(48), false, ""},
		{"first byte 12, the rest random", twelveFirst, false, ""},
		{"random bytes, keyed", random(48), true, scan.Malformed},
		{"a token in standard base64", std, false, scan.Malformed},
		{"random, 4k+1 characters", nil, false, ""},
		{"random in standard base64", nil, false, ""},
		{"truncated token, keyed", valid[:len(valid)-5], true, scan.Malformed},
	} {
		text := base64.RawURLEncoding.EncodeToString(c.bytes)
		switch c.name {
		case "a token in standard base64":
			text = base64.RawStdEncoding.EncodeToString(c.bytes)
		case "truncated token, 4k+1 characters":
			text = text[:len(text)/4*4-3]
		case "random, 4k+1 characters":
			text = base64.RawURLEncoding.EncodeToString(random(48)) + "A"
		case "random in standard base64":
			text = "ab/+" + base64.RawStdEncoding.EncodeToString(random(48))
		}
		r, ok := o.Check(scan.Candidate{Text: []byte(text), Keyed: c.keyed, Std: strings.ContainsAny(text, "+/")}) // Std as the finder sets it
		switch {
		case c.status == "" && ok:
			t.Errorf("%s: a result (%s: %s), want none", c.name, r.Status, r.Error)
		case c.status != "" && !ok:
			t.Errorf("%s: no result, want %s", c.name, c.status)
		case ok && r.Status != c.status:
			t.Errorf("%s: %s (%s), want %s", c.name, r.Status, r.Error, c.status)
		}
	}
}

// TestBareCutShortByChance: a bare run is taken for a token cut short only on the evidence of its
// header (appctx.CutShort), which a run that is no token has about once in two billion. 100,000
// random runs of 27 to 400 base64url characters, half of them starting with the IV length byte
// (12) that lets a run through to the layout test, give no result; 1,000 tokens cut at random
// lengths each give one.
func TestBareCutShortByChance(t *testing.T) {
	r := mrand.New(mrand.NewPCG(21, 1))
	var random, cuts strings.Builder
	key := appctx.ZoomKey([]byte("cut-short-test-secret"))
	for i := range 100_000 {
		b := make([]byte, 20+r.IntN(280))
		for k := range b {
			b[k] = byte(r.Uint32())
		}
		if i%2 == 0 {
			b[0] = appctx.IVSize
		}
		random.WriteString("id " + base64.RawURLEncoding.EncodeToString(b) + "\n")
		if i%100 == 0 { // tokens cut at any length from the finder's shortest bare run (47) to one short
			tok, err := appctx.SealBytes(key, b[1:13], []byte(`{"typ":"meeting","ts":1763631005000,"exp":1763631125000}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			text := base64.RawURLEncoding.EncodeToString(tok)
			cuts.WriteString("id " + text[:47+r.IntN(len(text)-48)] + "\n")
		}
	}
	count := func(text string) (n int) {
		o := scan.NewOpener(nil, time.Time{})
		if err := scan.Find(strings.NewReader(text), "f", func(c scan.Candidate) error {
			if r, ok := o.Check(c); ok {
				if r.Status != scan.Malformed {
					t.Errorf("line %d: %s, want malformed", c.Line, r.Status)
				}
				n++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(random.String()); n != 0 {
		t.Errorf("%d of 100000 random runs taken for tokens cut short", n)
	}
	if n, want := count(cuts.String()), strings.Count(cuts.String(), "\n"); n != want {
		t.Errorf("%d of %d tokens cut short found", n, want)
	}
}

// TestBinaryBase64: lines of binary files' base64 that an earlier build reported as tokens (see
// testdata/binary-base64.txt) give none, with and without a secret.
func TestBinaryBase64(t *testing.T) {
	text, err := os.ReadFile("testdata/binary-base64.txt")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(text, []byte("\n")); n < 150 {
		t.Fatalf("%d lines in the corpus", n)
	}
	for _, secrets := range [][]appctx.Secret{nil, {{Label: "s", Value: []byte("binary-base64-test")}}} {
		for _, r := range results(t, scan.NewOpener(secrets, time.Time{}), string(text)) {
			t.Errorf("line %d taken for a token: %s %s: %s", r.Line, r.Status, r.Reason, r.Error)
		}
	}
}

// results scans text with o as a scan does: every result its candidates give.
func results(t *testing.T, o *scan.Opener, text string) []scan.Result {
	t.Helper()
	var got []scan.Result
	if err := scan.Find(strings.NewReader(text), "f", func(c scan.Candidate) error {
		if r, ok := o.Check(c); ok {
			got = append(got, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestColourCodeBeforeToken: a terminal colour code right before a token ("\x1b[0mTOKEN", as
// lmittmann/tint writes after a key; see also the realservers corpus) ends before the token,
// whether the escape byte is there, written as text in a JSON string, or dropped by a log shipper.
func TestColourCodeBeforeToken(t *testing.T) {
	secret := []byte("colour-code-test-secret")
	tok, err := appctx.SealBytes(appctx.ZoomKey(secret), make12(), []byte(`{"typ":"panel","ts":1763631005000,"exp":1763631125000}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	text := base64.RawURLEncoding.EncodeToString(tok)
	o := scan.NewOpener([]appctx.Secret{{Label: "s", Value: secret}}, time.Time{})
	for _, line := range []string{
		"\x1b[32m%s\x1b[0m", "INFO \x1b[1;32m%s\x1b[0m done", "\x1b[2mcontext=\x1b[0m%s", "\x1b[2;91merr=\x1b[22m%s",
		"\x1b[m%s", `{"msg":"\u001b[32m%s\u001b[39m"}`, "[32m%s[0m", "x=[0;1;32m%s",
	} {
		if got := results(t, o, fmt.Sprintf(line, text)+"\n"); len(got) != 1 || got[0].Status != scan.OK {
			t.Errorf("%q: %d results (%+v), want the token, ok", line, len(got), got)
		}
	}
	// A key before the code names the value, however short: tint's key, dimmed, then the value
	// cut to 20 characters (too short for a bare run).
	for _, c := range []struct{ line, key string }{
		{"\x1b[2mcontext=\x1b[0m%s", "context"},
		{"\x1b[2mheader.x-zoom-app-context=\x1b[0m%s", "header.x-zoom-app-context"},
		{`{"context":"\u001b[32m%s\u001b[39m"}`, "context"},
		{"\x1b[2;91merr=\x1b[22m%s", ""}, // no key names an app context: too short for a bare run
	} {
		switch got := results(t, o, fmt.Sprintf(c.line, text[:20])+"\n"); {
		case c.key == "" && len(got) != 0:
			t.Errorf("%q: %+v, want no result", c.line, got)
		case c.key != "" && (len(got) != 1 || got[0].Status != scan.Malformed || got[0].Key != c.key):
			t.Errorf("%q: %+v, want one, malformed, key %q", c.line, got, c.key)
		}
	}
}

func make12() []byte {
	b := make([]byte, 12)
	rand.Read(b)
	return b
}

// TestCutBeforeHTTPVersion: a query's token cut seven characters short, followed by nginx's
// " HTTP/1.1", has the length of a whole token once "+HTTP/1" is joined to it as a '+' a URL
// decoder made a space; the join then goes on with ".1" and was dropped as a dotted value. It is
// reported malformed, as a cut of any other length is.
func TestCutBeforeHTTPVersion(t *testing.T) {
	secret := []byte("http-version-test-secret")
	o := scan.NewOpener([]appctx.Secret{{Label: "s", Value: secret}}, time.Time{})
	for _, cut := range []int{6, 7, 8} {
		for _, version := range []string{"HTTP/1.1", "HTTP/1.0", "HTTP/2.0"} {
			tok, err := appctx.SealBytes(appctx.ZoomKey(secret), make12(), []byte(`{"typ":"panel","ts":1763631005000,"exp":1763631125000}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			text := base64.RawURLEncoding.EncodeToString(tok)
			line := fmt.Sprintf(`127.0.0.1 - - [30/Nov/2026:12:31:18 +0000] "GET /panel?context=%s %s" 200 2`+"\n", text[:len(text)-cut], version)
			if got := results(t, o, line); len(got) != 1 || got[0].Status != scan.Malformed {
				t.Errorf("cut %d before %s: %d results (%+v), want one, malformed", cut, version, len(got), got)
			}
		}
	}
}
