package tui

import (
	"strings"
	"testing"
)

// TestInputFilter feeds the filter what terminals send, whole and split at every byte, and checks
// what reaches Bubble Tea's decoder: pasted control strings lose their introducers, so the paste's
// end marker is always seen; keys and sequences outside pastes pass as they are.
func TestInputFilter(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"typing", "abc\x1b[A\x03", "abc\x1b[A\x03"},
		{"escape key alone", "\x1b", "\x1b"},
		{"utf-8", "héllo ǐ 日本", "héllo ǐ 日本"},
		{"paste with C1 DCS", pasteStart + "abc\x90def" + pasteEnd + "x", pasteStart + "abcdef" + pasteEnd + "x"},
		{"paste with SOS PM APC ST", pasteStart + "a\x98b\x9ec\x9fd\x9ce" + pasteEnd, pasteStart + "abcde" + pasteEnd},
		{"paste with ESC P", pasteStart + "abc\x1bPdef" + pasteEnd + "\x03", pasteStart + "abcPdef" + pasteEnd + "\x03"},
		{"paste with ESC _", pasteStart + "abc\x1b_def" + pasteEnd, pasteStart + "abc_def" + pasteEnd},
		{"paste with a CSI", pasteStart + "a\x1b[31mb" + pasteEnd, pasteStart + "a[31mb" + pasteEnd},
		{"paste with newlines and tabs", pasteStart + "a\r\n\tb" + pasteEnd, pasteStart + "a\r\n\tb" + pasteEnd},
		{"paste of binary", pasteStart + "\xff\xfe\x80\x00z" + pasteEnd, pasteStart + "\x00z" + pasteEnd},
		{"two pastes", pasteStart + "\x90" + pasteEnd + pasteStart + "ok" + pasteEnd, pasteStart + pasteEnd + pasteStart + "ok" + pasteEnd},
		{"stray C1 outside a paste", "abc\x90def", "abcdef"},
		{"a reply to a query", "\x1bP1+r5463\x1b\\", "\x1bP1+r5463\x1b\\"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f inputFilter
			if got := string(f.filter([]byte(tt.in))); got != tt.want {
				t.Errorf("whole: got %q, want %q", got, tt.want)
			}
			for cut := 1; cut < len(tt.in); cut++ {
				var f inputFilter
				got := string(f.filter([]byte(tt.in[:cut]))) + string(f.filter([]byte(tt.in[cut:])))
				if got != tt.want {
					t.Errorf("split at %d: got %q, want %q", cut, got, tt.want)
				}
			}
		})
	}
}

// TestInputFilterNeverGrows checks the bound Read relies on: a call returns at most what it was
// given plus the few bytes held from the last call, whatever the bytes.
func TestInputFilterNeverGrows(t *testing.T) {
	var f inputFilter
	in := strings.Repeat(pasteStart+"\x1b[20\xe6\x97"+pasteEnd[:3], 50)
	for i := 0; i < len(in); i += 7 {
		chunk := []byte(in[i:min(i+7, len(in))])
		held := len(f.held)
		if out := f.filter(chunk); len(out) > len(chunk)+held || held > headroom {
			t.Fatalf("at %d: %d bytes out of %d in and %d held", i, len(out), len(chunk), held)
		}
	}
}
