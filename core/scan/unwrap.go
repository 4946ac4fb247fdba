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
	UnwrapTrace   = "joined across curl --trace-ascii's 64-byte lines"
)

// maxPlusRun is the longest run of '+' that unwrap restores from spaces.
const maxPlusRun = 6

// maxJoins bounds how many spaces unwrap tries to read as '+': a 330-character token in standard
// base64 has about five '+'.
const maxJoins = 16

// traceWidth is how many bytes of data curl --trace-ascii prints on a line (curl's dump(), width
// 0x40 in text mode) after the offset: "00ec: x-zoom-app-context: AAAA...".
const traceWidth = 0x40

// unwrap reads a keyed value that starts with the run data[i:j] and goes on through what a log may
// have wrapped it in, in any combination: percent-escapes of base64 characters (%2B %2F %3D, any
// case, twice encoded too), JSON escapes (\/ as PHP writes it, \u002b, and both escaped again
// inside another JSON string), nginx's \x2B, spaces that a URL decoder made of '+', and curl
// --trace-ascii's wrapping of a long line every 64 bytes. lineStart is where the value's line
// starts. It sets the candidate's text to the decoded value and returns where the value ends. It
// runs only for keyed values, which are few.
func unwrap(c *Candidate, data []byte, j, lineStart int) int {
	if j == len(data) || !mayWrap[data[j]] {
		return j // the value ends at a quote, '&' or the like (most): nothing goes on after it
	}
	start := j - len(c.Text) // the run may begin with its key ("context=")
	var v value
	if data[j] == ' ' {
		// readFrom reads nothing at a space: only a '+' made a space is left to try, and not
		// when the value fits a token's layout as it stands (" HTTP/1.1" after most) or no
		// value goes on after the spaces.
		if m := spaces(data[j:]); j+m >= len(data) || !startsValue(data[j+m:]) || fits(c.Text, c.dec) {
			return j
		}
		v.k, v.lineStart = j, lineStart
	} else {
		v.readFrom(data, start, j, lineStart) // data[start:j] is a run already: no second look at it
	}
	text := v.text(data, start)
	dec := c.dec // the finder's decoding of c.Text, when it made one
	if v.out != nil || v.k != j {
		dec = nil // text is no longer c.Text
	}
	if m := spaces(data[v.k:]); m > 0 && v.k+m < len(data) && startsValue(data[v.k+m:]) && !fits(text, dec) {
		w := v
		w.out = append(make([]byte, 0, 2*len(text)+64), text...)
		for n := 0; n < maxJoins; n++ {
			m := spaces(data[w.k:]) // "++" made two spaces
			if m == 0 || w.k+m >= len(data) || !startsValue(data[w.k+m:]) {
				break
			}
			for range m {
				w.out = append(w.out, '+')
			}
			w.read(data, w.k+m, w.lineStart)
			// A join that fits a layout and then goes on with ".1" is the request line's
			// " HTTP/1.1" read as a value cut seven characters short, by chance of the length:
			// a value going on with a dot is dropped (dotted), so the join would lose the token.
			if layoutFits(w.out) && !dotted(data, w.k) {
				w.plus = true
				v = w
				break
			}
		}
	}
	text = v.text(data, start)
	if v.percent || v.escaped || v.plus || v.traced { // most values are not wrapped at all
		for _, u := range []struct {
			on   bool
			what string
		}{{v.percent, UnwrapPercent}, {v.escaped, UnwrapJSON}, {v.plus, UnwrapPlus}, {v.traced, UnwrapTrace}} {
			if u.on {
				c.Unwrapped = append(c.Unwrapped, u.what)
			}
		}
		c.Std = c.Std || bytes.ContainsAny(text, "+/")
	}
	c.Text = text
	return v.k
}

// mayWrap holds the bytes after a run at which unwrap may read more of its value: an escape's
// start, curl's line wrap, or a space that was a '+'.
var mayWrap = func() (t [256]bool) {
	for _, c := range []byte("%\\\r\n ") {
		t[c] = true
	}
	return t
}()

// value is a keyed value being read: its text is data[start:k] as it stood until something is
// decoded, then out.
type value struct {
	out                            []byte
	k, lineStart                   int
	percent, escaped, plus, traced bool
}

func (v *value) text(data []byte, start int) []byte {
	if v.out != nil {
		return v.out
	}
	return data[start:v.k]
}

// read consumes run characters, escapes of them and curl's line wraps from data[k:], on the line
// starting at lineStart, appending to out once something was decoded or joined.
func (v *value) read(data []byte, k, lineStart int) { v.readFrom(data, k, k, lineStart) }

// readFrom is read of a value whose bytes from..k are run characters already.
func (v *value) readFrom(data []byte, from, k, lineStart int) {
	for k < len(data) {
		if classes[data[k]] != 0 {
			k++
			continue
		}
		if b, n := escapedB64(data[k:]); n > 0 {
			if data[k] == '%' {
				v.percent = true
			} else {
				v.escaped = true
			}
			v.out = append(append(v.out, data[from:k]...), b)
			k += n
			from = k
			continue
		}
		if b, n, line := escapeAcrossTrace(data, lineStart, k); n > 0 {
			// an escape curl's trace cut in two: "%" at the end of a line, "2F" at the next
			v.escaped, v.percent = v.escaped || data[k] == '\\', v.percent || data[k] == '%'
			v.traced = true
			v.out = append(append(v.out, data[from:k]...), b)
			k, from, lineStart = n, n, line
			continue
		}
		if line, next, ok := traceNext(data, lineStart, k); ok {
			v.traced = true
			v.out = append(v.out, data[from:k]...)
			k, from, lineStart = next, next, line
			continue
		}
		break
	}
	if v.out != nil {
		v.out = append(v.out, data[from:k]...)
	}
	v.k, v.lineStart = k, lineStart
}

// startsValue reports whether b starts with a run character or an escape of one.
func startsValue(b []byte) bool {
	if classes[b[0]] != 0 {
		return true
	}
	_, n := escapedB64(b)
	return n > 0
}

// spaces counts the spaces at the start of b, up to maxPlusRun: a URL decoder makes one of each
// '+'. A token holds four '+' in a row about once in a few hundred thousand (TestFindEscapes-
// SeenInRealLogs met it); more spaces than maxPlusRun are a gap in prose.
func spaces(b []byte) int {
	m := 0
	for m < len(b) && m < maxPlusRun && b[m] == ' ' {
		m++
	}
	return m
}

// escapeAcrossTrace decodes an escape that starts at k and that curl --trace-ascii cut at the end
// of its line. It returns the byte, where reading goes on (n, 0 when there is no such escape),
// and where the next line starts.
func escapeAcrossTrace(data []byte, lineStart, k int) (b byte, n, line int) {
	if data[k] != '%' && data[k] != '\\' {
		return 0, 0, 0
	}
	end := k
	for end < len(data) && end-k < 8 && data[end] != '\n' && data[end] != '\r' {
		end++
	}
	if end == len(data) || end-k >= 8 {
		return 0, 0, 0
	}
	line, next, ok := traceNext(data, lineStart, end)
	if !ok {
		return 0, 0, 0
	}
	var buf [16]byte
	joined := append(append(buf[:0], data[k:end]...), data[next:min(len(data), next+8)]...)
	v, m := escapedB64(joined)
	if m <= end-k {
		return 0, 0, 0
	}
	return v, next + m - (end - k), line
}

// traceNext reports whether the value reaching k, the end of its line, is cut by curl
// --trace-ascii: the line is "hhhh: " and exactly 64 bytes, and the next one is "hhhh+0x40: ".
// It returns where the next line starts and where its data does.
func traceNext(data []byte, lineStart, k int) (int, int, bool) {
	if data[k] != '\r' && data[k] != '\n' {
		return 0, 0, false
	}
	off, dataStart, ok := traceOffset(data, lineStart)
	if !ok || k-dataStart != traceWidth {
		return 0, 0, false
	}
	line := k + 1
	if data[k] == '\r' && line < len(data) && data[line] == '\n' {
		line++
	}
	noff, next, ok := traceOffset(data, line)
	if !ok || noff != off+traceWidth {
		return 0, 0, false
	}
	return line, next, true
}

// traceOffset reads the "00ec: " curl --trace-ascii starts a line with at data[at:].
func traceOffset(data []byte, at int) (int, int, bool) {
	n, k := 0, at
	for k < len(data) && k-at < 8 && isHex(data[k]) {
		n = n<<4 | int(unhex(data[k]))
		k++
	}
	if k-at < 4 || k+1 >= len(data) || data[k] != ':' || data[k+1] != ' ' {
		return 0, 0, false
	}
	return n, k + 2, true
}

// escapedB64 decodes an escape at the start of b that stands for a base64 character: %2B, %252B,
// \/, \u002B, \x2B, and JSON escapes escaped again (\\/, \\\/) as a JSON log line holding
// another JSON document has them. n is 0 when b does not start with one.
func escapedB64(b []byte) (byte, int) {
	var v byte
	n := 0
	switch {
	case len(b) >= 5 && b[0] == '%' && b[1] == '2' && b[2] == '5' && isHex(b[3]) && isHex(b[4]):
		v, n = hexByte(b[3], b[4]), 5 // encoded twice, as a URL inside a redirect_to= value is
	case len(b) >= 3 && b[0] == '%' && isHex(b[1]) && isHex(b[2]):
		v, n = hexByte(b[1], b[2]), 3
	case len(b) >= 2 && b[0] == '\\':
		m := 1
		for m < len(b) && m < 8 && b[m] == '\\' {
			m++
		}
		e := b[m:]
		switch {
		case len(e) >= 1 && e[0] == '/':
			v, n = '/', m+1
		case len(e) >= 5 && e[0] == 'u' && e[1] == '0' && e[2] == '0' && isHex(e[3]) && isHex(e[4]):
			v, n = hexByte(e[3], e[4]), m+5
		case len(e) >= 3 && e[0] == 'x' && isHex(e[1]) && isHex(e[2]):
			v, n = hexByte(e[1], e[2]), m+3
		}
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

// layoutOK decodes text in either alphabet and reports whether it is exactly one token layout.
func layoutOK(text []byte) bool {
	dec, ok := decodeRun(nil, text, bytes.ContainsAny(text, "+/"))
	return ok && appctx.LayoutOK(dec)
}

// fits is layoutFits(text), read from dec, text's decoding, when the finder made one: for a run
// that decodes, layoutFits is the layout check on its decoding.
func fits(text, dec []byte) bool {
	if dec != nil {
		return appctx.LayoutOK(dec)
	}
	return layoutFits(text)
}

// layoutFits reports whether text has the length a token's layout gives it, reading only the
// header (IV length, AAD length, ciphertext length) rather than decoding the whole: it is how the
// joins of unwrap are tried without decoding each. Opening the token checks the rest.
func layoutFits(text []byte) bool {
	t := text[:len(text)-trailingEq(text)]
	total := len(t) * 6 / 8
	var buf [48]byte
	// The header is in the first 64 characters; letters and digits read the same in either
	// alphabet, so only they choose it.
	std := false
	for _, c := range t[:min(len(t), 64)] {
		if classes[c] == classStd {
			std = true
			break
		}
	}
	// The header's first 64 characters are decoded once. Should they not decode (a character of
	// the other alphabet further on), each field's prefix is decoded alone, as far as it goes.
	all, allOK := decodeRun(buf[:0], t[:min(4*len(buf)/3, len(t))], std)
	head := func(n int) ([]byte, bool) { // the first n bytes, decoded
		chars := (n + 2) / 3 * 4
		if n > total || chars > 4*len(buf)/3 {
			return nil, false
		}
		if allOK {
			return all, len(all) >= n
		}
		dec, ok := decodeRun(buf[:0], t[:min(chars, len(t))], std)
		return dec, ok && len(dec) >= n
	}
	h, ok := head(1)
	if !ok || h[0] == 0 {
		return false
	}
	off := 1 + int(h[0])
	if h, ok = head(off + 2); !ok {
		return off+2 <= total && decodable(t) && layoutOK(text) // a long IV: decode it all
	}
	aadEnd := off + 2 + (int(h[off]) | int(h[off+1])<<8)
	if h, ok = head(aadEnd + 4); !ok {
		return aadEnd+4 <= total && decodable(t) && layoutOK(text)
	}
	ct := int(h[aadEnd]) | int(h[aadEnd+1])<<8 | int(h[aadEnd+2])<<16 | int(h[aadEnd+3])<<24
	return total == aadEnd+4+ct+appctx.TagSize
}

// decodable is false when t, a value without its trailing '=', holds a '=' (a key's, as a join
// across "context=a context=b" makes): no decoding of it succeeds, and layoutOK need not allocate and
// decode it all to say so, on each of unwrap's joins.
func decodable(t []byte) bool {
	return bytes.IndexByte(t, '=') < 0
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
