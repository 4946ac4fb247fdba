package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// scrollTo is a scroll asked of a screen by a key or the wheel.
type scrollTo int

const (
	scrollLineUp scrollTo = iota
	scrollLineDown
	scrollPageUp
	scrollPageDown
	scrollTop
	scrollBottom
)

// scrollBy applies a scroll to a first line, for a block of total lines shown page at a time;
// window clamps the result when it draws.
func scrollBy(first *int, to scrollTo, page, total int) {
	page = max(page, 1)
	switch to {
	case scrollLineUp:
		*first -= 3
	case scrollLineDown:
		*first += 3
	case scrollPageUp:
		*first -= page
	case scrollPageDown:
		*first += page
	case scrollTop:
		*first = 0
	case scrollBottom:
		*first = total
	}
	*first = clamp(*first, 0, max(total-page, 0))
}

// scrollbar is the last line of a scrolled block: where the window is, and how to move it.
func scrollbar(st Styles, first, shown, total int) string {
	return st.Context.Dim.Render(fmt.Sprintf("  ↕ lines %d-%d of %d · pgup/pgdn, g/G, wheel", first+1, first+shown, total))
}

// scrolled shows block in room lines: all of it when it fits; otherwise the window at *first and
// a last line saying which lines are shown.
func scrolled(st Styles, block []string, first *int, room int) []string {
	room = max(room, 1)
	if len(block) <= room {
		*first = 0
		return block
	}
	shown := window(block, first, room-1)
	return append(shown, scrollbar(st, *first, room-1, len(block)))
}

// pager shows one value whole, wrapped by characters so that a copied piece is the value, over
// the screen: a claim's meaning, a step's summary, a row cut at the width.
type pager struct {
	title, text string
	first       int
	page, total int
}

// key handles a key in the pager; false closes it.
func (p *pager) key(msg tea.KeyPressMsg, k rootKeyMap) bool {
	switch {
	case msg.String() == "esc", msg.String() == "enter", key.Matches(msg, k.Quit, k.Help, k.HelpAnywhere):
		return false
	case key.Matches(msg, k.Up):
		scrollBy(&p.first, scrollLineUp, p.page, p.total)
	case key.Matches(msg, k.Down):
		scrollBy(&p.first, scrollLineDown, p.page, p.total)
	case key.Matches(msg, k.PageUp):
		scrollBy(&p.first, scrollPageUp, p.page, p.total)
	case key.Matches(msg, k.PageDown):
		scrollBy(&p.first, scrollPageDown, p.page, p.total)
	case key.Matches(msg, k.Top):
		scrollBy(&p.first, scrollTop, p.page, p.total)
	case key.Matches(msg, k.Bottom):
		scrollBy(&p.first, scrollBottom, p.page, p.total)
	}
	return true
}

func (p *pager) view(width, height int, st Styles) string {
	var lines []string
	for _, l := range strings.Split(termsafe.EscapeLines(p.text), "\n") {
		lines = append(lines, wrapWords(l, width-2)...)
	}
	for i, l := range lines {
		lines[i] = "  " + l
	}
	head := st.Context.SectionFocused.Render(p.title) + st.Context.Dim.Render("  (whole; esc closes)")
	p.page, p.total = max(height-2, 1), len(lines)
	body := scrolled(st, lines, &p.first, height-1)
	out := append([]string{head}, body...)
	for len(out) < height {
		out = append(out, "")
	}
	return strings.Join(out[:height], "\n")
}

// openSearch opens the / prompt on the status line, holding the screen's current search.
func (m *Model) openSearch() tea.Cmd {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "show only the lines holding this text (enter applies, esc clears)"
	in.SetStyles(m.styles.TextInput)
	in.SetWidth(m.width - 2)
	in.SetValue(m.filters[m.active])
	m.searching = &in
	m.layout()
	return in.Focus()
}

// searchKey handles a key while the / prompt is open.
func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		m.applyFilter(strings.TrimSpace(m.searching.Value()))
		m.searching = nil
		m.layout()
		return nil
	case "esc":
		m.applyFilter("")
		m.searching = nil
		m.layout()
		return nil
	}
	var cmd tea.Cmd
	*m.searching, cmd = m.searching.Update(msg)
	m.applyFilter(strings.TrimSpace(m.searching.Value())) // live, as the user types
	return cmd
}

func (m *Model) applyFilter(q string) {
	m.filters[m.active] = q
	m.screen().setFilter(q)
}

// filterLines keeps the lines whose text holds q, case-insensitively; all of them when q is "".
// Escape sequences are stripped before comparing, so a style never hides a match.
func filterLines(lines []string, q string) []string {
	if q == "" {
		return lines
	}
	q = strings.ToLower(q)
	var out []string
	for _, l := range lines {
		if strings.Contains(strings.ToLower(ansi.Strip(l)), q) {
			out = append(out, l)
		}
	}
	return out
}

// tabTitle starts the tab bar; each tab after it is a space and its label in brackets or spaces.
const tabTitle = "zoomdbg "

// tabAt returns the screen whose tab is at column x of the tab bar.
func tabAt(x int) (screen, bool) {
	pos := len(tabTitle)
	for i, name := range screenNames {
		w := 1 + ansi.StringWidth(name) + 2
		if x >= pos && x < pos+w {
			return screen(i), true
		}
		pos += w
	}
	return 0, false
}

// mouse carries out a click or a wheel turn: on the tab bar it switches screens; on a screen it is
// the screen's, at coordinates relative to the screen's first line.
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if m.noMouse || m.showHelp {
		return nil
	}
	mo := msg.Mouse()
	y := mo.Y - 1
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		d := map[tea.MouseButton]int{tea.MouseWheelUp: -1, tea.MouseWheelDown: 1}[msg.Button]
		if m.expanded != nil {
			scrollBy(&m.expanded.first, map[int]scrollTo{-1: scrollLineUp, 1: scrollLineDown}[d], m.expanded.page, m.expanded.total)
			return nil
		}
		if d != 0 && y >= 0 && y < m.laidOut {
			m.screen().wheel(y, d)
		}
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft || m.expanded != nil {
			return nil
		}
		if mo.Y == 0 {
			if s, ok := tabAt(mo.X); ok {
				m.switchTo(s)
			}
			return nil
		}
		if y < m.laidOut {
			return m.screen().click(mo.X, y)
		}
	}
	return nil
}

// noPanelActions gives a screen the panel methods the root calls (scrolling, the pager, the mouse,
// the search) as no-ops: a new screen embeds it and overrides what it supports.
type noPanelActions struct{}

func (noPanelActions) scrollPanel(scrollTo)        {}
func (noPanelActions) selection() (string, string) { return "", "" }
func (noPanelActions) click(x, y int) tea.Cmd      { return nil }
func (noPanelActions) wheel(y, delta int)          {}
func (noPanelActions) setFilter(q string)          {}
