package appctx

import (
	"encoding/binary"
	"math/bits"
)

// readPayloadFast reads the payloads Zoom sends, and nearly every payload a log holds: an object
// of ASCII strings without escapes, numbers, literals, arrays and objects, nested at most
// MaxDepth. It reports true only for a plaintext that readPayload accepts, with the same claims;
// for anything else (an escape, a byte of 0x80 or above, a control byte in a string, any JSON
// error) it reports false, and readPayload's full reader decides, with its exact reason and
// offset. It is one loop over locals with an explicit stack, where the full reader is recursive
// methods keeping their position in memory: on a log of valid contexts, reading the payload was
// the largest part of a scan after base64 and AES.
//
// Why its yes is enough: every byte it accepts is ASCII (the grammar's bytes, and strings tested
// for 0x80 and above), so the plaintext is valid UTF-8 and starts with no byte order mark; depth
// never passes MaxDepth; and the grammar is RFC 8259's, as the full reader's. FuzzPayloadFast holds
// it to that.
func readPayloadFast(b []byte, c *PayloadClaims) bool {
	var (
		stack uint64 // bit d-1 set: the container at depth d is an object
		depth int
		key   []byte // the top-level member whose value is being read
		vs    int    // where that value starts
	)
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
value:
	i = skipWS(b, i)
	if i >= len(b) {
		return false
	}
	switch ch := b[i]; {
	case ch == '"':
		if i = plainStringEnd(b, i); i < 0 {
			return false
		}
		goto after
	case ch == '{' || ch == '[':
		if depth == MaxDepth {
			return false
		}
		if ch == '{' {
			stack |= 1 << depth
		} else {
			stack &^= 1 << depth
		}
		depth++
		i = skipWS(b, i+1)
		if i < len(b) && (b[i] == '}' && ch == '{' || b[i] == ']' && ch == '[') {
			i++
			depth--
			goto after
		}
		if ch == '[' {
			goto value
		}
		goto member
	case ch == '-' || '0' <= ch && ch <= '9':
		if i = numberEnd(b, i); i < 0 {
			return false
		}
		goto after
	case ch == 't':
		if !hasAt(b, i, "true") {
			return false
		}
		i += 4
		goto after
	case ch == 'f':
		if !hasAt(b, i, "false") {
			return false
		}
		i += 5
		goto after
	case ch == 'n':
		if !hasAt(b, i, "null") {
			return false
		}
		i += 4
		goto after
	}
	return false

member: // at a member name, inside an object
	i = skipWS(b, i)
	if i >= len(b) || b[i] != '"' {
		return false
	}
	{
		ks := i
		if i = plainStringEnd(b, i); i < 0 {
			return false
		}
		if depth == 1 {
			key = b[ks+1 : i-1]
		}
	}
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return false
	}
	i = skipWS(b, i+1)
	vs = i
	goto value

after: // just past a value
	if depth == 1 && key != nil {
		c.set(key, b[vs:i], b[vs] == '"')
		key = nil
	}
	if depth == 0 {
		return skipWS(b, i) == len(b)
	}
	i = skipWS(b, i)
	if i >= len(b) {
		return false
	}
	switch obj := stack>>(depth-1)&1 == 1; {
	case b[i] == ',':
		i++
		if obj {
			goto member
		}
		goto value
	case b[i] == '}' && obj || b[i] == ']' && !obj:
		i++
		depth--
		goto after
	}
	return false
}

// skipWS returns the first index at or after i that is not JSON whitespace.
func skipWS(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// plainStringEnd returns the index just past the string starting at the quote at i, or -1 when it
// holds an escape, a control byte or a byte of 0x80 or above (or does not end): the full reader's
// business. Eight bytes a step: the lowest byte marked by the SWAR tests is exact, as a borrow only
// marks bytes after it.
func plainStringEnd(b []byte, i int) int {
	i++
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		q, bs := x^(ones*'"'), x^(ones*'\\')
		if m := ((q-ones)&^q | (bs-ones)&^bs | (x-ones*0x20)&^x | x) & (ones * 0x80); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if b[i] == '"' {
				return i + 1
			}
			return -1
		}
		i += 8
	}
	for ; i < len(b); i++ {
		switch ch := b[i]; {
		case ch == '"':
			return i + 1
		case ch == '\\' || ch < 0x20 || ch >= 0x80:
			return -1
		}
	}
	return -1
}

// numberEnd returns the index just past the number starting at i, in RFC 8259's grammar, or -1.
func numberEnd(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digitsEnd(b, i+1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digitsEnd(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digitsEnd(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func digitsEnd(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

func hasAt(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}
