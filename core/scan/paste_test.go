package scan_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/scan"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

type pasteShape struct {
	Name, Paste, Want, Repair, Code string
}

// shapes runs an independent program that writes the paste shapes, and reads them.
func shapes(t *testing.T, argv ...string) []pasteShape {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	var s []pasteShape
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPasteShapes: whatever a developer copies the context from, Node's console.log, a URL as a
// browser encodes it, a log line, Chrome's curl, a HAR entry, Django's request.META, the token is
// found, decoded to Zoom's exact bytes, opened, and the repairs say how it was found.
func TestPasteShapes(t *testing.T) {
	f := load(t)
	tok, other := f.Get("valid").Token, f.Get("valid-aad").Token
	all := append(shapes(t, "node", "testdata/paste_shapes.js", tok, other), shapes(t, "python3", "testdata/paste_shapes.py", tok)...)
	keys := appctx.DeriveAll([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}})
	want, _ := base64.RawURLEncoding.DecodeString(tok)
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			r, p := scan.InspectPaste(s.Paste, keys)
			if s.Code != "" {
				var fe *appctx.FormatError
				if !errors.As(r.ParseErr, &fe) || string(fe.Code) != s.Code {
					t.Fatalf("paste %q: error %v, want code %s", s.Paste, r.ParseErr, s.Code)
				}
				if len(r.Token.Input.Repairs) > 0 {
					t.Errorf("no token, yet repairs %q", r.Token.Input.Repairs)
				}
				if s.Code == "jwt" && !strings.HasPrefix(p.JWT, "eyJ") {
					t.Errorf("JWT not returned: %q", p.JWT)
				}
				return
			}
			// Found is the token as a backend receives it: in the standard alphabet, or with
			// spaces where '+' was, it is malformed as sent and opens only once repaired.
			mangled := strings.ContainsAny(r.Token.Input.Found, "+/ ")
			if r.ParseErr != nil || mangled && !r.Repaired() || !mangled && !r.OK() {
				t.Fatalf("paste %q: %v (status %s, repaired %v), repairs %q", s.Paste, r.ParseErr, r.Status(), r.Repaired(), r.Token.Input.Repairs)
			}
			if string(r.Token.Input.Bytes) != string(want) {
				t.Errorf("decoded bytes differ from the token's")
			}
			if s.Repair != "" && !strings.Contains(strings.Join(r.Token.Input.Repairs, "; "), s.Repair) {
				t.Errorf("repairs %q lack %q", r.Token.Input.Repairs, s.Repair)
			}
			if f, ok := r.Token.Field(appctx.FieldIV); !ok || f.Offset != 1 {
				t.Errorf("IV field %+v: offsets must refer to the token itself", f)
			}
		})
	}
}

// TestPasteBareToken: a token pasted alone keeps appctx's own repairs and error offsets, and gets
// no "taken from" repair.
func TestPasteBareToken(t *testing.T) {
	f := load(t)
	for _, paste := range []string{f.Get("valid").Token, "  '" + f.Get("valid").Token + "'\n", "x-zoom-app-context: " + f.Get("valid").Token} {
		p := scan.FromPaste(paste)
		if p.Token != paste || len(p.Repairs) != 0 {
			t.Errorf("FromPaste(%.30q) = %+v", paste, p)
		}
	}
	tr := f.Get("truncated").Token
	r, _ := scan.InspectPaste(tr, nil)
	var fe *appctx.FormatError
	if !errors.As(r.ParseErr, &fe) || fe.Code != appctx.ErrTruncated {
		t.Errorf("a truncated token alone: %v, want the layout's own error", r.ParseErr)
	}
	r, _ = scan.InspectPaste(`{"context":"`+tr+`"}`, nil)
	if !errors.As(r.ParseErr, &fe) || fe.Code != appctx.ErrTruncated || !strings.Contains(r.Token.Input.Repairs[0], `"context"`) {
		t.Errorf("a truncated token in JSON: %v, repairs %q", r.ParseErr, r.Token.Input.Repairs)
	}
}

// FuzzFromPaste: whatever is pasted, finding the token never panics, a found token is in the
// paste or decoded from it, and a paste with no token gets no repair.
func FuzzFromPaste(f *testing.F) {
	fx, _ := fixtures.Load()
	tok := fx.Get("valid").Token
	for _, s := range []string{tok, `{"context":"` + tok + `"}`, "{ context: '" + tok + "' }", "https://a/b?context=" + tok + "&x=1",
		"x-zoom-app-context: undefined", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "plain prose here", "", "\x00\xff%2",
		`"name": "x-zoom-app-context",` + "\n" + `"value": "` + tok[:60] + `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := scan.FromPaste(s)
		r, _ := scan.InspectPaste(s, nil)
		if p.Token == "" && p.JWT == "" && strings.TrimSpace(s) != "" && len(r.Token.Input.Repairs) > 0 {
			t.Fatalf("no token in %q, yet repairs %q", s, r.Token.Input.Repairs)
		}
		if p.Token != "" && len(p.Repairs) == 0 && p.Token != s {
			t.Fatalf("token %q taken from %q with no word on how", p.Token, s)
		}
		if len(p.Token) > len(s) {
			t.Fatalf("token %q longer than the paste %q", p.Token, s)
		}
	})
}

// TestPasteArtefacts: what copying adds around or inside a token (a byte order mark, curly quotes
// from a chat app, zero-width spaces and word joiners, a value percent-encoded twice) is found
// past, said in the finding steps, and the token found is judged as sent: ok. Prose holds no
// token and gets no repair.
func TestPasteArtefacts(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	keys := appctx.DeriveAll([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}})
	twice := strings.NewReplacer("-", "%252D", "_", "%255F").Replace(tok)
	tests := []struct{ name, paste, repair string }{
		{"byte order mark", "\ufeff" + tok, "invisible"},
		{"curly quotes", "\u201c" + tok + "\u201d", "quotes"},
		{"single curly quotes", "\u2018" + tok + "\u2019", "quotes"},
		{"zero-width space inside", tok[:40] + "\u200b" + tok[40:], "invisible"},
		{"word joiner inside", tok[:40] + "\u2060" + tok[40:90] + "\u2060" + tok[90:], "2 invisible"},
		{"percent-encoded twice", twice, "encoded twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := scan.InspectPaste(tt.paste, keys)
			in := r.Token.Input
			if j := r.Judge("", time.Time{}); j.Verdict != appctx.VerdictOK || in.Found != tok {
				t.Fatalf("verdict %s (%s), found %q", j.Verdict, j.Detail, in.Found)
			}
			if steps := strings.Join(in.Repairs[:in.FindSteps], "; "); !strings.Contains(steps, tt.repair) {
				t.Errorf("finding steps %q lack %q", steps, tt.repair)
			}
		})
	}
	for _, prose := range []string{"please check why the backend rejects the context from zoom today", "hello world"} {
		r, p := scan.InspectPaste(prose, keys)
		j := r.Judge("", time.Time{})
		if j.Verdict != appctx.VerdictNoToken || p.Token != "" || len(r.Token.Input.Repairs) != 0 {
			t.Errorf("prose %q: %s/%s, token %q, repairs %q", prose, j.Verdict, j.Reason, p.Token, r.Token.Input.Repairs)
		}
	}
}
