package termsafe_test

import (
	"encoding/json"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "MPjq6UmhQWWBP4Yuf-FARg", "MPjq6UmhQWWBP4Yuf-FARg"},
		{"unicode kept", "Zoë 李雷 🎥", "Zoë 李雷 🎥"},
		{"osc 52", "\x1b]52;c;cHduZWQ=\a", `\x1b]52;c;cHduZWQ=\x07`},
		{"title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"clear", "\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"c1 csi", "\u009b31mred", `\u009b31mred`},
		{"newline tab cr del", "a\nb\tc\rd\x7f", `a\nb\tc\rd\x7f`},
		{"bidi", "abc\u202edef", `abc\u202edef`},
		{"invalid utf8", "a\xffb", `a\xffb`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := termsafe.Escape(tc.in); got != tc.want {
				t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if termsafe.IsSafe(tc.in) != (tc.in == tc.want) {
				t.Errorf("IsSafe(%q) = %v", tc.in, termsafe.IsSafe(tc.in))
			}
		})
	}
}

func TestEscapeLines(t *testing.T) {
	if got := termsafe.EscapeLines("{\n  \"a\": \"\x1b[2J\"\n}"); got != "{\n  \"a\": \"\\x1b[2J\"\n}" {
		t.Errorf("EscapeLines = %q", got)
	}
}

func TestEscapeJSON(t *testing.T) {
	b, _ := json.Marshal(map[string]string{"c1": "\u009b31m", "ok": "é"})
	got := termsafe.EscapeJSON(b)
	want := `{"c1":"\u009b31m","ok":"é"}`
	if string(got) != want {
		t.Errorf("EscapeJSON = %s, want %s", got, want)
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["c1"] != "\u009b31m" {
		t.Errorf("escaped JSON does not mean the same: %v %q", err, back["c1"])
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("\x1b]52;c;x\a\u009b\u202e\xff")
	f.Fuzz(func(t *testing.T, s string) {
		e := termsafe.Escape(s)
		if !termsafe.IsSafe(e) {
			t.Fatalf("Escape(%q) = %q is not safe", s, e)
		}
		for i := 0; i < len(e); i++ {
			if e[i] < 0x20 || e[i] == 0x7f {
				t.Fatalf("control byte %#x survived in %q", e[i], e)
			}
		}
	})
}
