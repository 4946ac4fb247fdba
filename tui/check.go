package tui

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/check"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// CheckSettings are what the Check screen opens with: the same settings as zoomdbg check.
type CheckSettings struct {
	URL, Endpoint, Via, RefusedBody string
	Client                          *http.Client // --cacert or --insecure; nil for the defaults
	CurlTLS                         string       // the same for curl
}

type checkFocus int

const (
	focusCheckURL checkFocus = iota
	focusCheckEndpoint
	focusCheckVia
	focusCheckRows
	checkFocusCount
)

type checkKeyMap struct {
	Next, Prev, Leave, Submit, Run, Up, Down, Copy key.Binding
	inText                                         bool
}

func defaultCheckKeyMap() checkKeyMap {
	return checkKeyMap{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev")),
		Leave:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run (in a field)")),
		Run:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run check")),
		Up:     key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("j/k", "select")),
		Down:   key.NewBinding(key.WithKeys("j", "down")),
		Copy:   key.NewBinding(key.WithKeys("c", "y"), key.WithHelp("c", "copy curl")),
	}
}

// ShortHelp shows the keys that act right now.
func (k checkKeyMap) ShortHelp() []key.Binding {
	if k.inText {
		return []key.Binding{k.Submit, k.Leave, k.Next}
	}
	return []key.Binding{k.Run, k.Up, k.Copy, k.Next}
}

// FullHelp is the screen's groups, as bubbles' help.KeyMap has them.
func (k checkKeyMap) FullHelp() [][]key.Binding { return fullHelpOf(k.groups()) }

// groups lists the screen's own keys for the help overlay.
func (k checkKeyMap) groups() []helpGroup {
	return []helpGroup{
		{"fields and panels", []key.Binding{k.Next, k.Prev, k.Leave, k.Submit}},
		{"check", []key.Binding{k.Run, k.Up, k.Copy}},
	}
}

// Messages of a running check, tagged with the run they belong to.
type (
	checkEventMsg struct {
		gen   int
		event check.Event
		wait  tea.Cmd // waits for the next event
	}
	checkDoneMsg struct {
		gen    int
		report *check.Report
		err    error
	}
)

// worst is the row of the most serious failure, so that it is selected and in view when a check
// ends, its details and curl command under the list: the first row when nothing failed.
func (s *checkScreen) worst() int {
	best, sev := 0, check.Severity(-1)
	for i, r := range s.rows {
		switch {
		case r.home != nil && len(r.home.Missing()) > 0 && r.home.Rendered() && check.Serious > sev:
			best, sev = i, check.Serious
		case r.c != nil && !r.probe && r.c.Tested && !r.c.Pass && r.c.Severity > sev:
			best, sev = i, r.c.Severity
		}
	}
	return best
}

// checkRow is one line of the results: the home URL, a case, or a diagnosis probe.
type checkRow struct {
	home  *check.Home
	c     *check.Case
	probe bool
}

// checkScreen runs zoomdbg check against the developer's backend and shows the rows as they come.
type checkScreen struct {
	styles  *Styles
	keymap  checkKeyMap
	spinner spinner.Model

	url, endpoint, via textinput.Model
	refusedBody        string
	client             *http.Client
	curlTLS            string
	secret             func() ([]byte, string) // the App Context screen's secret and its label
	clientID           func() string
	rand               io.Reader

	focus   checkFocus
	sel     int
	gen     int
	running bool
	rows    []checkRow
	report  *check.Report
	err     string
	cancel  context.CancelFunc
	stale   bool // a field changed since the result on screen

	filter       string // the / search: only the rows holding it
	detailScroll int    // the first line of the selected row's details shown
	detailRoom   int
	detailLen    int
	listTop      int   // the screen line of the first row shown, at the last View
	listRows     []int // the rows shown, in order, at the last View

	width, height int
}

func newCheckScreen(o CheckSettings, styles *Styles, secret func() ([]byte, string), clientID func() string, rnd io.Reader) *checkScreen {
	field := func(placeholder, value string) textinput.Model {
		t := textinput.New()
		t.Prompt, t.Placeholder = "", placeholder
		t.SetValue(value)
		return t
	}
	via := o.Via
	if via == "" {
		via = "header"
	}
	s := &checkScreen{styles: styles, keymap: defaultCheckKeyMap(), spinner: spinner.New(spinner.WithSpinner(spinner.Line)),
		url:         field("your app's home URL, as registered with Zoom (https://…/)", o.URL),
		endpoint:    field("where the backend reads the context; empty: the home URL", o.Endpoint),
		via:         field("header, query:NAME or json:FIELD", via),
		refusedBody: o.RefusedBody, client: o.Client, curlTLS: o.CurlTLS, secret: secret, clientID: clientID, rand: rnd}
	if rnd == nil {
		s.rand = rand.Reader
	}
	s.setFocus(focusCheckURL)
	if o.URL != "" {
		s.setFocus(focusCheckRows)
	}
	return s
}

func (s *checkScreen) inputs() []*textinput.Model {
	return []*textinput.Model{&s.url, &s.endpoint, &s.via}
}

func (s *checkScreen) inText() bool          { return s.focus != focusCheckRows }
func (s *checkScreen) helpKeys() help.KeyMap { return s.keymap }
func (s *checkScreen) SetSize(w, h int)      { s.width, s.height = w, h; s.sizeFields() }
func (s *checkScreen) sizeFields() {
	s.eachInput(func(in *textinput.Model) { in.SetWidth(max(s.width-14, 10)) })
}
func (s *checkScreen) eachInput(f func(*textinput.Model)) {
	for _, in := range s.inputs() {
		f(in)
	}
}

func (s *checkScreen) setFocus(f checkFocus) tea.Cmd {
	s.focus = f
	s.keymap.inText = s.inText()
	s.eachInput(func(in *textinput.Model) { in.Blur() })
	if f != focusCheckRows {
		return s.inputs()[f].Focus()
	}
	return nil
}

// Update handles a message and returns a command and an intent for the root.
func (s *checkScreen) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case checkEventMsg:
		if msg.gen != s.gen {
			return nil, nil
		}
		s.take(msg.event)
		return msg.wait, nil
	case checkDoneMsg:
		if msg.gen != s.gen {
			return nil, nil
		}
		s.running, s.report = false, msg.report
		if msg.err != nil {
			s.err = msg.err.Error()
		}
		if r := msg.report; r != nil {
			s.rows = reportRows(r)
		}
		s.sel = s.worst()
		return nil, nil
	case spinner.TickMsg:
		if !s.running {
			return nil, nil
		}
		var cmd tea.Cmd
		s.spinner, cmd = s.spinner.Update(msg)
		return cmd, nil
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	case tea.PasteMsg:
		if !s.inText() { // a paste outside the fields is a home URL
			focus := s.setFocus(focusCheckURL)
			return tea.Batch(focus, s.updateText(msg)), nil
		}
	}
	return s.updateText(msg), nil
}

// leaveFields moves focus out of the text fields, for a screen reached by a key.
func (s *checkScreen) leaveFields() { s.setFocus(focusCheckRows) }

func (s *checkScreen) updateKey(msg tea.KeyPressMsg) (tea.Cmd, intent) {
	k := s.keymap
	switch {
	case key.Matches(msg, k.Next):
		return s.setFocus((s.focus + 1) % checkFocusCount), nil
	case key.Matches(msg, k.Prev):
		return s.setFocus((s.focus + checkFocusCount - 1) % checkFocusCount), nil
	case s.inText() && key.Matches(msg, k.Submit):
		s.setFocus(focusCheckRows)
		return s.run()
	case s.inText() && key.Matches(msg, k.Leave):
		return s.setFocus(focusCheckRows), nil
	case s.inText():
		return s.updateText(msg), nil
	case key.Matches(msg, k.Run):
		return s.run()
	case key.Matches(msg, k.Up):
		s.sel, s.detailScroll = clamp(s.sel-1, 0, len(s.rows)-1), 0
	case key.Matches(msg, k.Down):
		s.sel, s.detailScroll = clamp(s.sel+1, 0, len(s.rows)-1), 0
	case key.Matches(msg, k.Copy):
		return nil, s.copyIntent()
	}
	return nil, nil
}

func (s *checkScreen) updateText(msg tea.Msg) tea.Cmd {
	if !s.inText() {
		return nil
	}
	in := s.inputs()[s.focus]
	before := in.Value()
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	if in.Value() != before && (s.report != nil || s.err != "") && !s.running {
		s.stale = true // the result on screen is for the settings before this edit
	}
	return cmd
}

// options reads the settings from the fields, as zoomdbg check reads its flags.
func (s *checkScreen) options() (check.Options, error) {
	secret, _ := s.secret()
	o := check.Options{URL: strings.TrimSpace(s.url.Value()), Endpoint: strings.TrimSpace(s.endpoint.Value()),
		Secret: secret, ClientID: s.clientID(), Rand: s.rand, Client: s.client, CurlTLS: s.curlTLS}
	var err error
	if o.Via, err = check.ParseVia(strings.TrimSpace(s.via.Value())); err != nil {
		return o, err
	}
	if s.refusedBody != "" {
		if o.RefusedBody, err = regexp.Compile(s.refusedBody); err != nil {
			return o, err
		}
	}
	if o.URL == "" {
		return o, fmt.Errorf("no URL: type your app's home URL in the first field")
	}
	if len(secret) == 0 {
		return o, fmt.Errorf("no secret: give the app's development secret on screen 1 (or --secret-file)")
	}
	return o, nil
}

// run starts a check in the background; its events arrive one by one as messages.
func (s *checkScreen) run() (tea.Cmd, intent) {
	if s.cancel != nil {
		s.cancel()
	}
	s.gen++
	s.rows, s.report, s.err, s.sel, s.stale, s.detailScroll = nil, nil, "", 0, false, 0
	o, err := s.options()
	if err != nil {
		s.err = err.Error()
		return nil, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.running = cancel, true
	events := make(chan check.Event, 64)
	done := make(chan checkDoneMsg, 1)
	gen := s.gen
	o.Progress = func(e check.Event) {
		select {
		case events <- e:
		case <-ctx.Done():
		}
	}
	go func() {
		r, err := check.Run(ctx, o)
		close(events)
		done <- checkDoneMsg{gen: gen, report: r, err: err}
	}()
	var wait tea.Cmd
	wait = func() tea.Msg {
		e, ok := <-events
		if !ok {
			return <-done
		}
		return checkEventMsg{gen: gen, event: e, wait: wait}
	}
	return tea.Batch(wait, s.spinner.Tick), nil
}

// reportRows are the rows of a finished check, as the report finally judged them: a row may
// change after its event (a refusal proves nothing once the valid context turns out refused).
func reportRows(r *check.Report) []checkRow {
	rows := []checkRow{{home: r.Home}}
	for i := range r.Cases {
		if c := &r.Cases[i]; c.Status != 0 || c.Error != "" {
			rows = append(rows, checkRow{c: c})
		}
	}
	if d := r.Diagnosis; d != nil {
		for i := range d.Tried {
			rows = append(rows, checkRow{c: &d.Tried[i], probe: true})
		}
	}
	return rows
}

// take adds what an event brings: the home URL's row, or a case's.
func (s *checkScreen) take(e check.Event) {
	switch {
	case e.Home != nil:
		s.rows = append(s.rows, checkRow{home: e.Home})
	case e.Case != nil:
		s.rows = append(s.rows, checkRow{c: e.Case, probe: e.Probe})
	}
}

func (s *checkScreen) copyIntent() intent {
	if s.sel >= len(s.rows) {
		return nil
	}
	r := s.rows[s.sel]
	if r.home != nil {
		return copyIntent{what: "the home request as curl", value: r.home.Curl}
	}
	return copyIntent{what: "curl for " + r.c.Name, value: r.c.Curl}
}

// checkHeaderHeight: three settings fields, the secret line, the verdict line.
const checkHeaderHeight = 5

// View draws the screen in s.height lines of at most s.width cells.
func (s *checkScreen) View() string {
	cs := s.styles.Context
	label := func(name string, f checkFocus) string {
		if s.focus == f {
			return cs.SectionFocused.Render(fmt.Sprintf("%-10s", name))
		}
		return cs.Label.Render(fmt.Sprintf("%-10s", name))
	}
	_, secretLabel := s.secret()
	secretLine := cs.Label.Render("secret      ") + "••••••••  from " + secretLabel + " (screen 1's secret field)"
	if secretLabel == "" {
		secretLine = cs.Label.Render("secret      ") + cs.Warn.Render("none: type the app's development secret on screen 1, or start with --secret-file")
	}
	lines := []string{
		label("home URL", focusCheckURL) + "  " + s.url.View(),
		label("endpoint", focusCheckEndpoint) + "  " + s.endpoint.View(),
		label("via", focusCheckVia) + "  " + s.via.View(),
	}
	// The secret's line and the verdict say what to do next: wrapped, never cut.
	for i, l := range wrapWords(secretLine, max(s.width-12, 1)) {
		if i > 0 {
			l = "            " + l
		}
		lines = append(lines, l)
	}
	lines = append(lines, wrapWords(s.verdict(), s.width)...)
	all := s.rowLines()
	var rows []string
	s.listRows = s.listRows[:0]
	for i, r := range all {
		if len(filterLines([]string{r}, s.filter)) == 1 {
			rows, s.listRows = append(rows, r), append(s.listRows, i)
		}
	}
	detail := s.detail()
	room := max(s.height-len(lines), 0)
	listH := min(len(rows), max(room-min(len(detail), room/2), room/2))
	at := 0
	for j, i := range s.listRows {
		if i == s.sel {
			at = j
		}
	}
	more := len(rows) > listH && listH > 2 // not every row fits: say which are shown
	if more {
		listH--
	}
	first := clamp(at-listH/2, 0, max(len(rows)-listH, 0))
	s.listTop = len(lines)
	s.listRows = s.listRows[first : first+listH]
	lines = append(lines, rows[first:first+listH]...)
	if more {
		lines = append(lines, cs.Dim.Render(fmt.Sprintf("  ↕ rows %d-%d of %d · j/k, wheel", first+1, first+listH, len(rows))))
	}
	detailRoom := s.height - len(lines)
	s.detailRoom, s.detailLen = max(detailRoom-1, 1), len(detail)
	if detailRoom > 0 {
		lines = append(lines, scrolled(*s.styles, detail, &s.detailScroll, detailRoom)...)
	}
	for len(lines) < s.height {
		lines = append(lines, "")
	}
	return fit(strings.Join(lines[:s.height], "\n"), s.width)
}

func (s *checkScreen) verdict() string {
	cs := s.styles.Context
	switch {
	case s.err != "":
		return cs.Bad.Render("✗ " + termsafe.Escape(s.err))
	case s.running:
		return cs.Warn.Render(fmt.Sprintf("%s checking: %d requests so far, one at a time", s.spinner.View(), len(s.rows)))
	case s.report == nil && strings.TrimSpace(s.url.Value()) == "" && !s.inText():
		return "tab to type your app's home URL (or paste it), then enter runs zoomdbg check: the home URL as the Zoom client fetches it, then a battery of contexts"
	case s.report == nil:
		return "enter (in a field) or r runs zoomdbg check: the home URL as the Zoom client fetches it, then a battery of contexts"
	}
	stale := ""
	if s.stale {
		stale = cs.Warn.Render(" · stale: the settings changed since, r runs again")
	}
	if s.report.OK {
		return cs.OK.Render(fmt.Sprintf("✓ PASS: the backend accepts exactly what it must (%d requests)", s.report.Requests)) + stale
	}
	// The diagnosis, when the probes found one, is the answer: it leads, the count follows, then
	// what stopped the battery and why nothing could be judged.
	var parts []string
	if d := s.report.Diagnosis; d != nil && d.Bug != "" {
		parts = append(parts, termsafe.Escape(d.Bug))
	}
	if n := check.Count(s.report.Findings()); n != "" {
		parts = append(parts, n)
	}
	if st := s.report.Stopped; st != nil {
		parts = append(parts, termsafe.Escape(st.Describe()))
	}
	if s.report.JudgedBy == check.JudgedByNothing {
		parts = append(parts, termsafe.Escape(s.report.Judged))
	}
	return cs.Bad.Render(fmt.Sprintf("✗ FAIL: %s (%d requests)", strings.Join(parts, " · "), s.report.Requests)) + stale
}

// rowLines draws one line per row: mark, what a correct backend does, the case, what happened.
func (s *checkScreen) rowLines() []string {
	cs := s.styles.Context
	out := make([]string, 0, len(s.rows))
	nameW := 26 // the names' column: as wide as the longest, so HTTP lines up on every row
	for _, r := range s.rows {
		if r.c != nil {
			nameW = max(nameW, len(r.c.Name))
		}
	}
	for i, r := range s.rows {
		sel := "  "
		if i == s.sel && s.focus == focusCheckRows {
			sel = "▸ "
		}
		var line string
		switch {
		case r.home != nil:
			h := r.home
			ok := len(h.Missing()) == 0 || !h.Rendered()
			// The same columns as the cases' rows: what, which, HTTP status, then the rest.
			line = styled(cs, ok, check.Serious).Render(fmt.Sprintf("%s %-11s", mark(ok), "home URL")) +
				fmt.Sprintf(" %-*s HTTP %3d %s", nameW, fmt.Sprintf("%d of 4 required headers", 4-len(h.Missing())), h.Status,
					termsafe.Escape(clip(h.ContentType, 24)))
		case !r.c.Tested && !r.probe:
			c := r.c
			status := "no answer"
			if c.Status != 0 {
				status = fmt.Sprintf("HTTP %3d", c.Status)
			}
			line = cs.Warn.Render(fmt.Sprintf("– %-11s", "must "+c.Expect)) + fmt.Sprintf(" %-*s %s not tested", nameW, c.Name, status)
		default:
			c := r.c
			got := map[bool]string{true: "accepted", false: "refused"}[c.Accepted]
			what := "must " + c.Expect
			if r.probe {
				what = "probe"
				if s.report != nil {
					got = check.Outcome(*c, s.report.JudgedBy)
				}
			}
			sev := ""
			if !c.Pass && !r.probe {
				sev = " " + strings.ToUpper(c.Severity.String())
			}
			pass := c.Pass || r.probe
			line = styled(cs, pass, c.Severity).Render(fmt.Sprintf("%s %-11s", mark(pass), what)) +
				fmt.Sprintf(" %-*s HTTP %3d %s", nameW, c.Name, c.Status, got) + styled(cs, pass, c.Severity).Render(sev)
		}
		out = append(out, sel+line)
	}
	return out
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func styled(cs ContextStyles, ok bool, sev check.Severity) lipgloss.Style {
	switch {
	case ok:
		return cs.OK
	case sev <= check.Note:
		return cs.Warn
	}
	return cs.Bad
}

// detail shows the selected row in full: why, the request as curl, the response. Prose wraps
// at spaces; the curl command and the response wrap by characters, so a copied value stays whole.
func (s *checkScreen) detail() []string {
	if s.sel >= len(s.rows) {
		return nil
	}
	r := s.rows[s.sel]
	var prose, values []string
	if h := r.home; h != nil {
		for _, hd := range h.Headers {
			v := hd.Value
			if hd.Problem != "" {
				v = hd.Problem
			}
			prose = append(prose, fmt.Sprintf("%s %s: %s", mark(hd.Problem == ""), hd.Name, v))
		}
		if h.Console != "" {
			prose = append(prose, "Zoom's console: "+h.Console)
		}
		for _, n := range h.Notes {
			prose = append(prose, "note: "+n)
		}
		values = []string{h.Curl}
	} else {
		c := r.c
		if d := s.report; d != nil && d.Diagnosis != nil && (r.probe || c.Expect == check.Accept && !c.Accepted) {
			prose = append(prose, "diagnosis: "+d.Diagnosis.Bug, "fix: "+d.Diagnosis.Fix)
		}
		if c.NotTested != "" {
			prose = append(prose, "not tested: "+c.NotTested)
		}
		if c.Error != "" {
			prose = append(prose, c.Error)
		}
		prose = append(prose, c.Why)
		if fix := s.fixFor(c.Name); fix != "" && !r.probe {
			prose = append(prose, "fix: "+fix)
		}
		values = []string{c.Curl, "→ " + strings.ReplaceAll(strings.TrimSpace(c.Response), "\n", " ")}
	}
	out := []string{""}
	for _, p := range prose {
		for _, w := range wrapWords(termsafe.Escape(p), s.width-4) {
			out = append(out, "  "+w)
		}
	}
	for _, v := range values {
		for _, w := range wrapPlain(termsafe.Escape(v), s.width-4) {
			out = append(out, "  "+w)
		}
	}
	return out
}

// fixFor is the fix of the finding a case made, in the backend's language when known.
func (s *checkScreen) fixFor(name string) string {
	if s.report == nil {
		return ""
	}
	for _, f := range s.report.Findings() {
		if f.Case != nil && f.Case.Name == name {
			return f.Fix
		}
	}
	return ""
}

func (s *checkScreen) textInputs() []*textinput.Model { return s.inputs() }

func (s *checkScreen) scrollPanel(to scrollTo) {
	scrollBy(&s.detailScroll, to, s.detailRoom, s.detailLen)
}

// wheel moves the selection over the rows, and scrolls the details under them.
func (s *checkScreen) wheel(y, d int) {
	if y >= s.listTop && y < s.listTop+len(s.listRows) {
		s.sel, s.detailScroll = clamp(s.sel+d, 0, len(s.rows)-1), 0
		return
	}
	s.scrollPanel(map[int]scrollTo{-1: scrollLineUp, 1: scrollLineDown}[d])
}

func (s *checkScreen) setFilter(q string) {
	s.filter, s.detailScroll = q, 0
	first := -1
	for i, r := range s.rowLines() { // keep the selection on a row that is shown
		if len(filterLines([]string{r}, q)) == 1 {
			if i == s.sel {
				return
			}
			if first < 0 {
				first = i
			}
		}
	}
	if first >= 0 {
		s.sel = first
	}
}

// click focuses the field under the pointer, or selects the row.
func (s *checkScreen) click(_, y int) tea.Cmd {
	if y < len(s.inputs()) {
		return s.setFocus(checkFocus(y))
	}
	if i := y - s.listTop; i >= 0 && i < len(s.listRows) {
		s.sel, s.detailScroll = s.listRows[i], 0
	}
	return s.setFocus(focusCheckRows)
}

// selection is the selected row's details whole.
func (s *checkScreen) selection() (string, string) {
	if s.sel >= len(s.rows) {
		return "", ""
	}
	var lines []string
	for _, l := range s.detail() {
		lines = append(lines, strings.TrimPrefix(ansi.Strip(l), "  "))
	}
	return strings.TrimSpace(ansi.Strip(s.rowLines()[s.sel])), strings.TrimSpace(strings.Join(lines, "\n"))
}
