package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// fit cuts every line of s to width cells, so no line can wrap or overflow the terminal.
func fit(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// window returns exactly height lines of lines, starting at *scroll, which it first clamps so the
// window stays inside them; short content is padded with empty lines.
func window(lines []string, scroll *int, height int) []string {
	*scroll = clamp(*scroll, 0, len(lines)-height)
	out := make([]string, height)
	copy(out, lines[*scroll:min(*scroll+height, len(lines))])
	return out
}

// wrapPlain breaks s into lines of at most width runes (s is ASCII base64 text or escaped text).
func wrapPlain(s string, width int) []string {
	if width < 1 {
		width = 1
	}
	var lines []string
	r := []rune(s)
	for len(r) > width {
		lines = append(lines, string(r[:width]))
		r = r[width:]
	}
	return append(lines, string(r))
}

// wrapWords breaks text into lines of at most width cells at spaces only, keeping its line
// breaks. Word wrapping as ansi.Wrap does it also breaks after every '-': "A-Z", "hkdf-sha256",
// "x-zoom-app-context" or a verifier would be split inside what they mean, and a value split so
// copies as two. A word longer than a line is cut by characters, so its pieces join back exactly.
// Escape sequences hold no spaces, so styles ride with their words.
func wrapWords(s string, width int) []string {
	width = max(width, 1)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var line strings.Builder
		lineW := 0
		for i, w := range strings.Split(para, " ") {
			ww := ansi.StringWidth(w)
			if i > 0 {
				if lineW+1+ww <= width {
					line.WriteString(" " + w)
					lineW += 1 + ww
					continue
				}
				lines = append(lines, line.String())
				line.Reset()
			}
			if ww > width {
				// A word longer than a line, cut by characters in one pass: ansi.Hardwrap is
				// linear, where cutting with Truncate and TruncateLeft in a loop was quadratic.
				pieces := strings.Split(ansi.Hardwrap(w, width, true), "\n")
				lines = append(lines, pieces[:len(pieces)-1]...)
				w = pieces[len(pieces)-1]
				ww = ansi.StringWidth(w)
			}
			line.WriteString(w)
			lineW = ww
		}
		lines = append(lines, line.String())
	}
	return lines
}

// markedText wraps the normalised token text to width and, under each line that carries part of
// span, adds a line with '^' under those characters: the selection is visible without colour.
// The marked characters are also drawn in the field's style. Only lines [first, last) of the
// wrapped text are built.
func markedText(text string, width, first, last int, span appctx.Span, style lipgloss.Style) []string {
	var out []string
	for i := first; i < last; i++ {
		start := i * width
		line := text[start:min(start+width, len(text))]
		end := start + len(line)
		a, b := max(span.Start, start), min(span.End, end)
		if a >= b {
			out = append(out, line)
			continue
		}
		out = append(out, line[:a-start]+style.Render(line[a-start:b-start])+line[b-start:])
		out = append(out, strings.Repeat(" ", a-start)+strings.Repeat("^", b-a))
	}
	return out
}

// bytesPerRow is how many bytes one hex dump row shows: 5 + 16*3 + 1 = 54 cells before the names.
const bytesPerRow = 16

// owner returns the index of the field holding byte j, or -1 past the parsed fields.
func owner(fields []appctx.Field, j int) int {
	for i, f := range fields {
		if j >= f.Offset && j < f.Offset+f.Length() {
			return i
		}
	}
	return -1
}

// hexDump writes rows [first, last) of the token's bytes, 16 to a row, each byte in its field's
// style. The selected field's bytes are bracketed, "0c[a1 0f]2a", so the selection survives
// NO_COLOR; each row ends with the names of the fields it holds.
func hexDump(b []byte, fields []appctx.Field, selected, first, last int, st ContextStyles) []string {
	var rows []string
	for off := first * bytesPerRow; off < min(last*bytesPerRow, len(b)); off += bytesPerRow {
		end := min(off+bytesPerRow, len(b))
		var sb strings.Builder
		fmt.Fprintf(&sb, "%04x ", off)
		var names []string
		prev := -2
		if off > 0 {
			prev = owner(fields, off-1)
		}
		for j := off; j < end; j++ {
			own := owner(fields, j)
			sb.WriteString(bracket(own, prev, j == off, selected))
			sb.WriteString(byteStyle(own, fields, selected, st).Render(fmt.Sprintf("%02x", b[j])))
			if own >= 0 {
				if n := shortName(fields[own].Name); len(names) == 0 || names[len(names)-1] != n {
					names = append(names, n)
				}
			}
			prev = own
		}
		if prev == selected {
			sb.WriteString("]")
		} else {
			sb.WriteString(" ")
		}
		sb.WriteString(strings.Repeat("   ", off+bytesPerRow-end))
		sb.WriteString(" " + st.Dim.Render(strings.Join(names, " ")))
		rows = append(rows, sb.String())
	}
	return rows
}

// bracket is the separator written before a byte owned by own, after one owned by prev: '[' where
// the selected field starts (or continues onto a new row), ']' where it ends, a space elsewhere.
func bracket(own, prev int, rowStart bool, selected int) string {
	switch {
	case own == selected && (rowStart || prev != selected):
		return "["
	case !rowStart && prev == selected && own != selected:
		return "]"
	}
	return " "
}

func byteStyle(own int, fields []appctx.Field, selected int, st ContextStyles) lipgloss.Style {
	if own < 0 {
		return st.Bad
	}
	s := st.Fields[fields[own].Name]
	if own == selected {
		s = s.Reverse(true)
	}
	return s
}

// shortName abbreviates a field name for the hex dump's right-hand column.
func shortName(name string) string {
	switch name {
	case appctx.FieldIVLength:
		return "ivlen"
	case appctx.FieldAADLength:
		return "aadlen"
	case appctx.FieldCipherLength:
		return "ctlen"
	case appctx.FieldCiphertext:
		return "ct"
	}
	return name
}

// mask hides a secret value, showing only its length.
func mask(n int) string {
	return strings.Repeat("•", min(n, 12)) + fmt.Sprintf(" (%d bytes)", n)
}

// tableRow lays one row of a table whose cells wrap inside their columns: the label on the row's
// first line, each cell wrapped to its column's width less a two-cell gap, and the row as
// tall as its tallest cell. The PKCE screen's methods and the Flow screen's lanes are drawn with it.
func tableRow(label string, labelW, colW int, labelStyle lipgloss.Style, cells []string) []string {
	cols := make([][]string, len(cells))
	height := 1
	for i, c := range cells {
		cols[i] = wrapWords(c, colW-2)
		height = max(height, len(cols[i]))
	}
	out := make([]string, 0, height)
	for l := 0; l < height; l++ {
		line := fmt.Sprintf("%-*s", labelW, "")
		if l == 0 {
			line = labelStyle.Render(fmt.Sprintf("%-*s", labelW, label))
		}
		for i := range cols {
			cell := ""
			if l < len(cols[i]) {
				cell = cols[i][l]
			}
			if i < len(cols)-1 {
				cell += strings.Repeat(" ", max(colW-ansi.StringWidth(cell), 0))
			}
			line += cell
		}
		out = append(out, line)
	}
	return out
}
