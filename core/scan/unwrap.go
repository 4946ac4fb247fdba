package scan

import (
	"bytes"
	"encoding/base64"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// What unwrap can undo, as Candidate.Unwrapped names it.
const (
	UnwrapPercent = "percent-decoded"
	UnwrapJSON    = "JSON escapes removed"
	UnwrapPlus    = "'+' restored where a URL decoder made spaces"
)

// maxJoins bounds how many spaces unwrap tries to read as '+': a 330-character token in standard
// base64 has about five '+'.
const maxJoins = 16

// unwrap reads a keyed value that starts with the run data[i:j] and goes on through what a log may
// have wrapped it in: percent-escapes of base64 characters (%2B %2F %3D, any case), JSON escapes
// (\/ as PHP writes it, \u002b), and spaces that a URL decoder made of '+'. It returns the
// candidate with the decoded text and where the value ends. It runs only for keyed values, which
// are few.
func unwrap(c Candidate, data []byte, j int) (Candidate, int) {
	var out []byte // nil until something is decoded
	k := j
	start := j - len(c.Text) // the run may begin with its key ("context=")
	flush := func() {
		if out == nil {
			out = append(make([]byte, 0, 2*(k-start)), data[start:k]...)
		}
	}
	percent, escaped := false, false
	for k < len(data) {
		b, n := escapedB64(data[k:])
		switch {
		case n == 0 && classes[data[k]] != 0:
			if out != nil {
				out = append(out, data[k])
			}
			k++
			continue
		case n == 0:
		case data[k] == '%':
			flush()
			out, k, percent = append(out, b), k+n, true
			continue
		default:
			flush()
			out, k, escaped = append(out, b), k+n, true
			continue
		}
		break
	}
	text := data[start:k]
	if out != nil {
		text = out
	}
	if percent {
		c.Unwrapped = append(c.Unwrapped, UnwrapPercent)
	}
	if escaped {
		c.Unwrapped = append(c.Unwrapped, UnwrapJSON)
	}
	if joined, end, ok := restorePlus(text, data, k); ok {
		text, k = joined, end
		c.Unwrapped = append(c.Unwrapped, UnwrapPlus)
	}
	if out != nil || len(c.Unwrapped) > 0 {
		c.Std = c.Std || bytes.ContainsAny(text, "+/")
	}
	c.Text = text
	return c, k
}

// escapedB64 decodes an escape at the start of b that stands for a base64 character: %2B, %252B,
// \/, \u002B and the like. n is 0 when b does not start with one.
func escapedB64(b []byte) (byte, int) {
	var v byte
	n := 0
	switch {
	case len(b) >= 5 && b[0] == '%' && b[1] == '2' && b[2] == '5' && isHex(b[3]) && isHex(b[4]):
		v, n = hexByte(b[3], b[4]), 5 // encoded twice, as a URL inside a redirect_to= value is
	case len(b) >= 3 && b[0] == '%' && isHex(b[1]) && isHex(b[2]):
		v, n = hexByte(b[1], b[2]), 3
	case len(b) >= 2 && b[0] == '\\' && b[1] == '/':
		v, n = '/', 2
	case len(b) >= 6 && b[0] == '\\' && b[1] == 'u' && b[2] == '0' && b[3] == '0' && isHex(b[4]) && isHex(b[5]):
		v, n = hexByte(b[4], b[5]), 6
	}
	if n == 0 || classes[v] == 0 {
		return 0, 0
	}
	return v, n
}

func hexByte(a, b byte) byte { return unhex(a)<<4 | unhex(b) }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// restorePlus joins text with the runs that follow it across single spaces, as '+', when the
// joined text is a token's layout and text alone is not: a URL decoder turned the '+' of a
// standard-base64 token into spaces.
func restorePlus(text, data []byte, k int) ([]byte, int, bool) {
	if k+1 >= len(data) || data[k] != ' ' || classes[data[k+1]] == 0 || layoutOK(text) {
		return nil, 0, false
	}
	joined := bytes.Clone(text)
	end := k
	for n := 0; n < maxJoins && end+1 < len(data) && data[end] == ' ' && classes[data[end+1]] != 0; n++ {
		next, _ := runEnd(data, end+1)
		joined = append(append(joined, '+'), data[end+1:next]...)
		end = next
		if layoutOK(joined) {
			return joined, end, true
		}
	}
	return nil, 0, false
}

// layoutOK decodes text in either alphabet and reports whether it is exactly one token layout.
func layoutOK(text []byte) bool {
	dec, ok := decodeRun(nil, text, bytes.ContainsAny(text, "+/"))
	return ok && appctx.LayoutOK(dec)
}

// The shape of the smallest value that could be an app context: below minBare characters, a keyed
// value counts only when it starts as Zoom's tokens start, a 12-byte IV's length, so that a
// truncated token is still caught while "RoutesResolver", "undefined" and trace ids are not.
const (
	zoomIVLen      = 12
	minPlausible   = 16 // characters: the IV length, the IV and a little more
	maxPlausibleAA = 4096
)

// plausible reports whether a keyed value could be an app context, whole or cut short.
func plausible(text []byte) bool {
	t := text[:len(text)-trailingEq(text)]
	if len(t) >= minBare {
		return true
	}
	if len(t) < minPlausible {
		return false
	}
	enc := base64.RawURLEncoding
	if bytes.ContainsAny(t, "+/") {
		enc = base64.RawStdEncoding
	}
	var buf [minBare]byte
	n, err := enc.Decode(buf[:], t[:len(t)/4*4])
	if err != nil || n < 1 || buf[0] != zoomIVLen {
		return false
	}
	if n >= 1+zoomIVLen+2 { // the AAD length is there too: Zoom sends none
		return int(buf[1+zoomIVLen])|int(buf[2+zoomIVLen])<<8 <= maxPlausibleAA
	}
	return true
}
