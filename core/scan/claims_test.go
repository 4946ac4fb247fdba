package scan

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// reference is what encoding/json says: whether b is one JSON object, and the claims in it.
func reference(b []byte) (tokenClaims, bool) {
	var c tokenClaims
	if !json.Valid(b) || !bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("{")) {
		return c, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return c, false
	}
	str := func(k string) string {
		var s string
		if json.Unmarshal(obj[k], &s) != nil {
			return ""
		}
		return s
	}
	num := func(k string) int64 {
		var f json.Number
		if raw := obj[k]; len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &f) != nil {
			return 0 // encoding/json reads "1" into a Number too; a claim must be a JSON number
		}
		if n, err := f.Int64(); err == nil {
			return n
		}
		return intValue([]byte(f))
	}
	c.typ, c.uid, c.mid, c.ts, c.exp = str("typ"), str("uid"), str("mid"), num("ts"), num("exp")
	return c, true
}

func TestReadClaims(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want tokenClaims
		ok   bool
	}{
		{"zoom payload", `{"typ":"meeting","uid":"MPjq6UmhQWWBP4Yuf-FARg","mid":"oC9==","ts":1795167000000,"exp":1795167120000}`,
			tokenClaims{"meeting", "MPjq6UmhQWWBP4Yuf-FARg", "oC9==", 1795167000000, 1795167120000}, true},
		{"escapes and nesting", ` {"uid":"a\"b\u00e9","act":{"x":[1,2.5e3,true,null,{"y":"z"}]},"ts":1.5e12} `,
			tokenClaims{uid: "a\"bé", ts: 1500000000000}, true},
		{"wrong types ignored", `{"uid":12,"typ":["x"],"ts":"1"}`, tokenClaims{}, true},
		{"last duplicate wins", `{"uid":"a","uid":"b"}`, tokenClaims{uid: "b"}, true},
		{"array", `[1]`, tokenClaims{}, false},
		{"trailing", `{} {}`, tokenClaims{}, false},
		{"trailing comma", `{"a":1,}`, tokenClaims{}, false},
		{"leading zero", `{"a":01}`, tokenClaims{}, false},
		{"raw control", "{\"a\":\"\x01\"}", tokenClaims{}, false},
		{"bad escape", `{"a":"\x"}`, tokenClaims{}, false},
		{"unterminated", `{"a":"b`, tokenClaims{}, false},
		{"plain text", `hello, not json`, tokenClaims{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got tokenClaims
			err := readClaims([]byte(tc.in), &got)
			if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
				t.Fatalf("readClaims = %+v, %v; want %+v ok=%v", got, err, tc.want, tc.ok)
			}
			if ref, ok := reference([]byte(tc.in)); ok != tc.ok || (ok && ref != got) {
				t.Fatalf("encoding/json disagrees: %+v ok=%v", ref, ok)
			}
		})
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if err := readClaims([]byte(`{"a":`+deep+`}`), &tokenClaims{}); err == nil {
		t.Error("nesting past the limit accepted")
	}
}

// FuzzReadClaims: the one-pass scanner and encoding/json agree on every input, on validity and on
// each extracted claim.
func FuzzReadClaims(f *testing.F) {
	f.Add([]byte(`{"typ":"panel","uid":"u","ts":1,"exp":2.5,"x":[{"y":null}]}`))
	f.Add([]byte(`{"uid":"\ud83c\udfa5","mid":"\u0000"}`))
	f.Add([]byte("{\"uid\":\"\xff\"}"))
	f.Add([]byte(`{"ts":-0.0e-5,"exp":99999999999999999999}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got tokenClaims
		err := readClaims(b, &got)
		ref, ok := reference(b)
		if (err == nil) != ok {
			t.Fatalf("readClaims err=%v, encoding/json ok=%v on %q", err, ok, b)
		}
		if ok && got != ref {
			t.Fatalf("claims differ on %q:\n got %+v\nwant %+v", b, got, ref)
		}
	})
}

func TestDistinct(t *testing.T) {
	for _, n := range []int{0, 1, 4096, 4097, 20000, 300000} {
		var d distinct
		for i := 0; i < n; i++ {
			d.add(strconv.Itoa(i))
			d.add(strconv.Itoa(i)) // repeats do not count
		}
		got, est := d.count()
		if n <= exactLimit && (got != n || est) {
			t.Errorf("n=%d: count %d (estimated %v), want exact", n, got, est)
		}
		if n > exactLimit && (math.Abs(float64(got-n))/float64(n) > 0.03 || !est) {
			t.Errorf("n=%d: estimate %d is off by more than 3%%", n, got)
		}
		if len(d.regs) > hllRegs || (n > exactLimit && d.exact != nil) {
			t.Errorf("n=%d: memory not bounded", n)
		}
	}
}

func TestDistinctMerge(t *testing.T) {
	for _, split := range [][2]int{{10, 20}, {3000, 3000}, {100, 50000}, {50000, 60000}} {
		var a, b, all distinct
		for i := 0; i < split[0]; i++ {
			a.add(strconv.Itoa(i))
			all.add(strconv.Itoa(i))
		}
		for i := split[0] / 2; i < split[0]/2+split[1]; i++ { // overlaps a
			b.add(strconv.Itoa(i))
			all.add(strconv.Itoa(i))
		}
		a.merge(&b)
		got, _ := a.count()
		want, _ := all.count()
		if got != want {
			t.Errorf("split %v: merged count %d, counted together %d", split, got, want)
		}
	}
}
