package appctx

import (
	"fmt"
	"strings"
	"testing"
)

// fastCases are payloads the fast reader must take (true) or leave to the full reader (false).
var fastCases = []struct {
	name string
	in   string
	fast bool
}{
	{"zoom", `{"typ":"meeting","uid":"MPjq6UmhQWWBP4Yuf-FARg","mid":"oC9==","ts":1795167000000,"exp":1795167120000,"iss":"marketplace.zoom.us","aud":"x","attendrole":"host","theme":"dark","entitlements":[]}`, true},
	{"spaced", " {\n\t\"exp\" : 1.5e+3 , \"a\" : [ 1 , { } , [ ] , true , false , null ] } \r\n", true},
	{"nested member", `{"a":{"b":{"exp":1}},"exp":2,"c":[{"ts":3}]}`, true},
	{"empty object", `{}`, true},
	{"long strings", `{"uid":"` + strings.Repeat("abcdefgh", 40) + `","mid":"` + strings.Repeat("x", 13) + `"}`, true},
	{"depth 64", `{"a":` + strings.Repeat("[", 63) + strings.Repeat("]", 63) + `}`, true},
	{"depth 65", `{"a":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`, false},
	{"escape", `{"uid":"a\"b"}`, false},
	{"escaped key", `{"\u0065xp":1}`, false},
	{"non-ascii", `{"uid":"é"}`, false},
	{"control", "{\"a\":\"\x01\"}", false},
	{"bom", "\xef\xbb\xbf{}", false},
	{"array", `[1]`, false},
	{"trailing comma", `{"a":1,}`, false},
	{"trailing data", `{"a":1} x`, false},
	{"mismatched", `{"a":[1}`, false},
	{"leading zero", `{"a":01}`, false},
	{"bad fraction", `{"a":1.}`, false},
	{"bad exponent", `{"a":1e}`, false},
	{"truncated literal", `{"a":tru}`, false},
	{"unterminated", `{"a":"abcdefghijklmnop`, false},
	{"no colon", `{"a" 1}`, false},
}

// TestReadPayloadFast: the fast reader takes the payloads it is for, leaves the rest to the full
// reader, and agrees with it, claim for claim, on what it takes.
func TestReadPayloadFast(t *testing.T) {
	for _, tc := range fastCases {
		t.Run(tc.name, func(t *testing.T) {
			var fast PayloadClaims
			if got := readPayloadFast([]byte(tc.in), &fast); got != tc.fast {
				t.Fatalf("readPayloadFast(%q) = %v, want %v", tc.in, got, tc.fast)
			}
			if tc.fast {
				agreeFast(t, []byte(tc.in), fast)
			}
		})
	}
}

// agreeFast fails unless the full reader accepts b with the claims the fast one found.
func agreeFast(t *testing.T, b []byte, fast PayloadClaims) {
	t.Helper()
	var full PayloadClaims
	if f := readPayloadFull(b, &full); f != nil {
		t.Fatalf("fast reader accepted %q, the full reader says %s at %d", b, f.msg, f.at)
	}
	if !claimsEqual(fast, full) {
		t.Fatalf("claims differ on %q:\nfast %+v\nfull %+v", b, fast, full)
	}
}

func claimsEqual(a, b PayloadClaims) bool {
	return string(a.Typ) == string(b.Typ) && string(a.UID) == string(b.UID) && string(a.MID) == string(b.MID) &&
		string(a.Aud) == string(b.Aud) && string(a.TS) == string(b.TS) && string(a.Exp) == string(b.Exp) &&
		(a.Typ == nil) == (b.Typ == nil) && (a.UID == nil) == (b.UID == nil) && (a.MID == nil) == (b.MID == nil) &&
		(a.Aud == nil) == (b.Aud == nil) && (a.TS == nil) == (b.TS == nil) && (a.Exp == nil) == (b.Exp == nil) &&
		a.TypPlain == b.TypPlain && a.UIDPlain == b.UIDPlain && a.MIDPlain == b.MIDPlain
}

// FuzzPayloadFast: whatever the fast reader accepts, the full reader accepts with the same claims.
func FuzzPayloadFast(f *testing.F) {
	for _, tc := range fastCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fast PayloadClaims
		if readPayloadFast(b, &fast) {
			agreeFast(t, b, fast)
		}
	})
}

// TestClaimSlot: every claim name has its own bucket and slot, and names that are no claim
// (shorter, longer, a prefix, eight bytes or more) have none, read as readPayloadFast reads them.
func TestClaimSlot(t *testing.T) {
	key := func(name string) uint64 { // the name's word as readPayloadFast takes it
		return load8([]byte(name+`":"abcdefghijklmnop"}`), 0) & lowBytes(len(name))
	}
	for slot, name := range claimNames {
		if name == "" {
			continue
		}
		if got := claimSlot(key(name)); got != slot {
			t.Errorf("claimSlot(%q) = %d, want %d", name, got, slot)
		}
	}
	for _, name := range []string{"", "t", "ty", "typx", "uidd", "xts", "iss", "theme", "attendrole",
		"entitlements", "tsxxxxxx", "expexpex", "typ456789abcdefghij"} {
		if got := claimSlot(key(name)); got != slotNone {
			t.Errorf("claimSlot(%q) = %d, want none", name, got)
		}
	}
}

// TestLowBytes: lowBytes(n) masks min(n, 8) bytes, branch-free arithmetic included.
func TestLowBytes(t *testing.T) {
	for n := 0; n < 1000; n++ {
		want := ^uint64(0)
		if n < 8 {
			want = 1<<(8*n) - 1
		}
		if got := lowBytes(n); got != want {
			t.Fatalf("lowBytes(%d) = %#x, want %#x", n, got, want)
		}
	}
}

// plainMillisLoop is plainMillis as it was, one digit a step: decimal15's reference.
func plainMillisLoop(raw []byte) (float64, bool) {
	if len(raw) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return float64(n), true
}

// TestDecimal15: the word-at-a-time reading agrees with the digit loop at every length, on
// leading zeros, on the largest values, and on a non-digit in every position.
func TestDecimal15(t *testing.T) {
	var cases []string
	for n := 0; n <= 17; n++ {
		cases = append(cases, strings.Repeat("9", n), strings.Repeat("0", n), "1"+strings.Repeat("0", n), strings.Repeat("1234567890", 2)[:n])
		for i := 0; i < n; i++ {
			for _, c := range []byte{'/', ':', 'e', '.', '-', 0, 0x80 | '5'} {
				b := []byte(strings.Repeat("7", n))
				b[i] = c
				cases = append(cases, string(b))
			}
		}
	}
	cases = append(cases, "1795167120000", "1795167000000", "100000000000", "999999999999999")
	for _, in := range cases {
		got, ok := decimal15([]byte(in))
		want, wok := plainMillisLoop([]byte(in))
		if ok != wok || float64(got) != want {
			t.Errorf("decimal15(%q) = %d, %v; the loop says %v, %v", in, got, ok, want, wok)
		}
	}
}

// FuzzDecimal15: decimal15 agrees with the digit loop on any bytes.
func FuzzDecimal15(f *testing.F) {
	f.Add([]byte("1795167120000"))
	f.Add([]byte("12345678a"))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, ok := decimal15(in)
		want, wok := plainMillisLoop(in)
		if ok != wok || float64(got) != want {
			t.Fatalf("decimal15(%q) = %d, %v; the loop says %v, %v", in, got, ok, want, wok)
		}
	})
}

// TestReadPayloadFastLengths: strings of every length up to past two index windows, at every
// offset in a word, in clean payloads and in ones the index does not take (a newline, or longer
// than maxIndexed), agree with the full reader; so do the same with an escape or a control byte
// at the end of the string, which the fast reader must leave.
func TestReadPayloadFastLengths(t *testing.T) {
	for pad := 0; pad < 9; pad++ {
		for n := 0; n < 140; n++ {
			v := strings.Repeat("a", n)
			for _, in := range []string{
				`{"` + strings.Repeat("k", pad) + `":1,"uid":"` + v + `","ts":1795167000000}`,
				"{\n\"" + strings.Repeat("k", pad) + `":1,"uid":"` + v + `","ts":1795167000000}`,
				`{"x":"` + strings.Repeat("y", maxIndexed) + `","` + strings.Repeat("k", pad) + `":1,"uid":"` + v + `"}`,
				`{"` + v + `":"` + strings.Repeat("k", pad) + `","exp":1}`,
			} {
				var fast PayloadClaims
				if !readPayloadFast([]byte(in), &fast) {
					t.Fatalf("readPayloadFast(%q) = false", in)
				}
				agreeFast(t, []byte(in), fast)
				for _, bad := range []string{`\"`, "\x01", "\xc3\xa9"} {
					in := strings.Replace(in, `"uid":"`+v, `"uid":"`+v+bad, 1)
					if in2 := strings.Replace(in, `{"`+v, `{"`+v+bad, 1); strings.Contains(in, `"exp"`) {
						in = in2
					}
					if readPayloadFast([]byte(in), &fast) {
						t.Fatalf("readPayloadFast(%q) = true", in)
					}
				}
			}
		}
	}
}

// FuzzPayloadFastMembers: payloads built member by member from fuzzed names and values, so that
// many are JSON and most of those clean (the quote index's case, which random bytes rarely
// reach): whatever the fast reader takes, the full reader takes with the same claims.
func FuzzPayloadFastMembers(f *testing.F) {
	f.Add("typ", "meeting", "ts", uint64(1795167000000), "uid", "MPjq6UmhQWWBP4Yuf-F001", uint8(0))
	f.Add("exp", "", "exp", uint64(0), "aud", `a"b`, uint8(7))
	f.Add("", "x", "mid", uint64(12), "a\\u0075d", "\x01", uint8(13))
	f.Fuzz(func(t *testing.T, k1, v1, k2 string, n uint64, k3, v3 string, shape uint8) {
		sep := [...]string{"", " ", "\n", "\t "}[shape&3]
		num := fmt.Sprint(n)
		switch shape >> 2 & 3 {
		case 1:
			num = "-" + num + ".5e+3"
		case 2:
			num = `[` + num + `,{"` + k1 + `":"` + v1 + `"},true,null]`
		case 3:
			num = `"` + num + `"`
		}
		in := "{" + sep + `"` + k1 + `"` + sep + ":" + sep + `"` + v1 + `"` + sep + "," + sep +
			`"` + k2 + `":` + num + "," + `"` + k3 + `":"` + v3 + `"` + sep + "}"
		if shape&16 != 0 {
			in += strings.Repeat(" ", int(shape)) // past maxIndexed with the rest, now and then
			in = strings.Replace(in, `"`+v1+`"`, `"`+v1+strings.Repeat("v", 400)+`"`, 1)
		}
		var fast PayloadClaims
		if readPayloadFast([]byte(in), &fast) {
			agreeFast(t, []byte(in), fast)
		}
	})
}
