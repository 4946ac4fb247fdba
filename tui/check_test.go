package tui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestCheckScreenNotTested: a POST-only endpoint checked with GET answers 405 to everything.
// The rows that prove nothing say not tested, and the valid row shows what the answers say,
// without a guess at the secret.
func TestCheckScreenNotTested(t *testing.T) {
	f := load(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}))
	defer srv.Close()
	h := newHarness(t, Options{Secrets: devSecret(f), Screen: "check", Check: CheckSettings{URL: srv.URL + "/"}}, 100, 40)
	h.drainCheck(h.send(keyMsg("r")))
	v := ansi.Strip(h.screen())
	for _, want := range []string{"– must reject another app's secret", "not tested", "✗ must accept valid context"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	flat := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(flat, "diagnosis: the endpoint answered HTTP 405 Method Not Allowed to a GET") || !strings.Contains(flat, "--via json:FIELD") {
		t.Errorf("the valid row does not show the 405's diagnosis:\n%s", v)
	}
	for _, l := range strings.Split(h.screen(), "\n") {
		if w := ansi.StringWidth(l); w > 100 {
			t.Errorf("line of %d cells: %q", w, l)
		}
	}
}
