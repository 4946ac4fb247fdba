package appctx

import (
	"bytes"
	"strings"
	"testing"
)

// shapeProbes are the bytes TestPayloadShapesMutations writes at each place of a learnt payload:
// every kind a shape tells apart (quote, backslash, control, 0x80 and above, digits, a leading
// zero, letters, structure, whitespace).
var shapeProbes = []byte{'"', '\\', 0x00, 0x01, 0x1f, ' ', 0x7f, 0x80, 0xc3, 0xff, '0', '1', '9', 'a', 'Z', '-', '.',
	'e', '}', ']', '{', '[', ',', ':', '\n', 't', 'n'}

// shapeCases are the fast reader's cases and payloads with every kind of member, long and short.
func shapeCases() []string {
	var in []string
	for _, tc := range fastCases {
		if tc.fast {
			in = append(in, tc.in)
		}
	}
	return append(in,
		`{"typ":"panel","uid":"Q85OZwvK7de7ni5uZ3tGGw","ts":1795169219170,"exp":1795169339170,"n":[1,"ab",{"c":2}],"x":-12,"y":0,"z":7,"f":1.25e3,"t":true,"u":null}`,
		`{"exp":1795169339170}`, `{"exp":12}`, `{"a":"b"}`, `{}`, ` { "ts" : 1795169219170 , "exp" :1795169339170 } `,
		`{"ts":1,"ts":22,"exp":333,"exp":4444,"uid":"","uid":"u"}`,
		`{"ts":1795169219170,"ts":1795169219170,"ts":1795169219170,"exp":1795169339170,"exp":1795169339170,"exp":1795169339170}`,
		`{"a":1795169219170,"b":1795169219170,"c":1795169219170,"d":1795169219170,"ts":1795169219170,"exp":1795169339170}`,
		`{"uid":"`+strings.Repeat("x", maxShaped-12)+`"}`, `{"uid":"`+strings.Repeat("x", maxShaped-11)+`"}`)
}

// learnt returns shapes that have learnt b, failing unless the fast reader takes it.
func learnt(t *testing.T, b []byte) *PayloadShapes {
	t.Helper()
	var (
		s PayloadShapes
		c PayloadClaims
	)
	if !s.readFast(b, &c) {
		t.Fatalf("the fast reader does not take %q", b)
	}
	agreeFast(t, b, c)
	return &s
}

// TestPayloadShapesMutations: after learning a payload, a payload that differs from it in one
// byte, at every place and by every kind of byte, is read by the shape only when the full reader
// takes it with the same claims; and the learnt payload itself, and the same with its strings and
// digits changed, are read by the shape.
func TestPayloadShapesMutations(t *testing.T) {
	for _, in := range shapeCases() {
		b := []byte(in)
		s := learnt(t, b)
		if len(b) > maxShaped {
			var c PayloadClaims
			if s.read(b, &c) {
				t.Fatalf("a payload of %d bytes, past maxShaped, was read by a shape", len(b))
			}
			continue
		}
		var c PayloadClaims
		if !s.read(b, &c) {
			t.Fatalf("the payload it learnt is not read by its shape: %q", b)
		}
		agreeFast(t, b, c)
		// Every string's contents and every digit after a number's first, changed: still the shape.
		v := variant(s, b)
		if !bytes.Equal(v, b) {
			c = PayloadClaims{}
			if !s.read(v, &c) {
				t.Fatalf("%q, the learnt %q with other contents, is not read by the shape", v, b)
			}
			agreeFast(t, v, c)
		}
		for i := range b {
			for _, p := range shapeProbes {
				m := bytes.Clone(b)
				m[i] = p
				c = PayloadClaims{}
				if s.read(m, &c) {
					agreeFast(t, m, c)
				}
			}
		}
	}
}

// variant changes every byte the shape s learnt for b leaves open: letters and digits rotated in
// string contents (as Zoom's ids vary), digits after a number's first.
func variant(s *PayloadShapes, b []byte) []byte {
	sh := s.sets[len(b)&(shapeSets-1)][0]
	v := bytes.Clone(b)
	for k := range v {
		bit := uint64(0x80) << (8 * (k % 8))
		digit := false
		for _, o := range sh.dig {
			digit = digit || o.marks&bit != 0 && o.w == k/8
		}
		switch x := v[k]; {
		case digit:
			v[k] = '0' + (x-'0'+3)%10
		case sh.str[k/8]&bit == 0:
		case 'a' <= x && x <= 'y':
			v[k] = x + 1
		case x == ' ':
			v[k] = '~'
		}
	}
	return v
}

// TestPayloadShapesTimeFirst: when a payload has more numbers than a shape leaves open, the
// digits of ts and exp are open, wherever they come.
func TestPayloadShapesTimeFirst(t *testing.T) {
	n := strings.Repeat(`"n":1795169219170,`, 6)
	b := []byte(`{` + n + `"ts":1795169219170,"exp":1795169339170}`)
	v := []byte(`{` + n + `"ts":1800000000000,"exp":1800000120000}`)
	s := learnt(t, b)
	var c PayloadClaims
	if !s.read(v, &c) {
		t.Fatalf("%q, with other ts and exp, is not read by the shape of %q", v, b)
	}
	agreeFast(t, v, c)
	if string(c.TS) != "1800000000000" || string(c.Exp) != "1800000120000" {
		t.Fatalf("claims ts %s, exp %s", c.TS, c.Exp)
	}
	last := bytes.Clone(v) // the last of the other numbers, whose digits stay part of the shape
	last[bytes.LastIndex(last, []byte("1795169219170"))+12] = '1'
	if s.read(last, &c) {
		t.Fatal("a number past the open ones changed, and the shape still read it")
	}
}

// TestPayloadShapesWays: two shapes of one length are both kept, the newer first; a third of
// that length replaces the older; a payload of another length is no shape's.
func TestPayloadShapesWays(t *testing.T) {
	a := []byte(`{"typ":"meeting","attendrole":"host","exp":1795169339170}`)
	b := []byte(`{"typ":"panel","attendrole":"cohost","exp":1795169339170}`)
	d := []byte(`{"typ":"pane","attendrole":"attendx","exp":1795169339170}`)
	if len(a) != len(b) || len(b) != len(d) {
		t.Fatal("the cases must share a length")
	}
	var (
		s PayloadShapes
		c PayloadClaims
	)
	for _, p := range [][]byte{a, b} {
		if s.read(p, &c) || !s.readFast(p, &c) {
			t.Fatalf("%q: read by a shape before it was learnt, or not taken", p)
		}
	}
	for _, p := range [][]byte{a, b, a, b} {
		if !s.read(p, &c) {
			t.Fatalf("%q: not read by either of the two shapes of its length", p)
		}
	}
	s.readFast(d, &c)
	if !s.read(d, &c) || !s.read(b, &c) || s.read(a, &c) {
		t.Fatal("the third shape of a length did not replace the older of the two")
	}
	if s.read(append(bytes.Clone(a[:len(a)-1]), ` }`...), &c) {
		t.Fatal("a payload of another length was read by a shape")
	}
}

// FuzzPayloadShapes: after learning one payload, any other read by a shape is one the full reader
// takes with the same claims. The second payload is the first with two bytes overwritten, so that
// it often has the first's length and most of its bytes.
func FuzzPayloadShapes(f *testing.F) {
	for _, in := range shapeCases() {
		f.Add([]byte(in), uint16(10), byte('"'), uint16(20), byte('7'))
	}
	f.Fuzz(func(t *testing.T, a []byte, p1 uint16, v1 byte, p2 uint16, v2 byte) {
		var (
			s PayloadShapes
			c PayloadClaims
		)
		if !s.readFast(a, &c) || len(a) == 0 {
			return
		}
		b := bytes.Clone(a)
		b[int(p1)%len(b)], b[int(p2)%len(b)] = v1, v2
		c = PayloadClaims{}
		if s.read(b, &c) {
			agreeFast(t, b, c)
		}
	})
}

// TestPayloadShapesLearnASCIIOnly: a shape is learnt only from ASCII bytes (fitWord's reasoning
// about carries needs it), even if the fast reader one day takes more.
func TestPayloadShapesLearnASCIIOnly(t *testing.T) {
	var s PayloadShapes
	b := []byte("{\"uid\":\"caf\xc3\xa9 au lait\"}")
	s.learn(b)
	var c PayloadClaims
	if s.read(b, &c) {
		t.Fatal("a shape was learnt from a plaintext with bytes of 0x80 and above")
	}
	for _, in := range []string{"", "a", "abcdefgh", "abcdefghi\x7f"} {
		if !ascii([]byte(in)) || ascii([]byte(in+"\x80")) || ascii([]byte("\xff"+in)) {
			t.Fatalf("ascii(%q) is wrong", in)
		}
	}
}
