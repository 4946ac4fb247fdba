// Package tui is zoomdbg's interactive face: a Bubble Tea program with five screens, a file each:
// App Context (a live byte-offset inspector, core's verdict and the key-derivation diagnosis),
// PKCE (every challenge method side by side), Flow (the OAuth flow step by step, and lanes that
// compare methods), Check (the developer's backend tested from outside) and Webhook (a pasted
// delivery verified live, and the endpoint check). One keymap (keys.go), mouse and search
// (interact.go) and an input filter that keeps stray pasted bytes from hanging it (input.go) serve
// them all. It presents what core computes and computes nothing of its own.
package tui

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/config"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/snippet"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
	"github.com/zoomdbg/zoomdbg/core/webhook"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// Options are what the debugger opens with.
type Options struct {
	Token    string
	Secrets  []appctx.Secret
	ClientID string
	Screen   string // "context" (default) or "pkce"
	Verifier string
	Demo     bool
	Gallery  []fixtures.Example // the demo's examples, filled in by New when Demo is set
	Flow     oauth.Config       // the Flow screen's settings; empty fields are Zoom's defaults
	Warnings []string           // about how the secrets were given (--secret, a readable file)
	Check    CheckSettings

	Theme     string // "dark" or "light" forces the palette; "" follows the terminal's background
	Language  string // the snippet language offered first
	StatePath string // where Run saves the screen, language and method on quit; "" saves nothing

	ServerPolicy string // the Flow server's PKCE policy in words, when known (the demo's mock)

	WebhookSecrets []webhook.Secret // the Webhook screen's Secret Tokens

	// Test hooks: a pinned clock, random source and clipboard. Zero values use the real ones.
	Now       func() time.Time
	Rand      io.Reader
	Clipboard func(string) (string, error)       // returns the helper that took the value
	Derive    func([]appctx.Secret) []appctx.Key // appctx.DeriveAll when nil
}

// Run opens the debugger on the terminal and returns when the user quits.
func Run(o Options) error {
	m, err := New(o)
	if err != nil {
		return err
	}
	in, closeIn, err := terminalInput()
	if err != nil {
		return err
	}
	defer closeIn()
	_, err = tea.NewProgram(m, tea.WithInput(in)).Run()
	if o.StatePath != "" && err == nil {
		_ = config.SaveState(o.StatePath, m.State()) // a convenience: failing to save is no failure
	}
	return err
}

// screenFlags are the screens' names as --screen and the saved state spell them.
var screenFlags = [...]string{"context", "pkce", "flow", "check", "webhook"}

// State is what the debugger remembers for the next run: the screen, the snippet language and
// the challenge method the user left it on.
func (m *Model) State() config.State {
	return config.State{Screen: screenFlags[m.active], Language: snippet.Languages[m.context.selLang].Name,
		Method: string(pkce.Methods[m.flow.method])}
}

// terminalInput is the terminal Bubble Tea reads keys from (standard input, or the controlling
// terminal when a token was piped in, as Bubble Tea itself would choose), behind the filter that
// keeps a pasted control byte from hanging the program.
func terminalInput() (*filteredInput, func(), error) {
	if term.IsTerminal(os.Stdin.Fd()) {
		return &filteredInput{File: os.Stdin}, func() {}, nil
	}
	in, out, err := tea.OpenTTY()
	if err != nil {
		return nil, nil, err
	}
	return &filteredInput{File: in}, func() { in.Close(); out.Close() }, nil
}

// Minimum terminal size the layout is designed for.
const (
	minWidth  = 80
	minHeight = 24
)

type screen int

const (
	screenContext screen = iota
	screenPKCE
	screenFlow
	screenCheck
	screenWebhook
)

// intent is what a screen asks the root to do.
type intent interface{}

// copyIntent asks the root to copy a value; sensitive values need a confirmation first.
type copyIntent struct {
	what, value string
	sensitive   bool
}

// noticeIntent asks the root to show a short notice.
type noticeIntent string

// copiedMsg reports how a copy went.
type copiedMsg struct {
	what   string
	helper string // the system clipboard helper that took it
	system error  // from the system clipboard; OSC 52 is always sent
}

type clearNoticeMsg struct{ id int }

// Model is the root: it owns the screens, the styles, the help bar and the clipboard.
type Model struct {
	styles  Styles
	keys    rootKeyMap
	help    help.Model
	active  screen
	context *contextScreen
	pkce    *pkceScreen
	flow    *flowScreen
	check   *checkScreen
	webhook *webhookScreen
	demo    bool

	clipboard func(string) (string, error)
	confirm   *copyIntent // a sensitive copy waiting for y/n

	showHelp  bool                     // the grouped help overlay is up
	expanded  *pager                   // the selection shown whole (enter), over the screen
	searching *textinput.Model         // the / prompt, while it is open
	filters   [len(screenFlags)]string // each screen's search
	noMouse   bool                     // mouse capture off (ctrl+s), so the terminal selects text
	theme     string                   // the config's forced theme, or ""
	notice    string
	noticeID  int

	width, height int
	laidOut       int      // the screens' height at the last layout
	warnings      []string // about how the secrets were given, shown until a key is pressed
}

// New builds the root model; Run uses it, and tests drive it directly.
func New(o Options) (*Model, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Clipboard == nil {
		o.Clipboard = systemClipboard
	}
	if o.Demo {
		d, err := fixtures.LoadDemo()
		if err != nil {
			return nil, err
		}
		if o.Gallery, err = fixtures.DemoGallery(o.Now(), o.Rand); err != nil {
			return nil, err
		}
		o.Token = o.Gallery[0].Paste
		o.Secrets = []appctx.Secret{{Label: d.SecretLabel, Value: []byte(d.Secret)}}
		o.ClientID = d.ClientID
	}
	m := &Model{styles: newStyles(true), keys: defaultRootKeyMap(), help: help.New(), demo: o.Demo,
		clipboard: o.Clipboard, width: minWidth, height: minHeight, warnings: o.Warnings}
	m.context = newContextScreen(o, &m.styles, o.Now)
	m.pkce = newPKCEScreen(o.Verifier, &m.styles, o.Rand)
	m.flow = newFlowScreen(o.Flow, &m.styles, m.context.uid)
	m.flow.policy = o.ServerPolicy
	if o.Demo { // the demo has something to read on every screen: the panels have the keys
		m.pkce.setFocus(focusMethods)
	}
	m.check = newCheckScreen(o.Check, &m.styles, m.context.firstSecret, func() string { return m.context.clientID }, o.Rand)
	m.webhook = newWebhookScreen(o.WebhookSecrets, &m.styles, o.Now)
	m.restyle()
	for i, name := range screenFlags {
		if o.Screen == name {
			m.active = screen(i)
		}
	}
	for i, l := range snippet.Languages {
		if strings.EqualFold(l.Name, o.Language) {
			m.context.selLang = i
		}
	}
	if o.Theme != "" { // the config says what the terminal may not report
		m.theme = o.Theme
		m.styles = newStyles(o.Theme == config.ThemeDark)
	}
	m.layout()
	return m, nil
}

// restyle hands the palette to the bubbles, whose styles are values they keep.
func (m *Model) restyle() {
	m.help.Styles = m.styles.Help
	m.context.token.SetStyles(m.styles.TextArea)
	m.webhook.delivery.SetStyles(m.styles.TextArea)
	for _, c := range []child{m.context, m.pkce, m.flow, m.check, m.webhook} {
		for _, in := range c.textInputs() {
			in.SetStyles(m.styles.TextInput)
		}
	}
}

// Init asks the terminal for its background and starts deriving keys.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.context.Init(), clockTick())
}

// clockMsg comes once a second, so that a context's expiry counts down as the user watches.
type clockMsg struct{}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

// Update routes a message: global keys here, everything else to the active screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		if m.theme != "" {
			return m, nil // forced by the config
		}
		m.styles = newStyles(msg.IsDark())
		m.restyle()
		return m, nil
	case keysDerivedMsg:
		cmd, _ := m.context.Update(msg)
		return m, cmd
	case clockMsg:
		m.context.tick()
		return m, clockTick()
	case copiedMsg:
		return m, m.setNotice(copyNotice(msg))
	case clearNoticeMsg:
		if msg.id == m.noticeID {
			m.notice = ""
		}
		return m, nil
	case tea.KeyPressMsg:
		m.warnings = nil
		if m.tooSmall() { // nothing on screen to act on: only ctrl+c
			if key.Matches(msg, m.keys.ForceQuit) {
				return m, tea.Quit
			}
			return m, nil
		}
		if cmd, done := m.globalKey(msg); done {
			return m, cmd
		}
	case tea.PasteMsg:
		if m.tooSmall() || m.showHelp || m.expanded != nil {
			return m, nil
		}
		if m.searching != nil {
			var cmd tea.Cmd
			*m.searching, cmd = m.searching.Update(msg)
			return m, cmd
		}
	case tea.MouseMsg:
		if m.tooSmall() {
			return m, nil
		}
		return m, m.mouse(msg)
	}
	var cmd tea.Cmd
	var in intent
	switch msg.(type) {
	case flowStepMsg, flowFollowMsg, laneDoneMsg: // a flow runs on whatever screen is shown
		cmd, in = m.flow.Update(msg)
	case checkEventMsg, checkDoneMsg: // and so does a check
		cmd, in = m.check.Update(msg)
	case hookProbeMsg, hookDoneMsg: // and the Webhook screen's endpoint check
		cmd, in = m.webhook.Update(msg)
	case spinner.TickMsg:
		c1, _ := m.flow.Update(msg)
		c2, _ := m.check.Update(msg)
		cmd = tea.Batch(c1, c2)
	default:
		cmd, in = m.screen().Update(msg)
	}
	return m, tea.Batch(cmd, m.carryOut(in))
}

// child is what the root needs of a screen. A new screen can embed noPanelActions for the panel
// methods it does not support yet; its key map may add a groups method for titled help groups.
type child interface {
	textInputs() []*textinput.Model
	Update(tea.Msg) (tea.Cmd, intent)
	View() string
	SetSize(w, h int)
	inText() bool
	helpKeys() help.KeyMap
	// scroll moves the screen's scrollable panel; selection is the selected row's whole text
	// (enter shows it in a pager), "" when nothing is selected.
	scrollPanel(scrollTo)
	selection() (title, text string)
	// click acts on a click at (x, y) of the screen's own area; wheel scrolls what is under y.
	click(x, y int) tea.Cmd
	wheel(y, delta int)
	setFilter(q string)
}

func (m *Model) screen() child {
	switch m.active {
	case screenPKCE:
		return m.pkce
	case screenFlow:
		return m.flow
	case screenCheck:
		return m.check
	case screenWebhook:
		return m.webhook
	}
	return m.context
}

// globalKey handles the keys that act on every screen; done reports that the key was used.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	if m.confirm != nil {
		c := m.confirm
		m.confirm = nil
		if msg.String() == "y" {
			return m.copy(*c), true
		}
		return m.setNotice("copy cancelled"), true
	}
	switch {
	case key.Matches(msg, k.ForceQuit):
		return tea.Quit, true
	case m.searching != nil:
		return m.searchKey(msg), true
	case m.showHelp:
		if key.Matches(msg, k.Help, k.HelpAnywhere, k.Quit) || msg.String() == "esc" {
			m.showHelp = false
		}
		return nil, true
	case m.expanded != nil:
		if !m.expanded.key(msg, k) {
			m.expanded = nil
		}
		return nil, true
	case key.Matches(msg, k.HelpAnywhere):
		m.showHelp = true
		return nil, true
	case key.Matches(msg, k.Mouse):
		m.noMouse = !m.noMouse
		if m.noMouse {
			return m.setNotice("mouse off: the terminal selects text now; ctrl+s turns the mouse back on"), true
		}
		return m.setNotice("mouse on: click tabs, fields and rows, the wheel scrolls; ctrl+s turns it off to select text"), true
	}
	for i, b := range k.Alt {
		if key.Matches(msg, b) {
			m.switchTo(screen(i))
			return nil, true
		}
	}
	if m.inText() {
		switch {
		case key.Matches(msg, k.PageUp):
			m.screen().scrollPanel(scrollPageUp)
			return nil, true
		case key.Matches(msg, k.PageDown):
			m.screen().scrollPanel(scrollPageDown)
			return nil, true
		}
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Quit):
		return tea.Quit, true
	case key.Matches(msg, k.Search):
		return m.openSearch(), true
	case key.Matches(msg, k.PageUp):
		m.screen().scrollPanel(scrollPageUp)
	case key.Matches(msg, k.PageDown):
		m.screen().scrollPanel(scrollPageDown)
	case key.Matches(msg, k.Top):
		m.screen().scrollPanel(scrollTop)
	case key.Matches(msg, k.Bottom):
		m.screen().scrollPanel(scrollBottom)
	case key.Matches(msg, k.Expand):
		title, text := m.screen().selection()
		if text == "" {
			return nil, false // the screen's own enter (a field's), if any
		}
		m.expanded = &pager{title: title, text: text}
	default:
		for i, d := range k.Digits {
			if key.Matches(msg, d) {
				m.switchTo(screen(i))
				return nil, true
			}
		}
		return nil, false
	}
	return nil, true
}

// switchTo shows screen s. A screen reached by a key opens outside its text fields, so the next
// key typed (another digit, a letter) acts instead of landing in a field; tab or a paste gets
// into them.
func (m *Model) switchTo(s screen) {
	if s != m.active {
		m.active = s
		if l, ok := m.screen().(interface{ leaveFields() }); ok {
			l.leaveFields()
		}
	}
	m.layout()
}

func (m *Model) inText() bool { return m.screen().inText() }

func (m *Model) carryOut(in intent) tea.Cmd {
	switch in := in.(type) {
	case noticeIntent:
		return m.setNotice(string(in))
	case copyIntent:
		if in.value == "" { // copying nothing would wipe what the clipboard holds
			return m.setNotice(fmt.Sprintf("nothing copied: %s is empty", in.what))
		}
		if in.sensitive {
			m.confirm = &in
			return nil
		}
		return m.copy(in)
	}
	return nil
}

// copy sends the value to the terminal's clipboard with OSC 52, which works over SSH, and to the
// system clipboard when a helper (xclip, wl-copy, pbcopy) is there; the notice says which took it.
func (m *Model) copy(c copyIntent) tea.Cmd {
	clip := m.clipboard
	return tea.Batch(tea.SetClipboard(c.value), func() tea.Msg {
		helper, err := clip(c.value)
		return copiedMsg{what: c.what, helper: helper, system: err}
	})
}

// copyNotice says where a copy went, and no more than is known: OSC 52 is sent, but whether the
// terminal takes it cannot be seen from here.
func copyNotice(msg copiedMsg) string {
	const osc52 = "sent via OSC 52 (your terminal must allow it)"
	if msg.system != nil {
		return fmt.Sprintf("%s %s; not in the system clipboard: %v", msg.what, osc52, msg.system)
	}
	return fmt.Sprintf("copied %s to the system clipboard (%s), and %s", msg.what, msg.helper, osc52)
}

// noticeTTL is how long a notice stays in the status line.
const noticeTTL = 4 * time.Second

func (m *Model) setNotice(s string) tea.Cmd {
	m.noticeID++
	m.notice = s
	id := m.noticeID
	return tea.Tick(noticeTTL, func(time.Time) tea.Msg { return clearNoticeMsg{id} })
}

// Rows taken by the root around a screen: tab bar, status line, help bar.
func (m *Model) chromeHeight() int { return 1 + lineCount(m.statusLine()) + lineCount(m.helpView()) }

func (m *Model) layout() {
	h := m.height - m.chromeHeight()
	m.laidOut = h
	m.context.SetSize(m.width, h)
	m.pkce.SetSize(m.width, h)
	m.flow.SetSize(m.width, h)
	m.check.SetSize(m.width, h)
	m.webhook.SetSize(m.width, h)
}

func lineCount(s string) int { return strings.Count(s, "\n") + 1 }

// helpView draws the help bar for the keys that act right now: one line, "? help" first and
// "ctrl+c quit" last at any width.
func (m *Model) helpView() string {
	var keys []key.Binding
	switch {
	case m.searching != nil:
		keys = []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear the search"))}
	case m.expanded != nil:
		keys = []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")), m.keys.PageUp, m.keys.Top}
	default:
		keys = m.screen().helpKeys().ShortHelp()
		if !m.inText() {
			keys = append(keys, m.keys.Search)
		}
	}
	return shortHelp(m.keys, keys, m.inText() && m.expanded == nil && !m.showHelp, m.width, m.help.Styles)
}

// helpOverlay is the full help, grouped: the keys of the screen the user is on, then the shared
// ones, drawn over the screen in its height.
func (m *Model) helpOverlay(height int) string {
	groups := append(screenGroups(m.screen().helpKeys()), m.keys.sharedGroups(m.inText())...)
	lines := fullHelp(groups, m.width, m.help.Styles, "keys on "+screenNames[m.active])
	return strings.Join(window(lines, new(int), height), "\n")
}

var screenNames = [...]string{"1 App Context", "2 PKCE", "3 Flow", "4 Check", "5 Webhook"}

func (m *Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// View draws the whole terminal. Only the root returns a tea.View and sets the screen modes.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	if !m.noMouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "zoomdbg"
	return v
}

// render draws the content of the view: every line within the terminal's width.
func (m *Model) render() string {
	if m.tooSmall() {
		msg := fmt.Sprintf("zoomdbg needs at least %d×%d;\nthis terminal is %d×%d: please enlarge it.\n\nctrl+c quits.",
			minWidth, minHeight, m.width, m.height)
		return fit(msg, max(m.width, 1))
	}
	status, help := m.statusLine(), m.helpView()
	if m.height-1-lineCount(status)-lineCount(help) != m.laidOut { // a notice or a question took more or fewer lines
		m.layout()
	}
	body := m.screen().View()
	switch {
	case m.showHelp:
		body = m.helpOverlay(m.laidOut)
	case m.expanded != nil:
		body = m.expanded.view(m.width, m.laidOut, m.styles)
	}
	parts := []string{m.tabBar(), body, status, help}
	return fit(strings.Join(parts, "\n"), m.width)
}

func (m *Model) tabBar() string {
	a := m.styles.App
	bar := a.Title.Render(tabTitle)
	for i, name := range screenNames {
		if screen(i) == m.active {
			bar += " " + a.TabActive.Render("["+name+"]")
		} else {
			bar += " " + a.TabInactive.Render(" "+name+" ")
		}
	}
	if _, _, on := m.context.onExample(); on {
		bar += "   " + a.Demo.Render("DEMO")
	}
	return bar
}

// statusLine is the confirmation asked for, the latest notice, or the warnings about how the
// secrets were given, wrapped to the width: what it says is never cut.
func (m *Model) statusLine() string {
	a := m.styles.App
	var text string
	style := a.Notice
	switch {
	case m.searching != nil:
		return fit(a.Title.Render("/")+m.searching.View(), m.width)
	case m.confirm != nil:
		text, style = fmt.Sprintf("copy the %s? it is secret key material. y to copy, any other key cancels", m.confirm.what), a.Error
	case m.notice != "":
		text = m.notice
	case len(m.warnings) > 0:
		text, style = "warning: "+strings.Join(m.warnings, "; ")+" (any key hides this)", a.Error
	case m.filters[m.active] != "":
		text = fmt.Sprintf("showing only lines with %q: / changes it, / then enter on nothing clears it", m.filters[m.active])
	}
	if text == "" {
		return ""
	}
	lines := wrapWords(termsafe.Escape(text), max(m.width, 1))
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return strings.Join(lines, "\n")
}
