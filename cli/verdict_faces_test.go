package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/fixtures"
	"github.com/zoomdbg/zoomdbg/tui"
)

// faces runs zoomdbg's faces at the table's instant with the table's secret, deriving each
// secret's keys once (PBKDF2's 100000 rounds would otherwise dominate hundreds of runs).
type faces struct {
	t       *testing.T
	tab     *fixtures.VerdictTable
	now     time.Time
	derived map[string][]appctx.Key
}

func newFaces(t *testing.T) *faces {
	tab, err := fixtures.Verdicts()
	if err != nil {
		t.Fatal(err)
	}
	return &faces{t: t, tab: tab, now: time.UnixMilli(tab.NowMS), derived: map[string][]appctx.Key{}}
}

func (f *faces) derive(s []appctx.Secret) []appctx.Key {
	var id strings.Builder
	for _, x := range s {
		fmt.Fprintf(&id, "%s=%x;", x.Label, x.Value)
	}
	if k, ok := f.derived[id.String()]; ok {
		return k
	}
	k := appctx.DeriveAll(s)
	f.derived[id.String()] = k
	return k
}

func (f *faces) run(stdin string, args ...string) result {
	var out, errb bytes.Buffer
	e := cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == cli.SecretEnv {
				return f.tab.Secret
			}
			return ""
		},
		Now:    func() time.Time { return f.now },
		Rand:   bytes.NewReader(make([]byte, 4096)),
		Derive: f.derive,
	}
	code := cli.Main(args, e, cli.Debugger{Open: func(cli.Session) error { return nil }})
	return result{code, out.String(), errb.String(), nil}
}

// contextVerdict is what `context --json` says.
type contextVerdict struct {
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
	OK      bool   `json:"ok"`
	Input   struct {
		Found string `json:"found"`
	} `json:"input"`
}

// contextJSON runs context --json (with --exact when exact) on the header given as an argument
// after "--", so that nothing in it is read as a flag and any byte reaches the command.
func (f *faces) contextJSON(header, clientID string, exact bool) (contextVerdict, int) {
	f.t.Helper()
	args := []string{"context", "--json"}
	if exact {
		args = append(args, "--exact")
	}
	if clientID != "" {
		args = append(args, "--client-id", clientID)
	}
	r := f.run("", append(args, "--", header)...)
	if !json.Valid([]byte(r.stdout)) || !utf8.ValidString(r.stdout) {
		f.t.Fatalf("context --json printed invalid JSON or UTF-8 (exit %d, stderr %q): %q", r.code, r.stderr, clip(r.stdout))
	}
	var v contextVerdict
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		f.t.Fatal(err)
	}
	return v, r.code
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// escapeBytes writes the bytes of s that are not UTF-8 as \xNN, as context --json shows them.
func escapeBytes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, "\\x%02x", s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// wantCode is the exit status the README gives a verdict.
func wantCode(verdict string) int {
	if verdict == "ok" {
		return cli.ExitOK
	}
	return cli.ExitFailed
}

// textAgrees checks context's text verdict line: ok reads ok, nothing else does, and the words
// and reason code of the verdict are there.
func textAgrees(line, verdict, reason string) error {
	words := appctx.Verdict(verdict).Words()
	switch {
	case verdict == "ok" && !strings.HasPrefix(line, "verdict   ok: "):
		return fmt.Errorf("ok does not read ok: %q", line)
	case verdict != "ok" && strings.Contains(line, "ok:"):
		return fmt.Errorf("%s reads ok: %q", verdict, line)
	case !strings.HasPrefix(line, "verdict   "+words):
		return fmt.Errorf("%s/%s: line does not begin with %q: %q", verdict, reason, words, line)
	case verdict != "ok" && verdict != "tag_mismatch" && verdict != "no_token" && !strings.Contains(line, "("+reason+")"):
		return fmt.Errorf("%s: line does not name the reason %s: %q", verdict, reason, line)
	}
	return nil
}

// TestVerdictFaces runs every row of fixtures/contexts/verdicts.json through every face and fails
// on any disagreement with the row or between faces:
//
//   - context --exact, in --json and in text: the row's verdict and reason, and its exit status;
//   - context as a paste (the default): the row's verdict where finding the token changed nothing,
//     otherwise exactly what --exact says of the token it found;
//   - the TUI's App Context screen, driven through Update and View with the header pasted: what
//     context says of the text its field holds, in its state and on screen;
//   - scan --json, for every row a log can carry as one token (one run of base64 characters of
//     at least 8): the row's status and reason.
func TestVerdictFaces(t *testing.T) {
	f := newFaces(t)
	screens := map[string]*tui.Model{}
	screen := func(clientID string) *tui.Model {
		if m, ok := screens[clientID]; ok {
			return m
		}
		m, err := tui.New(tui.Options{ClientID: clientID, Now: func() time.Time { return f.now },
			Secrets: []appctx.Secret{{Label: "test", Value: []byte(f.tab.Secret)}}, Derive: f.derive,
			Clipboard: func(string) (string, error) { return "", nil }})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.DeriveKeys()
		screens[clientID] = m
		return m
	}
	var logRows []fixtures.VerdictRow
	agree := map[string]int{}
	for _, row := range f.tab.Rows {
		h, _ := row.Value() // context cannot tell an absent header from an empty one: both are no_token
		t.Run(row.Name, func(t *testing.T) {
			f.t = t
			// context --exact --json
			v, code := f.contextJSON(h, row.ClientID, true)
			if v.Verdict != row.Verdict || v.Reason != row.Reason || v.OK != (row.Verdict == "ok") || code != wantCode(row.Verdict) {
				t.Fatalf("context --exact --json: %s/%s ok=%v exit %d; the table says %s/%s (%s)", v.Verdict, v.Reason, v.OK, code, row.Verdict, row.Reason, row.Note)
			}
			agree["context --exact --json"]++
			// context --exact, text
			args := []string{"context", "--exact"}
			if row.ClientID != "" {
				args = append(args, "--client-id", row.ClientID)
			}
			r := f.run("", append(args, "--", h)...)
			first, _, _ := strings.Cut(r.stdout, "\n")
			if err := textAgrees(first, row.Verdict, row.Reason); err != nil || r.code != wantCode(row.Verdict) {
				t.Fatalf("context --exact text (exit %d): %v", r.code, err)
			}
			assertNoControls(t, r.stdout)
			agree["context --exact text"]++
			// context, the header pasted
			p, code := f.contextJSON(h, row.ClientID, false)
			want := contextVerdict{Verdict: row.Verdict, Reason: row.Reason}
			if p.Input.Found != escapeBytes(h) {
				want, _ = f.contextJSON(p.Input.Found, row.ClientID, true)
			} else {
				agree["  of which held to the row itself"]++
			}
			if p.Verdict != want.Verdict || p.Reason != want.Reason || code != wantCode(p.Verdict) && p.Verdict != "no_secret" {
				t.Fatalf("context (paste): %s/%s exit %d for found %q; want %s/%s", p.Verdict, p.Reason, code, clip(p.Input.Found), want.Verdict, want.Reason)
			}
			agree["context paste --json"]++
			// The TUI, the header pasted into the token field.
			m := screen(row.ClientID)
			m.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			m.Update(tea.PasteMsg{Content: h})
			field := m.ContextInput()
			want = p
			if field != h {
				want, _ = f.contextJSON(field, row.ClientID, false)
			} else if p.Input.Found == h {
				agree["  of which held to the row itself "]++
			}
			j := m.ContextVerdict()
			if string(j.Verdict) != want.Verdict || string(j.Reason) != want.Reason {
				t.Fatalf("TUI: %s/%s for field %q; context says %s/%s", j.Verdict, j.Reason, clip(field), want.Verdict, want.Reason)
			}
			view := ansi.Strip(m.View().Content)
			if err := screenAgrees(view, want.Verdict, want.Reason); err != nil {
				t.Fatalf("TUI screen: %v\n%s", err, view)
			}
			agree["TUI Update/View"]++
		})
		if logCarries(h) {
			logRows = append(logRows, row)
		}
	}
	f.t = t
	agree["scan --json"] = scanFaces(t, f, logRows)
	for _, face := range []string{"context --exact --json", "context --exact text", "context paste --json",
		"  of which held to the row itself", "TUI Update/View", "  of which held to the row itself ", "scan --json"} {
		t.Logf("%-34s agrees on %d of %d rows", face, agree[face], len(f.tab.Rows))
	}
	if agree["scan --json"] < 100 {
		t.Errorf("scan was held to only %d rows", agree["scan --json"])
	}
}

// screenAgrees checks the App Context screen's verdict line: ✓ only for ok, ⚠ for a context that
// opens but is expired or for another app, and for anything else the verdict's words (and the
// reason code where the screen names it).
func screenAgrees(view, verdict, reason string) error {
	ok := strings.Contains(view, "✓ tag verified (\"")
	words := appctx.Verdict(verdict).Words()
	switch {
	case ok != (verdict == "ok"):
		return fmt.Errorf("%s/%s: the verdict line reads ok=%v", verdict, reason, ok)
	case verdict == "ok":
		return nil
	case verdict == "no_secret":
		if !strings.Contains(view, "• layout parses") {
			return fmt.Errorf("no_secret not said")
		}
	case verdict == "no_token":
		if !strings.Contains(view, "✗ no token") && !strings.Contains(view, "✗ not a token") &&
			!strings.Contains(view, "• a JWT") && !strings.Contains(view, "paste a token") {
			return fmt.Errorf("no_token not said")
		}
	case verdict == "tag_mismatch":
		if !strings.Contains(view, "✗ tag mismatch: ") {
			return fmt.Errorf("tag mismatch not said")
		}
	case verdict == "expired" || verdict == "wrong_aud": // it opens, but is not right: ⚠, never ✓ nor ✗
		if want := "but " + words + " (" + reason + ")"; !strings.Contains(view, "⚠ opens with") || !strings.Contains(view, want) {
			return fmt.Errorf("%q not on screen after ⚠", want)
		}
	case !strings.Contains(view, "✗ "+words+" ("+reason+")"):
		return fmt.Errorf("%q not on screen", "✗ "+words+" ("+reason+")")
	}
	return nil
}

// logCarries reports whether a log line can carry the header as one token: scan finds runs of
// base64 characters (at most two '=' at the end, none inside), and takes one that follows a
// header name as a token when it is at least as long as the smallest token (47 characters);
// shorter ones only when they start as Zoom's tokens start (scan's plausible), which leaves out
// "undefined" and trace ids.
func logCarries(h string) bool {
	body := strings.TrimRight(h, "=")
	if len(h)-len(body) > 2 || len(body) < 47 || len(body) >= 1<<18 {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_+/", c) >= 0) {
			return false
		}
	}
	return true
}

// scanFaces writes each row as the header line of a log and runs scan --json over it, once with
// the client ID (for the rows that carry one) and once without; every row must get its status
// and reason.
func scanFaces(t *testing.T, f *faces, rows []fixtures.VerdictRow) int {
	agreed := 0
	for _, withID := range []bool{false, true} {
		var log strings.Builder
		var these []fixtures.VerdictRow
		for _, row := range rows {
			if (row.ClientID != "") == withID {
				h, _ := row.Value()
				fmt.Fprintf(&log, "x-zoom-app-context: %s\n", h)
				these = append(these, row)
			}
		}
		path := filepath.Join(t.TempDir(), "headers.log")
		if err := os.WriteFile(path, []byte(log.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"scan", "--json", "--at", f.now.UTC().Format(time.RFC3339Nano)}
		if withID {
			args = append(args, "--client-id", f.tab.ClientID)
		}
		r := f.run("", append(args, path)...)
		got := map[int64]struct{ Status, Reason string }{}
		sc := bufio.NewScanner(strings.NewReader(r.stdout))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var res struct {
				Line    int64  `json:"line"`
				Status  string `json:"status"`
				Reason  string `json:"reason"`
				Summary any    `json:"summary"`
			}
			if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
				t.Fatalf("scan printed a line that is not JSON: %q", sc.Text())
			}
			if res.Summary == nil {
				got[res.Line] = struct{ Status, Reason string }{res.Status, res.Reason}
			}
		}
		for i, row := range these {
			g, ok := got[int64(i+1)]
			switch {
			case !ok:
				t.Errorf("scan: row %s (line %d) not reported (exit %d, stderr %q)", row.Name, i+1, r.code, r.stderr)
			case g.Status != row.Verdict || g.Reason != row.Reason:
				t.Errorf("scan: row %s: %s/%s, the table says %s/%s (%s)", row.Name, g.Status, g.Reason, row.Verdict, row.Reason, row.Note)
			default:
				agreed++
			}
		}
	}
	return agreed
}

// TestFailOnNeedsSecret: asking scan to fail on a kind only an opened token can be, with no
// secret to open any, is a usage error said on stderr, not a silent pass.
func TestFailOnNeedsSecret(t *testing.T) {
	f := load(t)
	log := "x-zoom-app-context: " + f.Get("wrong-secret").Token + "\n"
	for _, kinds := range []string{"tag_mismatch,expired", "expired", "wrong_aud", "bad_payload", "mismatch"} {
		r := run(t, log, nil, "scan", "--fail-on", kinds, "-")
		if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "needs a secret") {
			t.Errorf("--fail-on %s without a secret: exit %d, stderr %q", kinds, r.code, r.stderr)
		}
	}
	for _, kinds := range []string{"malformed", "no_secret"} {
		if r := run(t, log, nil, "scan", "--fail-on", kinds, "-"); r.code == cli.ExitUsage {
			t.Errorf("--fail-on %s needs no secret, yet exit %d: %s", kinds, r.code, r.stderr)
		}
	}
	if r := run(t, log, map[string]string{cli.SecretEnv: f.Secrets["dev"]}, "scan", "--fail-on", "tag_mismatch", "-"); r.code != cli.ExitFailed {
		t.Errorf("--fail-on tag_mismatch with a secret on a mismatching token: exit %d, want 1", r.code)
	}
}

// TestContextUTF16Stdin: a token saved by PowerShell (UTF-16 with a byte order mark) is decoded as
// scan decodes such a log, not refused as binary.
func TestContextUTF16Stdin(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	for _, le := range []bool{true, false} {
		b := []byte{0xFF, 0xFE}
		if !le {
			b = []byte{0xFE, 0xFF}
		}
		for _, c := range tok + "\r\n" {
			if le {
				b = append(b, byte(c), 0)
			} else {
				b = append(b, 0, byte(c))
			}
		}
		r := run(t, string(b), map[string]string{cli.SecretEnv: f.Secrets["dev"]}, "context", "--json", "-")
		var v contextVerdict
		if json.Unmarshal([]byte(r.stdout), &v) != nil || v.Verdict != "ok" || r.code != 0 {
			t.Errorf("UTF-16 (little endian %v): exit %d, %s %s", le, r.code, clip(r.stdout), r.stderr)
		}
	}
}

// TestExplainNearest: a message explain does not know is shown with the nearest it does, in text
// and in JSON, and still exits 1.
func TestExplainNearest(t *testing.T) {
	r := run(t, "", nil, "explain", "Error: setAuthTag rejected a tag of that size")
	if r.code != 1 || !strings.Contains(r.stdout, "the nearest it knows") || !strings.Contains(r.stdout, "1. Node.js (crypto)") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
	r = run(t, "", nil, "explain", "--json", "redirect uri does not match")
	var out struct {
		Recognised bool
		Nearest    []struct{ Language, Message string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Recognised || len(out.Nearest) == 0 || out.Nearest[0].Language != "Zoom (OAuth)" {
		t.Errorf("explain --json: %v %+v", err, out)
	}
	for _, msg := range []string{"Invalid authentication tag length: 4", "binascii.Error: Incorrect padding", "invalid_grant", "Missing OWASP Secure Headers"} {
		if r := run(t, "", nil, "explain", msg); r.code != 0 {
			t.Errorf("explain %q: exit %d\n%s", msg, r.code, r.stdout)
		}
	}
}

// TestExactStdinLineEnd: the line break that ends standard input is not part of the header value
// --exact judges; one given as an argument is.
func TestExactStdinLineEnd(t *testing.T) {
	f := newFaces(t)
	var valid, newline fixtures.VerdictRow
	for _, r := range f.tab.Rows {
		switch r.Name {
		case "valid":
			valid = r
		case "trailing_newline":
			newline = r
		}
	}
	h, _ := valid.Value()
	for _, in := range []string{h + "\n", h + "\r\n"} {
		r := f.run(in, "context", "--exact", "--json", "-")
		var v contextVerdict
		if json.Unmarshal([]byte(r.stdout), &v) != nil || v.Verdict != "ok" {
			t.Errorf("stdin %q: %s/%s", in[len(in)-2:], v.Verdict, v.Reason)
		}
	}
	n, _ := newline.Value()
	if v, _ := f.contextJSON(n, "", true); v.Verdict != newline.Verdict || v.Reason != newline.Reason {
		t.Errorf("argument with a newline: %s/%s, want %s/%s", v.Verdict, v.Reason, newline.Verdict, newline.Reason)
	}
}
