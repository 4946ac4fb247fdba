package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

type flowFocus int

const (
	focusServer flowFocus = iota
	focusClientID
	focusFlowSecret
	focusRedirect
	focusSteps
	focusPaste
	flowFocusCount = focusPaste // the paste field is reached with p, not tab
)

type flowKeyMap struct {
	Next, Prev, Leave, Run, Method, Follow, Open, Paste, Up, Down, Copy, Reveal, InClient, Lanes, Left, Right key.Binding
	inText                                                                                                    bool
}

func defaultFlowKeyMap() flowKeyMap {
	return flowKeyMap{
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev")),
		Leave:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
		Run:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run")),
		Method:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "method")),
		Follow:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow (mock)")),
		Open:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open browser")),
		Paste:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "paste URL")),
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("j/k", "select")),
		Down:     key.NewBinding(key.WithKeys("j", "down")),
		Copy:     key.NewBinding(key.WithKeys("c", "y"), key.WithHelp("c", "copy")),
		Reveal:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal secret")),
		InClient: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "in-client flow")),
		Lanes:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "view: lanes/steps")),
		Left:     key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("h/l", "shift lanes")),
		Right:    key.NewBinding(key.WithKeys("l", "right")),
	}
}

// ShortHelp shows the keys that act right now.
func (k flowKeyMap) ShortHelp() []key.Binding {
	if k.inText {
		return []key.Binding{k.Leave, k.Next, k.Reveal}
	}
	return []key.Binding{k.Run, k.Follow, k.Method, k.Lanes, k.Up, k.Copy, k.Open, k.Paste}
}

// FullHelp is the screen's groups, as bubbles' help.KeyMap has them.
func (k flowKeyMap) FullHelp() [][]key.Binding { return fullHelpOf(k.groups()) }

// groups lists the screen's own keys for the help overlay.
func (k flowKeyMap) groups() []helpGroup {
	return []helpGroup{
		{"fields and panels", []key.Binding{k.Next, k.Prev, k.Leave, k.Reveal}},
		{"flow", []key.Binding{k.Run, k.Follow, k.Method, k.Open, k.Paste, k.InClient, k.Up, k.Copy}},
		{"lanes", []key.Binding{k.Lanes, k.Left}},
	}
}

// Messages of a running flow, tagged with the run they belong to.
type (
	flowStepMsg struct {
		gen    int
		result *oauth.Result
		next   oauth.StepName // the step to run after this one, "" when done
	}
	flowFollowMsg struct {
		gen int
		err error
	}
)

// flowScreen runs the OAuth flow step by step and keeps, per challenge method, how it ended.
type flowScreen struct {
	styles  *Styles
	keymap  flowKeyMap
	spinner spinner.Model

	server, clientID, secret, redirect, paste textinput.Model
	serverInit                                string       // the server field as the command line set it
	detailScroll                              int          // the first line of the selected step's details shown
	detailRoom                                int          // how many lines of details the last view showed
	inClient                                  bool         // walk a Zoom App's in-client OAuth (i)
	lane                                      lanes        // every method side by side (v)
	base                                      oauth.Config // what the fields do not hold
	method                                    int          // index into pkce.Methods

	focus    flowFocus
	reveal   bool
	sel      int // selected step
	gen      int // the current run; messages of older runs are dropped
	result   *oauth.Result
	listener *oauth.Listener
	cancel   context.CancelFunc
	waiting  bool
	err      string                        // why the run could not start
	tried    map[pkce.Method]string        // how each method's last run ended
	runs     map[pkce.Method]*oauth.Result // each method's last run, for the verdict
	uid      func() string                 // the uid of the token on the App Context screen

	filter    string // the / search: only the detail's or the lanes' lines holding it
	policy    string // the server's PKCE policy in words, when known
	cache     detailCache
	stepsTop  int // the screen line of the first step, at the last View
	detailLen int // the lines of details or lanes, at the last View

	width, height int
}

func newFlowScreen(c oauth.Config, styles *Styles, contextUID func() string) *flowScreen {
	field := func(placeholder, value string) textinput.Model {
		t := textinput.New()
		t.Prompt, t.Placeholder = "", placeholder
		t.SetValue(value)
		return t
	}
	s := &flowScreen{styles: styles, keymap: defaultFlowKeyMap(), spinner: spinner.New(spinner.WithSpinner(spinner.Line)),
		base: c, tried: map[pkce.Method]string{}, runs: map[pkce.Method]*oauth.Result{}, uid: contextUID, lane: lanes{running: -1}}
	server := ""
	if c.TokenURL != "" && c.TokenURL != oauth.ZoomTokenURL {
		server = strings.TrimSuffix(c.TokenURL, "/oauth/token")
	}
	s.server = field("empty for zoom.us, or a mock's URL (zoomdbg mock-oauth)", server)
	s.serverInit = server
	s.clientID = field("client ID", c.ClientID)
	s.secret = field("client secret", string(c.ClientSecret))
	s.secret.EchoMode, s.secret.EchoCharacter = textinput.EchoPassword, '•'
	redirect := c.RedirectURI
	if redirect == "" {
		redirect = oauth.DefaultRedirectURI
	}
	s.redirect = field("redirect URI", redirect)
	s.paste = field("paste the URL the browser was redirected to, then enter", "")
	for i, m := range pkce.Methods {
		if m == c.Method {
			s.method = i
		}
	}
	s.focus = focusSteps
	return s
}

func (s *flowScreen) inputs() []*textinput.Model {
	return []*textinput.Model{&s.server, &s.clientID, &s.secret, &s.redirect}
}

func (s *flowScreen) inText() bool { return s.focus != focusSteps }

func (s *flowScreen) helpKeys() help.KeyMap { return s.keymap }

// SetSize lays the screen out for w×h cells.
func (s *flowScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	for _, in := range append(s.inputs(), &s.paste) {
		in.SetWidth(w - 14)
	}
}

// config reads the settings from the fields.
func (s *flowScreen) config() (oauth.Config, error) {
	c := s.base
	c.ClientID = strings.TrimSpace(s.clientID.Value())
	c.ClientSecret = []byte(s.secret.Value())
	c.RedirectURI = strings.TrimSpace(s.redirect.Value())
	c.Method = pkce.Methods[s.method]
	c.InClient = s.inClient
	// The endpoints given on the command line (--mock, --authorize-url, --token-url, --api-url, as
	// zoomdbg flow takes them) stand until the server field is edited.
	if srv := strings.TrimSpace(s.server.Value()); srv != s.serverInit {
		c.AuthorizeURL, c.TokenURL, c.APIURL = "", "", ""
		c.Metadata, c.Issuer, c.MeURL = nil, "", "" // what discovery found was about the other server
		if srv != "" {
			c = c.ForServer(srv)
		}
	}
	c = c.WithDefaults()
	return c, c.Validate()
}

// Update handles a message and returns a command and an intent for the root.
func (s *flowScreen) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg.(type) {
	case flowStepMsg, laneDoneMsg, flowFollowMsg:
		s.cache = detailCache{} // a result may change in place (a failed follow)
	}
	switch msg := msg.(type) {
	case flowStepMsg:
		return s.stepDone(msg), nil
	case laneDoneMsg:
		return s.laneDone(msg), nil
	case flowFollowMsg:
		if msg.gen == s.gen && msg.err != nil && s.result != nil {
			s.result.Fail(oauth.StepAuthorize, msg.err) // the authorize request is what failed
			s.record(s.result)
			s.stop()
			s.gen++ // the listener's wait, cancelled by stop, must not report "context canceled" over it
		}
		return nil, nil
	case spinner.TickMsg:
		if !s.waiting && !(s.lane.on && s.lane.running >= 0) {
			return nil, nil
		}
		var cmd tea.Cmd
		s.spinner, cmd = s.spinner.Update(msg)
		return cmd, nil
	case tea.PasteMsg:
		if s.focus == focusSteps {
			s.setFocus(focusPaste)
		}
		return s.updateText(msg), nil
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	}
	return s.updateText(msg), nil
}

func (s *flowScreen) updateKey(msg tea.KeyPressMsg) (tea.Cmd, intent) {
	k := s.keymap
	switch {
	case s.focus == focusPaste && msg.String() == "enter":
		return s.takePaste(), nil
	case key.Matches(msg, k.Next):
		return s.setFocus((s.focus + 1) % flowFocusCount), nil
	case key.Matches(msg, k.Prev):
		return s.setFocus((s.focus + flowFocusCount - 1) % flowFocusCount), nil
	case key.Matches(msg, k.Reveal):
		s.reveal = !s.reveal
		s.secret.EchoMode = map[bool]textinput.EchoMode{true: textinput.EchoNormal, false: textinput.EchoPassword}[s.reveal]
		return nil, nil
	case s.inText() && (key.Matches(msg, k.Leave) || msg.String() == "enter"):
		return s.setFocus(focusSteps), nil
	case s.inText():
		return s.updateText(msg), nil
	case key.Matches(msg, k.Lanes):
		s.lane.on, s.detailScroll = !s.lane.on, 0
		return nil, nil
	case s.lane.on && (key.Matches(msg, k.Run) || key.Matches(msg, k.Follow)):
		return tea.Batch(s.runLanes(), s.spinner.Tick), nil
	case s.lane.on && key.Matches(msg, k.Left):
		s.lane.offset = max(s.lane.offset-1, 0)
		return nil, nil
	case s.lane.on && key.Matches(msg, k.Right):
		s.lane.offset++
		return nil, nil
	case key.Matches(msg, k.Run):
		return s.run(), nil
	case key.Matches(msg, k.Method):
		s.method = (s.method + 1) % len(pkce.Methods)
	case key.Matches(msg, k.Follow):
		return s.follow(), nil
	case key.Matches(msg, k.Open):
		if s.result != nil && !oauth.OpenBrowser(s.result.Attempt.URL) {
			return nil, noticeIntent("no browser here: copy the authorize URL (c on the authorize step) and open it elsewhere")
		}
	case key.Matches(msg, k.InClient):
		s.inClient = !s.inClient
		s.stop()
		s.gen++ // the previous run is another flow's: drop it and whatever it still sends
		s.result, s.err, s.sel, s.detailScroll = nil, "", 0, 0
		clear(s.tried)
		if s.inClient { // zoomSdk.authorize documents plain only; m still picks another
			s.method = slices.Index(pkce.Methods, pkce.Plain)
		}
		return nil, nil
	case key.Matches(msg, k.Paste):
		// The paste field is drawn in the callback step's details: show them.
		s.sel, s.detailScroll = stepIndex(oauth.StepCallback), 0
		return s.setFocus(focusPaste), nil
	case key.Matches(msg, k.Up):
		s.sel, s.detailScroll = clamp(s.sel-1, 0, len(oauth.Steps)-1), 0
	case key.Matches(msg, k.Down):
		s.sel, s.detailScroll = clamp(s.sel+1, 0, len(oauth.Steps)-1), 0
	case key.Matches(msg, k.Copy):
		return nil, s.copyIntent()
	}
	return nil, nil
}

func (s *flowScreen) updateText(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch s.focus {
	case focusPaste:
		s.paste, cmd = s.paste.Update(msg)
	case focusSteps:
	default:
		in := s.inputs()[s.focus]
		before := in.Value()
		*in, cmd = in.Update(msg)
		if in.Value() != before { // another server or app: the results on the method line no longer hold
			clear(s.tried)
		}
	}
	return cmd
}

func (s *flowScreen) setFocus(f flowFocus) tea.Cmd {
	s.focus = f
	s.keymap.inText = s.inText()
	for _, in := range append(s.inputs(), &s.paste) {
		in.Blur()
	}
	switch {
	case f == focusPaste:
		return s.paste.Focus()
	case f != focusSteps:
		return s.inputs()[f].Focus()
	}
	return nil
}

// stop ends the current run's waiting: the listener closes and its goroutine returns.
func (s *flowScreen) stop() {
	s.waiting = false
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.listener != nil {
		s.listener.Close()
		s.listener = nil
	}
}

// run starts a new attempt with the current method: listener, verifier, challenge, URL, and a
// command that waits for the callback.
func (s *flowScreen) run() tea.Cmd {
	s.stop()
	s.gen++
	s.err, s.result = "", nil
	c, err := s.config()
	if err != nil {
		s.err = err.Error()
		return nil
	}
	if c.InClient { // no browser and no listener: the Zoom client's part is played by the mock
		a, err := oauth.NewAttempt(c, "", nil)
		if err != nil {
			s.err = err.Error()
			return nil
		}
		s.result, s.sel = oauth.NewResult(a), 1
		gen, r := s.gen, s.result.Clone()
		return func() tea.Msg {
			r.InClient(context.Background(), nil)
			return flowStepMsg{gen: gen, result: r, next: oauth.StepToken}
		}
	}
	l, err := oauth.Listen(c.RedirectURI)
	if err != nil {
		s.err = err.Error() + " — run anyway with a non-loopback redirect and paste the URL (p)"
	} else {
		c.RedirectURI = l.RedirectURI(c.RedirectURI)
	}
	a, err := oauth.NewAttempt(c, "", nil)
	if err != nil {
		s.err = err.Error()
		if l != nil {
			l.Close()
		}
		return nil
	}
	s.result = oauth.NewResult(a)
	s.sel = 1 // the authorize step: its URL is what the user needs now
	if l == nil {
		return nil
	}
	l.Expect(a.State)
	s.listener, s.waiting = l, true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	s.cancel = cancel
	gen, r := s.gen, s.result.Clone()
	wait := func() tea.Msg {
		cb, err := l.Wait(ctx)
		r.TakeCallback(cb, err)
		return flowStepMsg{gen: gen, result: r, next: oauth.StepToken}
	}
	return tea.Batch(wait, s.spinner.Tick)
}

// follow plays the browser for a server that approves at once.
func (s *flowScreen) follow() tea.Cmd {
	if s.result == nil || !s.waiting {
		// One key does it all: start a run, then follow its authorize URL.
		run := s.run()
		if !s.waiting {
			return run
		}
		return tea.Batch(run, s.follow())
	}
	gen, u, timeout := s.gen, s.result.Attempt.URL, s.result.Attempt.Config.Timeout
	return func() tea.Msg {
		_, err := oauth.Follow(context.Background(), nil, u, timeout)
		return flowFollowMsg{gen: gen, err: err}
	}
}

// takePaste reads a redirected URL pasted by hand, in place of the listener.
func (s *flowScreen) takePaste() tea.Cmd {
	v := s.paste.Value()
	s.paste.SetValue("")
	s.setFocus(focusSteps)
	if s.result == nil {
		return nil
	}
	s.stop()
	s.gen++ // the paste supersedes the listener: its cancelled wait must not report back
	r := s.result.Clone()
	cb, err := oauth.ParseCallback(v, r.Attempt.State)
	r.TakeCallback(cb, err)
	return s.stepDone(flowStepMsg{gen: s.gen, result: r, next: oauth.StepToken})
}

// stepDone takes a step's result and starts the next step while the flow is going well.
func (s *flowScreen) stepDone(msg flowStepMsg) tea.Cmd {
	if msg.gen != s.gen {
		return nil // a run the user has since replaced
	}
	s.result = msg.result
	if msg.next == oauth.StepToken {
		s.stop()
	}
	step := s.result.Steps[prevStep(msg.next)]
	if !step.OK || msg.next == "" {
		s.record(s.result)
		return nil
	}
	s.sel = stepIndex(msg.next)
	gen, r := s.gen, s.result.Clone()
	return func() tea.Msg {
		ctx := context.Background()
		switch msg.next {
		case oauth.StepToken:
			r.Exchange(ctx, nil)
			return flowStepMsg{gen: gen, result: r, next: oauth.StepRefresh}
		case oauth.StepRefresh:
			r.Refresh(ctx, nil)
			return flowStepMsg{gen: gen, result: r, next: oauth.StepMe}
		}
		r.FetchMe(ctx, nil)
		return flowStepMsg{gen: gen, result: r}
	}
}

// prevStep is the step whose outcome decides whether next runs.
func prevStep(next oauth.StepName) oauth.StepName {
	switch next {
	case oauth.StepToken:
		return oauth.StepCallback
	case oauth.StepRefresh:
		return oauth.StepClaims
	case oauth.StepMe:
		return oauth.StepRefresh
	}
	return oauth.StepMe
}

func stepIndex(n oauth.StepName) int {
	for i, s := range oauth.Steps {
		if s == n {
			return i
		}
	}
	return 0
}

func (s *flowScreen) copyIntent() intent {
	if s.result == nil {
		return nil
	}
	r := s.result
	switch oauth.Steps[s.sel] {
	case oauth.StepAuthorize:
		return copyIntent{what: "authorize URL", value: r.Attempt.URL}
	case oauth.StepChallenge:
		return copyIntent{what: "verifier", value: r.Attempt.Verifier}
	case oauth.StepToken:
		if r.TokenRequest != nil {
			return copyIntent{what: "token request as curl, with the client secret", value: r.TokenRequest.Curl(true), sensitive: true}
		}
	case oauth.StepClaims, oauth.StepRefresh:
		if r.Token != nil {
			return copyIntent{what: "access token", value: r.Token.AccessToken, sensitive: true}
		}
	case oauth.StepMe:
		if r.Me != nil {
			return copyIntent{what: "user's email", value: r.Me.Email}
		}
	}
	return nil
}

// flowHeaderHeight: four settings fields, the methods line, the run line.
const flowHeaderHeight = 6

// View draws the screen in s.height lines of at most s.width cells.
func (s *flowScreen) View() string {
	cs := s.styles.Context
	label := func(name string, f flowFocus) string {
		if s.focus == f {
			return cs.SectionFocused.Render(fmt.Sprintf("%-10s", name))
		}
		return cs.Label.Render(fmt.Sprintf("%-10s", name))
	}
	lines := []string{
		label("server", focusServer) + "  " + s.server.View(),
		label("client id", focusClientID) + "  " + s.clientID.View(),
		label("secret", focusFlowSecret) + "  " + s.secret.View(),
		label("redirect", focusRedirect) + "  " + s.redirect.View(),
	}
	if s.policy != "" { // the server's PKCE policy, when zoomdbg knows it (the demo's own mock)
		for i, l := range wrapWords(s.policy, max(s.width-12, 1)) {
			lead := cs.Label.Render("pkce policy ")
			if i > 0 {
				lead = "            "
			}
			lines = append(lines, lead+cs.Dim.Render(l))
		}
	}
	// The method line and the run line carry results and what to do next: wrapped, never cut.
	lines = append(lines, wrapWords(s.methodsLine(), s.width)...)
	if s.lane.on {
		lines = append(lines, wrapWords(s.lanesVerdict(), s.width)...)
		lines = append(lines, s.scrolled(filterLines(s.lanesTable(), s.filter), s.height-len(lines))...)
		for len(lines) < s.height {
			lines = append(lines, "")
		}
		return fit(strings.Join(lines[:s.height], "\n"), s.width)
	}
	lines = append(lines, wrapWords(s.runLine(), s.width)...)
	s.stepsTop = len(lines)
	lines = append(lines, s.steps()...)
	lines = append(lines, s.scrolled(s.shownDetail(), s.height-len(lines))...)
	for len(lines) < s.height {
		lines = append(lines, "")
	}
	return fit(strings.Join(lines[:s.height], "\n"), s.width)
}

// record keeps how a run ended, for the line of methods and its verdict.
func (s *flowScreen) record(r *oauth.Result) {
	m := r.Attempt.Challenge.Method
	s.tried[m], s.runs[m] = summaryOf(r), r
}

// verdict is what the runs so far show together, read by the same rule as zoomdbg flow --compare;
// "" until they show something beyond each run's own outcome.
func (s *flowScreen) verdict() string {
	var lanes []oauth.Lane
	for _, m := range pkce.Methods {
		if r := s.runs[m]; r != nil {
			lanes = append(lanes, oauth.Lane{Method: m, Result: r})
		}
	}
	v := oauth.ReadVerdict(lanes, s.base.Advertised(), nil)
	var parts []string
	if v.Enforced == "no" {
		parts = append(parts, "S256 and zoom-legacy both pass: the server does not hold the verifier to the challenge (PKCE not enforced)")
	}
	if len(v.Ignores) > 0 {
		parts = append(parts, "the server ignores "+strings.Join(v.Ignores, " and ")+" (lenience, not another method)")
	}
	return strings.Join(parts, "; ")
}

// scrolled fits what is under the settings (the selected step's details, or the lanes) into room
// lines, with a last line saying which lines are shown when they do not all fit.
func (s *flowScreen) scrolled(block []string, room int) []string {
	s.detailRoom, s.detailLen = max(room-1, 1), len(block)
	return scrolled(*s.styles, block, &s.detailScroll, room)
}

func (s *flowScreen) methodsLine() string {
	cs := s.styles.Context
	parts := []string{cs.Label.Render("method    ")}
	if s.inClient {
		parts[0] = cs.Label.Render("in-client ")
	}
	for i, m := range pkce.Methods {
		name := string(m)
		if t, ok := s.tried[m]; ok {
			name += " " + t
		}
		if i == s.method {
			name = cs.SectionFocused.Render("[" + name + "]")
		} else {
			name = cs.Dim.Render(" " + name + " ")
		}
		parts = append(parts, name)
	}
	if v := s.verdict(); v != "" {
		parts = append(parts, cs.Warn.Render("  "+v))
	}
	return strings.Join(parts, "")
}

func (s *flowScreen) runLine() string {
	cs := s.styles.Context
	switch {
	case s.err != "":
		return cs.Bad.Render("✗ " + termsafe.Escape(s.err))
	case s.inClient && s.result == nil:
		return cs.Dim.Render("in-client (i): r plays zoomSdk.authorize, the user's consent and onAuthorized through the mock, then the backend's exchange")
	case s.result == nil:
		return cs.Dim.Render("r runs the flow with the selected method; m changes it; against zoomdbg mock-oauth, f plays the browser; i walks the in-client flow")
	case s.waiting:
		return cs.Warn.Render(s.spinner.View() + " waiting for the callback on " + s.result.Attempt.Config.RedirectURI +
			": open the URL (o), follow it (f) or paste the redirect (p)")
	}
	return cs.Dim.Render("r runs again; m and r try another method")
}

func (s *flowScreen) steps() []string {
	cs := s.styles.Context
	if s.result == nil {
		return nil
	}
	var out []string
	for i, n := range oauth.Steps {
		st := s.result.Steps[n]
		mark, style := "·", cs.Dim
		switch {
		case st.Skipped:
			mark, style = "–", cs.Dim
		case st.Done && st.OK:
			mark, style = "✓", cs.OK
		case st.Done:
			mark, style = "✗", cs.Bad
		case s.waiting && n == oauth.StepCallback:
			mark, style = s.spinner.View(), cs.Warn
		}
		sel := "  "
		if i == s.sel && s.focus == focusSteps {
			sel = "▸ "
		}
		detail := st.Detail
		if !st.Done {
			detail = "not reached"
		}
		out = append(out, sel+style.Render(fmt.Sprintf("%s %-9s", mark, n))+" "+termsafe.Escape(clip(detail, s.width)))
	}
	return out
}

// detail shows the selected step in full.
func (s *flowScreen) detail() []string {
	if s.result == nil {
		return nil
	}
	cs := s.styles.Context
	r := s.result
	var text string
	switch oauth.Steps[s.sel] {
	case oauth.StepChallenge:
		text = fmt.Sprintf("verifier  %s\nchallenge %s (%s)", r.Attempt.Verifier, r.Attempt.Challenge.Value, r.Attempt.Challenge.Method.Describe())
	case oauth.StepAuthorize:
		text = r.Attempt.URL
	case oauth.StepCallback:
		text = r.Steps[oauth.StepCallback].Detail
	case oauth.StepToken:
		if r.TokenRequest != nil {
			text = r.TokenRequest.Text(s.reveal)
			if r.TokenResponse != nil {
				text += fmt.Sprintf("\n→ HTTP %d %s", r.TokenResponse.Status, r.TokenBody(s.reveal))
			}
		}
	case oauth.StepClaims:
		if r.JWT != nil {
			var b strings.Builder
			for _, k := range r.JWT.Names() {
				fmt.Fprintf(&b, "%-10s %s\n", k, r.JWT.ClaimText(k))
			}
			text = b.String()
		}
	case oauth.StepRefresh:
		text = r.Steps[oauth.StepRefresh].Detail
	case oauth.StepMe:
		text = s.meText()
	}
	// A failed step leads with what the server said and why zoomdbg thinks it said it, so that at
	// 80×24 the reason is on screen before the request that produced it.
	if st := r.Steps[oauth.Steps[s.sel]]; st.Done && !st.OK && oauth.Steps[s.sel] != oauth.StepCallback {
		lead := st.Detail
		for i, c := range st.Causes {
			if i == 0 {
				lead += "\nlikely causes, most likely first:"
			}
			lead += fmt.Sprintf("\n%d. %s", i+1, c)
		}
		if text != "" && text != st.Detail {
			lead += "\n\n" + text
		}
		text = lead
	}
	out := []string{""}
	if oauth.Steps[s.sel] == oauth.StepCallback && s.focus == focusPaste {
		// The field is drawn as it is (it styles itself), not escaped like text from a server.
		out = append(out, "  paste  "+s.paste.View())
	}
	for _, l := range strings.Split(termsafe.EscapeLines(strings.TrimRight(text, "\n")), "\n") {
		for _, w := range wrapWords(l, s.width-4) {
			out = append(out, "  "+cs.Dim.Render(w))
		}
	}
	return out
}

func (s *flowScreen) meText() string {
	r := s.result
	if r.Me == nil {
		return r.Steps[oauth.StepMe].Detail
	}
	text := fmt.Sprintf("%s %s <%s>\nid %s · account %s", r.Me.FirstName, r.Me.LastName, r.Me.Email, r.Me.ID, r.Me.AccountID)
	switch uid := s.uid(); {
	case uid == "":
		text += "\n(load an app context on screen 1 to compare its uid with this id)"
	case uid == r.Me.ID:
		text += "\nthe app context's uid is this user: uid " + uid + " is " + r.Me.Email
	default:
		text += "\nthe app context's uid " + uid + " is another user than this token's"
	}
	return text
}

func (s *flowScreen) textInputs() []*textinput.Model { return append(s.inputs(), &s.paste) }

func (s *flowScreen) scrollPanel(to scrollTo) {
	scrollBy(&s.detailScroll, to, s.detailRoom, s.detailLen)
}

func (s *flowScreen) wheel(_, d int) {
	s.scrollPanel(map[int]scrollTo{-1: scrollLineUp, 1: scrollLineDown}[d])
}

func (s *flowScreen) setFilter(q string) { s.filter, s.detailScroll = q, 0 }

// click focuses the field under the pointer, or selects the step.
func (s *flowScreen) click(_, y int) tea.Cmd {
	if y < len(s.inputs()) {
		return s.setFocus(flowFocus(y))
	}
	if s.lane.on || s.result == nil {
		return s.setFocus(focusSteps)
	}
	if i := y - s.stepsTop; i >= 0 && i < len(oauth.Steps) {
		s.sel, s.detailScroll = i, 0
	}
	return s.setFocus(focusSteps)
}

// selection is the selected step's details whole, unwrapped by the screen's width.
func (s *flowScreen) selection() (string, string) {
	if s.result == nil || s.lane.on {
		return "", ""
	}
	var lines []string
	for _, l := range s.detail() {
		lines = append(lines, strings.TrimPrefix(ansi.Strip(l), "  "))
	}
	st := s.result.Steps[oauth.Steps[s.sel]]
	return "the " + string(oauth.Steps[s.sel]) + " step", st.Detail + "\n\n" + strings.TrimSpace(strings.Join(lines, "\n"))
}

// detailCache keeps the selected step's wrapped and filtered details between frames: a server's
// 1 MB error_description is wrapped once, and each later frame costs what it shows.
type detailCache struct {
	key   string
	lines []string
}

// shownDetail is detail() through the search, from the cache while nothing it depends on changed.
func (s *flowScreen) shownDetail() []string {
	if s.focus == focusPaste || s.result == nil { // the paste field changes as it is typed in
		return filterLines(s.detail(), s.filter)
	}
	key := fmt.Sprintf("%p|%d|%d|%v|%q|%q|%v", s.result, s.sel, s.width, s.reveal, s.filter, s.uid(), s.styles.Dark)
	if s.cache.key != key {
		s.cache = detailCache{key: key, lines: filterLines(s.detail(), s.filter)}
	}
	return s.cache.lines
}
