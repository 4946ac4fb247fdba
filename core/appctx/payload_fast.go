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
// offset.
//
// On a log of valid contexts, reading the payload was the largest part of a scan after base64
// and AES, so it works to branch little on the data (issue 21):
//   - a clean plaintext (no backslash, control byte or byte of 0x80 and above; up to maxIndexed
//     bytes: all Zoom sends) has its quotes indexed once (quoteIndex), and a string ends at the
//     next quote: one load, one shift and one trailing-zero count, where a scan tested each byte;
//     any other plaintext has each string scanned sixteen bytes at a time (plainEnd);
//   - the top-level members, where every claim is, are one loop, with one test each for the
//     compact ':' and ',' and whitespace handled off the common path (wsAt);
//   - a name is told to be a claim by one perfect-hash probe (claimSlot), not a compare chain;
//   - epoch milliseconds are measured two words at a time (uintEnd); nested values and the rarer
//     kinds go to valueEnd, a loop with an explicit stack.
//
// Why its yes is enough: every byte it accepts is ASCII (the grammar's bytes, and strings tested
// for 0x80 and above), so the plaintext is valid UTF-8 and starts with no byte order mark; depth
// never passes MaxDepth; and the grammar is RFC 8259's, as the full reader's. FuzzPayloadFast,
// TestReadPayloadFast and TestReadPayloadFastLengths hold it to that.
//
// The eight-byte loads read zeros past the end of b (load8, at): a zero is a control byte, which
// no string, number or literal holds and no structural test accepts, so the end of the plaintext
// stops every scan as a fault would, and needs no test of its own on the way.
func readPayloadFast(b []byte, c *PayloadClaims) bool { return fastPayload(b, c, nil) }

// fastPayload is readPayloadFast, recording in rec (when not nil) the open spans and the claims'
// places of the plaintext's shape (see PayloadShapes).
func fastPayload(b []byte, c *PayloadClaims, rec *shapeRec) bool {
	var (
		start, end [claimSlots]int // of each claim's value, by claimSlot; slot 0 takes every other member
		q          quoteIndex
	)
	clean := len(b) <= maxIndexed && q.build(b)
	i := wsAt(b, 0)
	if at(b, i) != '{' {
		return false
	}
	i = wsAt(b, i+1)
	if at(b, i) != '}' {
		if at(b, i) != '"' {
			return false
		}
		for { // at a member name's opening quote
			ks := i + 1
			if m := q.window(ks); clean && m != 0 { // else closingFar
				i = ks + bits.TrailingZeros64(m)
			} else if i = q.closingFar(b, ks, clean); i < 0 {
				return false
			}
			slot := claimSlot(load8(b, ks) & lowBytes(i-ks))
			ch := at(b, i+2)
			if at(b, i+1) == ':' && ch > ' ' { // compact: "name":value
				i += 2
			} else if i = valueAfterColon(b, i+1); i < 0 {
				return false
			} else {
				ch = at(b, i)
			}
			vs := i
			switch {
			case ch == '"':
				if m := q.window(i + 1); clean && m != 0 { // else closingFar
					i += 2 + bits.TrailingZeros64(m)
				} else if i = q.closingFar(b, i+1, clean); i >= 0 {
					i++
				}
			case '1' <= ch && ch <= '9':
				i = uintEnd(b, i)
			default:
				i = valueEnd(b, i)
			}
			if i < 0 {
				return false
			}
			start[slot], end[slot] = vs, i
			if rec != nil {
				rec.note(b, vs, i, slot)
			}
			if at(b, i) == ',' && at(b, i+1) == '"' { // compact: value,"name"
				i++
				continue
			}
			i = wsAt(b, i)
			if at(b, i) != ',' {
				break
			}
			if i = wsAt(b, i+1); at(b, i) != '"' {
				return false
			}
		}
		if at(b, i) != '}' {
			return false
		}
	}
	if wsAt(b, i+1) != len(b) {
		return false
	}
	if rec != nil {
		rec.start, rec.end = start, end
	}
	// Each claim by its own line: a loop over the slots through setSlot's switch cost a
	// mispredicted branch a claim.
	c.Typ, c.TypPlain = slotValue(b, &start, &end, slotTyp)
	c.UID, c.UIDPlain = slotValue(b, &start, &end, slotUID)
	c.MID, c.MIDPlain = slotValue(b, &start, &end, slotMID)
	c.Aud, _ = slotValue(b, &start, &end, slotAud)
	c.TS, _ = slotValue(b, &start, &end, slotTS)
	c.Exp, _ = slotValue(b, &start, &end, slotExp)
	return true
}

// slotValue is the value readPayloadFast recorded in slot, and whether it is a string (a plain
// one: the fast reader takes no other); nil when the member is absent (no value ends at 0).
func slotValue(b []byte, start, end *[claimSlots]int, slot int) ([]byte, bool) {
	if end[slot] == 0 {
		return nil, false
	}
	return b[start[slot]:end[slot]], b[start[slot]] == '"'
}

// valueAfterColon returns the index of a member's value when whitespace and a colon start at i,
// or -1.
func valueAfterColon(b []byte, i int) int {
	if i = wsAt(b, i); at(b, i) != ':' {
		return -1
	}
	return wsAt(b, i+1)
}

// maxIndexed is the longest plaintext readPayloadFast indexes (quoteIndex): Zoom's are about
// 230 bytes; a longer one is read string by string.
const maxIndexed = 512

// quoteIndex marks the quotes of a plaintext, bit k%8 of byte k/8 for byte k, followed by zero
// bytes, so that a window of 57 marks or more is one eight-byte load and one shift from any byte
// (136 bytes: an index masked to 0-127, plus eight, needs no bounds check).
type quoteIndex [136]byte

// build indexes the quotes of b and reports whether b is clean: no backslash, no byte below 0x20
// or at 0x80 and above. In a clean plaintext every string is plain and ends at the next quote,
// so its end is one lookup in q, where a scan tested every byte of it for four kinds of stops:
// this reads the whole plaintext once, 64 bytes a step, without a branch on the data. b holds at
// most maxIndexed bytes; the last block is padded with spaces.
func (q *quoteIndex) build(b []byte) bool {
	var bad uint64
	w := 0
	for ; len(b) >= 64; b = b[64:] {
		quotes, f := quoteBlock((*[64]byte)(b[:64]))
		q.put(w, quotes)
		bad |= f
		w++
	}
	if len(b) > 0 {
		t := spaceBlock
		copy(t[:], b)
		quotes, f := quoteBlock(&t)
		q.put(w, quotes)
		bad |= f
	}
	return bad&(ones*0x80) == 0
}

// spaceBlock pads the last block of a plaintext for quoteBlock: a space is no quote and no fault.
var spaceBlock = func() (t [64]byte) {
	for i := range t {
		t[i] = ' '
	}
	return t
}()

// quoteBlock marks the quotes of 64 bytes, bit i for byte i, and returns 0x80 in some byte of bad
// if one of them is a backslash, a control byte or 0x80 and above (then the marks are not to be
// trusted: a byte of 0x80 and above carries into its neighbour).
func quoteBlock(p *[64]byte) (quotes, bad uint64) {
	// Unrolled (a loop cost a mispredicted exit per block), with the constants in registers
	// (loaded once from lanes: as constants the compiler rebuilt each one in every lane).
	k := &lanes
	q0, f0 := k.lane(binary.LittleEndian.Uint64(p[0:8]))
	q1, f1 := k.lane(binary.LittleEndian.Uint64(p[8:16]))
	q2, f2 := k.lane(binary.LittleEndian.Uint64(p[16:24]))
	q3, f3 := k.lane(binary.LittleEndian.Uint64(p[24:32]))
	q4, f4 := k.lane(binary.LittleEndian.Uint64(p[32:40]))
	q5, f5 := k.lane(binary.LittleEndian.Uint64(p[40:48]))
	q6, f6 := k.lane(binary.LittleEndian.Uint64(p[48:56]))
	q7, f7 := k.lane(binary.LittleEndian.Uint64(p[56:64]))
	quotes = q0 | q1<<8 | q2<<16 | q3<<24 | q4<<32 | q5<<40 | q6<<48 | q7<<56
	return quotes, f0 | f1 | f2 | f3 | f4 | f5 | f6 | f7
}

// laneConsts are the constants of lane.
type laneConsts struct{ quote, backslash, sevenBits, notBelowSpace, high, gather uint64 }

var lanes = laneConsts{ones * '"', ones * '\\', ones * 0x7f, ones * (0x80 - 0x20), ones * 0x80, 0x0102040810204080}

// lane marks the quotes of the eight bytes x, bit i for byte i, and returns 0x80 in some byte of
// bad if x holds a backslash, a control byte or 0x80 and above. On seven-bit bytes every test is
// exact, as the additions carry into no neighbour; a byte of 0x80 and above marks bad, and then
// the marks are not to be trusted.
func (k *laneConsts) lane(x uint64) (quotes, bad uint64) {
	isQuote := (x ^ k.quote) + k.sevenBits         // 0x80 clear: '"'
	isBackslash := (x ^ k.backslash) + k.sevenBits // 0x80 clear: '\\'
	notControl := x + k.notBelowSpace              // 0x80 set: 0x20 and above
	bad = ^(isBackslash & notControl) | x
	return (^isQuote & k.high) >> 7 * k.gather >> 56, bad
}

// closingFar finds the quote that closes the string whose first byte is at p, where one window of
// q does not: in a plaintext that is not clean, by plainEnd (-1 when the string is not plain),
// and in a clean one for a string of 57 bytes or more. readPayloadFast tries the window first,
// inline: the index of the quote is p plus the trailing zeros of a non-zero window.
func (q *quoteIndex) closingFar(b []byte, p int, clean bool) int {
	if !clean {
		return plainEnd(b, p)
	}
	return q.far(p)
}

// put stores the marks of block w (bytes 64w to 64w+63).
func (q *quoteIndex) put(w int, quotes uint64) {
	j := uint(w) * 8 & 127
	binary.LittleEndian.PutUint64(q[j:j+8], quotes)
}

// window is the marks from byte p on: at least 57 of them (p at most maxIndexed).
func (q *quoteIndex) window(p int) uint64 {
	j := uint(p) >> 3 & 127
	return binary.LittleEndian.Uint64(q[j:j+8]) >> (uint(p) & 7)
}

// far is closing for a string of 57 bytes or more in a clean plaintext.
func (q *quoteIndex) far(p int) int {
	for p += 57; p <= maxIndexed; p += 57 {
		if m := q.window(p); m != 0 {
			return p + bits.TrailingZeros64(m)
		}
	}
	return -1
}

// plainEnd returns the index of the quote that closes the string whose first byte is at p, or -1
// when it holds an escape, a control byte or a byte of 0x80 or above (or does not end): the full
// reader's business. Strings under sixteen bytes (Zoom's names, typ, attendrole, theme) are
// measured without a loop.
func plainEnd(b []byte, p int) int {
	n := firstStop(stops(load8(b, p)), stops(load8(b, p+8)))
	if n == 16 {
		n = stopAt(b, p+16) - p
	}
	if p += n; at(b, p) != '"' {
		return -1
	}
	return p
}

// Slots of the claims in readPayloadFast; slotNone is every other member.
const (
	slotNone = iota
	slotTyp
	slotUID
	slotMID
	slotAud
	slotTS
	slotExp
	claimSlots = 8
)

// claimNames are the members PayloadClaims keeps, by slot: both readers name claims by them.
var claimNames = [...]string{slotTyp: "typ", slotUID: "uid", slotMID: "mid", slotAud: "aud", slotTS: "ts", slotExp: "exp"}

// claimHashMul spreads the six claim names, read as little-endian words, over the eight buckets
// of claimTable without a collision (TestClaimSlot checks it); found by trying multipliers.
const claimHashMul = 0xa4f3ceff4f1371a9

// claimTable holds, by bucket, the name (as a little-endian word) that belongs there and its slot.
var claimTable = func() (t [8]struct {
	name uint64
	slot int
}) {
	for s, name := range claimNames {
		if name == "" {
			continue
		}
		w := word(name)
		t[w*claimHashMul>>61].name, t[w*claimHashMul>>61].slot = w, s
	}
	return t
}()

// word reads up to eight bytes as a little-endian word, the rest zero.
func word(s string) uint64 {
	var w uint64
	for i := len(s) - 1; i >= 0; i-- {
		w = w<<8 | uint64(s[i])
	}
	return w
}

// claimSlot is the slot of the member whose name, as a little-endian word with zeros past its
// end, is k: one multiply, one probe and one compare, where a switch on the name branched on it.
// A name of eight bytes or more comes as its first eight bytes, none zero, so it is no claim.
func claimSlot(k uint64) int {
	e := &claimTable[k*claimHashMul>>61]
	s := e.slot
	if e.name != k {
		s = slotNone
	}
	return s & (claimSlots - 1)
}

// lowBytes masks the n lowest bytes of a word; all of it when n >= 8.
func lowBytes(n int) uint64 {
	d := n - 8
	return lowMasks[(8+d&(d>>63))&15] // min(n, 8) without a branch (one here mispredicted), n >= 0
}

// lowMasks are lowBytes by n; the entries past 8 keep the index free of a bounds check.
var lowMasks = [16]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff, ^uint64(0)}

// at is b[i], or 0 past the end: a control byte no test accepts.
func at(b []byte, i int) byte {
	if uint(i) < uint(len(b)) {
		return b[i]
	}
	return 0
}

// wsAt returns the first index at or after i that is not JSON whitespace: in a compact payload,
// one test.
func wsAt(b []byte, i int) int {
	if at(b, i) > ' ' {
		return i
	}
	return skipWS(b, i)
}

// load8 is the eight bytes of b at i as a little-endian word, zeros past the end.
func load8(b []byte, i int) uint64 {
	if i+8 <= len(b) {
		return binary.LittleEndian.Uint64(b[i : i+8])
	}
	return loadTail(b, i)
}

func loadTail(b []byte, i int) uint64 {
	var x uint64
	for k := len(b) - 1; k >= i; k-- {
		x = x<<8 | uint64(b[k])
	}
	return x
}

// stops marks (0x80) the bytes of x a plain string cannot hold as they are: '"', '\\', a control
// byte, 0x80 and above. Only the lowest mark is exact: a borrow only marks bytes after it.
func stops(x uint64) uint64 {
	q, bs := x^(ones*'"'), x^(ones*'\\')
	return ((q-ones)&^q | (bs-ones)&^bs | (x-ones*0x20)&^x | x) & (ones * 0x80)
}

// nonDigits marks (0x80) the bytes of x that are not ASCII digits, exactly: on seven-bit bytes
// the additions carry into no neighbour.
func nonDigits(x uint64) uint64 {
	y := x &^ (ones * 0x80)
	ge0 := y + ones*(0x80-'0')     // 0x80 set: y >= '0'
	gt9 := y + ones*(0x80-('9'+1)) // 0x80 set: y > '9'
	return (^ge0 | gt9 | x) & (ones * 0x80)
}

// firstStop is the index of the first marked byte in the sixteen bytes whose marks are m1 then
// m2, or 16, without a branch.
func firstStop(m1, m2 uint64) int {
	t1 := bits.TrailingZeros64(m1) // 64 when m1 is 0
	t2 := bits.TrailingZeros64(m2)
	return (t1 + t2&-(t1>>6)) >> 3
}

// stopAt returns the index of the first byte at or after i that stops a plain string (see stops);
// len(b) at the latest, as load8 reads zeros past the end.
func stopAt(b []byte, i int) int {
	for {
		if m := stops(load8(b, i)); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
}

// stringEnd returns the index just past the string starting at the quote at i, or -1 when it is
// not plain (see plainEnd).
func stringEnd(b []byte, i int) int {
	if i = plainEnd(b, i+1); i < 0 {
		return -1
	}
	return i + 1
}

// uintEnd returns the index just past the number starting at the digit 1-9 at i, or -1. Epoch
// milliseconds (13 digits) are measured without a loop; a fraction or exponent goes to numberEnd.
func uintEnd(b []byte, i int) int {
	n := firstStop(nonDigits(load8(b, i)), nonDigits(load8(b, i+8)))
	if n == 16 {
		n = digitsEnd(b, i+16) - i
	}
	if c := at(b, i+n); c == '.' || c|0x20 == 'e' {
		return numberEnd(b, i)
	}
	return i + n
}

// valueEnd returns the index just past the value starting at i, a member's value in the payload
// object, or -1: one loop over locals with an explicit stack, for nested values and the rarer
// kinds of value.
func valueEnd(b []byte, i int) int {
	var (
		stack uint64 = 1 // bit d-1 set: the container at depth d is an object (depth 1: the payload)
		depth        = 1
	)
value:
	if i >= len(b) {
		return -1
	}
	switch ch := b[i]; {
	case ch == '"':
		if i = stringEnd(b, i); i < 0 {
			return -1
		}
		goto after
	case ch == '{' || ch == '[':
		if depth == MaxDepth {
			return -1
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
			return -1
		}
		goto after
	case ch == 't':
		if !hasAt(b, i, "true") {
			return -1
		}
		i += 4
		goto after
	case ch == 'f':
		if !hasAt(b, i, "false") {
			return -1
		}
		i += 5
		goto after
	case ch == 'n':
		if !hasAt(b, i, "null") {
			return -1
		}
		i += 4
		goto after
	}
	return -1

member: // at a member name, inside an object
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = stringEnd(b, i); i < 0 {
		return -1
	}
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	i = skipWS(b, i+1)
	goto value

after: // just past a value
	if depth == 1 {
		return i
	}
	i = skipWS(b, i)
	if i >= len(b) {
		return -1
	}
	switch obj := stack>>(depth-1)&1 == 1; {
	case b[i] == ',':
		i = skipWS(b, i+1)
		if obj {
			goto member
		}
		goto value
	case b[i] == '}' && obj || b[i] == ']' && !obj:
		i++
		depth--
		goto after
	}
	return -1
}

// skipWS returns the first index at or after i that is not JSON whitespace.
func skipWS(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
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

// decimal15 reads raw as an unsigned decimal of at most 15 digits, an integer a float64 holds
// exactly: its value and true, or false (the empty raw is 0). It is the claim time's common
// case (plainMillis): 13 digits of epoch milliseconds are read as two eight-byte words, checked
// and converted without a loop, where a loop took eight instructions a digit.
func decimal15(raw []byte) (uint64, bool) {
	n := len(raw)
	if n < 9 || n > 15 {
		return decimalLoop(raw)
	}
	hi, lo := binary.LittleEndian.Uint64(raw[:8]), binary.LittleEndian.Uint64(raw[n-8:n])
	if (nonDigits(hi) | nonDigits(lo)) != 0 {
		return 0, false
	}
	// The first n-8 digits, moved to the top of the word: leading zero digits before them.
	hi = (hi - ones*'0') << (8 * uint(16-n) & 63)
	return eightDigits(hi)*1e8 + eightDigits(lo-ones*'0'), true
}

// eightDigits is the number whose decimal digits are the bytes of v, the first the most
// significant: pairs, then fours, then eight, each step one multiply (no carry crosses a lane:
// 99, 9999 and 99999999 fit theirs).
func eightDigits(v uint64) uint64 {
	v = (v*10 + v>>8) & 0x00ff00ff00ff00ff
	v = (v*100 + v>>16) & 0x0000ffff0000ffff
	return (v*10000 + v>>32) & 0xffffffff
}

func decimalLoop(raw []byte) (uint64, bool) {
	if len(raw) > 15 {
		return 0, false
	}
	var v uint64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
