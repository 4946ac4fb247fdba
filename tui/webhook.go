package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/zoomdbg/zoomdbg/core/termsafe"
	"github.com/zoomdbg/zoomdbg/core/webhook"
)

// webhookFocus is what has the keyboard on the Webhook screen, in tab order.
type webhookFocus int

const (
	focusHookDelivery webhookFocus = iota
	focusHookToken
	focusHookEndpoint
	focusHookReport
	webhookFocusCount
)

type webhookKeyMap struct {
	Next, Prev, Leave, Clear, Reveal, Up, Down, PageUp, PageDown, CopyAnswer, CopyHeaders, CopyMessage key.Binding
	Run, RunHere, CopyCurl                                                                             key.Binding
	inText                                                                                             bool
	rows                                                                                               bool // the endpoint check has rows to select
}

func defaultWebhookKeyMap() webhookKeyMap {
	return webhookKeyMap{
		Next:        key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		Prev:        key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev")),
		Leave:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
		Clear:       key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear field")),
		Reveal:      key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal token")),
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("j/k", "scroll")),
		Down:        key.NewBinding(key.WithKeys("j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "scroll")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown")),
		CopyAnswer:  key.NewBinding(key.WithKeys("c", "y"), key.WithHelp("c", "copy handshake answer")),
		CopyHeaders: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "copy computed headers")),
		CopyMessage: key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "copy signed message")),
		Run:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "check the endpoint")),
		RunHere:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "check the endpoint (in its field)")),
		CopyCurl:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "copy worst finding's curl")),
	}
}

// ShortHelp shows the keys that act right now.
func (k webhookKeyMap) ShortHelp() []key.Binding {
	if k.inText {
		return []key.Binding{k.Next, k.Leave, k.Clear, k.Reveal, k.PageUp}
	}
	up := k.Up
	if k.rows {
		up.SetHelp("j/k", "select, scroll")
	}
	return []key.Binding{k.Next, up, k.CopyAnswer, k.CopyHeaders, k.Run, k.CopyMessage}
}

// FullHelp is the screen's groups, as bubbles' help.KeyMap has them.
func (k webhookKeyMap) FullHelp() [][]key.Binding { return fullHelpOf(k.groups()) }

// groups lists the screen's own keys for the help overlay, titled like every other screen's, and
// short enough that two columns fit at 80: the shared keys (ctrl+c among them) stay on screen.
func (k webhookKeyMap) groups() []helpGroup {
	run := k.RunHere
	run.SetHelp("enter", "check (in its field)")
	return []helpGroup{
		{"fields and panels", []key.Binding{k.Next, k.Prev, k.Leave, k.Clear, k.Reveal}},
		{"delivery", []key.Binding{k.CopyAnswer, k.CopyHeaders, k.CopyMessage}},
		{"endpoint", []key.Binding{k.Run, run, k.CopyCurl}},
	}
}

// maxDeliveryField bounds the delivery field: a Zoom delivery is a few kilobytes, and the text
// area re-wraps its whole value on every keystroke.
const maxDeliveryField = 16 << 10

// webhookScreen verifies a pasted webhook delivery live: the verdict, the signed message with its
// offsets, the signatures, the handshake answer and the headers to copy.
type webhookScreen struct {
	noPanelActions // it selects the endpoint check's rows, scrolls, searches and takes clicks and the wheel itself
	styles         *Styles
	keymap         webhookKeyMap
	delivery       textarea.Model
	token          textinput.Model
	endpoint       textinput.Model // the URL the endpoint check (webhook_check.go) runs against
	run            hookRun
	label          string           // the token field's label: the command line's, or "typed"
	others         []webhook.Secret // further labelled tokens from the command line
	now            func() time.Time

	focus  webhookFocus
	reveal bool
	scroll int
	sel    int    // the selected row of the endpoint check; enter shows it whole
	filter string // the / search: only the report's lines holding it are shown

	// pasted is the last paste as it arrived, CRLFs and all; the field shows it with LF line
	// endings (the text area keeps no CR), and it is what is verified while the field still
	// shows it unedited: a signature covers exact bytes.
	pasted   string
	pasteRaw string // the current paste as the terminal sent it, before lineEndings
	// A terminal may hand one paste over in several PasteMsgs between PasteStartMsg and
	// PasteEndMsg: the first replaces the field, the rest are appended.
	pasteFresh, sawPasteStart bool

	// Derived from the fields on every change.
	parsed   *webhook.Delivery
	parseErr error
	report   *webhook.Report

	width, height int
}

func newWebhookScreen(secrets []webhook.Secret, styles *Styles, now func() time.Time) *webhookScreen {
	ta := textarea.New()
	ta.CharLimit = maxDeliveryField
	ta.Placeholder = "paste a delivery: raw HTTP request, curl -v output, a curl command, a HAR entry or a JSON log line"
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.SetHeight(4)
	ti := textinput.New()
	ti.Placeholder = "webhook Secret Token (or set ZOOM_WEBHOOK_SECRET_TOKEN)"
	ti.EchoMode = textinput.EchoPassword
	ti.EchoCharacter = '•'
	ti.Prompt = ""
	ei := textinput.New()
	ei.Placeholder = "your endpoint's URL: enter checks it as Zoom and a forger would"
	ei.Prompt = ""
	s := &webhookScreen{styles: styles, keymap: defaultWebhookKeyMap(), delivery: ta, token: ti, endpoint: ei, now: now, label: "typed"}
	if len(secrets) > 0 {
		s.label = secrets[0].Label
		s.token.SetValue(string(secrets[0].Value))
		s.others = secrets[1:]
	}
	s.delivery.Focus()
	s.keymap.inText = true
	s.verify()
	return s
}

// secrets are the token in the field with its label, and the command line's others.
func (s *webhookScreen) secrets() []webhook.Secret {
	var ss []webhook.Secret
	if v := s.token.Value(); v != "" {
		ss = append(ss, webhook.Secret{Label: s.label, Value: []byte(v)})
	}
	return append(ss, s.others...)
}

// verify re-reads and re-verifies the delivery: cheap enough for every keystroke.
func (s *webhookScreen) verify() {
	s.parsed, s.report = nil, nil
	in := strings.TrimSpace(s.delivery.Value())
	if in == "" {
		s.parseErr = nil
		return
	}
	raw := s.delivery.Value()
	if s.pasted != "" && shown(s.pasted) == raw {
		raw = s.pasted
	}
	s.parsed, s.parseErr = webhook.Parse([]byte(raw))
	if s.parseErr == nil {
		s.report = webhook.Diagnose(s.parsed, s.secrets(), s.now())
	}
}

// SetSize lays the screen out for w×h cells.
func (s *webhookScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	resizeText(&s.delivery, max(w-12, 10), clamp(h/5, 2, 6))
	s.token.SetWidth(max(w-12, 10))
	s.endpoint.SetWidth(max(w-12, 10))
}

// Update handles a message and returns a command and an intent for the root.
func (s *webhookScreen) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case hookProbeMsg, hookDoneMsg:
		return s.updateRun(msg), nil
	case tea.PasteStartMsg:
		s.pasteFresh, s.sawPasteStart = true, true
		return nil, nil
	case tea.PasteMsg:
		return s.paste(msg)
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	}
	return s.updateText(msg), nil
}

func (s *webhookScreen) updateKey(msg tea.KeyPressMsg) (tea.Cmd, intent) {
	k := s.keymap
	switch {
	case key.Matches(msg, k.Next):
		return s.setFocus((s.focus + 1) % webhookFocusCount), nil
	case key.Matches(msg, k.Prev):
		return s.setFocus((s.focus + webhookFocusCount - 1) % webhookFocusCount), nil
	case key.Matches(msg, k.Reveal):
		s.reveal = !s.reveal
		s.token.EchoMode = map[bool]textinput.EchoMode{true: textinput.EchoNormal, false: textinput.EchoPassword}[s.reveal]
	case key.Matches(msg, k.PageUp):
		s.scroll = max(s.scroll-s.bodyHeight()/2, 0)
	case key.Matches(msg, k.PageDown):
		s.scroll += s.bodyHeight() / 2
	case s.inText() && key.Matches(msg, k.Leave):
		return s.setFocus(focusHookReport), nil
	case s.focus == focusHookEndpoint && key.Matches(msg, k.RunHere):
		return s.startCheck()
	case s.inText() && key.Matches(msg, k.Clear):
		if s.focus == focusHookToken {
			s.label = "typed" // a token typed anew is no longer the command line's
		}
		s.setText("")
	case s.inText():
		return s.updateText(msg), nil
	case key.Matches(msg, k.Up):
		s.moveSel(-1)
	case key.Matches(msg, k.Down):
		s.moveSel(1)
	case key.Matches(msg, k.Run):
		return s.startCheck()
	case key.Matches(msg, k.CopyCurl):
		return nil, s.copyWorstCurl()
	case key.Matches(msg, k.CopyAnswer):
		return nil, s.copyAnswer()
	case key.Matches(msg, k.CopyHeaders):
		return nil, s.copyHeaders()
	case key.Matches(msg, k.CopyMessage):
		if s.report == nil {
			return nil, noticeIntent("nothing to copy: paste a delivery first")
		}
		return nil, copyIntent{what: "signed message", value: string(s.report.Message)}
	}
	return nil, nil
}

func (s *webhookScreen) copyAnswer() intent {
	if s.report == nil || s.report.Handshake == nil {
		return noticeIntent("no handshake answer: it is computed for a url_validation event whose signature verifies")
	}
	b, _ := json.Marshal(s.report.Handshake)
	return copyIntent{what: "handshake answer", value: string(b)}
}

// copyHeaders copies the headers the typed token gives this body at its timestamp.
func (s *webhookScreen) copyHeaders() intent {
	ss := s.secrets()
	if s.report == nil || len(ss) == 0 || s.report.Timestamp == "" {
		return noticeIntent("no headers to compute: paste a delivery with a timestamp and give a Secret Token")
	}
	return copyIntent{what: "computed headers", value: s.headers(ss[0])}
}

func (s *webhookScreen) headers(sec webhook.Secret) string {
	return fmt.Sprintf("%s: %s\n%s: %s", webhook.HeaderTimestamp, s.report.Timestamp, webhook.HeaderSignature,
		webhook.Sign(sec.Value, s.report.Timestamp, s.parsed.Body))
}

// paste puts pasted text into the token field when it has focus, otherwise into the delivery
// field, replacing what is there: a delivery is pasted whole.
func (s *webhookScreen) paste(msg tea.PasteMsg) (tea.Cmd, intent) {
	if s.focus == focusHookToken || s.focus == focusHookEndpoint {
		return s.updateText(msg), nil
	}
	var in intent
	content := msg.Content
	if s.sawPasteStart && !s.pasteFresh && s.focus == focusHookDelivery { // the rest of one paste
		content = s.pasteRaw + content
	}
	s.pasteFresh = false
	if len(content) > maxDeliveryField {
		content = content[:maxDeliveryField]
		in = noticeIntent(fmt.Sprintf("the paste was cut to %d KiB: for a bigger capture run zoomdbg webhook FILE", maxDeliveryField>>10))
	}
	focus := s.setFocus(focusHookDelivery)
	s.pasteRaw, s.pasted = content, lineEndings(content)
	s.setText(shown(s.pasted))
	return focus, in
}

// lineEndings undoes what terminals do to a paste: they send each LF as CR, so an LF capture
// arrives with CRs and a CRLF capture (nc -l, a proxy's dump) with CR CR. The first line break
// tells which: CR CR means CRLF, restored byte for byte, so Content-Length still fits; a single
// CR is an LF. A paste that holds LFs arrived unchanged and is kept as it is.
func lineEndings(paste string) string {
	if strings.Contains(paste, "\n") {
		return paste
	}
	i := strings.IndexByte(paste, '\r')
	if i >= 0 && strings.HasPrefix(paste[i:], "\r\r") {
		return strings.ReplaceAll(paste, "\r\r", "\r\n")
	}
	return strings.ReplaceAll(paste, "\r", "\n")
}

// shown is a paste as the delivery field holds it: LF line endings. Terminals paste line breaks
// as CR, and a CRLF capture arrives as CRLF or CR CR; both become one LF per CR.
func shown(paste string) string {
	return strings.ReplaceAll(strings.ReplaceAll(paste, "\r\n", "\n"), "\r", "\n")
}

func (s *webhookScreen) setText(v string) {
	switch s.focus {
	case focusHookDelivery:
		s.delivery.SetValue(v)
	case focusHookToken:
		s.token.SetValue(v)
	case focusHookEndpoint:
		s.endpoint.SetValue(v)
		return
	}
	s.scroll = 0
	s.verify()
}

func (s *webhookScreen) updateText(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d, t := s.delivery.Value(), s.token.Value()
	switch s.focus {
	case focusHookDelivery:
		s.delivery, cmd = s.delivery.Update(msg)
	case focusHookToken:
		s.token, cmd = s.token.Update(msg)
	case focusHookEndpoint:
		s.endpoint, cmd = s.endpoint.Update(msg)
		return cmd
	}
	if d != s.delivery.Value() || t != s.token.Value() {
		s.verify()
	}
	return cmd
}

func (s *webhookScreen) setFocus(f webhookFocus) tea.Cmd {
	s.focus = f
	s.keymap.inText = s.inText()
	s.delivery.Blur()
	s.token.Blur()
	s.endpoint.Blur()
	switch f {
	case focusHookEndpoint:
		return s.endpoint.Focus()
	case focusHookDelivery:
		return s.delivery.Focus()
	case focusHookToken:
		return s.token.Focus()
	}
	return nil
}

func (s *webhookScreen) inText() bool { return s.focus != focusHookReport }

// leaveFields moves focus out of the text fields, for a screen reached by a key; a paste still
// lands in the delivery field.
func (s *webhookScreen) leaveFields() { s.setFocus(focusHookReport) }

func (s *webhookScreen) helpKeys() help.KeyMap { return s.keymap }

func (s *webhookScreen) textInputs() []*textinput.Model {
	return []*textinput.Model{&s.token, &s.endpoint}
}

func (s *webhookScreen) bodyHeight() int { return max(s.height-len(s.head()), 1) }

// head is the two fields and the verdict, which stay in view while the report scrolls.
func (s *webhookScreen) head() []string {
	cs := s.styles.Context
	label := func(name string, focused bool) string {
		if focused {
			return cs.SectionFocused.Render(name)
		}
		return cs.Label.Render(name)
	}
	lines := []string{cs.Dim.Render("Verify a Zoom webhook delivery: paste it, give the Secret Token.")}
	da := strings.Split(s.delivery.View(), "\n")
	for i, l := range da {
		name := "          "
		if i == 0 {
			name = "delivery  "
		}
		lines = append(lines, label(name, s.focus == focusHookDelivery)+l)
	}
	lines = append(lines, label("token     ", s.focus == focusHookToken)+s.token.View())
	lines = append(lines, label("endpoint  ", s.focus == focusHookEndpoint)+s.endpoint.View())
	for _, l := range wrapWords(s.verdict(), max(s.width-10, 1)) {
		lines = append(lines, "          "+l)
	}
	return lines
}

func (s *webhookScreen) verdict() string {
	cs := s.styles.Context
	var pe *webhook.ParseError
	switch {
	case s.parseErr != nil && errors.As(s.parseErr, &pe):
		return cs.Bad.Render("✗ cannot read the paste: " + termsafe.Escape(pe.Error()))
	case s.parseErr != nil:
		return cs.Bad.Render("✗ " + termsafe.Escape(s.parseErr.Error()))
	case s.report == nil:
		return cs.Dim.Render("waiting for a delivery")
	case s.report.OK:
		return cs.OK.Render("✓ verified with " + termsafe.Escape(s.report.Label))
	}
	return cs.Bad.Render("✗ not verified: " + termsafe.Escape(s.report.Cause))
}

// View draws the screen in exactly s.height lines of at most s.width cells.
func (s *webhookScreen) View() string {
	head, room := s.head(), s.bodyHeight()
	// A report longer than the room ends with the "↕ lines a-b of n" line every scrolled panel has.
	body := window(scrolled(*s.styles, s.shown(), &s.scroll, room), new(int), room)
	return fit(strings.Join(append(head, body...), "\n"), s.width)
}

// body is the report, wrapped to the width: it scrolls under the head.
func (s *webhookScreen) body() []string {
	out := s.runLines()
	r := s.report
	if r == nil {
		return out
	}
	cs := s.styles.Context
	e := termsafe.Escape
	w := max(s.width-2, 10)
	add := func(style func(...string) string, text string) {
		for _, l := range wrapWords(text, w) {
			out = append(out, "  "+style(l))
		}
	}
	plain := func(ss ...string) string { return strings.Join(ss, " ") }
	section := func(name string) { out = append(out, "", cs.Section.Render(name)) }

	d := r.Delivery
	add(plain, fmt.Sprintf("%s, %s %s, %d-byte body%s", d.Format, e(d.Method), e(d.Target), len(d.Body), map[bool]string{true: ", event " + e(r.Event), false: ""}[r.Event != ""]))
	for _, n := range d.Notes {
		add(cs.Warn.Render, "note: "+e(n))
	}
	for _, p := range r.Problems {
		add(cs.Bad.Render, "problem: "+e(p))
	}
	if r.AgeNote != "" {
		add(plain, "age: "+e(r.AgeNote))
	}
	if !r.OK && r.Fix != "" {
		add(cs.Warn.Render, "fix: "+e(r.Fix))
	}

	section(fmt.Sprintf("signed message, %d bytes: \"v0:\" + timestamp + \":\" + raw body", len(r.Message)))
	for _, p := range r.Parts {
		out = append(out, fmt.Sprintf("  %6d %6d  %-9s", p.Start, p.End-p.Start, p.Name))
	}
	for _, l := range wrapPlain(e(string(r.Message)), w) {
		out = append(out, "  "+l)
	}

	section("signatures (the tokens are never shown)")
	recv := "(no " + webhook.HeaderSignature + " header)"
	if sig, ok := d.Get(webhook.HeaderSignature); ok {
		recv = e(sig)
	}
	add(plain, "received  "+recv)
	for _, x := range r.Expected {
		mark := cs.Bad.Render("✗ differs")
		if x.Verifies {
			mark = cs.OK.Render("✓ verifies")
		}
		add(plain, fmt.Sprintf("%-9s %s %s", e(clipRunes(x.Label, 9)), x.Signature, mark))
	}
	for _, v := range r.Variants {
		if v.Matches {
			add(cs.Warn.Render, fmt.Sprintf("reproduced by secret %s: %s", e(v.Secret), e(v.Name)))
		}
	}

	if r.Handshake != nil {
		section("handshake answer (HTTP 200, JSON, within 3 s) — c copies it")
		b, _ := json.Marshal(r.Handshake)
		for _, l := range wrapPlain(e(string(b)), w) {
			out = append(out, "  "+l)
		}
	}
	if ss := s.secrets(); len(ss) > 0 && r.Timestamp != "" {
		section("headers " + e(ss[0].Label) + " gives this body — C copies them")
		for _, l := range strings.Split(s.headers(ss[0]), "\n") {
			for _, p := range wrapPlain(e(l), w) {
				out = append(out, "  "+p)
			}
		}
	}
	return out
}

// clipRunes shortens s to n runes.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// scrollPanel scrolls the report under the fields, as pgup/pgdn and g/G do on every screen.
func (s *webhookScreen) scrollPanel(to scrollTo) {
	scrollBy(&s.scroll, to, s.bodyHeight(), len(s.shown()))
}

// shown is the report as the / search leaves it.
func (s *webhookScreen) shown() []string { return filterLines(s.body(), s.filter) }

// setFilter applies the / search to the report, as every screen's search does.
func (s *webhookScreen) setFilter(q string) { s.filter, s.scroll = q, 0 }

// click focuses the field under the pointer, or selects the endpoint check's row under it, as a
// click does on the Check screen's rows.
func (s *webhookScreen) click(_, y int) tea.Cmd {
	head := s.head()
	fields := len(strings.Split(s.delivery.View(), "\n")) // the delivery's lines, under the line that explains
	switch {
	case y >= 1 && y <= fields:
		return s.setFocus(focusHookDelivery)
	case y == fields+1:
		return s.setFocus(focusHookToken)
	case y == fields+2:
		return s.setFocus(focusHookEndpoint)
	case y < len(head):
		return nil
	}
	if i, ok := s.rowAt(s.scroll + y - len(head)); ok {
		s.sel = i
	}
	return s.setFocus(focusHookReport)
}

// wheel scrolls the report, wherever the pointer is.
func (s *webhookScreen) wheel(_, d int) {
	s.scrollPanel(map[int]scrollTo{-1: scrollLineUp, 1: scrollLineDown}[d])
}
