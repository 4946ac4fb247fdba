package tui

import (
	"os"
	"unicode/utf8"
)

// Bracketed paste markers (xterm's "bracketed paste mode"): the terminal wraps what is pasted in
// them, so a program can tell a paste from typing.
const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// inputFilter drops, from what the terminal sends, the bytes that would make Bubble Tea's input
// decoder wait for something that never comes.
//
// Inside a bracketed paste, the decoder (ultraviolet's EventDecoder) still parses escape
// sequences: a pasted 0x90 (C1 DCS), 0x98 (SOS), 0x9e (PM), 0x9f (APC), or ESC P / ESC _ opens a
// string that runs to a string terminator. None comes, so the sequence swallows the paste's own
// end marker, ESC [ 2 0 1 ~, and with it every later key, ctrl+c included: the program looks hung.
// A paste is text, so the filter keeps only text inside one: valid UTF-8, the C0 controls a paste
// holds (tab, newlines), and the end marker. Stray ESCs and bytes that are not UTF-8 are dropped.
// Outside a paste, a C1 byte that no UTF-8 character starts with is dropped the same way (a paste
// into a terminal without bracketed paste); escape sequences the terminal sends (keys, mouse,
// replies) pass as they are.
type inputFilter struct {
	inPaste bool
	held    []byte // the start of a paste's end marker, or of a character, split across reads
	started int    // outside a paste: how much of a start marker ended the last read (passed on)
}

// headroom is what Read keeps free in the caller's buffer for the bytes held from the last read.
const headroom = 8

// filter returns what is left of in, with the bytes held from the previous call in front. It never
// returns more than len(in)+len(held) bytes.
func (f *inputFilter) filter(in []byte) []byte {
	buf := append(f.held, in...)
	f.held = nil
	out := make([]byte, 0, len(buf))
	i := 0
	if f.started > 0 { // a start marker split across reads: its first part went out already
		rest := pasteStart[f.started:]
		if len(buf) >= len(rest) && string(buf[:len(rest)]) == rest {
			f.inPaste = true
			out = append(out, rest...)
			i = len(rest)
		}
		f.started = 0
	}
	for i < len(buf) {
		c := buf[i]
		if c == 0x1b {
			marker := pasteStart
			if f.inPaste {
				marker = pasteEnd
			}
			rest := buf[i:]
			switch {
			case len(rest) >= len(marker) && string(rest[:len(marker)]) == marker:
				f.inPaste = !f.inPaste
				out = append(out, marker...)
				i += len(marker)
				continue
			case len(rest) < len(marker) && string(rest) == marker[:len(rest)] && f.inPaste:
				f.held = append([]byte(nil), rest...) // the end marker may finish in the next read
				return out
			case len(rest) < len(marker) && string(rest) == marker[:len(rest)]:
				// Pass it on at once: a lone ESC is the escape key, and the decoder waits for
				// the rest of a sequence itself. Remember it, in case a paste starts.
				f.started = len(rest)
				return append(out, rest...)
			case f.inPaste: // a stray ESC in pasted text: drop it, keep what follows as text
				i++
				continue
			}
			out = append(out, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && n <= 1 {
			if !utf8.FullRune(buf[i:]) && len(buf)-i < utf8.UTFMax {
				f.held = append([]byte(nil), buf[i:]...) // a character split across reads
				return out
			}
			if f.inPaste || c <= 0x9f { // not UTF-8: a C1 control or a stray byte
				i++
				continue
			}
			out = append(out, c) // outside a paste, the decoder reads it as a key
			i++
			continue
		}
		out = append(out, buf[i:i+n]...)
		i += n
	}
	return out
}

// filteredInput is the terminal with an inputFilter on what is read from it. It is still a
// terminal (an *os.File underneath), so Bubble Tea puts it in raw mode and cancels its reads.
type filteredInput struct {
	*os.File
	f inputFilter
}

// Read reads from the terminal and returns what the filter keeps. It reads at most
// len(p)-headroom bytes, so the held bytes always fit: nothing is left over for a later call,
// which would wait for the terminal to send more first.
func (in *filteredInput) Read(p []byte) (int, error) {
	if len(p) <= headroom {
		return 0, nil
	}
	n, err := in.File.Read(p[:len(p)-headroom])
	out := in.f.filter(p[:n])
	return copy(p, out), err
}
