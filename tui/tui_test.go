package tui

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/snippet"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// fixtureNow is 30 seconds after the fixtures' ts: their contexts are live.
var fixtureNow = time.UnixMilli(1795167000000 + 30000).UTC()

const forumVerifier = "OoRepCjjX8P4perVeWHK-5TKSfyZLPuCjirkjY3hh7I"

type harness struct {
	t      *testing.T
	m      *Model
	copied []string
}

func newHarness(t *testing.T, o Options, w, h int) *harness {
	t.Helper()
	hs := &harness{t: t}
	o.Now = func() time.Time { return fixtureNow }
	o.Rand = bytes.NewReader(bytes.Repeat([]byte{0x42}, 1<<12))
	o.Clipboard = func(s string) (string, error) {
		hs.copied = append(hs.copied, s)
		return "", errors.New("no helper in tests")
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	hs.m = m
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.settle()
	return hs
}

// settle runs the pending key derivation synchronously, as the program would in the background.
func (h *harness) settle() {
	h.send(h.m.context.deriveCmd()())
}

func (h *harness) send(msgs ...tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	for _, msg := range msgs {
		_, cmd = h.m.Update(msg)
	}
	return cmd
}

func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	case "f2":
		return tea.KeyPressMsg{Code: tea.KeyF2}
	case "alt+1":
		return tea.KeyPressMsg{Code: '1', Mod: tea.ModAlt}
	case "alt+2":
		return tea.KeyPressMsg{Code: '2', Mod: tea.ModAlt}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "ctrl+g":
		return tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "ctrl+o":
		return tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// press sends a key and carries out the commands that answer at once, as a copy's, feeding their
// messages back.
func (h *harness) press(k string) {
	cmd := h.send(keyMsg(k))
	if cmd == nil {
		return
	}
	for _, msg := range runBatch(cmd) {
		if _, ok := msg.(copiedMsg); ok {
			h.send(msg)
		}
	}
}

// screen renders the view as a person sees it without colour.
func (h *harness) screen() string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ASCII}
	w.WriteString(h.m.View().Content)
	return b.String()
}

func (h *harness) must(substr ...string) {
	h.t.Helper()
	s := ansi.Strip(h.screen())
	for _, want := range substr {
		if !strings.Contains(s, want) {
			h.t.Fatalf("screen lacks %q:\n%s", want, s)
		}
	}
}

func load(t *testing.T) fixtures.File {
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func devSecret(f fixtures.File) []appctx.Secret {
	return []appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}
}

func TestGoldenScreens(t *testing.T) {
	f := load(t)
	tests := []struct {
		name string
		o    Options
		keys []string
	}{
		{"demo decoded", Options{Demo: true}, nil},
		{"demo layout iv selected", Options{Demo: true}, []string{"j"}},
		{"wrong secret diagnosis", Options{Token: f.Get("wrong-secret").Token, Secrets: devSecret(f)}, []string{"tab"}},
		{"malformed token", Options{Token: f.Get("truncated").Token, Secrets: devSecret(f)}, nil},
		{"pkce forum verifier", Options{Screen: "pkce", Verifier: forumVerifier}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.o, 80, 24)
			h.keys(tc.keys...)
			golden.RequireEqual(t, h.screen())
		})
	}
}

func TestGoldenPKCEWide(t *testing.T) {
	h := newHarness(t, Options{Screen: "pkce", Verifier: forumVerifier}, 200, 60)
	golden.RequireEqual(t, h.screen())
}

// TestWidthSweep: at every size from 80×24 up, every screen and focus keeps every line within the
// width and fills exactly the height.
func TestWidthSweep(t *testing.T) {
	f := load(t)
	opts := []Options{
		{Demo: true},
		{Token: f.Get("terminal-escapes").Token, Secrets: devSecret(f)},
		{Token: f.Get("truncated").Token},
		{Token: f.Get("valid-mangled-paste").Token, Secrets: devSecret(f)},
		{Screen: "pkce", Verifier: forumVerifier},
		{Screen: "flow"},
		{Screen: "check", Check: CheckSettings{URL: "http://127.0.0.1:1/"}},
	}
	for _, size := range [][2]int{{80, 24}, {81, 25}, {93, 30}, {100, 30}, {120, 40}, {137, 45}, {160, 50}, {200, 60}, {250, 70}} {
		for i, o := range opts {
			h := newHarness(t, o, size[0], size[1])
			for step := 0; step < 6; step++ {
				lines := strings.Split(h.m.View().Content, "\n")
				if len(lines) > size[1] {
					t.Errorf("%dx%d opt %d step %d: %d lines", size[0], size[1], i, step, len(lines))
				}
				for n, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Fatalf("%dx%d opt %d step %d line %d is %d wide: %q", size[0], size[1], i, step, n, w, ansi.Strip(l))
					}
				}
				h.keys("tab", "j")
			}
		}
	}
}

func TestTooSmall(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 60, 20)
	h.must("needs at least 80×24", "60×20", "enlarge")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.must("App Context")
}

func TestLiveDecodeAsYouType(t *testing.T) {
	f := load(t)
	h := newHarness(t, Options{}, 100, 30)
	h.must("paste a token")
	h.send(tea.PasteMsg{Content: f.Get("valid").Token})
	h.must("layout parses; enter the client secret")
	h.keys("tab")
	for _, r := range f.Secrets["dev"] {
		h.keys(string(r))
	}
	h.settle()
	h.must(`✓ tag verified ("typed secret") · uid MPjq6UmhQWWBP4Yuf-FARg · expires in 1m30s`)
	if strings.Contains(h.screen(), f.Secrets["dev"]) {
		t.Fatal("the secret is on screen while masked")
	}
	h.keys("ctrl+r")
	h.must(f.Secrets["dev"])
}

func TestPasteReplacesDemoToken(t *testing.T) {
	f := load(t)
	h := newHarness(t, Options{Demo: true}, 100, 30)
	h.keys("tab", "tab") // a panel has focus: the paste still goes to the token field
	h.send(tea.PasteMsg{Content: "x-zoom-app-context: " + f.Get("wrong-secret").Token + "\n"})
	if got := h.m.context.token.Value(); !strings.HasSuffix(got, f.Get("wrong-secret").Token) || strings.Contains(got, f.Get("valid").Token) {
		t.Fatalf("token field = %q, want the pasted token alone", got)
	}
	h.must("✗ tag mismatch", `repair  stripped header name "x-zoom-app-context"`)
	h.keys("ctrl+u")
	h.must("paste a token to decode it")
}

func TestHugePasteIsCut(t *testing.T) {
	h := newHarness(t, Options{}, 100, 30)
	h.send(tea.PasteMsg{Content: strings.Repeat("A", 1<<20)})
	if n := len(h.m.context.token.Value()); n > maxTokenField {
		t.Fatalf("the token field holds %d characters", n)
	}
	h.must("the paste was cut to 8 KiB")
}

func TestStaleDerivationDropped(t *testing.T) {
	f := load(t)
	h := newHarness(t, Options{Token: f.Get("valid").Token, Secrets: devSecret(f)}, 100, 30)
	h.must("✓ tag verified")
	old := h.m.context.deriveCmd()
	h.keys("shift+tab", "x") // the secret changes: its keys are dropped and a new derivation starts
	h.must("… deriving keys")
	h.send(old()) // the older secret's keys arrive late and must be ignored
	h.must("… deriving keys")
	if h.m.context.keys != nil {
		t.Fatal("keys of an older secret were applied")
	}
	h.settle()
	h.must("✗ tag mismatch")
}

func TestFieldSelectionMarksBytesAndChars(t *testing.T) {
	f := load(t)
	h := newHarness(t, Options{Token: f.Get("valid").Token, Secrets: []appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}}}, 100, 30)
	h.keys("j") // a token given: the layout panel has focus; iv selected
	h.must("token text, iv marked (characters 1-18)", "0000  0c[a1 0f 0f 2a 00 ef bb ce c0 82 c5 97]00 00 d6")
	h.press("c")
	if len(h.copied) != 1 || h.copied[0] != "a10f0f2a00efbbcec082c597" {
		t.Fatalf("copied %q", h.copied)
	}
}

func TestCopy(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	h.keys("tab") // key derivation panel
	cmd := h.send(keyMsg("c"))
	h.must("copy the sha256 key of \"demo\"? it is secret key material")
	if cmd != nil || len(h.copied) != 0 {
		t.Fatal("a key was copied without confirmation")
	}
	cmd = h.send(keyMsg("y"))
	if cmd == nil {
		t.Fatal("confirming gave no copy command")
	}
	for _, msg := range runBatch(cmd) {
		h.send(msg)
	}
	if len(h.copied) != 1 || len(h.copied[0]) != 64 {
		t.Fatalf("copied %q", h.copied)
	}
	h.must(`sha256 key of "demo" sent via OSC 52 (your terminal must allow it); not in the system clipboard: no`)

	h.keys("c", "n")
	h.must("copy cancelled")
	h.keys("tab")
	h.press("c")
	h.must("payload sent via OSC 52")
	if len(h.copied) != 2 || !strings.Contains(h.copied[1], `"uid":"MPjq6UmhQWWBP4Yuf-FARg"`) {
		t.Fatalf("cancelled copy went through, or the payload was not copied: %q", h.copied)
	}
}

// runBatch runs the commands of a batch that answer at once (clipboard writes), not the timers.
func runBatch(cmd tea.Cmd) []tea.Msg {
	msg := cmd()
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for _, c := range batch {
		if c == nil {
			continue
		}
		if m, ok := runQuick(c); ok {
			out = append(out, m)
		}
	}
	return out
}

func runQuick(c tea.Cmd) (tea.Msg, bool) {
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	select {
	case m := <-done:
		return m, true
	case <-time.After(100 * time.Millisecond):
		return nil, false
	}
}

func TestKeysInTextFieldsType(t *testing.T) {
	h := newHarness(t, Options{}, 100, 30)
	h.keys("q", "j", "c", "1", "2")
	if got := h.m.context.token.Value(); got != "qjc12" || h.m.active != screenContext {
		t.Fatalf("single-letter and digit keys in the token field: value %q, screen %d, want them typed", got, h.m.active)
	}
	// '?' types in a field (a URL holds one); F1 is help from a field.
	h.keys("?")
	if got := h.m.context.token.Value(); got != "qjc12?" || h.m.showHelp {
		t.Fatalf("? in the token field: value %q, full help %v; want it typed", got, h.m.showHelp)
	}
	h.must("F1 help", "ctrl+c quit")
	h.keys("f1")
	if v := h.screen(); !h.m.showHelp || !strings.Contains(v, "1-5") || !strings.Contains(v, "alt+1-5") {
		t.Errorf("F1 did not open the help, or it does not list the digit keys:\n%s", v)
	}
	h.keys("f1")
	if h.m.showHelp {
		t.Fatal("F1 again does not close help")
	}
	if cmd := h.send(keyMsg("esc")); cmd != nil && isQuit(cmd) {
		t.Fatal("esc quit")
	}
	for _, d := range []struct {
		key  string
		want screen
	}{{"2", screenPKCE}, {"3", screenFlow}, {"4", screenCheck}, {"1", screenContext}} {
		h.keys(d.key)
		if h.m.active != d.want {
			t.Fatalf("%s outside a text field: screen %d, want %d", d.key, h.m.active, d.want)
		}
		if h.m.inText() {
			h.send(keyMsg("esc"))
		}
	}
	if cmd := h.send(keyMsg("q")); cmd == nil || !isQuit(cmd) {
		t.Fatal("q on a panel does not quit")
	}
}

func isQuit(cmd tea.Cmd) bool {
	m, ok := runQuick(cmd)
	_, quit := m.(tea.QuitMsg)
	return ok && quit
}

func TestScreenSwitching(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	h.keys("f2")
	h.must("[2 PKCE]", "verifier")
	h.keys("alt+1")
	h.must("[1 App Context]")
	h.keys("alt+2")
	h.must("[2 PKCE]")
}

func TestPKCEScreen(t *testing.T) {
	h := newHarness(t, Options{Screen: "pkce", Verifier: forumVerifier}, 120, 40)
	h.must("✓ 43 characters, valid per RFC 7636", "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg")
	h.keys("shift+tab") // a verifier given: the methods have focus; back to the challenge field
	h.send(tea.PasteMsg{Content: "YWRmMTUyNGZkODZlMDFiMTI4ZTQ1M2Y0NzExYWNkNWJjZDc2NWU2ZTRjMDYxMWVjYmJiZmZhMmNkYzRhOWYyOA=="})
	h.must("✓ made from this verifier by zoom-legacy", "✓ matches", "✗ differs")
	h.keys("tab", "j")
	h.press("c")
	if len(h.copied) != 1 || h.copied[0] != "YWRmMTUyNGZkODZlMDFiMTI4ZTQ1M2Y0NzExYWNkNWJjZDc2NWU2ZTRjMDYxMWVjYmJiZmZhMmNkYzRhOWYyOA==" {
		t.Fatalf("copied %q", h.copied)
	}
	h.keys("ctrl+g")
	if v := h.m.pkce.verifier.Value(); v == forumVerifier || len(v) != 43 {
		t.Fatalf("ctrl+g gave %q", v)
	}
	h.keys("+", "+")
	if v := h.m.pkce.verifier.Value(); len(v) != 45 {
		t.Fatalf("+ twice gave a %d-character verifier", len(v))
	}
	h.m.pkce.verifier.SetValue("bad+verifier")
	h.m.pkce.compute()
	h.must("✗ verifier is 12 characters: RFC 7636 requires 43-128 (+1 more)", "✗ '+' at position 3 is not allowed")
}

func TestHostilePayloadEscaped(t *testing.T) {
	f := load(t)
	h := newHarness(t, Options{Token: f.Get("terminal-escapes").Token, Secrets: devSecret(f)}, 120, 80)
	h.keys("tab", "tab", "tab", "tab", "tab") // payload panel
	content := h.m.View().Content
	stripped := ansi.Strip(content)
	for _, bad := range []string{"\x1b]", "\x07", "\u009b", "\x1b[2J"} {
		if strings.Contains(stripped, bad) {
			t.Fatalf("%q from the token reaches the terminal", bad)
		}
	}
	h.must(`\u009b31mred`, `\u001b]52;c;cHduZWQ=\u0007`)
}

func TestBackgroundColorRebuildsStyles(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	dark := h.m.styles.Context.OK.GetForeground()
	h.send(tea.BackgroundColorMsg{Color: colorWhite{}})
	if h.m.styles.Context.OK.GetForeground() == dark {
		t.Fatal("a light background did not change the styles")
	}
}

type colorWhite struct{}

func (colorWhite) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

// BenchmarkKeystroke measures one keystroke in the token field: Update and View at 120×40 with a
// 370-character token, the work done between a key press and the next frame.
func BenchmarkKeystroke(b *testing.B) {
	f, _ := fixtures.Load()
	tok := f.Get("valid").Token
	tok += strings.Repeat("A", 370-len(tok))
	m, _ := New(Options{Token: tok, Secrets: devSecret(f), Now: func() time.Time { return fixtureNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(m.context.deriveCmd()())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := keyMsg("A")
		if i%2 == 1 {
			k = tea.KeyPressMsg{Code: tea.KeyBackspace}
		}
		m.Update(k)
		_ = m.View()
	}
}

// TestBackendSnippet picks a language in the backend panel and copies its proven program.
func TestBackendSnippet(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	h.keys("tab", "tab", "tab") // from the layout panel to the backend panel
	h.must("YOUR BACKEND", "[python]", "zoom_app_context.py, run by zoomdbg's tests")
	h.keys("l", "l")
	h.must("[webcrypto]", "zoom-app-context.mjs, run by")
	h.keys("h", "h", "h")
	h.must("[ruby]")
	h.press("c")
	h.must("the ruby snippet (zoom_app_context.rb) sent via OSC 52")
	ruby, _ := snippet.Lookup("ruby")
	if len(h.copied) != 1 || h.copied[0] != ruby.Source(snippet.AppContext) {
		t.Fatalf("copied %d values; want the ruby program", len(h.copied))
	}
}

// TestCheckScreen runs a check from the Check screen against a backend that accepts every
// context it is given (and refuses a request without one, so refusals have a status to learn
// from): the rows fill in, the verdict counts the findings, and c copies a row's curl.
func TestCheckScreen(t *testing.T) {
	f := load(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Zoom-App-Context") == "" {
			http.Error(w, "no context", http.StatusUnauthorized)
			return
		}
		for _, h := range []string{"Strict-Transport-Security: max-age=600", "X-Content-Type-Options: nosniff",
			"Content-Security-Policy: default-src 'self'", "Referrer-Policy: same-origin", "Content-Type: text/html"} {
			k, v, _ := strings.Cut(h, ": ")
			w.Header().Set(k, v)
		}
		io.WriteString(w, "<p>welcome</p>")
	}))
	defer srv.Close()
	h := newHarness(t, Options{Secrets: devSecret(f), Screen: "check", Check: CheckSettings{URL: srv.URL + "/"}}, 100, 30)
	h.must("[4 Check]", "home URL", srv.URL, "r runs zoomdbg check")
	h.drainCheck(h.send(keyMsg("r")))
	h.must("✗ FAIL: 6 critical, 1 serious, 1 warning, 1 note", "✓ home URL", "✗ must reject tag cut to 4 bytes", "CRITICAL")
	// The most serious finding is selected when the check ends: its reason and curl are on screen.
	h.must("▸ ✗ must reject another app's secret", "sealed with a different secret: accepting it means the tag is not checked")
	h.press("c")
	if len(h.copied) != 1 || !strings.HasPrefix(h.copied[0], "curl -sS -i -H 'User-Agent: Mozilla/5.0 ZoomWebKit") ||
		!strings.Contains(h.copied[0], "X-Zoom-App-Context: ") {
		t.Fatalf("copied %q", h.copied)
	}
	h.must("curl for another app's secret")
}

// drainCheck carries out a check's commands until it reports done, feeding events to the model.
func (h *harness) drainCheck(cmd tea.Cmd) {
	h.t.Helper()
	queue := []tea.Cmd{cmd}
	deadline := time.After(20 * time.Second)
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		got := make(chan tea.Msg, 1)
		go func() { got <- c() }()
		var msg tea.Msg
		select {
		case msg = <-got:
		case <-deadline:
			h.t.Fatal("the check did not finish")
		}
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case checkEventMsg:
			queue = append(queue, h.send(msg))
		case checkDoneMsg:
			h.send(msg)
			return
		}
	}
}

// TestPastedErrorExplained: Node's error pasted into the token field is named, with its causes.
func TestPastedErrorExplained(t *testing.T) {
	h := newHarness(t, Options{}, 100, 40)
	h.send(tea.PasteMsg{Content: "Error: Unsupported state or unable to authenticate data"})
	h.must(`✗ not a token: Node.js (crypto)'s error "Unsupported state or unable to authenticate data"`)
	h.keys("shift+tab")
	h.must("1. the key is not SHA-256 of the client secret")
}

// TestDemoGallery: the demo opens on a context sealed at start, counting down; ctrl+o steps
// through the broken examples, each with its diagnosis in the verdict; the DEMO badge shows only
// while an example is on screen.
func TestDemoGallery(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	h.must("DEMO", "demo 1/", "✓ tag verified", "expires in 2m00s")
	now := fixtureNow.Add(30 * time.Second)
	h.m.context.now = func() time.Time { return now }
	h.send(clockMsg{})
	h.must("expires in 1m30s")

	want := map[string]string{
		"getAppContext":        `repair  taken from the field "context"`,
		"HKDF":                 `✗ tag mismatch: it opens only with hkdf-sha256 of secret "demo"`,
		"production secret":    "most likely: the secret is not the one that sealed this token",
		"'+' turned":           "restored",
		"cut short":            "✗ malformed (truncated): ciphertext at byte 19",
		"4-byte tag":           "✗ malformed (short_tag): tag at byte 233: 4 bytes follow the ciphertext: the GCM tag is 16",
		"sealed ten minutes":   "expired",
		"a valid context, sea": "✓ tag verified",
	}
	seen := 0
	for i := 0; i < len(h.m.context.gallery); i++ {
		h.keys("ctrl+o")
		v := ansi.Strip(h.screen())
		for title, verdict := range want {
			if strings.Contains(v, title) {
				seen++
				if !strings.Contains(v, verdict) {
					t.Errorf("example %q: no %q in\n%s", title, verdict, v)
				}
			}
		}
	}
	if seen < len(want)-1 { // the '+' example needs a token with '+', which the fixed test IV may not give
		t.Errorf("saw %d of the %d examples", seen, len(want))
	}
	// Back at the first example five minutes on, it is sealed again: valid, as its title says.
	now = now.Add(5 * time.Minute)
	for h.m.context.example != len(h.m.context.gallery)-1 {
		h.keys("ctrl+o")
	}
	h.keys("ctrl+o")
	h.must("demo 1/", "✓ tag verified", "expires in 2m00s")
	h.keys("shift+tab", "shift+tab", "x") // edited: no longer the demo's token
	if v := ansi.Strip(h.screen()); strings.Contains(v, "DEMO") || strings.Contains(v, "demo 1/") {
		t.Errorf("DEMO badge on an edited token:\n%s", v)
	}
}

// TestGoldenPalettes records the demo at 80×24 in colour, as a terminal with a light and with a
// dark background reports it: the palette follows the background.
func TestGoldenPalettes(t *testing.T) {
	for _, bg := range []struct {
		name string
		c    color.Color
	}{{"light", color.White}, {"dark", color.Black}} {
		t.Run(bg.name, func(t *testing.T) {
			h := newHarness(t, Options{Demo: true}, 80, 24)
			h.send(tea.BackgroundColorMsg{Color: bg.c})
			if h.m.styles.Dark != (bg.name == "dark") {
				t.Fatalf("background %s: palette dark=%v", bg.name, h.m.styles.Dark)
			}
			var b bytes.Buffer
			w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.TrueColor}
			w.WriteString(h.m.View().Content)
			golden.RequireEqual(t, b.String())
		})
	}
}

// TestResizeKeepsCursorText: through a run of resizes the token field shows the text around the
// cursor and the screen keeps its exact height, with no line left over from the size before.
func TestResizeKeepsCursorText(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	h := newHarness(t, Options{Token: tok, Secrets: devSecret(f)}, 200, 60)
	for _, size := range [][2]int{{80, 24}, {120, 30}, {81, 25}, {200, 60}, {80, 24}, {100, 40}, {80, 24}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := ansi.Strip(h.screen())
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Fatalf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		field := strings.Join([]string{lines[1][8:], lines[2][8:]}, "")
		// The token wraps to more than two rows at every size here: both rows must hold text.
		if strings.TrimSpace(lines[2][8:]) == "" {
			t.Errorf("%dx%d: the token field's second row is blank:\n%s\n%s", size[0], size[1], lines[1], lines[2])
		}
		if !strings.Contains(strings.ReplaceAll(field, " ", ""), tok[len(tok)-24:]) {
			t.Errorf("%dx%d: the token field does not show the text before the cursor (the token's end):\n%s\n%s",
				size[0], size[1], lines[1], lines[2])
		}
	}
}

// TestPKCETable: the methods read as a table, the same step on the same row; at 80×24 S256 and
// zoom-legacy stand side by side, the digest is whole from 80 columns up, and a pasted
// challenge's shape is wrapped, never cut.
func TestPKCETable(t *testing.T) {
	const digest = "adf1524fd86e01b128e453f4711acd5bcd765e6e4c0611ecbbbffa2cdc4a9f28"
	for _, w := range []int{80, 100, 140, 200} {
		h := newHarness(t, Options{Screen: "pkce", Verifier: forumVerifier}, w, 24)
		h.keys("shift+tab")
		// S256 of another verifier: no method matches, so the screen says what its shape is.
		h.send(tea.PasteMsg{Content: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"})
		v := ansi.Strip(h.screen())
		lines := strings.Split(v, "\n")
		row := func(prefix string) string {
			for _, l := range lines {
				if strings.HasPrefix(l, prefix) {
					return l
				}
			}
			return ""
		}
		if r := row("          S256"); !strings.Contains(r, "zoom-legacy") {
			t.Errorf("width %d: S256 and zoom-legacy are not side by side:\n%s", w, v)
		}
		for _, step := range []string{"encodes", "encoding", "challenge ", "length", "grammar", "pasted"} {
			if row(step) == "" {
				t.Errorf("width %d: no %q row:\n%s", w, step, v)
			}
		}
		if !strings.Contains(v, digest) {
			t.Errorf("width %d: the digest is broken:\n%s", w, v)
		}
		if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "decodes to a 32-byte digest: the shape of S256") {
			t.Errorf("width %d: the challenge's shape is cut:\n%s", w, v)
		}
		if w >= 100 && !strings.Contains(v, "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg") {
			t.Errorf("width %d: S256's challenge is broken:\n%s", w, v)
		}
	}
}

// TestWarningsShownInside: warnings about how the secret was given are on screen, whole at 80
// columns, until a key is pressed; the sensitive-copy question keeps its key name at 80 columns.
func TestWarningsShownInside(t *testing.T) {
	warn := "--secret puts the client secret in your shell history and the process list; prefer --secret-file or ZOOM_CLIENT_SECRET"
	h := newHarness(t, Options{Demo: true, Warnings: []string{warn}}, 80, 24)
	flat := strings.Join(strings.Fields(ansi.Strip(h.screen())), " ")
	if !strings.Contains(flat, "warning: "+warn) {
		t.Fatalf("warning not shown whole:\n%s", h.screen())
	}
	if n := len(strings.Split(h.m.View().Content, "\n")); n != 24 {
		t.Fatalf("%d lines with a wrapped warning", n)
	}
	h.keys("esc")
	if strings.Contains(ansi.Strip(h.screen()), "warning:") {
		t.Error("the warning stays after a key")
	}
	h.keys("tab") // from the layout panel, where esc left the focus, to key derivation
	h.keys("c")
	flat = strings.Join(strings.Fields(ansi.Strip(h.screen())), " ")
	if !strings.Contains(flat, `copy the sha256 key of "demo"? it is secret key material. y to copy`) {
		t.Errorf("the copy question is cut at 80 columns:\n%s", h.screen())
	}
}

// TestNothingCutAt80: what tells the user what to do next is whole at 80 columns.
func TestNothingCutAt80(t *testing.T) {
	h := newHarness(t, Options{}, 80, 24)
	h.must("client secret (or set ZOOM_CLIENT_SECRET)")
	h = newHarness(t, Options{Screen: "check"}, 80, 24)
	flat := strings.Join(strings.Fields(ansi.Strip(h.screen())), " ")
	for _, want := range []string{"none: type the app's development secret on screen 1, or start with --secret-file",
		"r runs zoomdbg check: the home URL as the Zoom client fetches it, then a battery of contexts"} {
		if !strings.Contains(flat, want) {
			t.Errorf("cut: %q\n%s", want, h.screen())
		}
	}
}

func TestWrapWords(t *testing.T) {
	v := "code=SEDk5z-Wy8eyrCT95q3zQx34kzX1Gxhn&code_verifier=CVJ90uYkS8pwKxC1HXakuBu9j8SJguse3dSO"
	lines := wrapWords("body "+v, 30)
	if strings.Join(lines[1:], "") != v || lines[0] != "body" {
		t.Errorf("%q", lines)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 30 {
			t.Errorf("%q is wider than 30", l)
		}
	}
	if got := wrapWords("a few short words here", 10); strings.Join(got, "|") != "a few|short|words here" {
		t.Errorf("%q", got)
	}
	// Never after a '-': "A-Z" and "hkdf-sha256" stay whole. Line breaks are kept.
	if got := wrapWords("not allowed: only A-Z a-z\nopens with hkdf-sha256", 20); strings.Join(got, "|") != "not allowed: only|A-Z a-z|opens with|hkdf-sha256" {
		t.Errorf("%q", got)
	}
}

// TestResizeSweep: every screen, taken through a run of resizes (growing and shrinking) in one
// program, keeps every line within the width and exactly the height, with no line left over.
func TestResizeSweep(t *testing.T) {
	f := load(t)
	opts := []Options{
		{Demo: true},
		{Token: f.Get("valid-mangled-paste").Token, Secrets: devSecret(f)},
		{Screen: "pkce", Verifier: forumVerifier},
		{Screen: "flow"},
		{Screen: "check", Check: CheckSettings{URL: "http://127.0.0.1:1/"}},
	}
	sizes := [][2]int{{200, 60}, {80, 24}, {120, 30}, {81, 25}, {160, 50}, {80, 24}, {100, 40}, {93, 27}, {80, 24}}
	for i, o := range opts {
		h := newHarness(t, o, 120, 40)
		for _, size := range sizes {
			h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			h.keys("tab")
			lines := strings.Split(h.m.View().Content, "\n")
			if len(lines) != size[1] {
				t.Errorf("opt %d after resizing to %dx%d: %d lines", i, size[0], size[1], len(lines))
			}
			for n, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("opt %d at %dx%d: line %d is %d wide: %q", i, size[0], size[1], n, w, ansi.Strip(l))
				}
			}
		}
	}
}

// TestGoldenVerdicts records the App Context screen's top lines (the verdict and what was read)
// for each kind of answer at 80 columns: the most likely cause on the verdict's own lines, ✓ only
// for a context that is entirely right, ⚠ for one that opens but is expired or for another app.
func TestGoldenVerdicts(t *testing.T) {
	f := load(t)
	var out strings.Builder
	record := func(name string, h *harness) {
		cs := h.m.context.styles.Context
		fmt.Fprintf(&out, "== %s\n%s\n\n", name, ansi.Strip(strings.Join(h.m.context.headLines(cs), "\n")))
	}
	for _, name := range []string{"valid", "wrong-secret", "hkdf-key", "truncated", "guest", "non-json", "bad-char"} {
		record(name, newHarness(t, Options{Token: f.Get(name).Token, Secrets: devSecret(f), ClientID: f.ClientID}, 80, 24))
	}
	h := newHarness(t, Options{Token: f.Get("valid").Token, Secrets: devSecret(f), ClientID: "anotherAppsClientId01"}, 80, 24)
	record("valid, for another app", h)
	h = newHarness(t, Options{Token: f.Get("valid").Token, Secrets: devSecret(f), ClientID: f.ClientID}, 80, 24)
	h.m.context.now = func() time.Time { return fixtureNow.Add(10 * time.Minute) }
	h.send(clockMsg{})
	record("valid, ten minutes later", h)
	h = newHarness(t, Options{Token: f.Get("valid").Token, Secrets: devSecret(f), ClientID: f.ClientID}, 80, 24)
	h.keys("shift+tab", "shift+tab", "end", "backspace", "A") // the last character edited
	record("valid, a character edited with the right secret loaded", h)
	golden.RequireEqual(t, []byte(out.String()))
}

// TestHelpOverlayFitsEveryScreen opens the full help on each screen at 80×24: the screen's own
// groups are titled, none twice, and the shared keys (ctrl+c quit among them) are on screen, not
// cut off below the overlay's height.
func TestHelpOverlayFitsEveryScreen(t *testing.T) {
	for i, name := range screenNames {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, Options{}, 80, 24)
			h.keys("esc", string(rune('1'+i)), "f1")
			if !h.m.showHelp || h.m.active != screen(i) {
				t.Fatalf("help %v on screen %d, want the help of screen %d", h.m.showHelp, h.m.active, i)
			}
			s := ansi.Strip(h.screen())
			for _, want := range []string{"keys on " + name, "everywhere", "ctrl+c  quit", "1-5     screens"} {
				if !strings.Contains(s, want) {
					t.Errorf("help lacks %q:\n%s", want, s)
				}
			}
			if n := strings.Count(s, "this screen"); n > 0 {
				t.Errorf("%d untitled groups (\"this screen\"):\n%s", n, s)
			}
		})
	}
}

// TestScreenKeysNeverTypeIntoFields: flipping through the screens with the digit keys opens each
// outside its text fields, so the next digit switches again instead of landing in Check's URL or
// Webhook's delivery; a paste still reaches the field.
func TestScreenKeysNeverTypeIntoFields(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	for _, k := range []string{"2", "3", "4", "5", "1", "4"} {
		h.keys(k)
	}
	if h.m.active != screenCheck || h.m.check.url.Value() != "" {
		t.Fatalf("on screen %d with the URL %q: a digit typed into a field", h.m.active, h.m.check.url.Value())
	}
	h.must("tab to type your app's home URL")
	h.send(tea.PasteMsg{Content: "http://localhost:3000/home?x=1"})
	if got := h.m.check.url.Value(); got != "http://localhost:3000/home?x=1" {
		t.Fatalf("the paste reached %q", got)
	}
	h.keys("esc", "5")
	if h.m.active != screenWebhook || h.m.webhook.inText() {
		t.Fatalf("5 from Check's rows: screen %d, in a field %v", h.m.active, h.m.webhook.inText())
	}
}
