package webhook

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The re-serialisations below reproduce, byte for byte, what common verifiers hash when they
// hash a parsed and re-encoded body instead of the raw one: JavaScript's JSON.parse then
// JSON.stringify (Zoom's own sample does), Python's json.loads then json.dumps with its options,
// str(dict), PHP's json_encode and Go's json.Marshal of a map. They need a JSON tree that keeps
// key order, the text of numbers and lone surrogates, which encoding/json does not, so the body
// is read by the small linear-time parser here.

type jkind int

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

type jvalue struct {
	kind jkind
	b    bool
	num  string // the number's text, as received
	str  []rune // may hold lone surrogates (0xD800-0xDFFF), as JSON allows
	arr  []*jvalue
	keys [][]rune // an object's keys in first-seen order; a repeated key keeps its place, takes the last value
	vals []*jvalue
}

// maxDepth bounds nesting; Python's json refuses deeper documents with RecursionError too.
const maxDepth = 512

// jsonError is where the body stops being JSON.
type jsonError struct {
	Offset int
	Want   string
}

func (e *jsonError) Error() string { return fmt.Sprintf("byte %d: want %s", e.Offset, e.Want) }

type jparser struct {
	s     []byte
	i     int
	depth int
}

// parseJSON reads one JSON document in time linear in its length.
func parseJSON(b []byte) (*jvalue, error) {
	p := &jparser{s: b}
	p.ws()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, p.fail("the end of the document")
	}
	return v, nil
}

func (p *jparser) fail(want string) error { return &jsonError{Offset: p.i, Want: want} }

func (p *jparser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jparser) lit(word string, v *jvalue) (*jvalue, error) {
	if !strings.HasPrefix(string(p.s[p.i:min(len(p.s), p.i+len(word))]), word) {
		return nil, p.fail("a JSON value")
	}
	p.i += len(word)
	return v, nil
}

func (p *jparser) value() (*jvalue, error) {
	if p.i >= len(p.s) {
		return nil, p.fail("a JSON value")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return &jvalue{kind: jString, str: s}, err
	case c == 't':
		return p.lit("true", &jvalue{kind: jBool, b: true})
	case c == 'f':
		return p.lit("false", &jvalue{kind: jBool})
	case c == 'n':
		return p.lit("null", &jvalue{kind: jNull})
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.fail("a JSON value")
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail(fmt.Sprintf("at most %d levels of nesting", maxDepth))
	}
	return nil
}

func (p *jparser) object() (*jvalue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.i++
	v := &jvalue{kind: jObject}
	index := map[string]int{}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return v, nil
	}
	for {
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.fail("a key in double quotes")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.fail("':' after the key")
		}
		p.i++
		p.ws()
		val, err := p.value()
		if err != nil {
			return nil, err
		}
		if at, ok := index[string(k)]; ok {
			v.vals[at] = val
		} else {
			index[string(k)] = len(v.keys)
			v.keys, v.vals = append(v.keys, k), append(v.vals, val)
		}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			p.depth--
			return v, nil
		}
		return nil, p.fail("',' or '}'")
	}
}

func (p *jparser) array() (*jvalue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.i++
	v := &jvalue{kind: jArray}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return v, nil
	}
	for {
		p.ws()
		el, err := p.value()
		if err != nil {
			return nil, err
		}
		v.arr = append(v.arr, el)
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			p.depth--
			return v, nil
		}
		return nil, p.fail("',' or ']'")
	}
}

func (p *jparser) number() (*jvalue, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, p.fail("a digit")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.fail("a digit after '.'")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.fail("a digit in the exponent")
		}
	}
	return &jvalue{kind: jNumber, num: string(p.s[start:p.i])}, nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// str reads a string, decoding escapes; invalid UTF-8 becomes U+FFFD, as a UTF-8 decoder does.
func (p *jparser) str() ([]rune, error) {
	p.i++
	var out []rune
	for {
		if p.i >= len(p.s) {
			return nil, p.fail("a closing '\"'")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return joinSurrogates(out), nil
		case c < 0x20:
			return nil, p.fail("a control character to be escaped")
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return nil, p.fail("an escape")
			}
			e := p.s[p.i+1]
			if r, ok := jsonEscapes[e]; ok {
				out = append(out, r)
				p.i += 2
				continue
			}
			if e != 'u' || p.i+6 > len(p.s) {
				return nil, p.fail("an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
			}
			u := 0
			for _, h := range p.s[p.i+2 : p.i+6] {
				d := hexVal(h)
				if d < 0 {
					return nil, p.fail("four hex digits after \\u")
				}
				u = u<<4 | d
			}
			out = append(out, rune(u))
			p.i += 6
		default:
			r, n := utf8.DecodeRune(p.s[p.i:])
			out = append(out, r)
			p.i += n
		}
	}
}

// joinSurrogates combines escaped surrogate pairs into one code point; lone ones stay.
func joinSurrogates(rs []rune) []rune {
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		if utf16.IsSurrogate(rs[i]) && rs[i] < 0xDC00 && i+1 < len(rs) && rs[i+1] >= 0xDC00 && rs[i+1] <= 0xDFFF {
			out = append(out, utf16.DecodeRune(rs[i], rs[i+1]))
			i++
			continue
		}
		out = append(out, rs[i])
	}
	return out
}

// jsonEscapes are JSON's one-letter escapes and what they stand for.
var jsonEscapes = map[byte]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// dialect is one way of writing a parsed body back out.
type dialect struct {
	lang     string // "js", "py", "pyrepr", "php", "go"
	itemSep  string // between members
	keySep   string // between key and value
	indent   string // per level; empty for one line
	ascii    bool   // escape everything outside printable ASCII as \uXXXX
	sortKeys bool
}

// encode writes v in dialect d. It is linear in the size of v's text.
func (d dialect) encode(v *jvalue) []byte {
	var b strings.Builder
	d.write(&b, v, 0)
	return []byte(b.String())
}

func (d dialect) newline(b *strings.Builder, level int) {
	if d.indent == "" {
		return
	}
	b.WriteByte('\n')
	for range level {
		b.WriteString(d.indent)
	}
}

func (d dialect) write(b *strings.Builder, v *jvalue, level int) {
	switch v.kind {
	case jNull:
		b.WriteString(map[bool]string{true: "None", false: "null"}[d.lang == "pyrepr"])
	case jBool:
		switch {
		case d.lang == "pyrepr" && v.b:
			b.WriteString("True")
		case d.lang == "pyrepr":
			b.WriteString("False")
		default:
			b.WriteString(strconv.FormatBool(v.b))
		}
	case jNumber:
		b.WriteString(d.number(v.num))
	case jString:
		d.str(b, v.str)
	case jArray:
		if len(v.arr) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, el := range v.arr {
			if i > 0 {
				b.WriteString(d.sep())
			}
			d.newline(b, level+1)
			d.write(b, el, level+1)
		}
		d.newline(b, level)
		b.WriteByte(']')
	case jObject:
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		order := make([]int, len(v.keys))
		for i := range order {
			order[i] = i
		}
		if d.sortKeys {
			sort.SliceStable(order, func(i, j int) bool { return lessRunes(v.keys[order[i]], v.keys[order[j]], d.lang == "go") })
		}
		b.WriteByte('{')
		for n, i := range order {
			if n > 0 {
				b.WriteString(d.sep())
			}
			d.newline(b, level+1)
			d.str(b, v.keys[i])
			b.WriteString(d.keySep)
			d.write(b, v.vals[i], level+1)
		}
		d.newline(b, level)
		b.WriteByte('}')
	}
}

// sep is the member separator; with an indent, Python and JavaScript drop the space after ','.
func (d dialect) sep() string {
	if d.indent != "" {
		return ","
	}
	return d.itemSep
}

// lessRunes orders keys as Python does (by code point) or as Go's encoding/json does (by UTF-8 bytes).
func lessRunes(a, b []rune, utf8Order bool) bool {
	if utf8Order {
		return string(a) < string(b)
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// number writes a JSON number's text as the dialect's runtime prints the value it parsed.
func (d dialect) number(text string) string {
	isFloat := strings.ContainsAny(text, ".eE")
	switch d.lang {
	case "js", "go":
		f, _ := strconv.ParseFloat(text, 64) // the grammar was checked; out of range gives ±Inf
		if math.IsInf(f, 0) {
			return "null"
		}
		return jsNumber(f)
	}
	if !isFloat { // Python and PHP keep integers as written (PHP turns huge ones to floats; rare)
		n, ok := new(big.Int).SetString(text, 10)
		if !ok {
			return text
		}
		return n.String()
	}
	f, _ := strconv.ParseFloat(text, 64)
	if math.IsInf(f, 0) {
		return map[bool]string{true: "inf", false: "Infinity"}[d.lang == "pyrepr"]
	}
	return pyFloat(f)
}

// jsNumber is ECMAScript's Number::toString for a finite f (ECMA-262 §6.1.6.1.20).
func jsNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	digits, exp := shortest(f) // f = 0.digits × 10^exp
	k := len(digits)
	switch {
	case k <= exp && exp <= 21:
		return sign + digits + strings.Repeat("0", exp-k)
	case 0 < exp && exp <= 21:
		return sign + digits[:exp] + "." + digits[exp:]
	case -6 < exp && exp <= 0:
		return sign + "0." + strings.Repeat("0", -exp) + digits
	}
	e := exp - 1
	es := "+" + strconv.Itoa(e)
	if e < 0 {
		es = strconv.Itoa(e)
	}
	if k == 1 {
		return sign + digits + "e" + es
	}
	return sign + digits[:1] + "." + digits[1:] + "e" + es
}

// pyFloat is Python's repr(float): the shortest digits, decimal when the exponent is in
// [-4, 16), with ".0" on integral values, else d.ddde±XX.
func pyFloat(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	digits, exp := shortest(f)
	e := exp - 1
	if -4 <= e && e < 16 {
		switch {
		case exp <= 0:
			return sign + "0." + strings.Repeat("0", -exp) + digits
		case exp >= len(digits):
			return sign + digits + strings.Repeat("0", exp-len(digits)) + ".0"
		}
		return sign + digits[:exp] + "." + digits[exp:]
	}
	mant := digits[:1]
	if len(digits) > 1 {
		mant += "." + digits[1:]
	}
	es := fmt.Sprintf("%+03d", e)
	return sign + mant + "e" + es
}

// shortest returns the shortest decimal digits that round-trip f (> 0) and the exponent n with
// f = 0.digits × 10^n.
func shortest(f float64) (string, int) {
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exps, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exps)
	return strings.Replace(mant, ".", "", 1), e + 1
}

// str writes a string as the dialect's encoder does.
func (d dialect) str(b *strings.Builder, rs []rune) {
	if d.lang == "pyrepr" {
		pyRepr(b, rs)
		return
	}
	b.WriteByte('"')
	for _, r := range rs {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			writeU(b, r)
		case r == '/' && d.lang == "php":
			b.WriteString(`\/`)
		case d.lang == "go" && (r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029):
			writeU(b, r)
		case utf16.IsSurrogate(r): // a lone surrogate
			if d.lang == "go" {
				b.WriteString(`\ufffd`)
			} else {
				writeU(b, r)
			}
		case d.ascii && r > 0x7e:
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				writeU(b, r1)
				writeU(b, r2)
			} else {
				writeU(b, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// writeU writes r (at most 0xFFFF) as \u and four lower-case hex digits.
func writeU(b *strings.Builder, r rune) {
	const digits = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(digits[(r>>shift)&0xf])
	}
}

// pyRepr writes Python's repr(str): single quotes unless the text holds ' and no ".
func pyRepr(b *strings.Builder, rs []rune) {
	q := '\''
	hasSingle, hasDouble := false, false
	for _, r := range rs {
		hasSingle = hasSingle || r == '\''
		hasDouble = hasDouble || r == '"'
	}
	if hasSingle && !hasDouble {
		q = '"'
	}
	b.WriteRune(q)
	for _, r := range rs {
		switch {
		case r == q || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case !utf16.IsSurrogate(r) && unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(b, `\x%02x`, r)
		case r < 0x10000:
			writeU(b, r)
		default:
			fmt.Fprintf(b, `\U%08x`, r)
		}
	}
	b.WriteRune(q)
}
