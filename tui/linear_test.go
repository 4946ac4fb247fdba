package tui

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/zoomdbg/zoomdbg/core/oauth"
)

// allocated returns the bytes f allocates: work that grows with the square of the input shows as
// bytes that grow with its square, whatever the machine's speed.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// linear fails unless f(16n) costs at most 32 times f(n) in allocated bytes: linear work gives
// about 16, quadratic work 256.
func linear(t *testing.T, what string, f func(n int)) {
	t.Helper()
	const small = 16 << 10
	a, b := allocated(func() { f(small) }), allocated(func() { f(16 * small) })
	ratio := float64(b) / float64(max(a, 1))
	t.Logf("%s: %d bytes for %d KiB, %d for %d KiB: %.1f times", what, a, small>>10, b, 16*small>>10, ratio)
	if ratio > 32 {
		t.Errorf("%s: 16 times the input costs %.0f times the bytes (%d → %d): not linear", what, ratio, a, b)
	}
}

// TestWrapLongWordLinear: a word longer than a line (a server's 1 MB error_description) is cut in
// time linear to its length.
func TestWrapLongWordLinear(t *testing.T) {
	linear(t, "wrapWords", func(n int) {
		lines := wrapWords("error: "+strings.Repeat("x", n), 76)
		if len(lines) != n/76+2 && len(lines) != n/76+1 {
			t.Fatalf("%d lines for %d characters", len(lines), n)
		}
	})
}

// TestFlowHugeErrorLinear renders the Flow screen with a failed token step whose server message
// is one long word, at 80×24: the frame costs linear work in the message's length.
func TestFlowHugeErrorLinear(t *testing.T) {
	h := newHarness(t, Options{Screen: "flow"}, 80, 24)
	a, err := oauth.NewAttempt(oauth.Config{ClientID: "id", ClientSecret: []byte("s")}.WithDefaults(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	linear(t, "flow frame", func(n int) {
		r := oauth.NewResult(a)
		r.Fail(oauth.StepToken, errors.New("invalid_request: "+strings.Repeat("A", n)))
		h.m.flow.result, h.m.flow.sel = r, stepIndex(oauth.StepToken)
		_ = h.m.View()
		h.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
		_ = h.m.View()
	})
	h.must("↕ lines", "invalid_request")
}
