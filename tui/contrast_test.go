package tui

import (
	"fmt"
	"image/color"
	"math"
	"reflect"
	"testing"

	"charm.land/lipgloss/v2"
)

// Backgrounds the palettes must read on: plain white and black, and the backgrounds of widely used
// terminal themes (Solarized, One Dark, VS Code, GNOME's and macOS Terminal's defaults).
var (
	lightBackgrounds = []string{"#FFFFFF", "#FAFAFA", "#F5F5F5", "#FDF6E3", "#EEE8D5"}
	darkBackgrounds  = []string{"#000000", "#1E1E1E", "#282C34", "#002B36", "#300A24", "#2E3436"}
)

// TestContrast computes the WCAG 2.x contrast of every colour every style draws text in, in both
// palettes, against each background of its kind: all must reach AA's 4.5:1. A style whose text keeps
// the terminal's own colour is legible by the terminal's choice; one with a background of its own
// is checked against the terminal's default text colour.
func TestContrast(t *testing.T) {
	for _, dark := range []bool{false, true} {
		st := newStyles(dark)
		bgs, defaultFG := lightBackgrounds, "#000000"
		if dark {
			bgs, defaultFG = darkBackgrounds, "#FFFFFF"
		}
		n := 0
		eachStyle(reflect.ValueOf(st), "Styles", func(path string, s lipgloss.Style) {
			fg, bg := s.GetForeground(), s.GetBackground()
			if isSet(bg) {
				n++
				text := fg
				if !isSet(text) {
					text = lipgloss.Color(defaultFG)
				}
				if r := contrast(text, bg); r < 4.5 {
					t.Errorf("dark=%v %s: text on its own background %s: %.2f:1", dark, path, hexColor(bg), r)
				}
				return
			}
			if !isSet(fg) {
				return
			}
			n++
			for _, b := range bgs {
				if r := contrast(fg, lipgloss.Color(b)); r < 4.5 {
					t.Errorf("dark=%v %s: %s on %s is %.2f:1, below WCAG AA's 4.5:1", dark, path, hexColor(fg), b, r)
				}
			}
		})
		if n < 20 {
			t.Errorf("dark=%v: only %d coloured styles found: the walk misses some", dark, n)
		}
	}
}

func TestContrastFormula(t *testing.T) {
	// Known values: black on white is 21:1, #767676 on white is the AA threshold, 4.54:1.
	for _, c := range []struct {
		a, b string
		want float64
	}{{"#000000", "#FFFFFF", 21}, {"#767676", "#FFFFFF", 4.54}, {"#FFFFFF", "#FFFFFF", 1}} {
		if got := contrast(lipgloss.Color(c.a), lipgloss.Color(c.b)); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

// eachStyle walks v and calls f with every lipgloss.Style in it, in structs and maps.
func eachStyle(v reflect.Value, path string, f func(string, lipgloss.Style)) {
	if s, ok := v.Interface().(lipgloss.Style); ok {
		f(path, s)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				eachStyle(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			eachStyle(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k), f)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			eachStyle(v.Elem(), path, f)
		}
	}
}

func isSet(c color.Color) bool {
	_, none := c.(lipgloss.NoColor)
	return c != nil && !none
}

func hexColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// contrast is the WCAG 2.x contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
