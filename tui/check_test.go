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

// TestCheckScreenProbeRows: against a server that answers every request with one page, the
// diagnosis probes say "alike" (not "refused", which the verdict says cannot be told), and their
// long names keep the HTTP column where the other rows have it.
func TestCheckScreenProbeRows(t *testing.T) {
	f := load(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>hi</body></html>\n"))
	}))
	defer srv.Close()
	h := newHarness(t, Options{Secrets: devSecret(f), Screen: "check", Check: CheckSettings{URL: srv.URL + "/"}}, 100, 40)
	h.drainCheck(h.send(keyMsg("r")))
	col, probes := -1, 0 // col: the cell where " HTTP " starts on the first row
	for _, l := range h.m.check.rowLines() {
		l = ansi.Strip(l)
		i := strings.Index(l, " HTTP ")
		if i < 0 {
			continue
		}
		if col < 0 {
			col = ansi.StringWidth(l[:i])
		}
		if w := ansi.StringWidth(l[:i]); w != col {
			t.Errorf("HTTP at cell %d, not %d: %q", w, col, l)
		}
		if strings.Contains(l, "probe") {
			probes++
			if !strings.HasSuffix(l, "alike") {
				t.Errorf("probe row does not say alike: %q", l)
			}
		}
	}
	if probes == 0 {
		t.Fatal("no probe rows")
	}
}
