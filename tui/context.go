package tui

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/scan"
	"github.com/zoomdbg/zoomdbg/core/snippet"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// contextFocus is what has the keyboard on the App Context screen, in tab order.
type contextFocus int

const (
	focusToken contextFocus = iota
	focusSecret
	focusFields
	focusKeys
	focusPayload
	focusBackend
	contextFocusCount
)

type contextKeyMap struct {
	Next, Prev, Leave, Clear, Reveal, Up, Down, Left, Right, Copy, Example key.Binding
	inText                                                                 bool
}

func defaultContextKeyMap() contextKeyMap {
	return contextKeyMap{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev")),
		Leave:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
		Clear:  key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear field")),
		Reveal: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal secret/keys")),
		Up:     key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("j/k", "select")),
		Down:   key.NewBinding(key.WithKeys("j", "down")),
		Left:   key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("h/l", "snippet language")),
		Right:  key.NewBinding(key.WithKeys("l", "right")),
		Copy:   key.NewBinding(key.WithKeys("c", "y"), key.WithHelp("c", "copy")),
		// ctrl+o: free in the text area and in terminals, so it works from the token field.
		Example: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "next demo example"), key.WithDisabled()),
	}
}

// ShortHelp shows the keys that act right now: text-editing keys in a field, panel keys on a panel.
func (k contextKeyMap) ShortHelp() []key.Binding {
	if k.inText {
		return []key.Binding{k.Leave, k.Next, k.Example, k.Clear, k.Reveal}
	}
	return []key.Binding{k.Next, k.Up, k.Copy, k.Example, k.Reveal}
}

// FullHelp is the screen's groups, as bubbles' help.KeyMap has them.
func (k contextKeyMap) FullHelp() [][]key.Binding { return fullHelpOf(k.groups()) }

// groups lists the screen's own keys for the help overlay.
func (k contextKeyMap) groups() []helpGroup {
	return []helpGroup{
		{"fields and panels", []key.Binding{k.Next, k.Prev, k.Leave, k.Clear}},
		{"app context", []key.Binding{k.Copy, k.Left, k.Reveal, k.Example}},
	}
}

// maxTokenField bounds the token field. An app context is a few hundred characters; the text area
// re-wraps its whole value on every keystroke, so a pasted log would make each key cost seconds.
const maxTokenField = 8 << 10

// keysDerivedMsg carries keys derived off the UI goroutine (PBKDF2 runs 100000 rounds).
type keysDerivedMsg struct {
	gen  int
	keys []appctx.Key
}

// contextScreen is the App Context screen: token and secret fields over a live decode.
type contextScreen struct {
	styles *Styles // the root's, rebuilt in place when the background changes
	keymap contextKeyMap
	token  textarea.Model
	secret textinput.Model

	label    string          // label of the secret being edited
	others   []appctx.Secret // further secrets from the command line, tried too
	clientID string
	now      func() time.Time
	derive   func([]appctx.Secret) []appctx.Key

	focus    contextFocus
	reveal   bool
	found    scan.Paste // how the token was found in what was pasted
	keys     []appctx.Key
	keyGen   int
	deriving bool

	gallery []fixtures.Example // the demo's examples, ctrl+o away
	example int
	reseal  func() ([]fixtures.Example, error) // seals the gallery again, now: each pass starts fresh

	report   *appctx.Report
	judged   appctx.Judgement // the one verdict every face gives, judged with the client ID and the clock
	claims   []appctx.Claim
	selField int
	selKey   int
	selLang  int // the snippet language offered in the backend panel
	scroll   int
	bodyTop  int // the screen line where the scrolled panels start, at the last View
	// opened is the last token that opened, and the secret it opened with (held in memory only,
	// as the field holds it), so that the verdict can blame an edit made since.
	opened struct{ token, secret string }
	filter string // the / search: only the panels' lines holding it are shown

	width, height int
}

func newContextScreen(o Options, styles *Styles, now func() time.Time) *contextScreen {
	ta := textarea.New()
	ta.CharLimit = maxTokenField
	ta.Placeholder = "paste an x-zoom-app-context token"
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.SetHeight(2)
	ta.SetValue(strings.TrimSpace(o.Token))

	si := textinput.New()
	si.Placeholder = "client secret (or set ZOOM_CLIENT_SECRET)"
	si.EchoMode = textinput.EchoPassword
	si.EchoCharacter = '•'
	si.Prompt = ""

	s := &contextScreen{styles: styles, keymap: defaultContextKeyMap(), token: ta, secret: si, clientID: o.ClientID, now: now, label: typedSecretLabel,
		derive: o.Derive}
	if s.derive == nil {
		s.derive = appctx.DeriveAll
	}
	if len(o.Secrets) > 0 {
		s.label = o.Secrets[0].Label
		si.SetValue(string(o.Secrets[0].Value))
		s.secret = si
		s.others = o.Secrets[1:]
	}
	if len(o.Gallery) > 0 {
		s.gallery = o.Gallery
		s.keymap.Example.SetEnabled(true)
		rand := o.Rand
		s.reseal = func() ([]fixtures.Example, error) { return fixtures.DemoGallery(s.now(), rand) }
	}
	s.inspect()
	if strings.TrimSpace(o.Token) != "" { // a token to read: the panels have the keys, and 1-5 switch screens
		s.setFocus(focusFields)
	} else {
		s.setFocus(focusToken)
	}
	return s
}

// onExample returns the demo example in the token field, if the field holds one unchanged.
func (s *contextScreen) onExample() (fixtures.Example, int, bool) {
	if len(s.gallery) == 0 || s.token.Value() != strings.TrimSpace(s.gallery[s.example].Paste) {
		return fixtures.Example{}, 0, false
	}
	return s.gallery[s.example], s.example, true
}

// Init starts the first key derivation.
func (s *contextScreen) Init() tea.Cmd { return s.deriveCmd() }

// firstSecret is the secret in the field and its label, for the Check screen to seal with.
func (s *contextScreen) firstSecret() ([]byte, string) {
	if v := s.secret.Value(); v != "" {
		return []byte(v), s.label
	}
	return nil, ""
}

func (s *contextScreen) secrets() []appctx.Secret {
	var ss []appctx.Secret
	if v := s.secret.Value(); v != "" {
		ss = append(ss, appctx.Secret{Label: s.label, Value: []byte(v)})
	}
	return append(ss, s.others...)
}

// deriveCmd derives the keys for the current secrets off the UI goroutine. Results for an older
// generation are dropped, so fast typing never shows keys of a secret no longer in the field.
func (s *contextScreen) deriveCmd() tea.Cmd {
	s.keyGen++
	s.deriving = true
	gen, secrets := s.keyGen, s.secrets()
	derive := s.derive
	return func() tea.Msg { return keysDerivedMsg{gen: gen, keys: derive(secrets)} }
}

// inspect re-decodes the token with the current keys: cheap, so it runs on every keystroke.
func (s *contextScreen) inspect() {
	s.report, s.found = scan.InspectPaste(s.token.Value(), s.keys)
	if s.report.Status() == appctx.StatusOK {
		s.opened.token, s.opened.secret = s.token.Value(), s.secret.Value()
	}
	s.judge()
	s.selField = min(s.selField, max(len(s.report.Token.Fields)-1, 0))
	s.selKey = min(s.selKey, max(len(s.report.Attempts)-1, 0))
}

// tick re-reads the claims against the clock, so "expires in" counts down; nothing is decrypted.
func (s *contextScreen) tick() {
	if s.report != nil {
		s.judge()
	}
}

// judge takes the verdict from core (Report.Judge, the judgement context and scan give) and
// explains the claims with the same clock.
func (s *contextScreen) judge() {
	now := s.now()
	s.judged = s.report.Judge(s.clientID, now)
	s.claims = nil
	if s.report.Object != nil {
		s.claims = appctx.Claims(s.report.Object, now, s.clientID)
	}
}

// SetSize lays the screen out for w×h cells.
func (s *contextScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	resizeText(&s.token, w-8, 2)
	note := 0 // room for the "+N more from the command line" note
	if len(s.others) > 0 {
		note = len(fmt.Sprintf("  +%d more from the command line", len(s.others)))
	}
	s.secret.SetWidth(w - 10 - note)
}

// Update handles a message and returns a command and an intent for the root to carry out.
func (s *contextScreen) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case keysDerivedMsg:
		if msg.gen == s.keyGen {
			s.keys, s.deriving = msg.keys, false
			s.inspect()
		}
		return nil, nil
	case tea.PasteMsg:
		return s.paste(msg)
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	}
	return s.updateText(msg)
}

func (s *contextScreen) updateKey(msg tea.KeyPressMsg) (tea.Cmd, intent) {
	k := s.keymap
	switch {
	case key.Matches(msg, k.Next):
		return s.setFocus((s.focus + 1) % contextFocusCount), nil
	case key.Matches(msg, k.Prev):
		return s.setFocus((s.focus + contextFocusCount - 1) % contextFocusCount), nil
	case key.Matches(msg, k.Example):
		s.example = (s.example + 1) % len(s.gallery)
		if s.example == 0 && s.reseal != nil {
			// Back at "sealed just now": seal the gallery again, so it is, and its "expired" example
			// is ten minutes older than now, not than the start.
			if g, err := s.reseal(); err == nil {
				s.gallery = g
			}
		}
		s.scroll = 0
		s.token.SetValue(strings.TrimSpace(s.gallery[s.example].Paste)) // focus stays where it is
		s.inspect()
		return nil, nil
	case key.Matches(msg, k.Reveal):
		s.reveal = !s.reveal
		s.secret.EchoMode = map[bool]textinput.EchoMode{true: textinput.EchoNormal, false: textinput.EchoPassword}[s.reveal]
		return nil, nil
	case s.inText() && (key.Matches(msg, k.Leave) || msg.String() == "enter" && s.focus == focusSecret):
		return s.setFocus(focusFields), nil
	case s.inText() && key.Matches(msg, k.Clear):
		return s.setText(""), nil
	case s.inText():
		return s.updateText(msg)
	case key.Matches(msg, k.Up):
		s.move(-1)
	case key.Matches(msg, k.Down):
		s.move(1)
	case key.Matches(msg, k.Left) && s.focus == focusBackend:
		s.move(-1)
	case key.Matches(msg, k.Right) && s.focus == focusBackend:
		s.move(1)
	case key.Matches(msg, k.Copy):
		return nil, s.copyIntent()
	}
	return nil, nil
}

// paste puts pasted text where it belongs: into the secret field when that has focus, otherwise
// into the token field. A paste that is a whole token replaces the field rather than landing
// inside the token already there, which is what pasting a real token over the demo means.
func (s *contextScreen) paste(msg tea.PasteMsg) (tea.Cmd, intent) {
	if s.focus == focusSecret {
		return s.updateText(msg)
	}
	var in intent
	if len(msg.Content) > maxTokenField {
		msg.Content = msg.Content[:maxTokenField]
		in = noticeIntent(fmt.Sprintf("the paste was cut to %d KiB: an app context is a few hundred bytes (zoomdbg context or scan read more)", maxTokenField>>10))
	}
	focus := s.setFocus(focusToken)
	if p := scan.FromPaste(msg.Content); p.Token != "" && strings.TrimSpace(msg.Content) != "" || p.JWT != "" {
		return tea.Batch(focus, s.setText(strings.TrimSpace(msg.Content))), in
	}
	cmd, _ := s.updateText(msg)
	return tea.Batch(focus, cmd), in
}

// setText replaces the focused field's value.
func (s *contextScreen) setText(v string) tea.Cmd {
	switch s.focus {
	case focusToken:
		s.token.SetValue(v)
		s.inspect()
	case focusSecret:
		s.secret.SetValue(v)
		s.keys = nil
		s.inspect()
		return s.deriveCmd()
	}
	return nil
}

func (s *contextScreen) helpKeys() help.KeyMap { return s.keymap }

func (s *contextScreen) inText() bool { return s.focus == focusToken || s.focus == focusSecret }

// updateText gives a message to the focused field and re-decodes when its value changed.
func (s *contextScreen) updateText(msg tea.Msg) (tea.Cmd, intent) {
	var cmd tea.Cmd
	switch s.focus {
	case focusToken:
		before := s.token.Value()
		s.token, cmd = s.token.Update(msg)
		if s.token.Value() != before {
			s.inspect()
		}
	case focusSecret:
		before := s.secret.Value()
		s.secret, cmd = s.secret.Update(msg)
		if s.secret.Value() != before {
			s.keys = nil // never show the verdict of a secret no longer in the field
			s.inspect()
			return tea.Batch(cmd, s.deriveCmd()), nil
		}
	}
	return cmd, nil
}

func (s *contextScreen) setFocus(f contextFocus) tea.Cmd {
	s.focus = f
	s.keymap.inText = s.inText()
	s.token.Blur()
	s.secret.Blur()
	switch f {
	case focusToken:
		return s.token.Focus()
	case focusSecret:
		return s.secret.Focus()
	}
	_, anchors := s.body()
	s.scroll = anchors[f]
	return nil
}

func (s *contextScreen) move(d int) {
	switch s.focus {
	case focusFields:
		s.selField = clamp(s.selField+d, 0, len(s.report.Token.Fields)-1)
	case focusKeys:
		s.selKey = clamp(s.selKey+d, 0, len(s.report.Attempts)-1)
	case focusPayload:
		s.scroll = max(s.scroll+d, 0)
	case focusBackend:
		s.selLang = (s.selLang + d + len(snippet.Languages)) % len(snippet.Languages)
	}
}

func clamp(v, lo, hi int) int { return max(lo, min(v, max(hi, lo))) }

// copyIntent names the value under the selection. Keys are secret material: the root asks first.
func (s *contextScreen) copyIntent() intent {
	r := s.report
	switch s.focus {
	case focusFields:
		if len(r.Token.Fields) == 0 {
			return nil
		}
		f := r.Token.Fields[s.selField]
		if f.IsLength() {
			return copyIntent{what: f.Name, value: fmt.Sprint(f.Value)}
		}
		return copyIntent{what: f.Name + " (hex)", value: hex.EncodeToString(f.Bytes)}
	case focusKeys:
		if len(r.Attempts) == 0 || r.Attempts[s.selKey].Key.Err != nil || r.Attempts[s.selKey].Key.IsSecret() {
			return nil // no key, or the raw derivation's, which is the secret itself
		}
		a := r.Attempts[s.selKey]
		return copyIntent{what: fmt.Sprintf("%s key of %q", a.Key.Derivation, a.Key.SecretLabel),
			value: hex.EncodeToString(a.Key.Bytes), sensitive: true}
	case focusPayload:
		if r.Payload == nil {
			return nil
		}
		return copyIntent{what: "payload", value: string(r.Payload)}
	case focusBackend:
		l := snippet.Languages[s.selLang]
		return copyIntent{what: fmt.Sprintf("the %s snippet (%s)", l.Name, l.Program(snippet.AppContext).File),
			value: l.Source(snippet.AppContext)}
	}
	return nil
}

// contextFieldRows are the rows of the two fields: the token (2) and the secret (1). Under them
// come headLines, as many as they take.
const contextFieldRows = 3

func (s *contextScreen) bodyHeight() int { return s.bodyHeightUnder(s.headLines(s.styles.Context)) }

func (s *contextScreen) bodyHeightUnder(head []string) int {
	return max(s.height-contextFieldRows-len(head), 1)
}

// headLines are the rows between the fields and the panels, which never scroll away: the demo
// example's name, the verdict, and what was read from the paste with its repairs.
func (s *contextScreen) headLines(cs ContextStyles) []string {
	return append(append(s.exampleLines(cs), s.verdictLines(cs)...), s.inputLines(cs)...)
}

// exampleLines name the demo example on screen, while it is there unchanged.
func (s *contextScreen) exampleLines(cs ContextStyles) []string {
	ex, i, ok := s.onExample()
	if !ok {
		return nil
	}
	line := cs.Label.Render(fmt.Sprintf("demo %d/%d  ", i+1, len(s.gallery))) + ex.Title
	if hint := "  (ctrl+o: next)"; ansi.StringWidth(line+hint) <= s.width {
		line += cs.Dim.Render(hint)
	}
	return wrapWords(line, s.width)
}

// verdictLines wraps the verdict to the screen's width: its reason is what the user came for,
// so it is never cut.
func (s *contextScreen) verdictLines(cs ContextStyles) []string {
	return wrapWords(s.verdict(cs), s.width)
}

// inputLines say what was read from the paste and every repair made to get there. They stay in
// the header, under the verdict, so they never scroll away.
func (s *contextScreen) inputLines(cs ContextStyles) []string {
	r := s.report
	in := r.Token.Input
	if strings.TrimSpace(in.Raw) == "" {
		return nil
	}
	var head string
	if len(in.Text) == 0 && s.found.Token == "" {
		head = fmt.Sprintf("%d characters pasted, no token found in them", len([]rune(in.Raw)))
	} else {
		pad := map[bool]string{true: "padded", false: "unpadded"}[in.Padded]
		head = fmt.Sprintf("%s, %s, %d characters → %d bytes", orUnknown(in.Encoding), pad, len(in.Text), len(in.Bytes))
	}
	lines := []string{cs.Label.Render("input   ") + head}
	for _, rep := range in.Repairs {
		for i, l := range wrapWords(termsafe.Escape(rep), s.width-8) {
			label := "repair  "
			if i > 0 {
				label = "        "
			}
			lines = append(lines, cs.Label.Render(label)+cs.Warn.Render(l))
		}
	}
	return lines
}

// View draws the screen in exactly s.height lines of at most s.width cells.
func (s *contextScreen) View() string {
	cs := s.styles.Context
	var b strings.Builder
	tokenLines := strings.Split(s.token.View(), "\n")
	for i := 0; i < 2; i++ {
		label := "token "
		if i > 0 {
			label = "      "
		}
		if s.focus == focusToken && i == 0 {
			label = cs.SectionFocused.Render("token ")
		}
		line := ""
		if i < len(tokenLines) {
			line = tokenLines[i]
		}
		b.WriteString(label + "  " + line + "\n")
	}
	secretLabel := "secret"
	if s.focus == focusSecret {
		secretLabel = cs.SectionFocused.Render(secretLabel)
	}
	extra := ""
	if len(s.others) > 0 {
		extra = cs.Dim.Render(fmt.Sprintf("  +%d more from the command line", len(s.others)))
	}
	b.WriteString(secretLabel + "  " + s.secret.View() + extra + "\n")
	head := s.headLines(cs)
	for _, l := range head {
		b.WriteString(l + "\n")
	}

	lines, _ := s.body()
	room := s.bodyHeightUnder(head)
	s.bodyTop = contextFieldRows + len(head)
	lines = filterLines(lines, s.filter)
	if s.scroll > 0 && s.scroll < len(lines) && isMarks(lines[s.scroll]) {
		s.scroll-- // never open the window on the ^^^ under a line that is not shown
	}
	shown := scrolled(*s.styles, lines, &s.scroll, room)
	for len(shown) < room {
		shown = append(shown, "")
	}
	b.WriteString(strings.Join(shown, "\n"))
	return fit(b.String(), s.width)
}

func (s *contextScreen) verdict(cs ContextStyles) string {
	r := s.report
	if strings.TrimSpace(s.token.Value()) == "" {
		return cs.Dim.Render("paste a token to decode it (bracketed paste works; the header name and quotes are fine)")
	}
	j := s.judged
	switch j.Verdict {
	case appctx.VerdictOK:
		return cs.OK.Render(fmt.Sprintf("✓ tag verified (%q)", termsafe.Escape(r.Opened.Key.SecretLabel))) +
			s.summary(cs)
	case appctx.VerdictWrongAud, appctx.VerdictExpired:
		// It opens, but it is not right: ⚠, never ✓, and never the ✗ of a token that does not open.
		return cs.Warn.Render(fmt.Sprintf("⚠ opens with %q, but %s (%s): %s", termsafe.Escape(r.Opened.Key.SecretLabel),
			j.Verdict.Words(), j.Reason, termsafe.Escape(j.Detail))) + s.summary(cs)
	case appctx.VerdictNoSecret:
		if s.deriving {
			return cs.Dim.Render("… deriving keys")
		}
		return cs.Warn.Render("• layout parses; enter the client secret to open it")
	case appctx.VerdictTagMismatch:
		if s.deriving {
			return cs.Dim.Render("… deriving keys")
		}
		return cs.Bad.Render("✗ tag mismatch: "+termsafe.Escape(r.MismatchReason())) + "\n" +
			cs.Label.Render("most likely: ") + termsafe.Escape(s.likelyCause())
	case appctx.VerdictBadPayload, appctx.VerdictMalformed:
		line := "✗ " + j.Verdict.Words() + " (" + string(j.Reason) + "): " + termsafe.Escape(j.Detail)
		if r.Repaired() {
			line += "; it opens once repaired"
		}
		return cs.Bad.Render(line)
	}
	if f, ok := snippet.Explain(s.token.Value()); ok {
		return cs.Bad.Render(fmt.Sprintf("✗ not a token: %s's error %q; its causes are under YOUR BACKEND", f.Language, f.Message))
	}
	if s.found.JWT != "" {
		return cs.Warn.Render("• a JWT, not an app context: an OAuth access or ID token (decoded under PAYLOAD)")
	}
	if fe := (*appctx.FormatError)(nil); errors.As(r.ParseErr, &fe) && fe.Code == scan.ErrNoToken {
		return cs.Bad.Render("✗ no token in the paste: no x-zoom-app-context header, context field or token-shaped base64")
	}
	if j.Reason == appctx.ReasonMissing && r.ParseErr != nil {
		return cs.Bad.Render("✗ no token: " + termsafe.Escape(r.ParseErr.Error()))
	}
	return cs.Bad.Render("✗ no token: " + termsafe.Escape(j.Detail))
}

// claimWarning is what is wrong with an opened context's claims, in the claims' own words: the
// first warning, named by its claim.
func (s *contextScreen) claimWarning() string {
	for _, c := range s.claims {
		if !c.Warn {
			continue
		}
		switch c.Name {
		case "exp":
			if _, when, ok := strings.Cut(c.Note, ", "); ok {
				return "it " + when
			}
		case "aud":
			return "aud " + c.Note
		}
		return c.Name + ": " + c.Note
	}
	return ""
}

// likelyCause is the cause the verdict names. When the secret in the field opened the token
// before its last edit, the edit is the cause, whatever else core ranks first; otherwise core's
// most likely cause.
func (s *contextScreen) likelyCause() string {
	if s.opened.token != "" && s.opened.secret == s.secret.Value() && smallEdit(s.opened.token, s.token.Value()) {
		return "the token changed after it opened with this secret: an edit, or a copy that altered a character (GCM fails on any changed bit)"
	}
	if len(s.report.Causes) > 0 {
		return s.report.Causes[0]
	}
	return "the secret is not the one that sealed this token"
}

// uid is the uid of the decrypted token on screen, or "".
func (s *contextScreen) uid() string {
	if s.report == nil || s.report.Object == nil {
		return ""
	}
	var uid string
	if json.Unmarshal(s.report.Object["uid"], &uid) != nil {
		return ""
	}
	return uid
}

// summary is the verdict's tail for an opened token: who, and whether the context is still live.
func (s *contextScreen) summary(cs ContextStyles) string {
	var uid, exp appctx.Claim
	for _, c := range s.claims {
		switch c.Name {
		case "uid":
			uid = c
		case "exp":
			exp = c
		}
	}
	out := cs.Dim.Render(" · guest (no uid)")
	if uid.Value != "(absent)" {
		out = " · uid " + termsafe.Escape(strings.Trim(clip(uid.Value, 26), `"`))
	}
	if _, when, ok := strings.Cut(exp.Note, ", "); ok {
		when, _, _ = strings.Cut(when, " (")
		if exp.Warn {
			return out // the verdict already says it expired
		}
		return out + cs.Dim.Render(" · "+when)
	}
	return out
}

// body builds every line below the header, and the line where each panel starts.
func (s *contextScreen) body() ([]string, map[contextFocus]int) {
	cs := s.styles.Context
	w := s.width
	var lines []string
	anchors := map[contextFocus]int{}
	add := func(l ...string) { lines = append(lines, l...) }
	section := func(f contextFocus, title, hint string) {
		anchors[f] = len(lines)
		st := cs.Section
		mark := "  "
		if s.focus == f {
			st, mark = cs.SectionFocused, "▸ "
		}
		add("", mark+st.Render(title)+cs.Dim.Render(hint))
	}

	section(focusFields, "LAYOUT", "  field · offset · length · value")
	s.layout(cs, w, add)

	section(focusKeys, "KEY DERIVATION", "  each derivation of each secret, tried")
	s.derivations(cs, add)

	section(focusPayload, "PAYLOAD", "  decrypted JSON and its claims")
	s.payload(cs, add)

	section(focusBackend, "YOUR BACKEND", "  what its code must do, and code that does it")
	s.backend(cs, add)
	return lines, anchors
}

func orUnknown(e appctx.Encoding) string {
	if e == "" {
		return "not base64"
	}
	return string(e)
}

func (s *contextScreen) layout(cs ContextStyles, w int, add func(...string)) {
	r := s.report
	fields := r.Token.Fields
	for i, f := range fields {
		mark := "  "
		if i == s.selField && s.focus == focusFields {
			mark = "▸ "
		} else if i == s.selField {
			mark = "· "
		}
		val := hexPreview(f.Bytes, (w-40)/2)
		if f.IsLength() {
			val = fmt.Sprint(f.Value)
		}
		row := fmt.Sprintf("%s%-13s %5d %5d  %s", mark, f.Name, f.Offset, f.Length(), val)
		add(cs.Fields[f.Name].Render(row))
	}
	var fe *appctx.FormatError
	if errors.As(r.ParseErr, &fe) && fe.Code == appctx.ErrEmpty && fe.Field == "input" {
		add(cs.Dim.Render("  no token yet: the token field is empty"))
		return
	}
	if errors.As(r.ParseErr, &fe) {
		where := fmt.Sprintf("byte %d", fe.Offset)
		if fe.Unit == appctx.UnitChar {
			where = fmt.Sprintf("character %d", fe.Offset)
		}
		add(cs.Bad.Render(fmt.Sprintf("✗ %-13s at %s: %s", fe.Field, where, fe.Code)))
		for _, l := range wrapWords(termsafe.Escape(fe.Message), w-4) {
			add("    " + cs.Bad.Render(l))
		}
		if fe.Unit == appctx.UnitChar && r.Token.Input.Text != "" {
			add(cs.Label.Render("  the fault in the token text:"))
			text, tw := r.Token.Input.Text, w-2
			first, last := around(fe.Offset/tw, (len(text)+tw-1)/tw, maxTextLines)
			add(markedText(text, tw, first, last, appctx.Span{Start: fe.Offset, End: fe.Offset + 1}, cs.Bad)...)
		}
	}
	if len(fields) == 0 {
		return
	}
	sel := fields[s.selField]
	data := r.Token.Input.Bytes
	first, last := around(sel.Offset/bytesPerRow, (len(data)+bytesPerRow-1)/bytesPerRow, s.hexRows())
	add("", cs.Label.Render(fmt.Sprintf("  bytes %d-%d of %d, %s in [brackets]",
		first*bytesPerRow, min(last*bytesPerRow, len(data))-1, len(data), sel.Name)))
	for _, l := range hexDump(data, fields, s.selField, first, last, cs) {
		add("  " + l)
	}
	text, tw := r.Token.Input.Text, w-2
	first, last = around(sel.Chars.Start/tw, (len(text)+tw-1)/tw, maxTextLines)
	label := fmt.Sprintf("  token text, %s marked (characters %d-%d)", sel.Name, sel.Chars.Start, sel.Chars.End)
	if last-first < (len(text)+tw-1)/tw {
		label += fmt.Sprintf(", lines %d-%d of %d", first+1, last, (len(text)+tw-1)/tw)
	}
	add("", cs.Label.Render(label))
	for _, l := range markedText(text, tw, first, last, sel.Chars, cs.Fields[sel.Name].Reverse(true)) {
		add("  " + l)
	}
}

// around returns a window [first, last) of at most size items out of total, starting one before
// item at, so the item and a little context are in view.
func around(at, total, size int) (int, int) {
	if total <= size {
		return 0, total
	}
	first := clamp(at-1, 0, total-size)
	return first, first + size
}

// hexRows is how many hex dump rows the layout shows: a few around the selection on a short
// terminal, more on a tall one; never the whole of a huge paste, which would cost every frame.
func (s *contextScreen) hexRows() int {
	if s.bodyHeight() < tallBody {
		return hexWindow
	}
	return maxHexRows
}

// On a body shorter than tallBody rows the hex dump shows hexWindow rows around the selected
// field, so the selection stays in view at 80×24; taller terminals get the whole dump.
const (
	tallBody     = 40
	hexWindow    = 4
	maxHexRows   = 48
	maxTextLines = 12
)

func hexPreview(b []byte, max int) string {
	max = clamp(max, 4, 32)
	switch {
	case len(b) == 0:
		return "(empty)"
	case len(b) <= max:
		return hex.EncodeToString(b)
	}
	return fmt.Sprintf("%s… %dB", hex.EncodeToString(b[:max]), len(b))
}

func (s *contextScreen) derivations(cs ContextStyles, add func(...string)) {
	r := s.report
	switch {
	case r.ParseErr != nil:
		add(cs.Dim.Render("  the token must parse before a key can be tried"))
		return
	case len(r.Attempts) == 0 && s.deriving:
		add(cs.Dim.Render("  … deriving keys"))
		return
	case len(r.Attempts) == 0:
		add(cs.Dim.Render("  no secret: type one in the secret field (or set ZOOM_CLIENT_SECRET)"))
		return
	}
	for i, a := range r.Attempts {
		mark := "  "
		if i == s.selKey && s.focus == focusKeys {
			mark = "▸ "
		}
		name := string(a.Key.Derivation)
		if a.Key.Derivation == appctx.DeriveSHA256 {
			name += " (Zoom)"
		}
		keyText := mask(len(a.Key.Bytes))
		switch {
		case a.Key.Derivation == appctx.DeriveTrimmed && a.Key.Note != "":
			keyText = "= sha256 (no whitespace)" // the same key, so the same verdict
		case s.reveal && a.Key.IsSecret():
			keyText = appctx.SecretNotShown
		case s.reveal:
			keyText = hexPreview(a.Key.Bytes, 8)
		}
		verdict := cs.Bad.Render("✗ tag mismatch")
		switch {
		case a.Verifies:
			verdict = cs.OK.Render("✓ tag verified")
		case a.Key.Err != nil:
			verdict = cs.Dim.Render("– no key: " + a.Key.Err.Error())
		}
		add(fmt.Sprintf("%s%-15s %-12s %-29s %s", mark, name, clip(termsafe.Escape(a.Key.SecretLabel), 12), keyText, verdict))
	}
	if r.Opened != nil && s.judged.Verdict == appctx.VerdictOK && r.Opened.Key.SecretLabel != s.label && len(s.secrets()) > 1 {
		add(cs.Warn.Render(fmt.Sprintf("  opens with %q, not %q", r.Opened.Key.SecretLabel, s.label)))
	}
	if len(r.Causes) > 0 {
		add("", cs.Section.Render("  likely causes, most likely first"))
		for i, c := range r.Causes {
			for j, l := range wrapWords(termsafe.Escape(c), s.width-6) {
				prefix := fmt.Sprintf("  %d. ", i+1)
				if j > 0 {
					prefix = "     "
				}
				add(prefix + l)
			}
		}
	}
}

func (s *contextScreen) payload(cs ContextStyles, add func(...string)) {
	r := s.report
	if s.found.JWT != "" {
		s.jwt(cs, add)
		return
	}
	if r.Payload == nil {
		add(cs.Dim.Render("  nothing decrypted yet"))
		return
	}
	if r.Object == nil {
		add(cs.Bad.Render("  "+termsafe.Escape(r.JSONErr.Error())), "  "+termsafe.Escape(clip(string(r.Payload), 400)))
		return
	}
	var ind bytes.Buffer
	json.Indent(&ind, r.Payload, "  ", "  ")
	for _, l := range strings.Split("  "+ind.String(), "\n") {
		add(termsafe.Escape(l))
	}
	add("", cs.Section.Render("  claims"))
	for _, c := range s.claims {
		note := c.Note
		if note == "" {
			note = c.Meaning
		}
		if !c.Known {
			note = "(not a claim zoomdbg knows)"
		}
		style := cs.Dim
		if c.Warn {
			style, note = cs.Warn, "! "+note
		}
		add(fmt.Sprintf("  %-11s %-24s %s", termsafe.Escape(c.Name), termsafe.Escape(clip(c.Value, 24)), style.Render(termsafe.Escape(note))))
	}
}

// jwt shows a pasted JWT's header and claims, decoded and not verified.
func (s *contextScreen) jwt(cs ContextStyles, add func(...string)) {
	j, err := oauth.DecodeJWT(s.found.JWT)
	if err != nil {
		add(cs.Bad.Render("  " + termsafe.Escape(err.Error())))
		return
	}
	for _, part := range []struct {
		name string
		v    map[string]any
	}{{"JWT header", j.Header}, {"JWT claims, not verified (only the issuer can)", j.Claims}} {
		add(cs.Section.Render("  " + part.name))
		ind, _ := json.MarshalIndent(part.v, "  ", "  ")
		for _, l := range strings.Split("  "+string(ind), "\n") {
			add(termsafe.Escape(l))
		}
	}
	for _, name := range []string{"exp", "iat", "nbf"} {
		if t, ok := j.TimeClaim(name); ok {
			add(cs.Dim.Render(fmt.Sprintf("  %s = %s", name, t.UTC().Format(time.RFC3339))))
		}
	}
}

// backend lists what a backend's code must do with this token, then offers proven code for the
// language picked with h/l; c copies it.
func (s *contextScreen) backend(cs ContextStyles, add func(...string)) {
	if f, ok := snippet.Explain(s.token.Value()); ok && s.report.ParseErr != nil {
		add(cs.Bad.Render("  "+f.Language+": "+f.Message), "")
		for _, l := range wrapWords(f.Means, s.width-6) {
			add("  " + l)
		}
		for i, c := range f.Causes {
			for j, l := range wrapWords(c, s.width-8) {
				prefix := fmt.Sprintf("  %d. ", i+1)
				if j > 0 {
					prefix = "     "
				}
				add(prefix + l)
			}
		}
	}
	for _, h := range s.report.Hints {
		for j, l := range wrapWords(h, s.width-6) {
			prefix := "  - "
			if j > 0 {
				prefix = "    "
			}
			add(prefix + l)
		}
	}
	var names []string
	for i, l := range snippet.Languages {
		if i == s.selLang {
			names = append(names, cs.SectionFocused.Render("["+l.Name+"]"))
		} else {
			names = append(names, l.Name)
		}
	}
	l := snippet.Languages[s.selLang]
	add("", cs.Label.Render("  code    ")+strings.Join(names, " ")+cs.Dim.Render("   h/l pick · c copy"))
	for _, line := range wrapWords(fmt.Sprintf("%s, run by zoomdbg's tests (zoomdbg snippet %s prints it): ZOOM_CLIENT_SECRET=... %s TOKEN",
		l.Program(snippet.AppContext).File, l.Name, l.Command(snippet.AppContext)), s.width-12) {
		add("          " + line)
	}
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	count := 0
	for i := range s { // only as far as the cut: a 1 MB server message costs n runes, not 1 MB
		if count == n-1 {
			if _, size := utf8.DecodeRuneInString(s[i:]); i+size < len(s) { // more than this last rune
				return s[:i] + "…"
			}
			return s
		}
		count++
	}
	return s
}

func (s *contextScreen) textInputs() []*textinput.Model { return []*textinput.Model{&s.secret} }

// scroll moves the panels.
func (s *contextScreen) scrollPanel(to scrollTo) {
	lines, _ := s.body()
	scrollBy(&s.scroll, to, s.bodyHeight()-1, len(filterLines(lines, s.filter)))
}

func (s *contextScreen) wheel(_, d int) {
	s.scrollPanel(map[int]scrollTo{-1: scrollLineUp, 1: scrollLineDown}[d])
}

func (s *contextScreen) setFilter(q string) { s.filter, s.scroll = q, 0 }

// click focuses the field or panel under the pointer; on a layout row it selects that field.
func (s *contextScreen) click(_, y int) tea.Cmd {
	switch {
	case y < 2:
		return s.setFocus(focusToken)
	case y == 2:
		return s.setFocus(focusSecret)
	case y < s.bodyTop || s.filter != "":
		return nil
	}
	line := y - s.bodyTop + s.scroll
	_, anchors := s.body()
	f := focusFields
	for _, c := range []contextFocus{focusFields, focusKeys, focusPayload, focusBackend} {
		if a, ok := anchors[c]; ok && line >= a {
			f = c
		}
	}
	scroll := s.scroll
	s.setFocus(f)
	s.scroll = scroll // a click selects; it does not move what is under the pointer
	switch f {
	case focusFields:
		if i := line - anchors[focusFields] - 2; i >= 0 && i < len(s.report.Token.Fields) {
			s.selField = i
		}
	case focusKeys:
		if i := line - anchors[focusKeys] - 2; i >= 0 && i < len(s.report.Attempts) {
			s.selKey = i
		}
	}
	return nil
}

// selection is the selected item whole: a field's bytes, a derivation's verdict and causes, the
// payload with every claim's meaning, or the snippet's source.
func (s *contextScreen) selection() (string, string) {
	r := s.report
	switch s.focus {
	case focusFields:
		if len(r.Token.Fields) == 0 {
			return "", ""
		}
		f := r.Token.Fields[s.selField]
		v := hex.EncodeToString(f.Bytes)
		if f.IsLength() {
			v = fmt.Sprint(f.Value)
		}
		return fmt.Sprintf("%s, offset %d, %d bytes", f.Name, f.Offset, f.Length()), v
	case focusKeys:
		var b strings.Builder
		b.WriteString(ansi.Strip(s.verdict(s.styles.Context)) + "\n")
		for _, a := range r.Attempts {
			what := "tag mismatch"
			switch {
			case a.Verifies:
				what = "tag verified"
			case a.Key.Err != nil:
				what = "no key: " + a.Key.Err.Error()
			}
			fmt.Fprintf(&b, "\n%s of %q: %s", a.Key.Derivation, a.Key.SecretLabel, what)
			if a.Key.Note != "" {
				b.WriteString(" (" + a.Key.Note + ")")
			}
		}
		if len(r.Causes) > 0 {
			b.WriteString("\n\nlikely causes, most likely first:")
		}
		for i, c := range r.Causes {
			fmt.Fprintf(&b, "\n%d. %s", i+1, c)
		}
		return "key derivation: the verdict and its likely causes", b.String()
	case focusPayload:
		if r.Object == nil {
			return "", ""
		}
		var ind bytes.Buffer
		json.Indent(&ind, r.Payload, "", "  ")
		b := ind.String() + "\n\nclaims\n"
		for _, c := range s.claims {
			note := c.Meaning
			if c.Note != "" {
				note = c.Note + "; " + c.Meaning
			}
			b += fmt.Sprintf("\n%s = %s\n  %s", c.Name, c.Value, note)
		}
		return "payload and claims", b
	case focusBackend:
		l := snippet.Languages[s.selLang]
		return l.Program(snippet.AppContext).File, l.Source(snippet.AppContext)
	}
	return "", ""
}

// typedSecretLabel names a secret typed in the field, where the verdict and the derivations name
// the secret that opened a token: a label, never a value ("secret" read like a leaked one).
const typedSecretLabel = "typed secret"

// isMarks reports whether a line is only the ^ marks markedText puts under a selection.
func isMarks(l string) bool {
	t := strings.TrimSpace(ansi.Strip(l))
	return t != "" && strings.Trim(t, "^") == ""
}

// maxEdit is how many characters an edit may change for the verdict to blame it: one character
// altered, added or lost in transit, a few typed. Another token differs in nearly all of them.
const maxEdit = 3

// smallEdit reports whether b is a by a few characters changed, added or removed in one place:
// their common prefix and suffix cover all but maxEdit characters of the longer. Linear.
func smallEdit(a, b string) bool {
	if a == b {
		return false
	}
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	q := 0
	for q < n-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	return max(len(a), len(b))-p-q <= maxEdit
}
