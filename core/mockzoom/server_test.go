package mockzoom_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

func newServer(t *testing.T, auto bool) (*mockzoom.Server, *httptest.Server) {
	s := &mockzoom.Server{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"), PKCE: mockzoom.ModeS256,
		AutoApprove: auto, User: mockzoom.User{ID: "u1", Email: "dev@example.com", MeetingID: "m1=="}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

// TestAppContext: the mock's app contexts open with the client secret, for the configured user.
func TestAppContext(t *testing.T) {
	s, srv := newServer(t, true)
	resp, err := http.Get(srv.URL + "/mock/app-context?typ=meeting")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := appctx.Inspect(string(b), appctx.DeriveAll([]appctx.Secret{{Label: "mock", Value: s.ClientSecret}}))
	if !r.OK() || string(r.Object["uid"]) != `"u1"` || string(r.Object["mid"]) != `"m1=="` || appctx.Expired(r.Object, time.Now()) {
		t.Fatalf("status %s, payload %s", r.Status(), r.Payload)
	}
}

func TestConsentPage(t *testing.T) {
	_, srv := newServer(t, false)
	q := url.Values{"response_type": {"code"}, "client_id": {"cid"}, "redirect_uri": {"http://127.0.0.1:1/cb"},
		"state": {"s<1>"}, "code_challenge": {"abc"}, "code_challenge_method": {"S256"}}
	resp, err := http.Get(srv.URL + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Allow") || strings.Contains(string(page), "s<1>") {
		t.Fatalf("consent page missing or unescaped:\n%s", page)
	}
	c := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = c.PostForm(srv.URL+"/oauth/authorize/approve", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" || loc.Query().Get("state") != "s<1>" {
		t.Fatalf("approve: %d %s", resp.StatusCode, loc)
	}
}

func TestEnforcingServerWantsAChallenge(t *testing.T) {
	_, srv := newServer(t, true)
	c := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/oauth/authorize?response_type=code&client_id=cid&redirect_uri=http://127.0.0.1:1/cb&state=s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "invalid_request" || !strings.Contains(loc.Query().Get("error_description"), "code_challenge") {
		t.Fatalf("no challenge: redirected to %s", loc)
	}
}

func TestTokenEndpointRefusals(t *testing.T) {
	_, srv := newServer(t, true)
	post := func(ct, body string) (int, map[string]string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth("cid", "Zm0ckS3cretF0rZoomdbgOAuthTest01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]string
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	if st, m := post("application/json", `{"grant_type":"authorization_code"}`); st != 400 || m["error"] != "invalid_request" {
		t.Errorf("JSON body: %d %v", st, m)
	}
	if st, m := post("application/x-www-form-urlencoded", "grant_type=password"); st != 400 || m["error"] != "unsupported_grant_type" {
		t.Errorf("password grant: %d %v", st, m)
	}
	if st, _ := post("application/x-www-form-urlencoded", "grant_type=authorization_code&code="+strings.Repeat("x", 100<<10)); st != 400 {
		t.Errorf("a 100 KiB body: %d, want 400 (bodies are limited)", st)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v2/users/me", nil)
	req.Header.Set("Authorization", "Bearer forged")
	resp, _ := http.DefaultClient.Do(req)
	var e map[string]any
	json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.StatusCode != 401 || e["code"] != float64(124) {
		t.Errorf("forged access token: %d %v", resp.StatusCode, e)
	}
}

// zoomClient drives the mock by hand, as a backend's own code would, and keeps the mock's log.
type zoomClient struct {
	t    *testing.T
	s    *mockzoom.Server
	srv  *httptest.Server
	clk  time.Time
	logs []string
}

func newZoom(t *testing.T, configure func(*mockzoom.Server)) *zoomClient {
	z := &zoomClient{t: t, clk: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}
	z.s = &mockzoom.Server{ClientID: "cid", ClientSecret: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"), AutoApprove: true,
		User: mockzoom.User{ID: "u1", Email: "dev@example.com"}, Now: func() time.Time { return z.clk },
		Log: func(f string, a ...any) { z.logs = append(z.logs, fmt.Sprintf(f, a...)) }}
	if configure != nil {
		configure(z.s)
	}
	z.srv = httptest.NewServer(z.s.Handler())
	t.Cleanup(z.srv.Close)
	return z
}

// code authorizes with the given challenge parameters and returns the code, or the JSON the
// authorize page refused with.
func (z *zoomClient) code(q url.Values) (string, map[string]any) {
	z.t.Helper()
	base := url.Values{"response_type": {"code"}, "client_id": {"cid"}, "redirect_uri": {"http://127.0.0.1:1/cb"}, "state": {"s"}}
	for k, v := range q {
		base[k] = v
	}
	c := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(z.srv.URL + "/oauth/authorize?" + base.Encode())
	if err != nil {
		z.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return "", m
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query().Get("code"), nil
}

func (z *zoomClient) token(form url.Values, basic bool) (int, string) {
	z.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, z.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth("cid", string(z.s.ClientSecret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		z.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func exchangeForm(code, verifier string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://127.0.0.1:1/cb"}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	return f
}

// TestZoomFaithfulAnswers: the mock's bodies are Zoom's, byte for byte, and opaque where Zoom's are;
// the real cause is only in the mock's log.
func TestZoomFaithfulAnswers(t *testing.T) {
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" // RFC 7636 Appendix B
	const opaque = `{"reason":"Invalid authorization code","error":"invalid_grant"}`
	s256 := url.Values{"code_challenge": {challenge}, "code_challenge_method": {"S256"}}

	z := newZoom(t, nil) // Zoom as it behaves today
	tests := []struct {
		name    string
		run     func() (int, string)
		body    string
		logHint string
	}{
		{"PKCE mismatch", func() (int, string) {
			code, _ := z.code(s256)
			return z.token(exchangeForm(code, strings.Repeat("a", 43)), true)
		}, opaque, "the verifier gives"},
		{"reused code", func() (int, string) {
			code, _ := z.code(s256)
			z.token(exchangeForm(code, verifier), true)
			return z.token(exchangeForm(code, verifier), true)
		}, opaque, "already redeemed"},
		{"expired code", func() (int, string) {
			code, _ := z.code(s256)
			z.clk = z.clk.Add(mockzoom.CodeLifetime + time.Second)
			return z.token(exchangeForm(code, verifier), true)
		}, opaque, "codes expire after 5m0s"},
		{"S256 challenge sent without its method", func() (int, string) {
			code, _ := z.code(url.Values{"code_challenge": {challenge}})
			return z.token(exchangeForm(code, verifier), true)
		}, opaque, "code_challenge_method none, so plain"},
		{"redirect URI differs at the token step", func() (int, string) {
			code, _ := z.code(s256)
			f := exchangeForm(code, verifier)
			f.Set("redirect_uri", "http://localhost:1/cb")
			return z.token(f, true)
		}, `{"reason":"Invalid request : Redirect URI mismatch.","error":"invalid_request"}`, "the code was issued for"},
		{"wrong client secret", func() (int, string) {
			code, _ := z.code(s256)
			f := exchangeForm(code, verifier)
			f.Set("client_id", "cid")
			f.Set("client_secret", "nope")
			return z.token(f, false)
		}, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`, "client secret in the body"},
		{"spent refresh token", func() (int, string) {
			return z.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"spent"}}, true)
		}, `{"reason":"Invalid Token!","error":"invalid_grant"}`, "spent or was never issued"},
		{"wrong grant type", func() (int, string) {
			return z.token(url.Values{"grant_type": {"password"}}, true)
		}, `{"reason":"unsupported grant type","error":"unsupported_grant_type"}`, `grant_type "password"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z.logs = nil
			status, body := tc.run()
			if status != http.StatusBadRequest || body != tc.body {
				t.Errorf("HTTP %d %s, want 400 %s", status, body, tc.body)
			}
			if log := strings.Join(z.logs, "\n"); !strings.Contains(log, tc.logHint) {
				t.Errorf("the log does not say the real cause (%q):\n%s", tc.logHint, log)
			}
			if strings.Contains(body, "verifier") || strings.Contains(body, "expired") {
				t.Errorf("the body names the cause, which Zoom's does not: %s", body)
			}
		})
	}

	// The authorize page refuses with Zoom's JSON.
	zz := newZoom(t, func(s *mockzoom.Server) { s.RedirectURIs = []string{"http://127.0.0.1:1/cb"} })
	if _, m := zz.code(url.Values{"client_id": {"other"}}); m["errorCode"] != float64(4702) || m["status"] != false {
		t.Errorf("unknown client_id: %v", m)
	}
	if _, m := zz.code(url.Values{"redirect_uri": {"http://localhost:1/cb"}}); m["errorCode"] != float64(4700) || m["errorMessage"] != "Invalid redirect url" {
		t.Errorf("redirect not on the allow list: %v", m)
	}
	if code, m := zz.code(s256); code == "" {
		t.Errorf("a registered redirect: %v", m)
	}
}

// TestPolicies: the per-grant policy, as a real server applies it.
func TestPolicies(t *testing.T) {
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	legacy := pkce.Value(pkce.ZoomLegacy, verifier)
	tests := []struct {
		name   string
		policy mockzoom.Policy
		q      url.Values
		want   string // "ok", "authorize" (refused there) or "token"
	}{
		{"legacy server takes its S256", mockzoom.ModeZoomLegacy.Policy(), url.Values{"code_challenge": {legacy}, "code_challenge_method": {"S256"}}, "ok"},
		{"legacy server refuses the RFC's", mockzoom.ModeZoomLegacy.Policy(), url.Values{"code_challenge": {pkce.Value(pkce.S256, verifier)}, "code_challenge_method": {"S256"}}, "token"},
		{"plain refused", mockzoom.Policy{AllowS256: true, S256: pkce.S256}, url.Values{"code_challenge": {verifier}, "code_challenge_method": {"plain"}}, "authorize"},
		{"absent method is plain", mockzoom.ModeZoom.Policy(), url.Values{"code_challenge": {verifier}}, "ok"},
		{"required", mockzoom.Policy{Require: true, AllowS256: true, S256: pkce.S256}, nil, "authorize"},
		{"not required", mockzoom.ModeZoom.Policy(), nil, "ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.policy
			z := newZoom(t, func(s *mockzoom.Server) { s.Policy = &p })
			code, _ := z.code(tc.q)
			got := "authorize"
			if code != "" {
				got = "token"
				v := verifier
				if tc.q == nil {
					v = ""
				}
				if st, _ := z.token(exchangeForm(code, v), true); st == 200 {
					got = "ok"
				}
			}
			if got != tc.want {
				t.Errorf("got %s, want %s; log:\n%s", got, tc.want, strings.Join(z.logs, "\n"))
			}
		})
	}
}

// TestPublicClient: a public client names itself in the body with no secret, and must use PKCE.
func TestPublicClient(t *testing.T) {
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	z := newZoom(t, func(s *mockzoom.Server) { s.Public, s.ClientSecret = true, nil })
	code, _ := z.code(url.Values{"code_challenge": {pkce.Value(pkce.S256, verifier)}, "code_challenge_method": {"S256"}})
	f := exchangeForm(code, verifier)
	f.Set("client_id", "cid")
	if st, body := z.token(f, false); st != 200 {
		t.Fatalf("public exchange: %d %s", st, body)
	}
	if code, m := z.code(nil); code != "" || m != nil && m["errorCode"] != nil {
		t.Errorf("a public client without a challenge was given a code")
	}
}

// TestLogSaysCodeSpentByFailedPKCE: a code whose first exchange failed the PKCE check is refused
// again, and the log says it was spent by that failure, not "already redeemed".
func TestLogSaysCodeSpentByFailedPKCE(t *testing.T) {
	var log []string
	s := &mockzoom.Server{ClientID: "cid", ClientSecret: []byte("sec"), PKCE: mockzoom.ModeS256, AutoApprove: true,
		Log: func(f string, a ...any) { log = append(log, fmt.Sprintf(f, a...)) }}
	h := s.Handler()
	verifier := strings.Repeat("v", 43)
	q := url.Values{"client_id": {"cid"}, "redirect_uri": {"http://127.0.0.1/cb"}, "response_type": {"code"},
		"code_challenge": {pkce.Value(pkce.S256, verifier)}, "code_challenge_method": {"S256"}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/oauth/authorize?"+q.Encode(), nil))
	loc, _ := url.Parse(rec.Header().Get("Location"))
	exchange := func(v string) int {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1/cb"},
			"code_verifier": {v}, "client_id": {"cid"}, "client_secret": {"sec"}}
		req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if exchange(strings.Repeat("w", 43)) != 400 || exchange(verifier) != 400 {
		t.Fatal("a code spent by a failed exchange was taken")
	}
	all := strings.Join(log, "\n")
	if !strings.Contains(all, "the code was spent by an earlier exchange that failed (its verifier failed the PKCE check)") ||
		strings.Contains(all, "already redeemed") {
		t.Fatalf("%s", all)
	}
}
