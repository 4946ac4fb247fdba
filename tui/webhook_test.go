package tui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/zoomdbg/zoomdbg/core/webhook"
)

const hookToken = "d2ViaG9vay1zZWNyZXQtZGV2MDE" // made up, the shape of a Secret Token

func hookRequest(body, sig string) string {
	ts := fmt.Sprint(fixtureNow.Unix() - 3)
	if sig == "" {
		sig = webhook.Sign([]byte(hookToken), ts, []byte(body))
	}
	return fmt.Sprintf("POST /webhook HTTP/1.1\r\nContent-Type: application/json\r\nx-zm-request-timestamp: %s\r\nx-zm-signature: %s\r\nContent-Length: %d\r\n\r\n%s",
		ts, sig, len(body), body)
}

const hookValidation = `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1795167027000,"event":"endpoint.url_validation"}`

func webhookHarness(t *testing.T, w, h int) *harness {
	return newHarness(t, Options{Screen: "webhook", WebhookSecrets: []webhook.Secret{{Label: "env", Value: []byte(hookToken)}}}, w, h)
}

// TestWebhookScreenLive: a pasted delivery is verified at once, with its signed message, the
// handshake answer and the headers; the token never shows.
func TestWebhookScreenLive(t *testing.T) {
	h := webhookHarness(t, 100, 40)
	h.must("5 Webhook", "Verify a Zoom webhook delivery", "waiting for a delivery")
	// As a terminal pastes it: line breaks as CR, inside PasteStart/PasteEnd.
	h.send(tea.PasteStartMsg{}, tea.PasteMsg{Content: strings.ReplaceAll(hookRequest(hookValidation, ""), "\r\n", "\r")}, tea.PasteEndMsg{})
	h.must("✓ verified with env", "signed message, 124 bytes", `"encryptedToken":"`, "x-zm-signature: v0=")
	if strings.Contains(h.screen(), hookToken) {
		t.Fatal("the Secret Token is on the screen")
	}
	want := webhook.Validate([]byte(hookToken), "qgg8vlvZRS6UYooatFL8Aw").EncryptedToken
	h.keys("esc")
	h.press("c")
	if len(h.copied) != 1 || !strings.Contains(h.copied[0], want) {
		t.Fatalf("copied %q, want the handshake answer", h.copied)
	}
	h.press("C")
	if len(h.copied) != 2 || !strings.HasPrefix(h.copied[1], "x-zm-request-timestamp: ") {
		t.Fatalf("copied %q, want the headers", h.copied)
	}
	h.press("M")
	if len(h.copied) != 3 || !strings.HasPrefix(h.copied[2], "v0:") {
		t.Fatalf("copied %q, want the signed message", h.copied)
	}

	// A body re-serialised by json.dumps: the cause is named as the user types nothing more.
	ts := fmt.Sprint(fixtureNow.Unix() - 3)
	body := `{"event":"meeting.started","payload":{"object":{"topic":"caf\u00e9"}},"event_ts":1795167027000}`
	dumps := `{"event": "meeting.started", "payload": {"object": {"topic": "caf\u00e9"}}, "event_ts": 1795167027000}`
	h.send(tea.PasteStartMsg{}, tea.PasteMsg{Content: hookRequest(body, webhook.Sign([]byte(hookToken), ts, []byte(dumps)))}, tea.PasteEndMsg{})
	h.must("✗ not verified", "json.dumps(body)", "fix: hash the raw request bytes")

	// A CRLF capture as a terminal pastes it (CR CR) is restored byte for byte: Content-Length fits.
	h.send(tea.PasteStartMsg{}, tea.PasteMsg{Content: strings.ReplaceAll(hookRequest(hookValidation, ""), "\r\n", "\r\r")}, tea.PasteEndMsg{})
	h.must("✓ verified with env")
	if strings.Contains(h.screen(), "Content-Length is") {
		t.Fatalf("the CRLF capture was not restored:\n%s", h.screen())
	}

	// One paste in several messages is one delivery.
	full := strings.ReplaceAll(hookRequest(hookValidation, ""), "\r\n", "\r\r")
	h.send(tea.PasteStartMsg{}, tea.PasteMsg{Content: full[:40]}, tea.PasteMsg{Content: full[40:]}, tea.PasteEndMsg{})
	h.must("✓ verified with env")

	// Typing in the token field re-verifies live; a wrong token names no secret.
	h.keys("tab")
	h.send(keyMsg("ctrl+u"))
	h.keys("x")
	h.must("✗ not verified")
	if s := h.screen(); strings.Contains(s, hookToken) {
		t.Fatal("token shown")
	}
}

func TestWebhookScreenHostile(t *testing.T) {
	h := webhookHarness(t, 80, 24)
	for _, p := range []string{"garbage", "\x1b[2J\x00\xff", strings.Repeat("{", 100000), hookRequest("{\"event\":\"\x1b]52;c;QUFB\x07\"}", "v0=\x1b[31m")} {
		h.send(tea.PasteStartMsg{}, tea.PasteMsg{Content: p}, tea.PasteEndMsg{})
		s := h.m.View().Content
		if strings.ContainsAny(ansi.Strip(s), "\x00\x07") || strings.Contains(ansi.Strip(s), "\x1b") {
			t.Fatalf("raw control bytes on screen for %q", p[:min(len(p), 20)])
		}
	}
	h.must("cut to 16 KiB")
}

// TestWebhookScreenFits: every line within the width, exactly the height, at every size and focus.
func TestWebhookScreenFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {81, 25}, {100, 30}, {137, 45}, {200, 60}} {
		h := webhookHarness(t, size[0], size[1])
		h.send(tea.PasteMsg{Content: hookRequest(hookValidation, "")})
		for step := 0; step < 5; step++ {
			lines := strings.Split(h.m.View().Content, "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d step %d: %d lines", size[0], size[1], step, len(lines))
			}
			for n, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("%dx%d step %d line %d is %d wide: %q", size[0], size[1], step, n, w, ansi.Strip(l))
				}
			}
			h.keys("tab", "j")
		}
	}
}

func TestWebhookScreenKey(t *testing.T) {
	h := newHarness(t, Options{Screen: "pkce"}, 80, 24)
	h.keys("esc", "5")
	h.must("[5 Webhook]")
	h.send(tea.KeyPressMsg{Code: '1', Mod: tea.ModAlt})
	h.send(tea.KeyPressMsg{Code: tea.KeyF5})
	h.must("[5 Webhook]")
}

// TestWebhookGolden pins the screen at 80×24 on a verified url_validation delivery.
func TestWebhookGolden(t *testing.T) {
	h := webhookHarness(t, 80, 24)
	h.send(tea.PasteMsg{Content: hookRequest(hookValidation, "")})
	h.keys("esc", "j", "j", "j", "j", "j", "j", "j")
	golden.RequireEqual(t, []byte(h.screen()))
}

// drainHookCheck carries out cmd and what follows from it until the endpoint check is done,
// running the commands concurrently as the program would (a notice's timer must not hold it up).
func drainHookCheck(t *testing.T, h *harness, cmd tea.Cmd) {
	t.Helper()
	msgs := make(chan tea.Msg, 256)
	spawn := func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	spawn(cmd)
	timeout := time.After(60 * time.Second)
	for {
		select {
		case msg := <-msgs:
			switch m := msg.(type) {
			case tea.BatchMsg:
				for _, c := range m {
					spawn(c)
				}
			case hookProbeMsg:
				spawn(h.send(m))
			case hookDoneMsg:
				h.send(m)
				return
			}
		case <-timeout:
			t.Fatal("the endpoint check did not finish")
		}
	}
}

// TestWebhookScreenEndpointCheck: the battery runs from the screen against a Go endpoint that
// verifies nothing, and its findings, worst first, are shown with the curl to copy.
func TestWebhookScreenEndpointCheck(t *testing.T) {
	lax := laxEndpoint(t, "")
	h := webhookHarness(t, 100, 60)
	h.keys("tab", "tab") // the endpoint field
	h.send(tea.PasteMsg{Content: lax.URL})
	drainHookCheck(t, h, h.send(tea.KeyPressMsg{Code: tea.KeyEnter}))
	h.must("endpoint check", "✗ must reject wrong signature: HTTP 200", "1. CRITICAL")
	if strings.Contains(h.screen(), hookToken) {
		t.Fatal("the token is on the screen")
	}
	h.keys("esc")
	h.press("u")
	if n := len(h.copied); n == 0 || !strings.HasPrefix(h.copied[n-1], "curl ") || strings.Contains(h.copied[n-1], hookToken) {
		t.Fatalf("copied %q", h.copied)
	}
}

// TestWebhookScreenScrollbar: a report taller than the screen ends with the "↕ lines a-b of n"
// line every scrolled panel has, and it follows the scrolling; a report that fits has none.
func TestWebhookScreenScrollbar(t *testing.T) {
	h := webhookHarness(t, 80, 24)
	h.send(tea.PasteMsg{Content: hookRequest(hookValidation, "")})
	h.keys("esc")
	h.must("↕ lines 1-")
	h.keys("pgdown")
	if s := ansi.Strip(h.screen()); strings.Contains(s, "↕ lines 1-") || !strings.Contains(s, "↕ lines ") {
		t.Errorf("after pgdn the scroll line does not follow:\n%s", s)
	}
	tall := webhookHarness(t, 120, 80)
	tall.send(tea.PasteMsg{Content: hookRequest(hookValidation, "")})
	if s := ansi.Strip(tall.screen()); strings.Contains(s, "↕ lines") {
		t.Errorf("a report that fits has a scroll line:\n%s", s)
	}
}

// TestWebhookScreenSearch: / on the Webhook screen keeps only the report's lines holding the
// text, as on every screen whose bar offers "/ search"; the fields and the verdict stay.
func TestWebhookScreenSearch(t *testing.T) {
	h := webhookHarness(t, 80, 24)
	h.send(tea.PasteMsg{Content: hookRequest(hookValidation, "")})
	h.keys("esc", "/")
	for _, r := range "received" {
		h.keys(string(r))
	}
	h.keys("enter")
	s := ansi.Strip(h.screen())
	if !strings.Contains(s, "received  v0=") || strings.Contains(s, "signed message,") || !strings.Contains(s, "✓ verified with env") {
		t.Errorf("/received did not filter the report to its lines:\n%s", s)
	}
}

// TestWebhookScreenRowsWhole: the endpoint check's verdict is the one line the command line
// prints (core's Summary); its rows are selected with j/k as on the Check screen, and enter shows
// the selected row whole (the answer, why, the curl), as "enter: show a row whole" in the help
// says; past the last row j scrolls the rest of the report; the token is never on screen.
func TestWebhookScreenRowsWhole(t *testing.T) {
	lax := laxEndpoint(t, "ok, logged "+strings.Repeat("x", 150)+" (the end)")
	h := webhookHarness(t, 80, 24)
	h.keys("tab", "tab")
	h.send(tea.PasteMsg{Content: lax.URL})
	drainHookCheck(t, h, h.send(tea.KeyPressMsg{Code: tea.KeyEnter}))
	r := h.m.webhook.run.report
	if r == nil || r.OK {
		t.Fatalf("report %+v", r)
	}
	h.must("✗ " + r.Summary())
	if !strings.HasPrefix(r.Summary(), "FAIL: ") || !strings.Contains(r.Summary(), "critical") {
		t.Fatalf("summary %q", r.Summary())
	}
	h.keys("esc")
	h.must("▸ ✓ must answer url_validation handshake", "j/k select, scroll")
	h.keys("enter")
	if h.m.expanded == nil || !strings.Contains(h.m.expanded.text, "answer  HTTP 200") {
		t.Fatalf("enter on the first row: pager %+v", h.m.expanded)
	}
	h.keys("esc")
	rows := h.m.webhook.rows()
	want := -1
	for i, p := range rows {
		if p.Name == "wrong signature" {
			want = i
		}
	}
	for range want {
		h.keys("j")
	}
	h.must("▸ ✗ must reject wrong signature: HTTP 200")
	h.keys("enter")
	p := h.m.expanded
	if p == nil || !strings.Contains(p.text, "CRITICAL") || !strings.Contains(p.text, "(the end)") || !strings.Contains(p.text, "curl ") ||
		strings.Contains(p.text, hookToken) {
		t.Fatalf("the wrong-signature row whole: %+v", p)
	}
	if s := ansi.Strip(h.screen()); !strings.Contains(s, "(whole; esc closes)") || !strings.Contains(s, "answer  HTTP 200 ok, logged") ||
		strings.Contains(s, hookToken) {
		t.Fatalf("the pager does not show the row whole:\n%s", s)
	}
	h.keys("esc")
	for range len(rows) + 5 {
		h.keys("j")
	}
	if h.m.webhook.sel != len(rows)-1 || h.m.webhook.scroll == 0 {
		t.Fatalf("j past the rows: selected %d of %d, scrolled %d", h.m.webhook.sel, len(rows), h.m.webhook.scroll)
	}
	for range 2*len(rows) + 20 {
		h.keys("k")
	}
	if h.m.webhook.sel != 0 || h.m.webhook.scroll != 0 {
		t.Fatalf("k back up: selected %d, scrolled %d", h.m.webhook.sel, h.m.webhook.scroll)
	}
}

// TestWebhookScreenClicks: a click on a field focuses it, and a click on an endpoint check's row
// selects that row, as clicks do on the Check screen; enter then shows the row clicked.
func TestWebhookScreenClicks(t *testing.T) {
	lax := laxEndpoint(t, "")
	h := webhookHarness(t, 100, 40)
	h.keys("tab", "tab")
	h.send(tea.PasteMsg{Content: lax.URL})
	drainHookCheck(t, h, h.send(tea.KeyPressMsg{Code: tea.KeyEnter}))
	h.keys("esc")
	// The screen's line holding a row, as the root hands a click's line to the screen (the tab
	// bar above it).
	lineOf := func(text string) int {
		for i, l := range strings.Split(ansi.Strip(h.screen()), "\n") {
			if strings.Contains(l, text) {
				return i
			}
		}
		t.Fatalf("no line holds %q:\n%s", text, ansi.Strip(h.screen()))
		return -1
	}
	rows := h.m.webhook.rows()
	want := -1
	for i, p := range rows {
		if p.Name == "wrong signature" {
			want = i
		}
	}
	if want <= 0 {
		t.Fatalf("no wrong-signature row after the first: %d of %d", want, len(rows))
	}
	h.send(click(30, lineOf("must reject wrong signature")))
	if h.m.webhook.sel != want || h.m.webhook.focus != focusHookReport {
		t.Fatalf("clicked the wrong-signature row: selected %d (want %d), focus %d", h.m.webhook.sel, want, h.m.webhook.focus)
	}
	h.must("▸ ✗ must reject wrong signature")
	h.keys("enter")
	if h.m.expanded == nil || !strings.Contains(h.m.expanded.text, "wrong signature") {
		t.Fatalf("enter after the click: pager %+v", h.m.expanded)
	}
	h.keys("esc")
	h.send(click(30, lineOf("token     ")))
	if h.m.webhook.focus != focusHookToken {
		t.Fatalf("clicked the token field: focus %d", h.m.webhook.focus)
	}
	h.send(click(30, lineOf("endpoint  ")))
	if h.m.webhook.focus != focusHookEndpoint {
		t.Fatalf("clicked the endpoint field: focus %d", h.m.webhook.focus)
	}
}

// laxEndpoint is a webhook endpoint that answers Zoom's handshake and accepts everything else
// with 200 and answer, verifying no signature; it is closed when the test ends.
func laxEndpoint(t *testing.T, answer string) *httptest.Server {
	lax := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if v, ok := webhook.Handshake(body, []byte(hookToken)); ok {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(v)
			return
		}
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(answer))
	}))
	t.Cleanup(lax.Close)
	return lax
}

// TestWebhookResizeKeepsDelivery: a pasted delivery that ends in a line break, as a terminal's
// copy of a curl command does, stays on show in the delivery field through growing and shrinking
// the window: the field's rows around the cursor hold the delivery's end, none is left blank
// where its text was.
func TestWebhookResizeKeepsDelivery(t *testing.T) {
	h := webhookHarness(t, 80, 24)
	ts := fmt.Sprint(fixtureNow.Unix() - 3)
	body := `{"event":"meeting.started","payload":{"account_id":"acct","object":{"id":"85012345678","topic":"a meeting with a long topic to wrap","duration":60}},"event_ts":1795167027000}`
	curl := fmt.Sprintf("curl -sS -X POST 'http://127.0.0.1:9/hook' -H 'x-zm-request-timestamp: %s' -H 'x-zm-signature: %s' --data-raw '%s'\r",
		ts, webhook.Sign([]byte(hookToken), ts, []byte(body)), body)
	h.send(tea.PasteStartMsg{}, tea.PasteMsg{Content: curl}, tea.PasteEndMsg{})
	h.must("✓ verified with env")
	for _, size := range [][2]int{{160, 40}, {80, 24}, {200, 60}, {100, 30}, {81, 25}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(ansi.Strip(h.screen()), "\n")
		at := -1
		for i, l := range lines {
			if strings.HasPrefix(l, "delivery") {
				at = i
				break
			}
		}
		if at < 0 {
			t.Fatalf("%dx%d: no delivery field:\n%s", size[0], size[1], strings.Join(lines, "\n"))
		}
		rows := min(max(size[1]/5, 2), 6)
		field := ""
		for _, l := range lines[at : at+rows] {
			field += strings.TrimRight(l[min(len(l), 10):], " ")
		}
		if !strings.Contains(field, `"event_ts":1795167027000}'`) {
			t.Errorf("%dx%d: the delivery field does not show the delivery's end:\n%s", size[0], size[1],
				strings.Join(lines[at:at+rows], "\n"))
		}
	}
}
