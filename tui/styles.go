package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles is every style the TUI draws with, rebuilt when the terminal reports its background.
// Colour only ever repeats what the words already say: NO_COLOR loses no meaning.
type Styles struct {
	App struct {
		TabActive, TabInactive, Demo, Title lipgloss.Style
		Notice, Error, Dim, Help            lipgloss.Style
		Small                               lipgloss.Style
	}
	Context ContextStyles
	PKCE    PKCEStyles

	// The bubbles' own styles, from the same palette: their defaults fail WCAG AA (the help
	// bar's grey on white is 2.1:1) and draw a focused text area black on black on a light
	// terminal.
	Help      help.Styles
	TextArea  textarea.Styles
	TextInput textinput.Styles

	Dark bool // the palette is for a dark background
}

// ContextStyles are the App Context screen's styles.
type ContextStyles struct {
	Label, Section, SectionFocused lipgloss.Style
	OK, Bad, Warn, Dim             lipgloss.Style
	Selected                       lipgloss.Style
	Fields                         map[string]lipgloss.Style // one colour per layout field
}

// PKCEStyles are the PKCE screen's styles.
type PKCEStyles struct {
	Label, Method, MethodSelected lipgloss.Style
	OK, Bad, Dim, Value           lipgloss.Style
}

func newStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A891FF"))
	green := ld(lipgloss.Color("#166B31"), lipgloss.Color("#5FD38D"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7A70"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F2C14E"))
	dim := ld(lipgloss.Color("#666666"), lipgloss.Color("#A0A0A0"))

	var s Styles
	s.Dark = isDark
	base := lipgloss.NewStyle()
	s.App.TabActive = base.Bold(true).Foreground(accent).Underline(true)
	s.App.TabInactive = base.Foreground(dim)
	s.App.Demo = base.Bold(true).Foreground(amber)
	s.App.Title = base.Bold(true)
	s.App.Notice = base.Foreground(green)
	s.App.Error = base.Foreground(red)
	s.App.Dim = base.Foreground(dim)
	s.App.Help = base.Foreground(dim)
	s.App.Small = base.Bold(true).Foreground(amber)

	c := &s.Context
	c.Label = base.Foreground(dim)
	c.Section = base.Bold(true)
	c.SectionFocused = base.Bold(true).Foreground(accent)
	c.OK = base.Foreground(green)
	c.Bad = base.Foreground(red)
	c.Warn = base.Foreground(amber)
	c.Dim = base.Foreground(dim)
	c.Selected = base.Reverse(true)
	c.Fields = fieldStyles(isDark)

	p := &s.PKCE
	p.Label = base.Foreground(dim)
	p.Method = base.Bold(true)
	p.MethodSelected = base.Bold(true).Foreground(accent).Reverse(true)
	p.OK = base.Foreground(green)
	p.Bad = base.Foreground(red)
	p.Dim = base.Foreground(dim)
	p.Value = base

	// Text the user typed keeps the terminal's own colour, which the terminal makes legible on
	// its background; only what is secondary (placeholders, an unfocused field) is dimmed.
	s.Help = help.Styles{ShortKey: base.Bold(true), ShortDesc: base.Foreground(dim), ShortSeparator: base.Foreground(dim),
		Ellipsis: base.Foreground(dim), FullKey: base.Bold(true), FullDesc: base.Foreground(dim), FullSeparator: base.Foreground(dim)}
	ta := textarea.DefaultStyles(isDark)
	for _, st := range []*textarea.StyleState{&ta.Focused, &ta.Blurred} {
		st.CursorLine, st.Text, st.Prompt = base, base, base
		st.Placeholder, st.EndOfBuffer, st.LineNumber, st.CursorLineNumber = base.Foreground(dim), base, base.Foreground(dim), base.Foreground(dim)
		st.Selection = base.Reverse(true)
	}
	ta.Blurred.Text, ta.Blurred.CursorLine = base.Foreground(dim), base.Foreground(dim)
	ta.Cursor.Color = accent
	s.TextArea = ta
	ti := textinput.DefaultStyles(isDark)
	for _, st := range []*textinput.StyleState{&ti.Focused, &ti.Blurred} {
		st.Text, st.Prompt, st.Placeholder, st.Suggestion = base, base, base.Foreground(dim), base.Foreground(dim)
	}
	ti.Blurred.Text = base.Foreground(dim)
	ti.Cursor.Color = accent
	s.TextInput = ti
	return s
}

func fieldStyles(isDark bool) map[string]lipgloss.Style {
	ld := lipgloss.LightDark(isDark)
	pick := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	return map[string]lipgloss.Style{
		"iv_length":     lipgloss.NewStyle().Foreground(pick("#8A5A00", "#F2C14E")),
		"iv":            lipgloss.NewStyle().Foreground(pick("#165C96", "#6CB6FF")),
		"aad_length":    lipgloss.NewStyle().Foreground(pick("#8A5A00", "#F2C14E")),
		"aad":           lipgloss.NewStyle().Foreground(pick("#7B3FA0", "#D59CFF")),
		"cipher_length": lipgloss.NewStyle().Foreground(pick("#8A5A00", "#F2C14E")),
		"ciphertext":    lipgloss.NewStyle().Foreground(pick("#166B31", "#5FD38D")),
		"tag":           lipgloss.NewStyle().Foreground(pick("#B3261E", "#FF7A70")),
	}
}
