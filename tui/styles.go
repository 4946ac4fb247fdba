package tui

import (
	"image/color"

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
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#5FD38D"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7A70"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F2C14E"))
	dim := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))

	var s Styles
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
	return s
}

func fieldStyles(isDark bool) map[string]lipgloss.Style {
	ld := lipgloss.LightDark(isDark)
	pick := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	return map[string]lipgloss.Style{
		"iv_length":     lipgloss.NewStyle().Foreground(pick("#8A5A00", "#F2C14E")),
		"iv":            lipgloss.NewStyle().Foreground(pick("#1B6FB3", "#6CB6FF")),
		"aad_length":    lipgloss.NewStyle().Foreground(pick("#8A5A00", "#F2C14E")),
		"aad":           lipgloss.NewStyle().Foreground(pick("#7B3FA0", "#D59CFF")),
		"cipher_length": lipgloss.NewStyle().Foreground(pick("#8A5A00", "#F2C14E")),
		"ciphertext":    lipgloss.NewStyle().Foreground(pick("#1B7F3B", "#5FD38D")),
		"tag":           lipgloss.NewStyle().Foreground(pick("#B3261E", "#FF7A70")),
	}
}
