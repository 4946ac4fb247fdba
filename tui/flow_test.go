package tui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// flowHarness runs the Flow screen's commands in the background, as the program would, and feeds
// the flow's messages back.
type flowHarness struct {
	*harness
	msgs chan tea.Msg
}

func (h *flowHarness) async(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				h.async(c)
			}
			return
		}
		h.msgs <- msg
	}()
}

func (h *flowHarness) press(k string) { h.async(h.send(keyMsg(k))) }

// until feeds flow messages back until the screen shows want.
func (h *flowHarness) until(want string) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(ansi.Strip(h.screen()), want) {
		select {
		case msg := <-h.msgs:
			switch msg.(type) {
			case flowStepMsg, flowFollowMsg, laneDoneMsg:
				h.async(h.send(msg))
			}
		case <-deadline:
			h.t.Fatalf("%q never appeared:\n%s", want, ansi.Strip(h.screen()))
		}
	}
}

func startMock(t *testing.T, mode mockzoom.Mode) string {
	s := &mockzoom.Server{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"), PKCE: mode, AutoApprove: true,
		User: mockzoom.User{ID: "MPjq6UmhQWWBP4Yuf-FARg", Email: "dev@example.com", AccountID: "a1"}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestFlowScreen(t *testing.T) {
	base := startMock(t, mockzoom.ModeS256)
	c := oauth.Config{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"),
		RedirectURI: "http://127.0.0.1:0/callback", Method: pkce.S256}.ForServer(base)
	h := &flowHarness{harness: newHarness(t, Options{Screen: "flow", Flow: c, Demo: true}, 100, 30), msgs: make(chan tea.Msg, 64)}
	h.must("[3 Flow]", "r runs the flow")

	h.press("r")
	h.must("waiting for the callback", "✓ authorize")
	h.press("f")
	h.until("✓ me        id MPjq6UmhQWWBP4Yuf-FARg, email dev@example.com")
	// The demo context on screen 1 carries the same uid: the screen ties the two together.
	h.must("the app context's uid is this user: uid MPjq6UmhQWWBP4Yuf-FARg is dev@example.com", "S256 ✓ users/me")

	h.keys("m") // zoom-legacy, against a server enforcing S256
	h.press("r")
	h.press("f")
	h.until("✗ token     HTTP 400 invalid_grant")
	// The failed step leads with the server's words and zoomdbg's reading of them; the request
	// that produced them is a pgdn away.
	h.must("S256 ✓ users/me", "zoom-legacy ✗ token", "likely causes, most likely first", "made with zoom-legacy but sent as")
	for i := 0; i < 4 && !strings.Contains(ansi.Strip(h.screen()), "Authorization: Basic ••••••••"); i++ {
		h.keys("pgdown")
	}
	h.must("Authorization: Basic ••••••••")
	if strings.Contains(h.screen(), "Zm0ckS3cret") {
		t.Fatal("the client secret is on screen")
	}
	for _, l := range strings.Split(h.m.View().Content, "\n") {
		if w := ansi.StringWidth(l); w > 100 {
			t.Fatalf("line of %d cells: %q", w, l)
		}
	}
}

func TestFlowScreenPasteAndSettings(t *testing.T) {
	h := mockFlow(t, mockzoom.ModeS256, "", 100, 30)
	h.press("r")
	h.keys("p")
	h.send(tea.PasteMsg{Content: "http://127.0.0.1:1/callback?code=x&state=forged"})
	h.async(h.send(keyMsg("enter")))
	h.until("✗ callback  state mismatch: this callback was not started by this flow (possible CSRF)")

	h2 := newHarness(t, Options{Screen: "flow", Flow: oauth.Config{}}, 100, 30)
	h2.keys("r")
	h2.must("✗ no client ID")
}

// TestFlowScreenTakesCommandLineEndpoints: --authorize-url, --token-url and --api-url reach the
// Flow screen's runs exactly as zoomdbg flow takes them, until the server field is edited.
func TestFlowScreenTakesCommandLineEndpoints(t *testing.T) {
	c := oauth.Config{ClientID: "cid", AuthorizeURL: "https://idp.example.com/oauth2/auth", TokenURL: "https://idp.example.com/oauth2/token",
		APIURL: "https://api.example.com/v1"}
	h := newHarness(t, Options{Screen: "flow", Flow: c}, 100, 30)
	got, err := h.m.flow.config()
	if err != nil || got.AuthorizeURL != c.AuthorizeURL || got.TokenURL != c.TokenURL || got.APIURL != c.APIURL {
		t.Fatalf("config %+v, %v", got, err)
	}
	h.m.flow.server.SetValue("http://127.0.0.1:9")
	if got, _ := h.m.flow.config(); got.TokenURL != "http://127.0.0.1:9/oauth/token" {
		t.Errorf("after editing the server field: %s", got.TokenURL)
	}
}

// TestFlowScreenAt80x24: a failed step's reason is on screen at 80×24, its request is a pgdn away,
// and the method line wraps instead of being cut.
func TestFlowScreenAt80x24(t *testing.T) {
	h := mockFlow(t, mockzoom.ModeS256, pkce.ZoomLegacy, 80, 24)
	h.press("f")
	h.until("✗ token")
	// the failed step is selected
	h.must("likely causes, most likely first", "pgup/pgdn")
	for i := 0; i < 6 && !strings.Contains(ansi.Strip(h.screen()), "Authorization: Basic"); i++ {
		h.keys("pgdown")
	}
	h.must("Authorization: Basic ••••••••")
	v := h.m.View().Content
	if n := len(strings.Split(v, "\n")); n != 24 {
		t.Errorf("%d lines", n)
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.HasSuffix(ansi.Strip(l), "…") && strings.Contains(l, "S256") {
			t.Errorf("the method line is cut: %q", ansi.Strip(l))
		}
	}
}

// TestFlowScreenFaults: the faults found trying the Flow screen as a new user would.
func TestFlowScreenFaults(t *testing.T) {
	h := mockFlow(t, mockzoom.ModeOff, pkce.S256, 80, 24)

	// With enforcement off, two different challenges both pass: the method line says so.
	h.press("f")
	h.until("✓ me")
	h.keys("m")
	h.press("f")
	h.until("zoom-legacy ✓ users/me")
	flat := strings.Join(strings.Fields(ansi.Strip(h.screen())), " ")
	if !strings.Contains(flat, "the server does not hold the verifier to the challenge (PKCE not enforced)") {
		t.Errorf("no note that nothing was enforced:\n%s", h.screen())
	}

	// Another server: the results of the old one leave the method line.
	h.keys("tab") // the server field
	h.send(tea.PasteMsg{Content: "/x"})
	if strings.Contains(ansi.Strip(h.screen()), "✓ users/me") {
		t.Errorf("results of the earlier server stay on the method line:\n%s", h.screen())
	}

	// p opens the paste field where it can be seen.
	h.keys("esc")
	h.press("r")
	h.keys("p")
	h.must("paste the URL the browser was redirected to")
	if !h.m.flow.paste.Focused() {
		t.Error("the paste field has no focus")
	}
}

// TestFlowScreenInClient: i walks a Zoom App's in-client OAuth through the mock.
func TestFlowScreenInClient(t *testing.T) {
	h := mockFlow(t, mockzoom.ModeZoom, pkce.S256, 100, 30)
	h.press("i")
	h.must("in-client ", "[plain]", "r plays zoomSdk.authorize")
	h.press("r")
	h.until("✓ me")
	h.must("✓ callback  onAuthorized {code, state, redirectUri")
	h.keys("m") // S256, which zoomSdk.authorize does not take
	h.press("r")
	h.until("✗ token")
	h.must("zoomSdk.authorize takes no code_challenge_method")
}

// TestFlowLanes: v shows every method side by side against the same server, two lanes at 80×24,
// the same step on the same row, and h/l shift them.
func TestFlowLanes(t *testing.T) {
	h := mockFlow(t, mockzoom.ModeS256, "", 80, 24)
	h.press("v")
	h.must("lanes (v): r runs every method")
	h.press("r")
	h.until("takes S256 · refuses plain at authorize")
	v := ansi.Strip(h.screen())
	lineWith := func(prefix string) string {
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		return ""
	}
	if l := lineWith("          S256"); !strings.Contains(l, "✓ users/me") || !strings.Contains(l, "zoom-legacy  ✗ token") {
		t.Errorf("the lanes are not side by side:\n%s", v)
	}
	if l := lineWith("token"); !strings.Contains(l, "✓") || !strings.Contains(l, "✗ HTTP 400 invalid_grant") {
		t.Errorf("the token step is not one row across the lanes:\n%s", v)
	}
	h.must("lanes 1-2 of 5")
	h.keys("l")
	h.must("lanes 2-3 of 5", "plain  ✗ authorize")
	for _, l := range strings.Split(h.m.View().Content, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("line of %d cells: %q", w, ansi.Strip(l))
		}
	}
}

// mockFlow opens the Flow screen at w×h on a mock enforcing mode, with method selected.
func mockFlow(t *testing.T, mode mockzoom.Mode, method pkce.Method, w, h int) *flowHarness {
	t.Helper()
	c := oauth.Config{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"),
		RedirectURI: "http://127.0.0.1:0/callback", Method: method}.ForServer(startMock(t, mode))
	return &flowHarness{harness: newHarness(t, Options{Screen: "flow", Flow: c}, w, h), msgs: make(chan tea.Msg, 64)}
}

// TestFlowLanesPaddingServer: against a server that enforces PKCE but trims '=' before comparing
// (as go-oauth2/oauth2 does), the lanes say it ignores padding and enforces PKCE, the method line
// marks the refusal at authorize with the server's error, and plain's "why" row gives the reason.
func TestFlowLanesPaddingServer(t *testing.T) {
	p := mockzoom.Policy{Require: true, AllowS256: true, S256: pkce.S256, IgnorePadding: true}
	s := &mockzoom.Server{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"), Policy: &p, AutoApprove: true,
		User: mockzoom.User{ID: "u1", Email: "dev@example.com", AccountID: "a1"}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := oauth.Config{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"),
		RedirectURI: "http://127.0.0.1:0/callback"}.ForServer(srv.URL)
	h := &flowHarness{harness: newHarness(t, Options{Screen: "flow", Flow: c}, 160, 70), msgs: make(chan tea.Msg, 64)}
	h.press("v")
	h.press("r")
	h.until("PKCE enforced · ignores '=' padding")
	h.must("plain ✗ authorize invalid_request", "S256-padded ✓ users/me", "ignores '=' padding (lenience", "code_challenge_method plain is")
}
