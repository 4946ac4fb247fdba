package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// rootKeyMap holds the keys that mean the same on every screen. A screen's own keys never reuse
// one of these for something else.
type rootKeyMap struct {
	Help, HelpAnywhere, Quit, ForceQuit, Mouse, Search key.Binding
	// Digits switch screens with plain 1-5 when no text field has focus; alt+1-5 (and F2-F5) work
	// in fields too: alt+N is taken by some macOS and GNOME terminals, F1 is help.
	Digits [len(screenFlags)]key.Binding
	Alt    [len(screenFlags)]key.Binding

	// Moving and scrolling, handled by the root for every screen.
	Up, Down, PageUp, PageDown, Top, Bottom, Expand key.Binding

	// Shown in help, never matched.
	Screens, AnyScreen, Confirm key.Binding
}

// anyScreenHelp names both ways to switch screens from a text field: alt+N, and F2-F5 for screens
// 2-5 (F1 is help) where the terminal keeps alt+N. It fits the help overlay's two columns at 80.
const anyScreenHelp = "screens in fields (or F2-F5)"

func defaultRootKeyMap() rootKeyMap {
	k := rootKeyMap{
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		HelpAnywhere: key.NewBinding(key.WithKeys("f1"), key.WithHelp("F1", "help")),
		Quit:         key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Mouse:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "mouse off: select text")),
		Search:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k ↓/j", "select")),
		Down:         key.NewBinding(key.WithKeys("j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "scroll a page")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown")),
		Top:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/G", "top, bottom (home/end)")),
		Bottom:       key.NewBinding(key.WithKeys("end", "G")),
		Expand:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show a row whole")),
		Screens:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", "screens")),
		AnyScreen:    key.NewBinding(key.WithKeys("alt+1", "alt+2", "alt+3", "alt+4", "alt+5", "f2", "f3", "f4", "f5"), key.WithHelp("alt+1-5", anyScreenHelp)),
		Confirm:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm copying a key")),
	}
	fkeys := []string{"", "f2", "f3", "f4", "f5"}
	for i := range k.Digits {
		k.Digits[i] = key.NewBinding(key.WithKeys(string(rune('1' + i))))
		keys := []string{fmt.Sprintf("alt+%d", i+1)}
		if fkeys[i] != "" {
			keys = append(keys, fkeys[i])
		}
		k.Alt[i] = key.NewBinding(key.WithKeys(keys...))
	}
	return k
}

// helpGroup is one titled group of the full help.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// screenGroups are a screen's keys for the overlay: its titled groups when its key map has them
// (a groups method), else the groups of its FullHelp under one title. Any help.KeyMap will do.
func screenGroups(k help.KeyMap) []helpGroup {
	if g, ok := k.(interface{ groups() []helpGroup }); ok {
		return g.groups()
	}
	var out []helpGroup
	for _, ks := range k.FullHelp() {
		out = append(out, helpGroup{"this screen", ks})
	}
	return out
}

// fullHelpOf is groups as help.KeyMap's FullHelp lists them.
func fullHelpOf(groups []helpGroup) [][]key.Binding {
	var out [][]key.Binding
	for _, g := range groups {
		out = append(out, g.keys)
	}
	return out
}

// shortHelp draws the help bar: the help key first and "ctrl+c quit" last, always; between them
// as many of the screen's keys as the width holds, in the screen's order.
func shortHelp(k rootKeyMap, screen []key.Binding, inText bool, width int, st help.Styles) string {
	item := func(b key.Binding) string {
		return st.ShortKey.Render(b.Help().Key) + " " + st.ShortDesc.Render(b.Help().Desc)
	}
	sep := st.ShortSeparator.Render(" • ")
	first := k.Help
	screens := k.Screens
	if inText { // '?' and digits type in a field
		first = k.HelpAnywhere
		screens.SetHelp("alt+1-5", "screens")
	}
	head, tail := item(first), item(k.ForceQuit)
	room := width - ansi.StringWidth(head) - ansi.StringWidth(tail) - 2*ansi.StringWidth(sep)
	var mid []string
	for _, b := range append([]key.Binding{screens}, screen...) {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		it := item(b)
		need := ansi.StringWidth(it)
		if len(mid) > 0 {
			need += ansi.StringWidth(sep)
		}
		if need > room {
			continue // a shorter one further on may still fit
		}
		room -= need
		mid = append(mid, it)
	}
	parts := append(append([]string{head}, mid...), tail)
	return strings.Join(parts, sep)
}

// fullHelp draws the grouped help overlay: the screen's own groups, then the keys every screen
// shares. Only enabled bindings are listed. Groups are packed into as many columns as the width
// holds, each group into the column that is shortest so far.
func fullHelp(groups []helpGroup, width int, st help.Styles, title string) []string {
	var blocks [][]string
	colW := 0
	for _, g := range groups {
		keyW := 0
		for _, b := range g.keys {
			if b.Enabled() {
				keyW = max(keyW, ansi.StringWidth(b.Help().Key))
			}
		}
		block := []string{st.FullKey.Render(g.title)}
		for _, b := range g.keys {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			block = append(block, "  "+st.FullKey.Render(fmt.Sprintf("%-*s", keyW, b.Help().Key))+" "+st.FullDesc.Render(b.Help().Desc))
		}
		if len(block) == 1 {
			continue
		}
		for _, l := range block {
			colW = max(colW, ansi.StringWidth(l))
		}
		blocks = append(blocks, append(block, ""))
	}
	const gap = 2
	cols := clamp((width+gap)/(colW+gap), 1, len(blocks))
	columns := make([][]string, cols)
	for _, b := range blocks {
		shortest := 0
		for c := range columns {
			if len(columns[c]) < len(columns[shortest]) {
				shortest = c
			}
		}
		columns[shortest] = append(columns[shortest], b...)
	}
	lines := []string{st.FullKey.Render(title) + st.FullDesc.Render("  (esc, ? or F1 closes)"), ""}
	for l := 0; ; l++ {
		line, any := "", false
		for c, col := range columns {
			cell := ""
			if l < len(col) {
				cell, any = col[l], true
			}
			if c < len(columns)-1 {
				cell += strings.Repeat(" ", max(colW+gap-ansi.StringWidth(cell), 0))
			}
			line += cell
		}
		if !any {
			break
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// sharedGroups are the help groups of the keys every screen has.
func (k rootKeyMap) sharedGroups(inText bool) []helpGroup {
	quit := k.Quit
	quit.SetHelp("q", "quit (outside fields)")
	screens := k.Screens
	screens.SetHelp("1-5", "screens (outside fields)")
	help := k.Help
	help.SetHelp("? / F1", "help (F1 in fields)")
	search := k.Search
	search.SetHelp("/", "search (outside fields)")
	return []helpGroup{
		{"move", []key.Binding{k.Up, k.PageUp, k.Top, k.Expand}},
		{"everywhere", []key.Binding{screens, k.AnyScreen, search, k.Mouse, help, k.Confirm, quit, k.ForceQuit}},
	}
}
