package tui

import (
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/check"
	"github.com/zoomdbg/zoomdbg/core/oauth"
)

func click(x, y int) tea.MouseClickMsg {
	return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}
}

func wheel(y int, down bool) tea.MouseWheelMsg {
	b := tea.MouseWheelUp
	if down {
		b = tea.MouseWheelDown
	}
	return tea.MouseWheelMsg{X: 10, Y: y, Button: b}
}

// lineOf returns the screen line holding s, or -1.
func (h *harness) lineOf(s string) int {
	for i, l := range strings.Split(ansi.Strip(h.screen()), "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

// TestMouse feeds clicks and wheel turns to Update: tabs switch screens, a click on a layout row
// selects that field, one on a field focuses it, the wheel scrolls the panel under the pointer,
// and ctrl+s gives the mouse back to the terminal for selecting text.
func TestMouse(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 80, 24)
	if h.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("mouse capture is off at start")
	}
	for _, tab := range []struct {
		label string
		want  screen
	}{{"2 PKCE", screenPKCE}, {"4 Check", screenCheck}, {"3 Flow", screenFlow}, {"1 App Context", screenContext}} {
		x := strings.Index(ansi.Strip(strings.Split(h.screen(), "\n")[0]), tab.label)
		h.send(click(x+1, 0))
		if h.m.active != tab.want {
			t.Fatalf("a click on %q: screen %d", tab.label, h.m.active)
		}
	}

	y := h.lineOf("  ciphertext ")
	h.send(click(5, y))
	if h.m.context.focus != focusFields || h.m.context.report.Token.Fields[h.m.context.selField].Name != "ciphertext" {
		t.Fatalf("a click on the ciphertext row selected field %d", h.m.context.selField)
	}
	h.send(click(20, 1))
	if h.m.context.focus != focusToken {
		t.Fatalf("a click on the token field: focus %d", h.m.context.focus)
	}
	h.send(click(20, 3))
	if h.m.context.focus != focusSecret {
		t.Fatalf("a click on the secret field: focus %d", h.m.context.focus)
	}

	h.send(wheel(12, true), wheel(12, true))
	if h.m.context.scroll != 6 {
		t.Fatalf("two wheel turns down scrolled to %d, want 6", h.m.context.scroll)
	}
	h.must("↕ lines 7-")
	h.send(wheel(12, false))
	if h.m.context.scroll != 3 {
		t.Fatalf("a wheel turn up scrolled to %d, want 3", h.m.context.scroll)
	}

	h.keys("esc", "ctrl+s")
	if h.m.View().MouseMode != tea.MouseModeNone {
		t.Fatal("ctrl+s did not release the mouse")
	}
	h.must("mouse off: the terminal selects text now")
	h.send(click(30, 0))
	if h.m.active != screenContext {
		t.Fatal("a click acted with the mouse off")
	}
	h.keys("ctrl+s")
	if h.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("ctrl+s again did not take the mouse back")
	}
}

// TestTooSmallIgnoresInput: while the "please enlarge" screen is up, keys, pastes and clicks do
// nothing; ctrl+c still quits.
func TestTooSmallIgnoresInput(t *testing.T) {
	h := newHarness(t, Options{}, 60, 20)
	h.keys("a", "b", "2")
	h.send(tea.PasteMsg{Content: "pasted"}, click(30, 0))
	if v := h.m.context.token.Value(); v != "" || h.m.active != screenContext {
		t.Fatalf("input acted on a too-small screen: token %q, screen %d", v, h.m.active)
	}
	if cmd := h.send(keyMsg("ctrl+c")); cmd == nil || !isQuit(cmd) {
		t.Fatal("ctrl+c does not quit on a too-small screen")
	}
}

// TestSearch: / opens a prompt; what is typed filters the screen's panels live; enter keeps the
// filter and names it on the status line; / then esc clears it.
func TestSearch(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 80, 24)
	h.keys("/", "m", "i", "d")
	if h.m.searching == nil {
		t.Fatal("/ did not open the search prompt")
	}
	h.keys("enter")
	h.must(`"mid": "oC9vs2aUQWaDxl7x3kQ7Mw=="`, `showing only lines with "mid"`)
	if h.lineOf("LAYOUT") >= 0 || h.lineOf("iv_length") >= 0 {
		t.Fatalf("lines without the text are still shown:\n%s", ansi.Strip(h.screen()))
	}
	h.keys("/", "esc")
	h.must("LAYOUT", "iv_length")

	// The help lists the search on every screen.
	h.keys("2", "esc", "?")
	h.must("search (outside fields)")
}

// TestPagerShowsCutRowWhole: enter on a panel shows the selection whole, wrapped, in a pager
// that scrolls and closes with esc.
func TestPagerShowsCutRowWhole(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 80, 24)
	h.keys("j", "j", "j", "j", "j") // the ciphertext row, its value cut at 80 columns
	h.must("… 214B")
	h.keys("enter")
	if h.m.expanded == nil {
		t.Fatal("enter did not open the pager")
	}
	h.must("ciphertext, offset 19, 214 bytes", "(whole; esc closes)")
	full := h.m.context.report.Token.Fields[5].Bytes
	if flat := strings.ReplaceAll(strings.ReplaceAll(ansi.Strip(h.screen()), "\n", ""), " ", ""); !strings.Contains(flat, hexString(full)) {
		t.Fatalf("the pager does not hold the whole value:\n%s", ansi.Strip(h.screen()))
	}
	h.keys("esc")
	if h.m.expanded != nil {
		t.Fatal("esc did not close the pager")
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestHelpAt80x24: on every screen, in a field and on the panels, the help bar keeps its help key
// and "ctrl+c quit", and the grouped help overlay shows every group whole within 80×24.
func TestHelpAt80x24(t *testing.T) {
	for _, name := range []string{"context", "pkce", "flow", "check"} {
		h := newHarness(t, Options{Demo: true, Screen: name}, 80, 24)
		for _, inText := range []bool{true, false} {
			if inText {
				h.send(click(20, 1)) // the screen's first field
			} else {
				h.keys("esc")
			}
			if h.m.inText() != inText {
				t.Fatalf("%s: in a field %v, want %v", name, h.m.inText(), inText)
			}
			lines := strings.Split(ansi.Strip(h.screen()), "\n")
			bar := lines[len(lines)-1]
			first := "? help"
			if inText {
				first = "F1 help"
			}
			if !strings.HasPrefix(bar, first) || !strings.HasSuffix(bar, "ctrl+c quit") {
				t.Errorf("%s (in a field: %v): help bar %q", name, inText, bar)
			}
			h.keys("f1")
			v := ansi.Strip(h.screen())
			for _, want := range []string{"everywhere", "move", "ctrl+c", "screens (outside fields)", "search (outside fields)", "show a row whole"} {
				if !strings.Contains(v, want) {
					t.Errorf("%s: the help overlay lacks %q:\n%s", name, want, v)
				}
			}
			for _, l := range strings.Split(v, "\n") {
				if ansi.StringWidth(l) > 80 {
					t.Errorf("%s: help line wider than 80: %q", name, l)
				}
			}
			h.keys("esc")
		}
	}
}

// TestConfigThemeAndState: a theme from the config holds whatever background the terminal
// reports; the screen, language and method the user leaves are what State returns for next time.
func TestConfigThemeAndState(t *testing.T) {
	h := newHarness(t, Options{Demo: true, Theme: "light", Language: "ruby", Screen: "flow"}, 80, 24)
	h.send(tea.BackgroundColorMsg{Color: colorBlack{}})
	if h.m.styles.Dark {
		t.Fatal("the terminal's dark background overrode the config's light theme")
	}
	st := h.m.State()
	if st.Screen != "flow" || st.Language != "ruby" || st.Method != "S256" {
		t.Fatalf("state %+v", st)
	}
	h.keys("m", "1")
	if st := h.m.State(); st.Screen != "context" || st.Method != "zoom-legacy" {
		t.Fatalf("state after m and 1: %+v", st)
	}
}

type colorBlack struct{}

func (colorBlack) RGBA() (r, g, b, a uint32) { return 0, 0, 0, 0xffff }

// TestClipboardNotices: an empty value is never copied (it would wipe the clipboard); a notice
// names the helper that took the value, or says why the system clipboard did not.
func TestClipboardNotices(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 100, 30)
	h.keys("j", "j", "j") // aad: empty in the demo's context
	h.send(keyMsg("c"))
	h.must("nothing copied: aad (hex) is empty")
	if len(h.copied) != 0 {
		t.Fatalf("an empty value was copied: %q", h.copied)
	}
	h.m.clipboard = func(string) (string, error) { return "xclip", nil }
	h.keys("k", "k")
	h.press("c")
	h.must("copied iv (hex) to the system clipboard (xclip), and sent via OSC 52 (your terminal must allow it)")
}

// TestPickHelper: the helper fits the session, and when none does the reason is the true one.
func TestPickHelper(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	installed := func(names ...string) func(string) (string, error) {
		return func(n string) (string, error) {
			for _, x := range names {
				if x == n {
					return "/usr/bin/" + n, nil
				}
			}
			return "", errors.New("not found")
		}
	}
	tests := []struct {
		name    string
		getenv  func(string) string
		look    func(string) (string, error)
		want    string
		wantErr string
	}{
		{"x11 with xclip", env("DISPLAY", ":0"), installed("xclip"), "xclip", ""},
		{"x11 with xsel", env("DISPLAY", ":0"), installed("xsel"), "xsel", ""},
		{"wayland", env("WAYLAND_DISPLAY", "wayland-0", "DISPLAY", ":0"), installed("xclip", "wl-copy"), "wl-copy", ""},
		{"xclip without a display", env(), installed("xclip"), "", "xclip is installed, but neither DISPLAY nor WAYLAND_DISPLAY is set"},
		{"nothing installed", env("DISPLAY", ":0"), installed(), "", "no clipboard helper (xclip, xsel or wl-copy) is installed"},
	}
	for _, tt := range tests {
		h, err := pickHelper(tt.getenv, tt.look)
		if h.name != tt.want || (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: %q, %v", tt.name, h.name, err)
		}
	}
}

// TestScrollNeverStartsOnMarks: wherever the panels are scrolled to, the first line shown is never
// the ^^^ under a token line that is not shown.
func TestScrollNeverStartsOnMarks(t *testing.T) {
	h := newHarness(t, Options{Demo: true}, 80, 24)
	for i := 0; i < 80; i++ {
		h.send(wheel(12, true))
		lines := strings.Split(ansi.Strip(h.screen()), "\n")
		if first := lines[h.m.context.bodyTop+1]; isMarks(first) {
			t.Fatalf("after %d wheel turns the panels start on %q", i+1, first)
		}
		h.keys("j") // move the selection, and so the marks, too
	}
}

// TestStaleResults: editing a Check setting marks the result on screen stale; Flow's i drops the
// previous run instead of showing its failed steps under the new flow.
func TestStaleResults(t *testing.T) {
	h := newHarness(t, Options{Screen: "check", Check: CheckSettings{URL: "http://127.0.0.1:9/"}}, 80, 24)
	h.m.check.report = &check.Report{Requests: 3, Diagnosis: &check.Diagnosis{Bug: "your backend derives the key with HKDF"}}
	h.must("✗ FAIL: your backend derives the key with HKDF")
	h.send(click(20, 1)) // the URL field
	h.keys("x")
	h.must("(3 requests) · stale: the")

	h = newHarness(t, Options{Screen: "flow"}, 80, 24)
	a, err := oauth.NewAttempt(oauth.Config{ClientID: "id", ClientSecret: []byte("s")}.WithDefaults(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := oauth.NewResult(a)
	r.Fail(oauth.StepToken, errors.New("invalid_client"))
	h.m.flow.result = r
	h.must("invalid_client")
	h.keys("i")
	if h.m.flow.result != nil || strings.Contains(ansi.Strip(h.screen()), "invalid_client") {
		t.Fatalf("i kept the previous run:\n%s", ansi.Strip(h.screen()))
	}
}

func TestSmallEdit(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"abcdef", "abcdef", false},
		{"abcdef", "abXdef", true},
		{"abcdef", "abcdefg", true},
		{"abcdef", "bcdef", true},
		{"abcdef", "abXYZWef", false},
		{"abcdefghij", "zyxwvutsrq", false},
	} {
		if got := smallEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("smallEdit(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

// TestQuestionMarkTypesInURLFields: a URL holds a '?': typed in Check's and Flow's fields it is
// text, not help.
func TestQuestionMarkTypesInURLFields(t *testing.T) {
	h := newHarness(t, Options{Screen: "check"}, 80, 24)
	for _, k := range "https://x/home?x=1" {
		h.keys(string(k))
	}
	if v := h.m.check.url.Value(); v != "https://x/home?x=1" || h.m.showHelp {
		t.Fatalf("check URL %q, help %v", v, h.m.showHelp)
	}
	h.keys("4", "esc", "3")
	h.send(click(20, 1)) // the Flow's server field
	for _, k := range "http://m?a" {
		h.keys(string(k))
	}
	if v := h.m.flow.server.Value(); v != "http://m?a" || h.m.showHelp {
		t.Fatalf("flow server %q, help %v", v, h.m.showHelp)
	}
}

// minimalScreen is the least a new screen (the webhook screen, say) needs to be a child: its own
// Update, View, SetSize, fields and key map, with the panel actions from noPanelActions.
type minimalScreen struct{ noPanelActions }

func (minimalScreen) textInputs() []*textinput.Model   { return nil }
func (minimalScreen) Update(tea.Msg) (tea.Cmd, intent) { return nil, nil }
func (minimalScreen) View() string                     { return "" }
func (minimalScreen) SetSize(w, h int)                 {}
func (minimalScreen) inText() bool                     { return false }
func (minimalScreen) helpKeys() help.KeyMap            { return defaultCheckKeyMap() }

func TestMinimalScreenIsAChild(t *testing.T) {
	var c child = minimalScreen{}
	if _, text := c.selection(); text != "" || len(screenGroups(defaultCheckKeyMap())) == 0 {
		t.Fatal("a minimal screen selects something, or a key map has no help groups")
	}
}

// TestOverlaysFitEveryWidth: the help overlay, the pager and the search prompt keep every line
// within the width and the frame within the height, on every screen, from 80 columns up.
func TestOverlaysFitEveryWidth(t *testing.T) {
	for _, name := range []string{"context", "pkce", "flow", "check"} {
		for w := 80; w <= 200; w += 17 {
			hgt := 24 + (w-80)/6
			h := newHarness(t, Options{Demo: true, Screen: name}, w, hgt)
			h.keys("esc")
			for _, step := range [][]string{{"?"}, {"esc", "enter"}, {"esc", "/", "a"}} {
				h.keys(step...)
				v := ansi.Strip(h.screen())
				lines := strings.Split(v, "\n")
				if len(lines) != hgt {
					t.Errorf("%s %dx%d after %v: %d lines", name, w, hgt, step, len(lines))
				}
				for _, l := range lines {
					if ansi.StringWidth(l) > w {
						t.Errorf("%s %dx%d after %v: line wider than the terminal: %q", name, w, hgt, step, l)
					}
				}
			}
			h.keys("esc")
		}
	}
}

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"}, {"abcd", 3, "ab…"}, {"ab", 3, "ab"}, {"日本語テキスト", 4, "日本語…"}, {"日本語", 3, "日本語"}, {"", 2, ""},
	} {
		if got := clip(tt.s, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestHelpNamesFKeys: the help overlay names F2-F5, the keys that switch screens from a text field
// where the terminal keeps alt+N, on every screen, in a field and out, whole and on screen at
// 80×24 with the shared keys below it. Swept from 60 to 200 columns (below 80 the terminal is
// said to be too small, and that says so within the width), every line fits; the overlay itself,
// drawn at each of those widths, fits and keeps F2-F5 whole.
func TestHelpNamesFKeys(t *testing.T) {
	const want = "alt+1-5 " + anyScreenHelp
	for i, name := range screenNames {
		for _, inText := range []bool{false, true} {
			h := newHarness(t, Options{Demo: true}, 80, 24)
			h.keys("esc", string(rune('1'+i)))
			if inText {
				h.keys("tab")
			}
			h.keys("f1")
			if !h.m.showHelp {
				t.Fatalf("%s: F1 did not open the help", name)
			}
			s := ansi.Strip(h.screen())
			for _, w := range []string{want, "ctrl+c  quit", "? / F1  help"} {
				if !strings.Contains(s, w) {
					t.Errorf("%s (in a field: %v): the help at 80×24 lacks %q:\n%s", name, inText, w, s)
				}
			}
			for w := 60; w <= 200; w += 4 {
				hgt := 24 + (w%7)*3
				h.send(tea.WindowSizeMsg{Width: w, Height: hgt})
				lines := strings.Split(ansi.Strip(h.screen()), "\n")
				if w >= minWidth && len(lines) != hgt {
					t.Errorf("%s %dx%d: %d lines", name, w, hgt, len(lines))
				}
				for _, l := range lines {
					if ansi.StringWidth(l) > w {
						t.Errorf("%s %dx%d: line wider than the terminal: %q", name, w, hgt, l)
					}
				}
				groups := append(screenGroups(h.m.screen().helpKeys()), h.m.keys.sharedGroups(inText)...)
				overlay := fullHelp(groups, w, h.m.help.Styles, "keys on "+name)
				for _, l := range overlay {
					if ansi.StringWidth(l) > w {
						t.Errorf("%s at %d: help line wider than the terminal: %q", name, w, l)
					}
				}
				if !strings.Contains(ansi.Strip(strings.Join(overlay, "\n")), want) {
					t.Errorf("%s at %d: the help lacks %q", name, w, want)
				}
			}
		}
	}
}
