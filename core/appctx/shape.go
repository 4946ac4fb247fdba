package appctx

import (
	"encoding/binary"
	"time"
)

// PayloadShapes remembers the shapes of the payloads one reader has accepted, so that the next
// payload of a known shape is read by comparing words, where readPayloadFast walks its members.
// A shape is a plaintext with its string values' contents and its numbers' digits left open:
// the contexts in a log come from a few apps and share a handful of shapes (the same members in
// the same order, uid and mid of fixed length, ts and exp of 13 digits), and on a scan of valid
// contexts reading the payload was the largest cost after base64 and AES (issue 21).
//
// A payload matches a shape when it has the shape's length, every byte outside the open ones is
// the shape's, every open string byte is one a plain string holds (no quote, backslash, control
// byte or byte of 0x80 and above) and every open digit is a digit. Such a payload is the plaintext
// readPayloadFast accepted with plain string contents and digits exchanged for others: valid
// JSON of the same structure, whose claims lie where the shape's did. A number's first digit is
// never open (a leading zero would break the grammar), nor is anything nested: arrays and objects
// in the payload are part of the shape.
//
// Not safe for concurrent use: scan keeps one per goroutine. The zero value is ready.
type PayloadShapes struct {
	sets [shapeSets][2]*payloadShape // by length; [0] the one learnt last
	rec  shapeRec
}

const (
	shapeSets     = 64
	maxDigitWords = 6          // ts and exp, 13 digits each, lie in six words at most
	maxShaped     = maxIndexed // longer plaintexts are read member by member
)

// payloadShape is one shape: the bytes it fixes, by word, and the words holding open bytes.
type payloadShape struct {
	n          int
	fixed      [maxShaped / 8]uint64   // the plaintext's bytes where the shape fixes them, else 0
	mask       [maxShaped / 8]uint64   // 0xff on each byte the shape fixes
	str        [maxShaped / 8]uint64   // 0x80 on each byte of string contents
	dig        [maxDigitWords]openWord // the words with digits after a number's first; marks 0 past them
	start, end [claimSlots]int         // each claim's value, as readPayloadFast recorded them
}

// openWord is a word holding digits after a number's first, marked 0x80.
type openWord struct {
	w     int
	marks uint64
}

// shapeRec is what readPayloadFast records for a shape: the open spans of the members' values
// and the claims' places.
type shapeRec struct {
	spans      []openSpan
	start, end [claimSlots]int
}

type openSpan struct {
	lo, hi int // bytes lo to hi-1
	digits bool
	time   bool // digits of ts or exp
}

// note records the value readPayloadFast read at b[vs:ve]: a string's contents or a whole
// number's digits after the first are open; any other value (a fraction, a literal, an array, an
// object, a negative number) is part of the shape.
func (r *shapeRec) note(b []byte, vs, ve, slot int) {
	switch ch := b[vs]; {
	case ch == '"':
		if ve-1 > vs+1 {
			r.spans = append(r.spans, openSpan{vs + 1, ve - 1, false, false})
		}
	case '1' <= ch && ch <= '9':
		for k := vs + 1; k < ve; k++ {
			if b[k] < '0' || b[k] > '9' {
				return
			}
		}
		if ve > vs+1 {
			r.spans = append(r.spans, openSpan{vs + 1, ve, true, slot == slotTS || slot == slotExp})
		}
	}
}

// JudgePayloadTo is the package's JudgePayloadTo (the same verdict), reading the plaintext by the
// shapes s has seen and learning its shape when it is new.
func (s *PayloadShapes) JudgePayloadTo(j *Judgement, pt []byte, clientID string, now time.Time) {
	judgePayloadTo(j, pt, clientID, now, s)
}

// read reads b by a known shape, and reports false when none fits (then c is untouched).
func (s *PayloadShapes) read(b []byte, c *PayloadClaims) bool {
	if len(b) > maxShaped {
		return false
	}
	set := &s.sets[len(b)&(shapeSets-1)]
	if sh := set[0]; sh != nil && sh.n == len(b) && sh.fits(b) {
		sh.claims(b, c)
		return true
	}
	if sh := set[1]; sh != nil && sh.n == len(b) && sh.fits(b) {
		sh.claims(b, c)
		set[0], set[1] = sh, set[0] // the next payload is likelier this one's shape
		return true
	}
	return false
}

// readFast is readPayloadFast recording the plaintext's shape, which s learns when it is
// accepted.
func (s *PayloadShapes) readFast(b []byte, c *PayloadClaims) bool {
	if len(b) > maxShaped {
		return readPayloadFast(b, c)
	}
	s.rec.spans = s.rec.spans[:0]
	if !fastPayload(b, c, &s.rec) {
		return false
	}
	s.learn(b)
	return true
}

// learn makes b, which readPayloadFast accepted recording s.rec, the newest shape of its length,
// in place of the older of the two it keeps.
func (s *PayloadShapes) learn(b []byte) {
	if !ascii(b) {
		return // fitWord's carries are harmless only next to ASCII fixed bytes (readPayloadFast takes no other)
	}
	set := &s.sets[len(b)&(shapeSets-1)]
	sh := set[1]
	if sh == nil {
		sh = new(payloadShape)
	}
	set[0], set[1] = sh, set[0]
	sh.n, sh.start, sh.end = len(b), s.rec.start, s.rec.end
	nw := (len(b) + 7) / 8
	var str, dig, clock [maxShaped / 8]uint64 // clock: the digits of ts and exp
	for _, sp := range s.rec.spans {
		marks := &str
		if sp.time {
			marks = &clock
		} else if sp.digits {
			marks = &dig
		}
		for k := sp.lo; k < sp.hi; k++ {
			marks[k/8] |= 0x80 << (8 * (k % 8))
		}
	}
	// The digits of ts and exp are open first (they are in every context and change in each);
	// other numbers' while dig has room; the rest stay as they are, part of the shape.
	sh.dig = [maxDigitWords]openWord{}
	nd := 0
	open := func(w int) { // dig[w]'s digits, when dig has room
		if dig[w] != 0 && nd < maxDigitWords {
			sh.dig[nd] = openWord{w, dig[w]}
			nd++
			return
		}
		dig[w] = 0
	}
	for w := 0; w < nw; w++ {
		if clock[w] != 0 {
			dig[w] |= clock[w]
			open(w)
		}
	}
	for w := 0; w < nw; w++ {
		if clock[w] == 0 {
			open(w)
		}
		o := (str[w] | dig[w]) >> 7 * 0xff
		sh.mask[w] = ^o
		sh.fixed[w] = load8(b, 8*w) &^ o
		sh.str[w] = str[w]
	}
}

// fits reports whether b, of the shape's length, has its shape: each word compared where the
// shape fixes it and tested where it holds string contents, four words a step, then the words with
// digits (about 1,070 instructions on Zoom's payload, where readPayloadFast took 2,300).
func (sh *payloadShape) fits(b []byte) bool {
	const last = maxShaped/8 - 1
	var bad uint64
	f, m, s := &sh.fixed, &sh.mask, &sh.str
	i, ok := fitsVectors(b, f, m, s)
	if !ok {
		return false
	}
	// A test after each step: a payload of another shape of the same length (another typ,
	// another role) parts from this one early.
	for ; i+32 <= len(b); i += 32 {
		p, k := b[i:i+32], i>>3&(last-3)
		bad |= fitWord(binary.LittleEndian.Uint64(p[0:8]), f[k], m[k], s[k]) |
			fitWord(binary.LittleEndian.Uint64(p[8:16]), f[k+1], m[k+1], s[k+1]) |
			fitWord(binary.LittleEndian.Uint64(p[16:24]), f[k+2], m[k+2], s[k+2]) |
			fitWord(binary.LittleEndian.Uint64(p[24:32]), f[k+3], m[k+3], s[k+3])
		if bad != 0 {
			return false
		}
	}
	for ; i+8 <= len(b); i += 8 {
		k := i >> 3 & last
		x := binary.LittleEndian.Uint64(b[i : i+8])
		bad |= fitWord(x, f[k], m[k], s[k])
	}
	if r := len(b) - i; r != 0 {
		var x uint64
		if len(b) >= 8 { // the last eight bytes, shifted down to the r past the last word
			x = binary.LittleEndian.Uint64(b[len(b)-8:]) >> (64 - 8*r)
		} else {
			x = loadTail(b, 0)
		}
		k := i >> 3 & last
		bad |= fitWord(x, f[k], m[k], s[k])
	}
	// All of dig, used or not: a loop to the count mispredicted its exit, the count being the
	// shape's.
	for _, o := range &sh.dig {
		bad |= nonDigits(load8(b, 8*o.w)) & o.marks
	}
	return bad == 0
}

// claims sets c from b, a plaintext that fits the shape, as readPayloadFast sets them.
func (sh *payloadShape) claims(b []byte, c *PayloadClaims) {
	c.Typ, c.TypPlain = slotValue(b, &sh.start, &sh.end, slotTyp)
	c.UID, c.UIDPlain = slotValue(b, &sh.start, &sh.end, slotUID)
	c.MID, c.MIDPlain = slotValue(b, &sh.start, &sh.end, slotMID)
	c.Aud, _ = slotValue(b, &sh.start, &sh.end, slotAud)
	c.TS, _ = slotValue(b, &sh.start, &sh.end, slotTS)
	c.Exp, _ = slotValue(b, &sh.start, &sh.end, slotExp)
}

// fitWord marks (0x80 in some byte) a word x of a plaintext that does not fit a shape's word:
// a byte other than fixed where mask keeps it, or a byte a plain string cannot hold ('"', '\\', a
// control byte, 0x80 and above) where str marks string contents.
//
// Its additions may carry from a byte of 0x80 and above into the next, but such a byte never
// fits: at a fixed place it is not the shape's (a shape's bytes are ASCII), in a string it marks
// itself, and among digits nonDigits marks it. Where no byte is 0x80 or above the tests are exact.
func fitWord(x, fixed, mask, str uint64) uint64 {
	notQuote := (x ^ ones*'"') + ones*0x7f      // 0x80 set: not '"'
	notBackslash := (x ^ ones*'\\') + ones*0x7f // 0x80 set: not '\\'
	notControl := x + ones*(0x80-0x20)          // 0x80 set: 0x20 and above
	return (x^fixed)&mask | (^(notQuote&notBackslash&notControl)|x)&str
}

// ascii reports whether every byte of b is below 0x80.
func ascii(b []byte) bool {
	var or uint64
	for len(b) >= 8 {
		or |= binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	for _, c := range b {
		or |= uint64(c)
	}
	return or&(ones*0x80) == 0
}
