package appctx

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// Field names, in wire order. They are part of the command line's JSON contract.
const (
	FieldIVLength     = "iv_length"
	FieldIV           = "iv"
	FieldAADLength    = "aad_length"
	FieldAAD          = "aad"
	FieldCipherLength = "cipher_length"
	FieldCiphertext   = "ciphertext"
	FieldTag          = "tag"
)

// Wire sizes of the layout.
const (
	ivLengthSize     = 1
	aadLengthSize    = 2
	cipherLengthSize = 4
	TagSize          = 16 // AES-GCM tag, appended after the ciphertext

	maxInt = int(^uint(0) >> 1)

	fieldCount = 7
)

// Span is a half-open range [Start, End) of characters in Input.Text.
type Span struct{ Start, End int }

// Field is one part of a token's layout.
type Field struct {
	Name   string
	Offset int    // byte offset in the decoded token
	Bytes  []byte // the field's bytes, aliasing the decoded token
	Value  int    // the decoded number, for the three length fields; 0 otherwise
	Chars  Span   // the characters of Input.Text that carry the field's bytes
}

// Length is the field's size in bytes.
func (f Field) Length() int { return len(f.Bytes) }

// IsLength reports whether the field is one of the length prefixes.
func (f Field) IsLength() bool {
	return f.Name == FieldIVLength || f.Name == FieldAADLength || f.Name == FieldCipherLength
}

// Token is a parsed app context: its input, its fields in wire order, and the parts the cipher
// needs. A token that failed to parse holds every field read before the fault.
type Token struct {
	Input  Input
	Fields []Field

	IV, AAD, Ciphertext, Tag []byte
}

// Field returns the named field and whether it was parsed.
func (t *Token) Field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Parse normalises raw and reads the token layout. It always returns a Token holding what could
// be read; the error, a *FormatError, names the first fault.
func Parse(raw string) (*Token, error) {
	in, err := Normalize(raw)
	t := &Token{Input: in}
	if err != nil {
		return t, err
	}
	return t, t.parseLayout()
}

// ParseBytes reads the layout of an already decoded token.
func ParseBytes(b []byte) (*Token, error) {
	t := &Token{Input: Input{Bytes: b, Encoding: Base64URL}}
	return t, t.parseLayout()
}

type reader struct {
	t   *Token
	off int
}

func (t *Token) parseLayout() error {
	b := t.Input.Bytes
	if len(b) == 0 {
		return &FormatError{Code: ErrEmpty, Field: FieldIVLength, Unit: UnitByte,
			Message: "expected the 1-byte IV length, found an empty token"}
	}
	t.Fields = make([]Field, 0, fieldCount)
	r := &reader{t: t}
	ivLen, err := r.length(FieldIVLength, ivLengthSize)
	if err != nil {
		return err
	}
	if ivLen == 0 {
		return &FormatError{Code: ErrZeroIV, Field: FieldIVLength, Unit: UnitByte,
			Message: "IV length is 0: AES-GCM needs an IV (Zoom uses 12 bytes)"}
	}
	if t.IV, err = r.bytes(FieldIV, ivLen); err != nil {
		return err
	}
	aadLen, err := r.length(FieldAADLength, aadLengthSize)
	if err != nil {
		return err
	}
	if t.AAD, err = r.bytes(FieldAAD, aadLen); err != nil {
		return err
	}
	cipherLen, err := r.length(FieldCipherLength, cipherLengthSize)
	if err != nil {
		return err
	}
	if t.Ciphertext, err = r.bytes(FieldCiphertext, cipherLen); err != nil {
		return err
	}
	return r.tag()
}

func (r *reader) remaining() int { return len(r.t.Input.Bytes) - r.off }

// length reads a little-endian length prefix of size bytes.
func (r *reader) length(name string, size int) (int, error) {
	if r.remaining() < size {
		return 0, r.short(name, size, "-byte little-endian length")
	}
	b := r.t.Input.Bytes[r.off : r.off+size]
	var v uint64
	switch size {
	case 1:
		v = uint64(b[0])
	case 2:
		v = uint64(binary.LittleEndian.Uint16(b))
	case 4:
		v = uint64(binary.LittleEndian.Uint32(b))
	}
	if v > uint64(maxInt) {
		v = uint64(maxInt) // only on 32-bit platforms; bytes() then reports the field as truncated
	}
	r.add(name, size, int(v))
	return int(v), nil
}

// bytes reads n bytes. n comes from a length prefix and is checked against what remains before
// anything is sliced, so a forged length can neither panic nor allocate.
func (r *reader) bytes(name string, n int) ([]byte, error) {
	if n < 0 || r.remaining() < n {
		return nil, r.short(name, n, " bytes, as its length field declares")
	}
	return r.add(name, n, 0), nil
}

func (r *reader) tag() error {
	n := r.remaining()
	switch {
	case n < TagSize:
		return r.short(FieldTag, TagSize, "-byte GCM tag")
	case n > TagSize:
		return &FormatError{Code: ErrTagLength, Field: FieldTag, Offset: r.off, Unit: UnitByte,
			Message: fmt.Sprintf("expected a %d-byte GCM tag to end the token, found %d bytes (%d trailing bytes after the tag)",
				TagSize, n, n-TagSize)}
	}
	r.t.Tag = r.add(FieldTag, TagSize, 0)
	return nil
}

func (r *reader) short(name string, want int, what string) error {
	code := ErrTruncated
	if name == FieldTag {
		code = ErrTagLength
	}
	return &FormatError{Code: code, Field: name, Offset: r.off, Unit: UnitByte,
		Message: fmt.Sprintf("expected %d%s, but only %d bytes remain (the token is %d bytes)",
			want, what, r.remaining(), len(r.t.Input.Bytes))}
}

func (r *reader) add(name string, n, value int) []byte {
	b := r.t.Input.Bytes[r.off : r.off+n : r.off+n]
	r.t.Fields = append(r.t.Fields, Field{
		Name: name, Offset: r.off, Bytes: b, Value: value,
		Chars: charSpan(r.off, n, len(r.t.Input.Text)),
	})
	r.off += n
	return b
}

// charSpan maps bytes [off, off+n) to the base64 characters that carry any of their bits: byte i
// occupies bits [8i, 8i+8), and character j carries bits [6j, 6j+6).
func charSpan(off, n, textLen int) Span {
	if n == 0 {
		c := min(off*8/6, textLen)
		return Span{c, c}
	}
	return Span{Start: min(off*8/6, textLen), End: min(((off+n)*8+5)/6, textLen)}
}

// LayoutOK reports whether b is exactly one token layout, without building its fields: the cheap
// test a log scanner applies to every base64 run it meets.
func LayoutOK(b []byte) bool {
	_, _, _, ok := split(b)
	return ok
}

// CutShort reports whether b, decoded from a run of base64, is the start of a token whose end is
// missing: it begins as Zoom's layout (the IV length 12, an AAD length and a cipher length that
// both fit in a header of MaxHeader characters) and ends before the end those lengths declare.
// A run of random characters that is no token passes by chance about once in two billion: a
// first byte of 12 (1 in 256), an AAD length below 6,144 (1 in 11) and a cipher length below 6,144
// (1 in 700,000); base64 of a binary file, whose bytes are far from random, by its zero bytes.
// declared is the length the layout gives the whole token.
//
// A scan reports such a bare run (a log line cut at a length limit) where it reports no other
// run that fails the layout: the verdict it gets is JudgeLayout's, as anywhere.
func CutShort(b []byte) (declared int, ok bool) {
	const maxBytes = MaxHeader / 4 * 3
	off := ivLengthSize + IVSize
	if len(b) < off+aadLengthSize || b[0] != IVSize {
		return 0, false
	}
	aadLen := int(binary.LittleEndian.Uint16(b[off:]))
	off += aadLengthSize + aadLen
	if aadLen > maxBytes || len(b) < off+cipherLengthSize {
		return 0, false
	}
	ct := uint64(binary.LittleEndian.Uint32(b[off:]))
	if ct > maxBytes {
		return 0, false
	}
	declared = off + cipherLengthSize + int(ct) + TagSize
	if declared > maxBytes || len(b) >= declared {
		return 0, false
	}
	// One in some 12,000 lines of an executable's base64 passed the tests above: see looksSealed.
	if !looksSealed(b[ivLengthSize:ivLengthSize+IVSize], b[off+cipherLengthSize:]) {
		return 0, false
	}
	return declared, true
}

// BareToken reports whether b, decoded from a run of base64 that nothing in its line marks as a
// token (no key, no parameter name), is one: its layout parses exactly (LayoutOK) and its IV and
// sealed bytes look pseudorandom (looksSealed). A scanner applies it to the bare runs it reports
// without opening them (a tag mismatch, no secret, another IV length).
func BareToken(b []byte) bool {
	iv, _, sealed, ok := split(b)
	return ok && looksSealed(iv, sealed)
}

// looksSealed reports whether iv and sealed (the ciphertext and tag, or what is present of them)
// could be a sealed token's: pseudorandom bytes, of which a zero is 1 in 256. A binary file's
// base64 (a MIME part, a PEM block) is mostly zeros and small integers, and wrapped at 64 or 76
// characters its lines start anywhere in it, so a line's first bytes give a plausible layout far
// more often than random text: one in about 12,000 lines of executables' base64 did, and zoomdbg
// reported it. Such a line has zero bytes to spare: more zeros than 5 + n/32 in n random bytes
// come by chance at most about once in 800 million tokens (n near 28; far less for longer ones),
// and 3.3 million lines of executables', fonts', PDFs' and archives' base64 gave 7 runs that
// pass, where 225 passed without this test.
func looksSealed(iv, sealed []byte) bool {
	zeros := bytes.Count(iv, zero) + bytes.Count(sealed, zero)
	return zeros <= 5+(len(iv)+len(sealed))/32
}

var zero = []byte{0}

// lengthFault ends the sentence about base64 text of 4k+1 characters (body, without padding): how
// many characters are missing when the first 4k decode to the start of a token cut short
// (CutShort), else a character lost or added.
func lengthFault(body []byte, std bool) string {
	enc := base64.RawURLEncoding
	if std {
		enc = base64.RawStdEncoding
	}
	n := len(body) - 1
	dec := make([]byte, enc.DecodedLen(n))
	if m, err := enc.Decode(dec, body[:n]); err == nil {
		if declared, ok := CutShort(dec[:m]); ok {
			chars := (declared*8 + 5) / 6
			return fmt.Sprintf("; the first %d decode to the start of a token whose layout declares %d bytes, %d characters: %d are missing (its end cut off, or characters lost)",
				n, declared, chars, chars-len(body))
		}
	}
	return ", so a character was lost or added"
}

// split slices a token into IV, AAD and ciphertext-with-tag without allocating; ok is false unless
// the layout parses exactly.
func split(b []byte) (iv, aad, sealed []byte, ok bool) {
	if len(b) < 1 || b[0] == 0 {
		return nil, nil, nil, false
	}
	off := ivLengthSize + int(b[0])
	if len(b) < off+aadLengthSize {
		return nil, nil, nil, false
	}
	iv = b[ivLengthSize:off]
	aadEnd := off + aadLengthSize + int(binary.LittleEndian.Uint16(b[off:]))
	if len(b) < aadEnd+cipherLengthSize {
		return nil, nil, nil, false
	}
	aad = b[off+aadLengthSize : aadEnd]
	ct := uint64(binary.LittleEndian.Uint32(b[aadEnd:]))
	sealed = b[aadEnd+cipherLengthSize:]
	return iv, aad, sealed, uint64(len(sealed)) == ct+TagSize
}
