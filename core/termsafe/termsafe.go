// Package termsafe makes untrusted text safe to write to a terminal. Everything zoomdbg decodes
// from a token, an HTTP response or a log passes through it, so a hostile value cannot move the
// cursor, clear the screen, retitle the window or write the clipboard (OSC 52).
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every C0 and C1 control character, DEL, bidirectional override and
// invalid UTF-8 byte written as a visible Go-style escape (\x1b, \n, \u009b, \u202e, \xff).
// Printable text, including non-ASCII letters and emoji, is kept.
func Escape(s string) string {
	if IsSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// IsSafe reports whether Escape would return s unchanged.
func IsSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			return isSafeSlow(s)
		}
	}
	return true
}

func isSafeSlow(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if r < 0x20 || r == 0x7f || unsafeRune(r) {
			return false
		}
	}
	return true
}

// unsafeRune reports the non-ASCII runes a terminal may act on or that reorder text: C1 controls
// (U+0080-U+009F; U+009B is a one-byte CSI), and the bidi embeddings, overrides and isolates.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x2028 || r == 0x2029
}

// EscapeLines escapes each line of s, keeping its line breaks, for multi-line text such as
// indented JSON.
func EscapeLines(s string) string {
	if IsSafe(strings.ReplaceAll(s, "\n", "")) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, "\n")
}

// EscapeJSON rewrites the runes that encoding/json leaves raw but a terminal may obey (C1
// controls) as \u escapes, keeping the JSON valid and meaning the same.
func EscapeJSON(b []byte) []byte {
	if !hasC1(b) {
		return b
	}
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x80 && r <= 0x9f {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func hasC1(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == 0xc2 && b[i+1] >= 0x80 && b[i+1] <= 0x9f {
			return true
		}
	}
	return false
}
