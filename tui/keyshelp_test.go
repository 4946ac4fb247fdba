package tui

import (
	"strings"
	"testing"
)

// TestKeysHelp: the --help listing names every screen and the keys that always work, and stays
// within the width it was given.
func TestKeysHelp(t *testing.T) {
	got := KeysHelp(78)
	for _, want := range []string{"Everywhere:", "App Context:", "PKCE:", "Flow:", "Check:", "Webhook:", "Move:", "ctrl+c quit", "F1 help"} {
		if !strings.Contains(got, want) {
			t.Errorf("KeysHelp lacks %q:\n%s", want, got)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if len(l) > 78 {
			t.Errorf("line over 78 columns: %q", l)
		}
	}
	if n := strings.Count(KeysHelp(0), "\n"); n != 6 {
		t.Errorf("unwrapped: %d lines, want one per group (7)", n+1)
	}
}
