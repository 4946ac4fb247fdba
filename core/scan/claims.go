package scan

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// tokenClaims are the payload members scan reports.
type tokenClaims struct {
	typ, uid, mid string
	ts, exp       int64
}

// rawClaims are tokenClaims before their strings are made: the raw JSON values, aliasing the
// plaintext, and whether each string is plain (its bytes are its text). Scanning many tokens, the
// strings of a whole block are made in one allocation.
type rawClaims struct {
	typ, uid, mid, aud           []byte
	typPlain, uidPlain, midPlain bool
	ts, exp                      int64
}

// maxDepth matches encoding/json's nesting limit, so both accept the same documents.
const maxDepth = 10000

// readClaims checks that pt is exactly one JSON object (RFC 8259, as encoding/json reads it) and
// extracts the claims scan reports from its top level. It does in one pass without allocating what
// json.Unmarshal does in two with many allocations: on a day of logs this is most of the work.
// A claim of an unexpected type is left empty rather than failing the token; a repeated member
// counts as its last occurrence, as in encoding/json.
func readClaims(pt []byte, c *tokenClaims) error {
	var raw rawClaims
	if err := readRawClaims(pt, &raw); err != nil {
		return err
	}
	c.typ, c.uid, c.mid = stringValue(raw.typ), stringValue(raw.uid), stringValue(raw.mid)
	c.ts, c.exp = raw.ts, raw.exp
	return nil
}

// readRawClaims is readClaims without making the strings.
func readRawClaims(pt []byte, c *rawClaims) error {
	p := jsonParser{b: pt}
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return p.fail("expected a JSON object")
	}
	if err := p.object(0, c); err != nil {
		return err
	}
	p.ws()
	if p.i != len(p.b) {
		return p.fail("data after the JSON object")
	}
	return nil
}

type jsonParser struct {
	b []byte
	i int
	// plain is set by str when the string just read needs no decoding: ASCII, no escapes.
	plain bool
}

type syntaxError struct {
	msg string
	at  int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.at) }

func (p *jsonParser) fail(msg string) error { return &syntaxError{msg, p.i} }

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

// object reads an object starting at '{'. When c is not nil it is the top level, and its claims
// are extracted.
func (p *jsonParser) object(depth int, c *rawClaims) error {
	if depth >= maxDepth {
		return p.fail("JSON nested too deeply")
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
		if err := p.str(); err != nil {
			return err
		}
		key := p.b[ks+1 : p.i-1]
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return p.fail("expected ':'")
		}
		p.i++
		p.ws()
		vs := p.i
		if err := p.value(depth + 1); err != nil {
			return err
		}
		if c != nil {
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

func (p *jsonParser) array(depth int) error {
	if depth >= maxDepth {
		return p.fail("JSON nested too deeply")
	}
	p.i++ // '['
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		p.ws()
		if err := p.value(depth + 1); err != nil {
			return err
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

func (p *jsonParser) value(depth int) error {
	if p.i >= len(p.b) {
		return p.fail("expected a value")
	}
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
	return p.fail("expected a value")
}

func (p *jsonParser) literal(lit string) error {
	if len(p.b)-p.i < len(lit) || string(p.b[p.i:p.i+len(lit)]) != lit {
		return p.fail("invalid literal")
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

// str reads a string starting at '"'. Bytes below 0x20 are not allowed raw; escapes are checked.
// Invalid UTF-8 is accepted, as encoding/json accepts it.
// ones has 0x01 in every byte, for the eight-byte tests in str.
const ones = 0x0101010101010101

func (p *jsonParser) str() error {
	p.i++
	p.plain = true
	for p.i < len(p.b) {
		// In locals, the loop keeps i and the high bits in registers: this is the hottest loop
		// of a scan after AES and base64.
		b, i, hi := p.b, p.i, byte(0)
		// Eight bytes at a time while none of them ends the run: a quote, a backslash or a
		// control character (the classic SWAR tests for a byte equal to, or below, a value).
		var hi8 uint64
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			q, bs := x^(ones*'"'), x^(ones*'\\')
			if ((q-ones)&^q|(bs-ones)&^bs|(x-ones*0x20)&^x)&(ones*0x80) != 0 {
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
			return p.fail("control character in string")
		case c == '\\':
			p.plain = false
			if err := p.escape(); err != nil {
				return err
			}
		default:
			p.i++
		}
	}
	return p.fail("unterminated string")
}

func (p *jsonParser) escape() error {
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

func (p *jsonParser) number() error {
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

// set records a top-level member if it is a claim scan reports. raw is a valid JSON value.
func (c *rawClaims) set(key, raw []byte, plain bool) {
	switch string(key) { // no allocation: the compiler compares in place
	case "typ":
		c.typ, c.typPlain = raw, plain
	case "uid":
		c.uid, c.uidPlain = raw, plain
	case "mid":
		c.mid, c.midPlain = raw, plain
	case "aud":
		c.aud = raw
	case "ts":
		c.ts = intValue(raw)
	case "exp":
		c.exp = intValue(raw)
	}
}

// stringValue decodes a JSON string value, or returns "" for a value of another type.
func stringValue(raw []byte) string {
	if b, ok := plainValue(raw); ok {
		return string(b)
	}
	var s string
	if len(raw) < 2 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// plainValue returns the bytes of a JSON string value that needs no decoding (ASCII, no escapes),
// and false for any other value.
func plainValue(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	for _, c := range inner {
		if c == '\\' || c >= 0x80 {
			return nil, false
		}
	}
	return inner, true
}

// intValue reads a JSON number as an integer (truncating a fraction), or 0 for another type.
func intValue(raw []byte) int64 {
	if len(raw) == 0 || !(raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
		return 0
	}
	if len(raw) <= 18 { // the common case, epoch milliseconds: plain digits that cannot overflow
		var n int64
		for _, c := range raw {
			if c < '0' || c > '9' {
				goto general
			}
			n = n*10 + int64(c-'0')
		}
		return n
	}
general:
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return n
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > math.MaxInt64/2 {
		return 0
	}
	return int64(f)
}
