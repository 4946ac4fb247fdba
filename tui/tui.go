// Package tui is zoomdbg's interactive face: a Bubble Tea program with an App Context screen (a
// live byte-offset inspector and key-derivation diagnosis) and a PKCE screen (every challenge
// method side by side). It presents what core computes and computes nothing of its own.
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
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
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

	// Test hooks: a pinned clock, random source and clipboard. Zero values use the real ones.
	Now       func() time.Time
	Rand      io.Reader
	Clipboard func(string) error
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
	return err
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
	system error // from the system clipboard; OSC 52 is always sent
}

type clearNoticeMsg struct{ id int }

type rootKeyMap struct {
	Context, PKCE, Flow, Check, Quit, ForceQuit, Help key.Binding
	// Digits switch screens with plain 1-4 when no text field has focus: alt+N and the F-keys
	// are taken by common macOS and GNOME terminals.
	Digits [4]key.Binding
	// Screens, AnyScreen and FKeys stand for the screen keys in help, and Confirm for the y that
	// confirms a sensitive copy: they are shown, never matched.
	Screens, AnyScreen, FKeys, Confirm key.Binding
	screen                             help.KeyMap // the active screen's, filled in by helpView
}

func defaultRootKeyMap() rootKeyMap {
	k := rootKeyMap{
		Context:   key.NewBinding(key.WithKeys("alt+1", "f1"), key.WithHelp("alt+1/F1", "context")),
		PKCE:      key.NewBinding(key.WithKeys("alt+2", "f2"), key.WithHelp("alt+2/F2", "pkce")),
		Flow:      key.NewBinding(key.WithKeys("alt+3", "f3"), key.WithHelp("alt+3/F3", "flow")),
		Check:     key.NewBinding(key.WithKeys("alt+4", "f4"), key.WithHelp("alt+4/F4", "check")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Screens:   key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "screens")),
		AnyScreen: key.NewBinding(key.WithKeys("alt+1", "alt+2", "alt+3", "alt+4"), key.WithHelp("alt+1-4", "screens, in fields too")),
		FKeys:     key.NewBinding(key.WithKeys("f1", "f2", "f3", "f4"), key.WithHelp("F1-F4", "the same")),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm copying a key")),
	}
	for i := range k.Digits { // shown in help as Screens
		k.Digits[i] = key.NewBinding(key.WithKeys(string(rune('1' + i))))
	}
	return k
}

// ShortHelp is ? first, so that it is never the item a narrow terminal drops, then the current
// screen's keys and the global ones.
func (k rootKeyMap) ShortHelp() []key.Binding {
	return append(append([]key.Binding{k.Help}, k.screen.ShortHelp()...), k.Screens, k.ForceQuit)
}

// FullHelp is every key of the current screen, then every global one.
func (k rootKeyMap) FullHelp() [][]key.Binding {
	screens := k.Screens
	screens.SetHelp("1-4", "screens (outside fields)")
	quit := k.Quit
	quit.SetHelp("q", "quit (outside fields)")
	return append(k.screen.FullHelp(), []key.Binding{screens, k.AnyScreen, k.FKeys, k.Help, k.Confirm, quit, k.ForceQuit})
}

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
	demo    bool

	clipboard func(string) error
	confirm   *copyIntent // a sensitive copy waiting for y/n
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
	m.check = newCheckScreen(o.Check, &m.styles, m.context.firstSecret, func() string { return m.context.clientID }, o.Rand)
	m.restyle()
	switch o.Screen {
	case "pkce":
		m.active = screenPKCE
	case "flow":
		m.active = screenFlow
	case "check":
		m.active = screenCheck
	}
	m.layout()
	return m, nil
}

// restyle hands the palette to the bubbles, whose styles are values they keep.
func (m *Model) restyle() {
	m.help.Styles = m.styles.Help
	m.context.token.SetStyles(m.styles.TextArea)
	for _, c := range []child{m.context, m.pkce, m.flow, m.check} {
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
		if cmd, done := m.globalKey(msg); done {
			return m, cmd
		}
	}
	var cmd tea.Cmd
	var in intent
	switch msg.(type) {
	case flowStepMsg, flowFollowMsg, laneDoneMsg: // a flow runs on whatever screen is shown
		cmd, in = m.flow.Update(msg)
	case checkEventMsg, checkDoneMsg: // and so does a check
		cmd, in = m.check.Update(msg)
	case spinner.TickMsg:
		c1, _ := m.flow.Update(msg)
		c2, _ := m.check.Update(msg)
		cmd = tea.Batch(c1, c2)
	default:
		cmd, in = m.screen().Update(msg)
	}
	return m, tea.Batch(cmd, m.carryOut(in))
}

// child is what the root needs of a screen.
type child interface {
	textInputs() []*textinput.Model
	Update(tea.Msg) (tea.Cmd, intent)
	View() string
	SetSize(w, h int)
	inText() bool
	helpKeys() help.KeyMap
}

func (m *Model) screen() child {
	switch m.active {
	case screenPKCE:
		return m.pkce
	case screenFlow:
		return m.flow
	case screenCheck:
		return m.check
	}
	return m.context
}

// globalKey handles the keys that act on every screen; done reports that the key was used.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.confirm != nil {
		c := m.confirm
		m.confirm = nil
		if msg.String() == "y" {
			return m.copy(*c), true
		}
		return m.setNotice("copy cancelled"), true
	}
	inText := m.inText()
	switch {
	case key.Matches(msg, m.keys.ForceQuit):
		return tea.Quit, true
	case key.Matches(msg, m.keys.Context):
		m.active = screenContext
		m.layout()
		return nil, true
	case key.Matches(msg, m.keys.PKCE):
		m.active = screenPKCE
		m.layout()
		return nil, true
	case key.Matches(msg, m.keys.Flow):
		m.active = screenFlow
		m.layout()
		return nil, true
	case key.Matches(msg, m.keys.Check):
		m.active = screenCheck
		m.layout()
		return nil, true
	case key.Matches(msg, m.keys.Help):
		// Typed '?' is help in text fields too: pastes arrive as paste events, and no token,
		// secret or verifier holds a '?'.
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return nil, true
	case inText:
		return nil, false
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit, true
	}
	for i, d := range m.keys.Digits {
		if key.Matches(msg, d) {
			m.active = screen(i)
			m.layout()
			return nil, true
		}
	}
	return nil, false
}

func (m *Model) inText() bool { return m.screen().inText() }

func (m *Model) carryOut(in intent) tea.Cmd {
	switch in := in.(type) {
	case noticeIntent:
		return m.setNotice(string(in))
	case copyIntent:
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
		return copiedMsg{what: c.what, system: clip(c.value)}
	})
}

func copyNotice(msg copiedMsg) string {
	if msg.system != nil {
		return fmt.Sprintf("copied %s via OSC 52 (terminal clipboard; no system clipboard helper here)", msg.what)
	}
	return fmt.Sprintf("copied %s to the system clipboard and via OSC 52", msg.what)
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
	m.help.SetWidth(m.width)
	h := m.height - m.chromeHeight()
	m.laidOut = h
	m.context.SetSize(m.width, h)
	m.pkce.SetSize(m.width, h)
	m.flow.SetSize(m.width, h)
	m.check.SetSize(m.width, h)
}

func lineCount(s string) int { return strings.Count(s, "\n") + 1 }

// helpView draws the help bar for the keys that act right now.
func (m *Model) helpView() string {
	k := m.keys
	k.screen = m.screen().helpKeys()
	if m.inText() { // digits type there: name the keys that switch from a field
		k.Screens.SetHelp("alt+1-4", "screens")
	}
	if m.help.ShowAll {
		return fullHelp(k.FullHelp(), m.width, m.help.Styles)
	}
	return m.help.View(k)
}

// fullHelp lists every binding in as many columns as the width holds, filled top to bottom, so
// that none is cut, whatever the terminal's width (bubbles' full help puts each group in a column
// and cuts the columns that do not fit).
func fullHelp(groups [][]key.Binding, width int, st help.Styles) string {
	var bs []key.Binding
	keyW, descW := 0, 0
	for _, g := range groups {
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			bs = append(bs, b)
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
			descW = max(descW, ansi.StringWidth(b.Help().Desc))
		}
	}
	const gap = 3
	colW := keyW + 1 + descW + gap
	cols := max(1, min(len(bs), (width+gap)/colW))
	rows := (len(bs) + cols - 1) / cols
	lines := make([]string, rows)
	for i, b := range bs {
		r, c := i%rows, i/rows
		cell := st.FullKey.Render(fmt.Sprintf("%-*s", keyW, b.Help().Key)) + " " + st.FullDesc.Render(b.Help().Desc)
		if c > 0 {
			cell = strings.Repeat(" ", colW*c-ansi.StringWidth(ansi.Strip(lines[r]))) + cell
		}
		lines[r] += cell
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…") // only a description longer than the terminal
	}
	return strings.Join(lines, "\n")
}

// View draws the whole terminal. Only the root returns a tea.View and sets the screen modes.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "zoomdbg"
	return v
}

// render draws the content of the view: every line within the terminal's width.
func (m *Model) render() string {
	if m.width < minWidth || m.height < minHeight {
		msg := fmt.Sprintf("zoomdbg needs at least %d×%d;\nthis terminal is %d×%d: please enlarge it.\n\nctrl+c quits.",
			minWidth, minHeight, m.width, m.height)
		return fit(msg, max(m.width, 1))
	}
	status, help := m.statusLine(), m.helpView()
	if m.height-1-lineCount(status)-lineCount(help) != m.laidOut { // a notice or a question took more or fewer lines
		m.layout()
	}
	parts := []string{m.tabBar(), m.screen().View(), status, help}
	return fit(strings.Join(parts, "\n"), m.width)
}

func (m *Model) tabBar() string {
	a := m.styles.App
	tab := func(s screen, label string) string {
		if m.active == s {
			return a.TabActive.Render("[" + label + "]")
		}
		return a.TabInactive.Render(" " + label + " ")
	}
	bar := a.Title.Render("zoomdbg") + "  " + tab(screenContext, "1 App Context") + " " + tab(screenPKCE, "2 PKCE") +
		" " + tab(screenFlow, "3 Flow") + " " + tab(screenCheck, "4 Check")
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
	case m.confirm != nil:
		text, style = fmt.Sprintf("copy the %s? it is secret key material. y to copy, any other key cancels", m.confirm.what), a.Error
	case m.notice != "":
		text = m.notice
	case len(m.warnings) > 0:
		text, style = "warning: "+strings.Join(m.warnings, "; ")+" (any key hides this)", a.Error
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
