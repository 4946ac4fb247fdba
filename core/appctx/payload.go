package appctx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// MaxDepth is the deepest JSON nesting a payload may have: Zoom's payload nests two levels, and
// a recursive reader in any language handles 64.
const MaxDepth = 64

// PayloadClaims are the top-level members of a payload the verdict and the faces read: the raw
// JSON values, aliasing the plaintext (nil when absent), and for the three strings scan reports,
// whether each is plain (its bytes are its text: ASCII, no escapes). A repeated member counts as
// its last occurrence, as encoding/json and every common JSON reader do.
type PayloadClaims struct {
	Typ, UID, MID, Aud, TS, Exp  []byte
	TypPlain, UIDPlain, MIDPlain bool
}

// payloadFault is a payload that is not one JSON object: its reason code, the byte offset in the
// plaintext and what was expected there.
type payloadFault struct {
	reason Reason
	at     int
	msg    string
}

// readPayload checks that pt is exactly one JSON object in valid UTF-8 (RFC 8259, strictly: no
// NaN, no leading zeros, no raw control characters) and extracts its claims in one pass without
// allocating: on a day of logs this is most of scan's work. The checks run in the verdict's order:
// not_utf8, bom, too_deep, not_json, not_object, trailing_data.
//
// With shapes, a plaintext of a shape seen before is read by its shape, and a new one is learnt.
func readPayload(pt []byte, c *PayloadClaims, shapes *PayloadShapes) *payloadFault {
	if shapes != nil {
		if shapes.read(pt, c) || shapes.readFast(pt, c) {
			return nil
		}
	} else if readPayloadFast(pt, c) {
		return nil
	}
	*c = PayloadClaims{}
	return readPayloadFull(pt, c)
}

// readPayloadFull is readPayload without the fast path: the reference, and the reason and offset
// of every fault.
func readPayloadFull(pt []byte, c *PayloadClaims) *payloadFault {
	if !utf8.Valid(pt) {
		return &payloadFault{ReasonNotUTF8, invalidUTF8At(pt), "the plaintext is not valid UTF-8"}
	}
	if len(pt) >= 3 && pt[0] == 0xEF && pt[1] == 0xBB && pt[2] == 0xBF {
		return &payloadFault{ReasonBOM, 0, "the plaintext starts with a UTF-8 byte order mark (EF BB BF) before the JSON"}
	}
	p := jsonParser{b: pt}
	f := p.document(c)
	if f != nil && f.reason != ReasonTooDeep {
		// The nesting rule comes first in the verdict's order, even when the JSON breaks before
		// the deep part: count brackets outside strings over the whole plaintext (only here, on
		// the failure path, so a valid payload is read once).
		if at, deep := tooDeep(pt); deep {
			return &payloadFault{ReasonTooDeep, at, fmt.Sprintf("JSON nested deeper than %d", MaxDepth)}
		}
	}
	return f
}

// invalidUTF8At is the offset of the first byte that is not valid UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// tooDeep counts '[' and '{' minus ']' and '}' outside strings, in one pass, and reports where
// the count first exceeds MaxDepth.
func tooDeep(b []byte) (int, bool) {
	depth, inStr, esc := 0, false, false
	for i, c := range b {
		switch {
		case inStr && esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case inStr && c == '"':
			inStr = false
		case inStr:
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
			if depth > MaxDepth {
				return i, true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return 0, false
}

type jsonParser struct {
	b []byte
	i int
	// plain is set by str when the string just read needs no decoding: ASCII, no escapes.
	plain bool
}

func (p *jsonParser) fail(msg string) *payloadFault { return &payloadFault{ReasonNotJSON, p.i, msg} }

// document reads one JSON value surrounded by JSON whitespace; claims are taken from it when it
// is an object.
func (p *jsonParser) document(c *PayloadClaims) *payloadFault {
	p.ws()
	if p.i >= len(p.b) {
		return p.fail("expected a JSON object, found no JSON value")
	}
	obj := p.b[p.i] == '{'
	var err *payloadFault
	if obj {
		err = p.object(1, c)
	} else {
		err = p.value(1)
	}
	if err != nil {
		return err
	}
	p.ws()
	switch {
	case p.i != len(p.b) && obj:
		return &payloadFault{ReasonTrailingData, p.i, fmt.Sprintf("%d more bytes follow the object, the first %s", len(p.b)-p.i, quoteByte(p.b[p.i]))}
	case p.i != len(p.b):
		return p.fail("data after the JSON value")
	case !obj:
		return &payloadFault{ReasonNotObject, 0, "valid JSON, but " + kindOf(p.b) + ", not an object"}
	}
	return nil
}

func kindOf(b []byte) string {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '[':
			return "an array"
		case '"':
			return "a string"
		case 't', 'f':
			return "a boolean"
		case 'n':
			return "null"
		}
		return "a number"
	}
	return "nothing"
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) deep(depth int) *payloadFault {
	if depth > MaxDepth {
		return &payloadFault{ReasonTooDeep, p.i, fmt.Sprintf("JSON nested deeper than %d", MaxDepth)}
	}
	return nil
}

// object reads an object starting at '{' at nesting depth. When c is not nil it is the top level,
// and its claims are extracted.
func (p *jsonParser) object(depth int, c *PayloadClaims) *payloadFault {
	if f := p.deep(depth); f != nil {
		return f
	}
	p.i++ // '{'
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return nil
	}
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return p.fail("expected a member name")
		}
		ks := p.i
		if f := p.str(); f != nil {
			return f
		}
		key, keyPlain := p.b[ks+1:p.i-1], p.plain
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return p.fail("expected ':'")
		}
		p.i++
		p.ws()
		vs := p.i
		if f := p.value(depth + 1); f != nil {
			return f
		}
		if c != nil {
			if !keyPlain {
				key = unescapeKey(p.b[ks:vs])
			}
			c.set(key, p.b[vs:p.i], p.b[vs] == '"' && p.plain)
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.fail("unterminated object")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return p.fail("expected ',' or '}'")
		}
	}
}

// unescapeKey decodes a member name written with escapes ("\u0065xp" is exp). raw starts at the
// name's opening quote; the name was already validated.
func unescapeKey(raw []byte) []byte {
	end := 1
	for esc := false; end < len(raw); end++ {
		switch {
		case esc:
			esc = false
		case raw[end] == '\\':
			esc = true
		case raw[end] == '"':
			var s string
			if json.Unmarshal(raw[:end+1], &s) != nil {
				return nil
			}
			return []byte(s)
		}
	}
	return nil
}

func (p *jsonParser) array(depth int) *payloadFault {
	if f := p.deep(depth); f != nil {
		return f
	}
	p.i++ // '['
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		p.ws()
		if f := p.value(depth + 1); f != nil {
			return f
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.fail("unterminated array")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return p.fail("expected ',' or ']'")
		}
	}
}

// value reads any JSON value; depth is the nesting an object or array starting here would have.
func (p *jsonParser) value(depth int) *payloadFault {
	if p.i >= len(p.b) {
		return p.fail("expected a value")
	}
	p.plain = false
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth, nil)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	}
	return p.fail(fmt.Sprintf("expected a value, found %s", quoteByte(p.b[p.i])))
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *jsonParser) literal(lit string) *payloadFault {
	if len(p.b)-p.i < len(lit) || string(p.b[p.i:p.i+len(lit)]) != lit {
		return p.fail("invalid literal (NaN and Infinity are not JSON)")
	}
	p.i += len(lit)
	return nil
}

// plainString marks the bytes a JSON string holds as they are: not '"', '\\' or a control byte.
var plainString = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// ones has 0x01 in every byte, for the eight-byte tests in str.
const ones = 0x0101010101010101

// str reads a string starting at '"'. Bytes below 0x20 are not allowed raw; escapes are checked.
// UTF-8 was validated over the whole plaintext before.
func (p *jsonParser) str() *payloadFault {
	p.i++
	p.plain = true
	for p.i < len(p.b) {
		// In locals, the loop keeps i and the high bits in registers: this is the hottest loop
		// of a scan after AES and base64.
		b, i, hi := p.b, p.i, byte(0)
		// Eight bytes at a time: the classic SWAR tests for a byte equal to, or below, a value
		// mark a quote, a backslash or a control character. A borrow can only mark bytes after
		// the first marked one, so the lowest mark is exact: where the string's plain run ends,
		// found without a byte loop (a claim's value is rarely longer than one word or two).
		var hi8 uint64
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			q, bs := x^(ones*'"'), x^(ones*'\\')
			if m := ((q-ones)&^q | (bs-ones)&^bs | (x-ones*0x20)&^x) & (ones * 0x80); m != 0 {
				n := bits.TrailingZeros64(m) >> 3
				hi8 |= x & (1<<(8*n) - 1)
				i += n
				break
			}
			hi8 |= x
			i += 8
		}
		if hi8&(ones*0x80) != 0 {
			hi = 0x80
		}
		for i < len(b) && plainString[b[i]] {
			hi |= b[i]
			i++
		}
		p.i = i
		if hi >= 0x80 {
			p.plain = false
		}
		if p.i == len(p.b) {
			break
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return nil
		case c < 0x20:
			return p.fail(fmt.Sprintf("raw control character 0x%02x in a string (JSON needs it escaped)", c))
		case c == '\\':
			p.plain = false
			if f := p.escape(); f != nil {
				return f
			}
		default:
			p.i++
		}
	}
	return p.fail("unterminated string")
}

func (p *jsonParser) escape() *payloadFault {
	p.i++ // '\\'
	if p.i >= len(p.b) {
		return p.fail("unterminated escape")
	}
	switch p.b[p.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		p.i++
		return nil
	case 'u':
		if len(p.b)-p.i < 5 {
			return p.fail("short \\u escape")
		}
		for _, h := range p.b[p.i+1 : p.i+5] {
			if !isHex(h) {
				return p.fail("invalid \\u escape")
			}
		}
		p.i += 5
		return nil
	}
	return p.fail("invalid escape")
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// number reads a number in RFC 8259's grammar: no '+', no leading zero, digits after '.' and 'e'.
func (p *jsonParser) number() *payloadFault {
	if p.b[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.b) && p.b[p.i] == '0':
		p.i++
	case p.i < len(p.b) && '1' <= p.b[p.i] && p.b[p.i] <= '9':
		p.digits()
	default:
		return p.fail("invalid number")
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return p.fail("invalid number")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return p.fail("invalid number")
		}
	}
	return nil
}

func (p *jsonParser) digits() int {
	start := p.i
	for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

// set records a top-level member if it is a claim the verdict or a face reads (claimNames).
// raw is a valid JSON value; key is the member's name, unescaped.
func (c *PayloadClaims) set(key, raw []byte, plain bool) {
	if len(key) >= 8 || bytes.IndexByte(key, 0) >= 0 { // no claim's name; claimSlot reads zeros as its end
		return
	}
	c.setSlot(claimSlot(word(string(key))), raw, plain)
}

// setSlot records raw as the claim in slot (slotNone: none).
func (c *PayloadClaims) setSlot(slot int, raw []byte, plain bool) {
	switch slot {
	case slotTyp:
		c.Typ, c.TypPlain = raw, plain
	case slotUID:
		c.UID, c.UIDPlain = raw, plain
	case slotMID:
		c.MID, c.MIDPlain = raw, plain
	case slotAud:
		c.Aud = raw
	case slotTS:
		c.TS = raw
	case slotExp:
		c.Exp = raw
	}
}

// StringValue decodes a JSON string value, or returns "" and false for a value of another type.
func StringValue(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(inner), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// stringIs reports whether raw, a JSON value, is a string whose text is s: StringValue(raw) == s,
// without decoding or allocating in the common case (the aud check of every token a scan opens).
// An escape's text is shorter than the escape, so an inner part as long as s is s itself or
// holds an escape and is not s; only a shorter s, or one holding a backslash, needs decoding.
func stringIs(raw []byte, s string) bool {
	if len(raw) < 2 || raw[0] != '"' {
		return false
	}
	inner := raw[1 : len(raw)-1]
	switch {
	case len(inner) < len(s):
		return false
	case len(inner) == len(s) && strings.IndexByte(s, '\\') < 0:
		return string(inner) == s
	}
	text, ok := StringValue(raw)
	return ok && text == s
}
