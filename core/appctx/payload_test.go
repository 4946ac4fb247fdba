package appctx

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// reference is what encoding/json (with the verdict's extra rules: UTF-8, no BOM, nesting) says:
// whether b is one acceptable JSON object, and the claims in it.
func reference(b []byte) (map[string]json.RawMessage, bool) {
	if !utf8.Valid(b) || bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !json.Valid(b) {
		return nil, false
	}
	if _, deep := tooDeep(b); deep {
		return nil, false
	}
	var obj map[string]json.RawMessage
	if !bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("{")) || json.Unmarshal(b, &obj) != nil {
		return nil, false
	}
	return obj, true
}

func TestReadPayload(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Reason // "" for a good payload
	}{
		{"zoom", `{"typ":"meeting","uid":"MPjq6UmhQWWBP4Yuf-FARg","mid":"oC9==","ts":1795167000000,"exp":1795167120000}`, ""},
		{"escapes", `{"uid":"a\"b\u00e9","ts":1500000000000}`, ""},
		{"last duplicate wins", `{"uid":"a","uid":"b"}`, ""},
		{"array", `[1]`, ReasonNotObject},
		{"array then text", `[1]x`, ReasonNotJSON},
		{"trailing object", `{} {}`, ReasonTrailingData},
		{"trailing brace", `{"a":1}}`, ReasonTrailingData},
		{"trailing comma", `{"a":1,}`, ReasonNotJSON},
		{"leading zero", `{"a":01}`, ReasonNotJSON},
		{"plus", `{"a":+1}`, ReasonNotJSON},
		{"NaN", `{"a":NaN}`, ReasonNotJSON},
		{"raw control", "{\"a\":\"\x01\"}", ReasonNotJSON},
		{"bad escape", `{"a":"\x"}`, ReasonNotJSON},
		{"unterminated", `{"a":"b`, ReasonNotJSON},
		{"plain text", `hello, not json`, ReasonNotJSON},
		{"empty", ``, ReasonNotJSON},
		{"not utf8", "{\"a\":\"\xff\"}", ReasonNotUTF8},
		{"bom", "\xef\xbb\xbf{}", ReasonBOM},
		{"depth 64", `{"a":` + strings.Repeat("[", 63) + strings.Repeat("]", 63) + `}`, ""},
		{"depth 65", `{"a":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`, ReasonTooDeep},
		{"deep after junk", `x` + strings.Repeat("[", 65), ReasonTooDeep},
		{"brackets in a string", `{"a":"` + strings.Repeat("[", 100) + `"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c PayloadClaims
			f := readPayload([]byte(tc.in), &c, nil)
			got := ReasonNone
			if f != nil {
				got = f.reason
			}
			if got != tc.want {
				t.Fatalf("readPayload(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestEscapedKeys: claims are found by their unescaped names.
func TestEscapedKeys(t *testing.T) {
	var c PayloadClaims
	if f := readPayload([]byte(`{"\u0065xp":1,"a\u0075d":"x","ts":2}`), &c, nil); f != nil {
		t.Fatal(f.msg)
	}
	if string(c.Exp) != "1" || string(c.Aud) != `"x"` || string(c.TS) != "2" {
		t.Fatalf("claims %+v", c)
	}
	// A name that holds more than a claim's name (a NUL, or more letters) is no claim.
	c = PayloadClaims{}
	if f := readPayload([]byte(`{"ty\u0070":"a","typ\u0000":"b","typx":"c","uid\u0000\u0000\u0000\u0000\u0000":"d"}`), &c, nil); f != nil {
		t.Fatal(f.msg)
	}
	if string(c.Typ) != `"a"` || c.UID != nil {
		t.Fatalf("claims %+v", c)
	}
}

// FuzzReadPayload: the one-pass reader and encoding/json agree on every input, on validity and on
// each extracted claim.
func FuzzReadPayload(f *testing.F) {
	f.Add([]byte(`{"typ":"panel","uid":"u","ts":1,"exp":2.5,"x":[{"y":null}]}`))
	f.Add([]byte(`{"uid":"\ud83c\udfa5","mid":"\u0000"}`))
	f.Add([]byte("{\"uid\":\"\xff\"}"))
	f.Add([]byte(`{"ts":-0.0e-5,"exp":99999999999999999999}`))
	f.Add([]byte(`{"\u0065xp":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got PayloadClaims
		fault := readPayload(b, &got, nil)
		ref, ok := reference(b)
		if (fault == nil) != ok {
			t.Fatalf("readPayload fault=%v, reference ok=%v on %q", fault, ok, b)
		}
		if !ok {
			return
		}
		for name, raw := range map[string][]byte{"typ": got.Typ, "uid": got.UID, "mid": got.MID, "aud": got.Aud, "ts": got.TS, "exp": got.Exp} {
			if !bytes.Equal(raw, ref[name]) {
				t.Fatalf("%s: %q, encoding/json %q on %q", name, raw, ref[name], b)
			}
		}
	})
}

// TestStringIs: stringIs says what StringValue and a comparison say, on plain strings, escapes
// of every length, a backslash in s itself, and values that are not strings.
func TestStringIs(t *testing.T) {
	tests := []struct {
		name, raw, s string
		want         bool
	}{
		{"plain", `"zoomdbgBenchClientId01"`, "zoomdbgBenchClientId01", true},
		{"plain other", `"zoomdbgBenchClientId02"`, "zoomdbgBenchClientId01", false},
		{"shorter", `"abc"`, "abcd", false},
		{"longer", `"abcde"`, "abcd", false},
		{"empty", `""`, "", true},
		{"escape equal", `"a\u0062c"`, "abc", true},
		{"escape other", `"a\u0062d"`, "abc", false},
		{"escape same length", `"a\"c"`, `a\"c`, false},
		{"escape same length text", `"a\\"`, `a\\`, false},
		{"backslash in s", `"a\\b"`, `a\b`, true},
		{"non-ascii", `"é"`, "é", true},
		{"number", `12`, "12", false},
		{"absent", ``, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, ok := StringValue([]byte(tc.raw))
			if ref := ok && text == tc.s; ref != tc.want {
				t.Fatalf("case is wrong: StringValue says %v", ref)
			}
			var raw []byte
			if tc.raw != "" {
				raw = []byte(tc.raw)
			}
			if got := stringIs(raw, tc.s); got != tc.want {
				t.Fatalf("stringIs(%s, %q) = %v, want %v", tc.raw, tc.s, got, tc.want)
			}
		})
	}
}

// FuzzStringIs: stringIs agrees with StringValue on every string value the payload reader takes.
func FuzzStringIs(f *testing.F) {
	f.Add(`"abc"`, "abc")
	f.Add(`"a\u0062c"`, "abc")
	f.Add(`"a\\b"`, `a\b`)
	f.Fuzz(func(t *testing.T, raw, s string) {
		var c PayloadClaims
		if readPayload([]byte(`{"aud":`+raw+`}`), &c, nil) != nil {
			return
		}
		text, ok := StringValue(c.Aud)
		if got, want := stringIs(c.Aud, s), ok && text == s; got != want {
			t.Fatalf("stringIs(%s, %q) = %v, StringValue says %v", c.Aud, s, got, want)
		}
	})
}
