package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/core/mockzoom"
)

func startMock(t *testing.T, mode mockzoom.Mode) string {
	t.Helper()
	s := &mockzoom.Server{ClientID: cli.MockClientID, ClientSecret: []byte(cli.MockSecret), PKCE: mode, AutoApprove: true,
		User: mockzoom.User{ID: "u-1", Email: "dev@example.com", AccountID: "a-1"}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestFlowAgainstMock(t *testing.T) {
	tests := []struct {
		mode     mockzoom.Mode
		method   string
		wantCode int
		want     string
	}{
		{mockzoom.ModeS256, "S256", 0, `"email": "dev@example.com"`},
		{mockzoom.ModeS256, "zoom-legacy", 1, "invalid_grant"},
		{mockzoom.ModeZoomLegacy, "zoom-legacy", 0, `"email": "dev@example.com"`},
		{mockzoom.ModeZoomLegacy, "S256", 1, "invalid_grant"},
	}
	for _, tc := range tests {
		t.Run(string(tc.mode)+" server "+tc.method+" client", func(t *testing.T) {
			base := startMock(t, tc.mode)
			r := run(t, "", nil, "flow", "--mock", base, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback",
				"--method", tc.method, "--json")
			if r.code != tc.wantCode || !strings.Contains(r.stdout, tc.want) {
				t.Fatalf("exit %d, want %d and %q\nstdout: %s\nstderr: %s", r.code, tc.wantCode, tc.want, r.stdout, r.stderr)
			}
			var out struct {
				OK    bool `json:"ok"`
				Steps []struct {
					Name string `json:"name"`
					OK   bool   `json:"ok"`
				} `json:"steps"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.OK != (tc.wantCode == 0) || len(out.Steps) != 7 {
				t.Fatalf("json: %v %+v", err, out)
			}
			if strings.Contains(r.stdout+r.stderr, cli.MockSecret) {
				t.Fatal("the client secret was printed")
			}
		})
	}
}

func TestFlowText(t *testing.T) {
	base := startMock(t, mockzoom.ModeS256)
	r := run(t, "", nil, "flow", "--mock", base, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback")
	for _, want := range []string{"✓ me        id u-1, email dev@example.com", "Authorization: Basic ••••••••", "as curl:",
		"refresh token rotated", "…(masked)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestFlowPaste(t *testing.T) {
	base := startMock(t, mockzoom.ModeS256)
	r := run(t, "http://127.0.0.1:8765/callback?code=x&state=forged\n", nil, "flow", "--mock", base, "--paste")
	if r.code != 1 || !strings.Contains(r.stdout, "✗ callback  state mismatch") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}

func TestFlowUsage(t *testing.T) {
	for _, args := range [][]string{
		{"flow", "--method", "S512"},
		{"flow", "--token-url", "http://example.com/token", "--client-id", "x", "--secret", "y"},
		{"mock-oauth", "--addr", "0.0.0.0:0"},
		{"mock-oauth", "--pkce", "S512"},
	} {
		if r := run(t, "", nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

// TestFlowEscapesHostileResponses: a token endpoint whose error reason carries terminal controls
// cannot drive the terminal through zoomdbg's output.
func TestFlowEscapesHostileResponses(t *testing.T) {
	mock := &mockzoom.Server{ClientID: cli.MockClientID, ClientSecret: []byte(cli.MockSecret), PKCE: mockzoom.ModeS256, AutoApprove: true}
	mux := http.NewServeMux()
	mux.Handle("/", mock.Handler())
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant","reason":"\u001b]0;pwned\u0007\u001b[2J\u009b31m"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, extra := range [][]string{nil, {"--json"}} {
		args := append([]string{"flow", "--mock", srv.URL, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback"}, extra...)
		r := run(t, "", nil, args...)
		if r.code != 1 || !strings.Contains(r.stdout, "pwned") {
			t.Fatalf("exit %d\n%s", r.code, r.stdout)
		}
		assertNoControls(t, r.stdout)
	}
}

// TestFlowCompare: one flow per method against the same server, side by side, for each of the
// mock's settings; the matrix, the verdict and the JSON agree with what the server enforces.
func TestFlowCompare(t *testing.T) {
	tests := []struct {
		mode    mockzoom.Mode
		args    []string
		verdict string
		fails   map[string]string // method: failed step
		code    int
	}{
		{mockzoom.ModeZoom, []string{"--compare"}, "this server takes S256", map[string]string{"zoom-legacy": "token"}, 0},
		{mockzoom.ModeS256, []string{"--compare", "all"}, "this server takes S256",
			map[string]string{"zoom-legacy": "token", "plain": "authorize", "S256-padded": "token", "S256-std": "token"}, 0},
		{mockzoom.ModeZoomLegacy, []string{"--compare=S256,zoom-legacy"}, "this server takes zoom-legacy", map[string]string{"S256": "token"}, 0},
		{mockzoom.ModeOff, []string{"--compare"}, "PKCE is not enforced", map[string]string{}, 0},
		{mockzoom.ModePlain, []string{"--compare"}, "this server takes none of these methods",
			map[string]string{"S256": "authorize", "zoom-legacy": "authorize"}, 1},
	}
	for _, tc := range tests {
		t.Run(string(tc.mode), func(t *testing.T) {
			base := startMock(t, tc.mode)
			args := append([]string{"flow", "--mock", base, "--redirect-uri", "http://127.0.0.1:0/callback"}, tc.args...)
			r := run(t, "", nil, append(args, "--json")...)
			var out struct {
				OK      bool   `json:"ok"`
				Verdict string `json:"verdict"`
				Compare []struct {
					Method     string  `json:"method"`
					OK         bool    `json:"ok"`
					FailedStep *string `json:"failed_step"`
				} `json:"compare"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatalf("%v\n%s%s", err, r.stdout, r.stderr)
			}
			if r.code != tc.code || !strings.Contains(out.Verdict, tc.verdict) {
				t.Errorf("exit %d verdict %q", r.code, out.Verdict)
			}
			for _, lane := range out.Compare {
				want, fails := tc.fails[lane.Method]
				got := ""
				if lane.FailedStep != nil {
					got = *lane.FailedStep
				}
				if lane.OK == fails || got != want {
					t.Errorf("%s: ok=%v failed_step=%q, want %q", lane.Method, lane.OK, got, want)
				}
			}
			text := run(t, "", nil, args...)
			if !strings.Contains(text.stdout, tc.verdict) || !strings.Contains(text.stdout, "challenge  ✓") {
				t.Errorf("text:\n%s", text.stdout)
			}
		})
	}
	if r := run(t, "", nil, "flow", "--compare", "S512"); r.code != 2 || !strings.Contains(r.stderr, `--compare "S512"`) {
		t.Errorf("bad method: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, "", nil, "flow", "stray"); r.code != 2 || !strings.Contains(r.stderr, `unexpected argument "stray"`) {
		t.Errorf("stray argument: exit %d %s", r.code, r.stderr)
	}
}

// TestFlowRevealNeverShowsTheSecret: --reveal shows tokens, never the client secret.
func TestFlowRevealNeverShowsTheSecret(t *testing.T) {
	base := startMock(t, mockzoom.ModeS256)
	r := run(t, "", nil, "flow", "--mock", base, "--follow", "--redirect-uri", "http://127.0.0.1:0/callback", "--reveal")
	if r.code != 0 || strings.Contains(r.stdout, cli.MockSecret) || !strings.Contains(r.stdout, "Basic ••••••••") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}

// TestFlowInClient walks a Zoom App's in-client OAuth against the mock: zoomSdk.authorize, the
// onAuthorized event, the backend's exchange with the event's redirect URI. Plain, as Zoom
// documents for it, completes; an S256 challenge fails with the reason.
func TestFlowInClient(t *testing.T) {
	base := startMock(t, mockzoom.ModeZoom)
	r := run(t, "", nil, "flow", "--mock", base, "--in-client")
	if r.code != 0 || !strings.Contains(r.stdout, "zoomSdk.authorize({codeChallenge:") ||
		!strings.Contains(r.stdout, `onAuthorized {code, state, redirectUri "`+mockzoom.InClientRedirect+`"}: state matches`) ||
		!strings.Contains(r.stdout, "redirect_uri="+url.QueryEscape(mockzoom.InClientRedirect)) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", nil, "flow", "--mock", base, "--in-client", "--method", "S256")
	if r.code != 1 || !strings.Contains(r.stdout, "zoomSdk.authorize takes no code_challenge_method and Zoom documents only plain") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, "", nil, "flow", "--in-client", "--client-id", "x", "--secret", "y")
	if r.code != 1 || !strings.Contains(r.stdout, "runs inside the Zoom client") {
		t.Fatalf("against Zoom: exit %d\n%s", r.code, r.stdout)
	}
}
