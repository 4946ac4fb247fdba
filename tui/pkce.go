package tui

import (
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

type pkceFocus int

const (
	focusVerifier pkceFocus = iota
	focusChallenge
	focusMethods
	pkceFocusCount
)

type pkceKeyMap struct {
	Next, Prev, Leave, Generate, Longer, Shorter, Up, Down, Copy, CopyVerifier key.Binding
	inText                                                                     bool
}

func defaultPKCEKeyMap() pkceKeyMap {
	return pkceKeyMap{
		Next:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		Prev:         key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev")),
		Leave:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
		Generate:     key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "new verifier")),
		Longer:       key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "length")),
		Shorter:      key.NewBinding(key.WithKeys("-")),
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("j/k", "select")),
		Down:         key.NewBinding(key.WithKeys("j", "down")),
		Copy:         key.NewBinding(key.WithKeys("c", "y"), key.WithHelp("c", "copy challenge")),
		CopyVerifier: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "copy verifier")),
	}
}

// ShortHelp shows the keys that act right now.
func (k pkceKeyMap) ShortHelp() []key.Binding {
	if k.inText {
		return []key.Binding{k.Leave, k.Next, k.Generate}
	}
	return []key.Binding{k.Next, k.Up, k.Copy, k.CopyVerifier, k.Generate, k.Longer}
}

// FullHelp is the screen's groups, as bubbles' help.KeyMap has them.
func (k pkceKeyMap) FullHelp() [][]key.Binding { return fullHelpOf(k.groups()) }

// groups lists the screen's own keys for the help overlay.
func (k pkceKeyMap) groups() []helpGroup {
	return []helpGroup{
		{"fields and panels", []key.Binding{k.Next, k.Prev, k.Leave}},
		{"pkce", []key.Binding{k.Up, k.Copy, k.CopyVerifier, k.Generate, k.Longer}},
	}
}

// pkceScreen compares every challenge method for one verifier, and matches a pasted challenge.
type pkceScreen struct {
	styles    *Styles
	keymap    pkceKeyMap
	verifier  textinput.Model
	challenge textinput.Model
	rand      io.Reader
	genLen    int

	focus  pkceFocus
	sel    int
	scroll int
	filter string // the / search

	// Derived from the fields on every change.
	problems   []pkce.Problem
	challenges []pkce.Challenge
	match      []pkce.Method
	shape      pkce.Shape

	width, height int
}

func newPKCEScreen(verifier string, styles *Styles, rand io.Reader) *pkceScreen {
	vi := textinput.New()
	vi.Prompt = ""
	vi.Placeholder = "code verifier"
	ci := textinput.New()
	ci.Prompt = ""
	ci.Placeholder = "paste a challenge from a log or an error, to see which method made it"
	s := &pkceScreen{styles: styles, keymap: defaultPKCEKeyMap(), verifier: vi, challenge: ci, rand: rand,
		genLen: pkce.DefaultVerifierLen}
	given := verifier != ""
	if !given {
		verifier, _ = pkce.Generate(s.genLen, rand)
	}
	s.verifier.SetValue(verifier)
	s.compute()
	s.setFocus(focusVerifier)
	if given {
		s.setFocus(focusMethods) // a verifier to read: the panels have the keys
	}
	return s
}

func (s *pkceScreen) compute() {
	v := s.verifier.Value()
	s.problems = pkce.Validate(v)
	s.challenges = pkce.ComputeAll(v)
	s.match, s.shape = nil, pkce.Shape{}
	if c := strings.TrimSpace(s.challenge.Value()); c != "" {
		s.match = pkce.Match(v, c)
		s.shape = pkce.Identify(c)
	}
}

// SetSize lays the screen out for w×h cells.
func (s *pkceScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.verifier.SetWidth(w - 12)
	s.challenge.SetWidth(w - 12)
}

// Update handles a message and returns a command and an intent for the root.
func (s *pkceScreen) Update(msg tea.Msg) (tea.Cmd, intent) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return s.updateKey(k)
	}
	return s.updateText(msg), nil
}

func (s *pkceScreen) updateKey(msg tea.KeyPressMsg) (tea.Cmd, intent) {
	k := s.keymap
	switch {
	case key.Matches(msg, k.Next):
		return s.setFocus((s.focus + 1) % pkceFocusCount), nil
	case key.Matches(msg, k.Prev):
		return s.setFocus((s.focus + pkceFocusCount - 1) % pkceFocusCount), nil
	case key.Matches(msg, k.Generate):
		s.generate()
	case s.inText() && (key.Matches(msg, k.Leave) || msg.String() == "enter"):
		return s.setFocus(focusMethods), nil
	case s.inText():
		return s.updateText(msg), nil
	case key.Matches(msg, k.Longer):
		s.genLen = min(s.genLen+1, pkce.MaxVerifierLen)
		s.generate()
	case key.Matches(msg, k.Shorter):
		s.genLen = max(s.genLen-1, pkce.MinVerifierLen)
		s.generate()
	case key.Matches(msg, k.Up):
		s.selectMethod(-1)
	case key.Matches(msg, k.Down):
		s.selectMethod(1)
	case key.Matches(msg, k.Copy):
		c := s.challenges[s.sel]
		return nil, copyIntent{what: string(c.Method) + " challenge", value: c.Value}
	case key.Matches(msg, k.CopyVerifier):
		return nil, copyIntent{what: "verifier", value: s.verifier.Value()}
	}
	return nil, nil
}

func (s *pkceScreen) generate() {
	if v, err := pkce.Generate(s.genLen, s.rand); err == nil {
		s.verifier.SetValue(v)
		s.compute()
	}
}

func (s *pkceScreen) inText() bool { return s.focus != focusMethods }

func (s *pkceScreen) helpKeys() help.KeyMap { return s.keymap }

func (s *pkceScreen) updateText(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	v, c := s.verifier.Value(), s.challenge.Value()
	switch s.focus {
	case focusVerifier:
		s.verifier, cmd = s.verifier.Update(msg)
	case focusChallenge:
		s.challenge, cmd = s.challenge.Update(msg)
	}
	if v != s.verifier.Value() || c != s.challenge.Value() {
		s.compute()
	}
	return cmd
}

func (s *pkceScreen) setFocus(f pkceFocus) tea.Cmd {
	s.focus = f
	s.keymap.inText = s.inText()
	s.verifier.Blur()
	s.challenge.Blur()
	switch f {
	case focusVerifier:
		return s.verifier.Focus()
	case focusChallenge:
		return s.challenge.Focus()
	}
	return nil
}

func (s *pkceScreen) bodyHeight() int { return max(s.height-len(s.head()), 1) }

// head is the verifier and challenge fields with their verdicts, wrapped, never cut: the
// challenge's shape ("decodes to a 32-byte digest: the shape of S256") is what it is for.
func (s *pkceScreen) head() []string {
	ps := s.styles.PKCE
	label := func(name string, focused bool) string {
		if focused {
			return s.styles.Context.SectionFocused.Render(name)
		}
		return ps.Label.Render(name)
	}
	indent := func(text string) []string {
		var out []string
		for _, l := range wrapWords(text, max(s.width-10, 1)) {
			out = append(out, "          "+l)
		}
		return out
	}
	head := []string{label("verifier  ", s.focus == focusVerifier) + s.verifier.View()}
	head = append(head, indent(s.verifierVerdict())...)
	head = append(head, label("challenge ", s.focus == focusChallenge)+s.challenge.View())
	return append(head, indent(s.matchVerdict())...)
}

// View draws the screen in exactly s.height lines of at most s.width cells.
func (s *pkceScreen) View() string {
	ps := s.styles.PKCE
	head := s.head()
	lines, _ := s.columns()
	if len(s.problems) > 1 {
		problems := []string{"", ps.Bad.Render("verifier problems, each with its position:")}
		for _, p := range s.problems {
			problems = append(problems, ps.Bad.Render("  ✗ "+termsafe.Escape(p.Message)))
		}
		lines = append(problems, lines...)
	}
	body := scrolled(*s.styles, filterLines(lines, s.filter), &s.scroll, s.bodyHeight())
	for len(body) < s.bodyHeight() {
		body = append(body, "")
	}
	return fit(strings.Join(append(head, body...), "\n"), s.width)
}

func (s *pkceScreen) verifierVerdict() string {
	ps := s.styles.PKCE
	n := len([]rune(s.verifier.Value()))
	if len(s.problems) == 0 {
		return ps.OK.Render(fmt.Sprintf("✓ %d characters, valid per RFC 7636 §4.1", n))
	}
	msg := termsafe.Escape(s.problems[0].Message)
	if len(s.problems) > 1 {
		msg += fmt.Sprintf(" (+%d more)", len(s.problems)-1)
	}
	return ps.Bad.Render("✗ " + msg)
}

func (s *pkceScreen) matchVerdict() string {
	ps := s.styles.PKCE
	switch {
	case strings.TrimSpace(s.challenge.Value()) == "":
		return ps.Dim.Render("no challenge pasted")
	case len(s.match) > 0:
		return ps.OK.Render("✓ made from this verifier by " + pkce.Join(s.match))
	}
	return ps.Bad.Render("✗ no method makes it from this verifier · " + termsafe.Escape(s.shape.Summary))
}

// pkceLabelWidth is the width of the table's step names; minColumn the narrowest a method's
// column gets: at 80 columns S256 and zoom-legacy stand side by side.
const (
	pkceLabelWidth = 10
	minColumn      = 30
	// wideColumn holds S256's 43-character challenge on one line: columns widen to it when the
	// terminal allows.
	wideColumn = 46
)

// columns lays the methods out as tables: one row per step, one column per method, as many
// methods to a table as the width holds (RFC 7636's S256 and Zoom's legacy method first, so they
// are compared at any width). The digest, the same for every hashing method, is shown once, whole,
// above them. starts[i] is the line where method i's table begins.
func (s *pkceScreen) columns() (lines []string, starts []int) {
	ps := s.styles.PKCE
	if d := s.challenges[0].Digest; d != "" {
		lines = append(lines, "")
		lines = append(lines, wrapWords(ps.Label.Render("SHA-256(verifier), hex, used by every method but plain"), s.width)...)
		for _, l := range wrapPlain(d, max(s.width-2, 1)) {
			lines = append(lines, "  "+ps.Value.Render(l))
		}
	}
	perTable := clamp((s.width-pkceLabelWidth)/wideColumn, 2, len(s.challenges))
	if (s.width-pkceLabelWidth)/perTable < minColumn {
		perTable = 1
	}
	colW := (s.width - pkceLabelWidth) / perTable
	for i := 0; i < len(s.challenges); i += perTable {
		cs := s.challenges[i:min(i+perTable, len(s.challenges))]
		for range cs {
			starts = append(starts, len(lines))
		}
		lines = append(lines, "")
		lines = append(lines, s.table(i, cs, colW)...)
	}
	return lines, starts
}

// table draws the methods cs (the first of which is method first) side by side.
func (s *pkceScreen) table(first int, cs []pkce.Challenge, colW int) []string {
	ps := s.styles.PKCE
	var out []string
	row := func(label string, cells []string) {
		out = append(out, tableRow(label, pkceLabelWidth, colW, ps.Label, cells)...)
	}
	each := func(f func(j int, c pkce.Challenge) string) []string {
		cells := make([]string, len(cs))
		for j, c := range cs {
			cells[j] = f(first+j, c)
		}
		return cells
	}
	row("", each(func(j int, c pkce.Challenge) string {
		if j == s.sel && s.focus == focusMethods {
			return ps.MethodSelected.Render("▸ " + string(c.Method))
		}
		return ps.Method.Render(string(c.Method))
	}))
	row("", each(func(_ int, c pkce.Challenge) string { return ps.Dim.Render(origin(c.Method)) }))
	row("encodes", each(func(_ int, c pkce.Challenge) string { return c.Encodes }))
	row("encoding", each(func(_ int, c pkce.Challenge) string { return c.Encoding }))
	row("challenge", each(func(_ int, c pkce.Challenge) string {
		return ps.Value.Render(termsafe.Escape(c.Value)) // one word: cut by characters where it must
	}))
	row("length", each(func(_ int, c pkce.Challenge) string { return fmt.Sprintf("%d characters", len(c.Value)) }))
	row("grammar", each(func(_ int, c pkce.Challenge) string {
		if c.Valid() {
			return ps.OK.Render("✓ meets RFC 7636's")
		}
		return ps.Bad.Render("✗ " + termsafe.Escape(c.Problems[0].Message))
	}))
	if strings.TrimSpace(s.challenge.Value()) != "" {
		row("pasted", each(func(_ int, c pkce.Challenge) string {
			for _, m := range s.match {
				if m == c.Method {
					return ps.OK.Render("✓ matches")
				}
			}
			return ps.Dim.Render("✗ differs")
		}))
	}
	return out
}

// origin says where a method comes from, in a few words.
func origin(m pkce.Method) string {
	switch m {
	case pkce.S256:
		return "RFC 7636: what servers expect"
	case pkce.ZoomLegacy:
		return "Zoom's old docs: base64 of hex"
	case pkce.Plain:
		return "RFC 7636 plain; zoomSdk.authorize"
	case pkce.S256Padded:
		return "S256 + \"=\", Zoom's forum script"
	case pkce.S256Std:
		return "standard base64: the C# mistake"
	}
	return string(m)
}

// selectMethod moves the selection and scrolls the method into view.
func (s *pkceScreen) selectMethod(d int) {
	s.sel = clamp(s.sel+d, 0, len(s.challenges)-1)
	_, starts := s.columns()
	s.scroll = starts[s.sel]
}

func (s *pkceScreen) textInputs() []*textinput.Model {
	return []*textinput.Model{&s.verifier, &s.challenge}
}

// bodyLines are the lines under the fields: the problems, then the methods' tables.
func (s *pkceScreen) bodyLines() []string {
	lines, _ := s.columns()
	return filterLines(lines, s.filter)
}

func (s *pkceScreen) scrollPanel(to scrollTo) {
	scrollBy(&s.scroll, to, s.bodyHeight()-1, len(s.bodyLines())+len(s.problems)+2)
}

func (s *pkceScreen) wheel(_, d int) {
	s.scrollPanel(map[int]scrollTo{-1: scrollLineUp, 1: scrollLineDown}[d])
}

func (s *pkceScreen) setFilter(q string) { s.filter, s.scroll = q, 0 }

// click focuses the field under the pointer, or the methods' tables.
func (s *pkceScreen) click(_, y int) tea.Cmd {
	head := s.head()
	challengeRow := 1 + len(wrapWords(s.verifierVerdict(), max(s.width-10, 1)))
	switch {
	case y < challengeRow:
		return s.setFocus(focusVerifier)
	case y < len(head):
		return s.setFocus(focusChallenge)
	}
	return s.setFocus(focusMethods)
}

// selection is the selected method whole: its challenge and how it is made.
func (s *pkceScreen) selection() (string, string) {
	c := s.challenges[s.sel]
	text := fmt.Sprintf("verifier   %s\nchallenge  %s\n\nmethod     %s (%s)\nencodes    %s\nencoding   %s\nlength     %d characters",
		s.verifier.Value(), c.Value, c.Method, origin(c.Method), c.Encodes, c.Encoding, len(c.Value))
	for _, p := range c.Problems {
		text += "\n✗ " + p.Message
	}
	return string(c.Method) + " challenge", text
}
