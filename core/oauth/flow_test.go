package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/oauth/oauthtest"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

const (
	clientID = "zoomdbgMockClientId001"
	secret   = "Zm0ckS3cretF0rZoomdbgOAuthTest01"
)

// clock is a settable time for the server, so code expiry is tested without waiting.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func startMock(t *testing.T, mode mockzoom.Mode) (*httptest.Server, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}
	s := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(secret), PKCE: mode, AutoApprove: true, Now: clk.now,
		User: mockzoom.User{ID: "MPjq6UmhQWWBP4Yuf-FARg", Email: "dev@example.com", AccountID: "acct1", MeetingID: "m1=="}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, clk
}

func config(srv *httptest.Server, m pkce.Method) oauth.Config {
	return oauth.Config{ClientID: clientID, ClientSecret: []byte(secret), RedirectURI: "http://127.0.0.1:0/callback",
		Method: m}.WithDefaults().ForServer(srv.URL)
}

// authorize runs the first half of the flow as a user would: a listener on loopback, the scripted
// browser following the authorize redirect to it, and the callback checked.
func authorize(t *testing.T, c oauth.Config, verifier string) *oauth.Result {
	t.Helper()
	l, err := oauth.Listen(c.RedirectURI)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c.RedirectURI = l.RedirectURI(c.RedirectURI) // the port actually bound
	a, err := oauth.NewAttempt(c, verifier, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Expect(a.State)
	r := oauth.NewResult(a)
	if _, err := oauth.Follow(context.Background(), nil, a.URL, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cb, err := l.Wait(ctx)
	if !r.TakeCallback(cb, err) {
		t.Fatalf("callback: %s", r.Steps[oauth.StepCallback].Detail)
	}
	return r
}

// TestFlowEveryMode runs every client method against every mock policy. A method the policy does
// not allow is refused at authorize, before any code; a challenge made one way and checked another
// fails at the token step, with Zoom's opaque answer and zoomdbg's explanation.
func TestFlowEveryMode(t *testing.T) {
	const ok, authz, tok = oauth.StepName(""), oauth.StepAuthorize, oauth.StepToken
	tests := []struct {
		mode   mockzoom.Mode
		method pkce.Method
		fails  oauth.StepName
	}{
		{mockzoom.ModeZoom, pkce.S256, ok},
		{mockzoom.ModeZoom, pkce.Plain, ok},
		{mockzoom.ModeZoom, pkce.ZoomLegacy, tok},
		{mockzoom.ModeS256, pkce.S256, ok},
		{mockzoom.ModeS256, pkce.ZoomLegacy, tok},
		{mockzoom.ModeS256, pkce.Plain, authz},
		{mockzoom.ModeS256, pkce.S256Padded, tok},
		{mockzoom.ModeZoomLegacy, pkce.ZoomLegacy, ok},
		{mockzoom.ModeZoomLegacy, pkce.S256, tok},
		{mockzoom.ModePlain, pkce.Plain, ok},
		{mockzoom.ModePlain, pkce.S256, authz},
		{mockzoom.ModeAny, pkce.S256, ok},
		{mockzoom.ModeAny, pkce.ZoomLegacy, ok},
		{mockzoom.ModeAny, pkce.S256Std, ok},
		{mockzoom.ModeOff, pkce.ZoomLegacy, ok},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s server, %s client", tc.mode, tc.method), func(t *testing.T) {
			srv, _ := startMock(t, tc.mode)
			c := config(srv, tc.method)
			c.RedirectURI = oauthtest.FreeLoopbackRedirect(t)
			r := oauthtest.RunFlow(t, c)
			if got := oauthtest.FirstFailed(r); got != tc.fails {
				t.Fatalf("failed at %q, want %q: %+v", got, tc.fails, oauthtest.Steps(r))
			}
			switch tc.fails {
			case tok:
				var se *oauth.ServerError
				_, err := oauth.ParseToken(r.TokenResponse)
				if !errors.As(err, &se) || se.Err != "invalid_grant" || se.Reason != "Invalid authorization code" ||
					!strings.Contains(r.Steps[oauth.StepToken].Detail, "code_verifier does not match") {
					t.Fatalf("refusal: %v", err)
				}
			case ok:
				if r.Me.Email != "dev@example.com" || r.Me.ID != "MPjq6UmhQWWBP4Yuf-FARg" || r.JWT == nil || r.JWT.Claims["uid"] != "MPjq6UmhQWWBP4Yuf-FARg" {
					t.Errorf("users/me %+v, claims %+v", r.Me, r.JWT)
				}
			}
		})
	}
}

func TestVerifierFaults(t *testing.T) {
	srv, _ := startMock(t, mockzoom.ModeS256)
	c := config(srv, pkce.S256)
	for _, tc := range []struct {
		name     string
		verifier string // sent at the token endpoint
	}{
		{"missing", ""},
		{"another verifier", strings.Repeat("a", 43)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := authorize(t, c, "")
			r.Attempt.Verifier = tc.verifier
			if r.Exchange(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepToken].Detail, "invalid_grant") {
				t.Fatalf("exchange with %s verifier: %s", tc.name, r.Steps[oauth.StepToken].Detail)
			}
		})
	}
}

func TestCodeSingleUseAndExpiry(t *testing.T) {
	srv, clk := startMock(t, mockzoom.ModeS256)
	c := config(srv, pkce.S256)
	r := authorize(t, c, "")
	if !r.Exchange(context.Background(), nil) {
		t.Fatal(r.Steps[oauth.StepToken].Detail)
	}
	if r.Exchange(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepToken].Detail, "Invalid authorization code") {
		t.Fatalf("replayed code: %s", r.Steps[oauth.StepToken].Detail)
	}
	r = authorize(t, c, "")
	clk.add(mockzoom.CodeLifetime + time.Second)
	if r.Exchange(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepToken].Detail, "expired") {
		t.Fatalf("expired code: %s", r.Steps[oauth.StepToken].Detail)
	}
}

func TestRefreshRotates(t *testing.T) {
	srv, _ := startMock(t, mockzoom.ModeS256)
	r := authorize(t, config(srv, pkce.S256), "")
	if !r.Exchange(context.Background(), nil) || !r.Refresh(context.Background(), nil) {
		t.Fatalf("%v", r.Steps)
	}
	if r.Refreshed.RefreshToken == r.Token.RefreshToken || !strings.Contains(r.Steps[oauth.StepRefresh].Detail, "rotated (the old") {
		t.Fatal("refresh token did not rotate")
	}
	if !r.FetchMe(context.Background(), nil) {
		t.Fatal("the refreshed access token does not work")
	}
	// The old refresh token is spent.
	if r.Refresh(context.Background(), nil) == false {
		t.Fatal("the new refresh token was refused")
	}
	old := oauth.RefreshRequest(r.Attempt.Config, r.Token.RefreshToken)
	resp, err := oauth.Do(context.Background(), nil, old, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oauth.ParseToken(resp); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("spent refresh token: %v", err)
	}
}

func TestClientAuth(t *testing.T) {
	srv, _ := startMock(t, mockzoom.ModeS256)
	c := config(srv, pkce.S256)
	c.ClientAuth = oauth.AuthBody
	r := authorize(t, c, "")
	if !r.Exchange(context.Background(), nil) {
		t.Fatalf("credentials in the body: %s", r.Steps[oauth.StepToken].Detail)
	}
	c.ClientAuth = oauth.AuthBasic
	c.ClientSecret = []byte("wrong")
	r = authorize(t, c, "")
	if r.Exchange(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepToken].Detail, "invalid_client") {
		t.Fatalf("wrong secret: %s", r.Steps[oauth.StepToken].Detail)
	}
}

// TestStateMismatchRefused: callbacks with another state are refused and counted; the right one is
// still accepted, exactly once.
func TestStateMismatchRefused(t *testing.T) {
	l, err := oauth.Listen("http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.Expect("the-right-state")
	base := "http://" + l.Addr + "/callback"
	var forged atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			resp, err := http.Get(fmt.Sprintf("%s?code=evil%d&state=forged%d", base, i, i))
			if err == nil {
				if resp.StatusCode == http.StatusBadRequest {
					forged.Add(1)
				}
				resp.Body.Close()
			}
		}(i)
	}
	wg.Wait()
	resp, err := http.Get(base + "?code=good&state=the-right-state")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("right callback: %v %v", err, resp)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cb, err := l.Wait(ctx)
	if err != nil || cb.Code != "good" || l.Refused() != 50 || forged.Load() != 50 {
		t.Fatalf("cb %+v err %v refused %d", cb, err, l.Refused())
	}
	resp, _ = http.Get(base + "?code=again&state=the-right-state")
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("a second right callback: %d, want 409", resp.StatusCode)
	}
	resp.Body.Close()
}

func TestParseCallback(t *testing.T) {
	tests := []struct {
		name, url, wantErr string
	}{
		{"ok", "http://127.0.0.1:8765/callback?code=abc&state=s1", ""},
		{"state mismatch", "http://127.0.0.1:8765/callback?code=abc&state=other", "possible CSRF"},
		{"server error", "http://x/cb?error=access_denied&error_description=user+said+no&state=s1", `access_denied: "user said no" — the user or the server declined`},
		{"no code", "http://x/cb?state=s1", "no code"},
		{"fragment", "  http://x/cb#code=abc&state=s1\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb, err := oauth.ParseCallback(tc.url, "s1")
			if tc.wantErr == "" {
				if err != nil || cb.Code != "abc" {
					t.Fatalf("cb %+v err %v", cb, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	base := oauth.Config{ClientID: "id", ClientSecret: []byte("s")}.WithDefaults()
	tests := []struct {
		name    string
		mod     func(*oauth.Config)
		wantErr string
	}{
		{"zoom defaults", func(*oauth.Config) {}, ""},
		{"loopback http", func(c *oauth.Config) { *c = c.ForServer("http://127.0.0.1:9999") }, ""},
		{"remote http", func(c *oauth.Config) { c.TokenURL = "http://example.com/oauth/token" }, "HTTPS is required"},
		{"public client, no secret", func(c *oauth.Config) { c.ClientSecret = nil }, ""},
		{"no client ID", func(c *oauth.Config) { c.ClientID = "" }, "no client ID"},
		{"bad method", func(c *oauth.Config) { c.Method = "S512" }, "challenge method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.mod(&c)
			err := c.Validate()
			if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestRequestMasksSecret(t *testing.T) {
	c := oauth.Config{ClientID: "id", ClientSecret: []byte("s3cr3t+/="), ClientAuth: oauth.AuthBody}.WithDefaults()
	r := oauth.ExchangeRequest(c, "code1", "verifier1")
	for _, s := range []string{r.Text(false), r.Curl(false)} {
		if strings.Contains(s, "s3cr3t") {
			t.Fatalf("secret shown:\n%s", s)
		}
	}
	if !strings.Contains(r.Curl(true), "s3cr3t") {
		t.Error("a confirmed copy of the request (reveal) does not hold the secret")
	}
	c.ClientAuth = oauth.AuthBasic
	r = oauth.ExchangeRequest(c, "code1", "verifier1")
	if text := r.Text(false); strings.Contains(text, "czNjcjN0") || !strings.Contains(text, "Basic ••••••••") ||
		!strings.Contains(text, "code_verifier=verifier1") {
		t.Fatalf("basic auth not masked:\n%s", text)
	}
}

// TestNetworkFaults: each failure of the token endpoint gives a clear message and returns in time.
func TestNetworkFaults(t *testing.T) {
	c := oauth.Config{ClientID: "id", ClientSecret: []byte("s")}.WithDefaults()
	handlers := map[string]struct {
		h    http.HandlerFunc
		want string
	}{
		"500 html":  {func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500); w.Write([]byte("<html>oops</html>")) }, "not an OAuth error"},
		"truncated": {func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"access_token":"abcdefghijklmnop`)) }, "not a JSON object"},
		"slow":      {func(w http.ResponseWriter, r *http.Request) { time.Sleep(2 * time.Second) }, "did not answer within"},
		"redirect":  {func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "https://evil.example/x", 302) }, "redirected"},
	}
	for name, tc := range handlers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			cc := c.ForServer(srv.URL)
			t0 := time.Now()
			resp, err := oauth.Do(context.Background(), nil, oauth.ExchangeRequest(cc, "x", "y"), 300*time.Millisecond)
			if err == nil {
				_, err = oauth.ParseToken(resp)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || time.Since(t0) > 1500*time.Millisecond {
				t.Fatalf("err %v after %v, want %q", err, time.Since(t0), tc.want)
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close() // nothing listens there now
		_, err := oauth.Do(context.Background(), nil, oauth.ExchangeRequest(c.ForServer(srv.URL), "x", "y"), time.Second)
		if err == nil || !strings.Contains(err.Error(), "cannot connect") {
			t.Fatalf("err %v", err)
		}
	})
}

func TestDecodeJWT(t *testing.T) {
	if _, err := oauth.DecodeJWT("abc"); err == nil || !strings.Contains(err.Error(), "a JWT has 3") {
		t.Errorf("err %v", err)
	}
	j, err := oauth.DecodeJWT("eyJhbGciOiJIUzUxMiJ9.eyJ1aWQiOiJ1MSIsImV4cCI6MTc5NTE3MDYwMH0.sig")
	if err != nil || j.Claims["uid"] != "u1" || j.Header["alg"] != "HS512" {
		t.Fatalf("%+v %v", j, err)
	}
	if exp, ok := j.TimeClaim("exp"); !ok || exp.Year() != 2026 {
		t.Errorf("exp %v", exp)
	}
}

// TestTolerantTokenResponse: a 200 with unexpected types is read and explained, and no token
// is ever shown whole in what is printed of it.
func TestTolerantTokenResponse(t *testing.T) {
	const at, rt = "opaque-access-token-0123456789", "opaque-refresh-token-0123456789"
	tests := []struct {
		name, body string
		expires    int
		note       string
		wantErr    string
	}{
		{"string expires_in", `{"access_token":"` + at + `","token_type":"Bearer","expires_in":"3599"}`, 3599, `sent as the string "3599"`, ""},
		{"no expires_in", `{"access_token":"` + at + `","token_type":"Bearer"}`, 0, "no expires_in", ""},
		{"no token_type", `{"access_token":"` + at + `","expires_in":60}`, 60, "no token_type", ""},
		{"numeric access_token", `{"access_token":12345,"refresh_token":"` + rt + `"}`, 0, "", "access_token is a JSON number"},
		{"truncated", `{"refresh_token":"` + rt[:20], 0, "", "not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := oauth.ParseToken(&oauth.Response{Status: 200, Body: []byte(tc.body)})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), rt[:16]) {
					t.Errorf("the refresh token is in the error: %v", err)
				}
				return
			}
			if err != nil || tok.ExpiresIn != tc.expires || !strings.Contains(strings.Join(tok.Notes, "; "), tc.note) {
				t.Fatalf("token %+v err %v", tok, err)
			}
		})
	}
	masked := oauth.MaskTokens(`{"access_token":"` + at + `","refresh_token":"` + rt + `","id_token":"eyJhbGciOi.x.y"}`)
	if strings.Contains(masked, at) || strings.Contains(masked, rt) || !strings.Contains(masked, `"opaque-a…(masked)"`) {
		t.Errorf("MaskTokens: %s", masked)
	}
}

// TestBasicCredentialsFormEncoded: RFC 6749 §2.3.1 form-encodes the client ID and secret before
// Basic; the mock decodes them the same way, so a secret with + / % & : works.
func TestBasicCredentialsFormEncoded(t *testing.T) {
	const special = "s+/%&:=cret"
	if got := oauth.BasicCredentials("id", special); got != "aWQ6cyUyQiUyRiUyNSUyNiUzQSUzRGNyZXQ=" {
		t.Errorf("BasicCredentials = %s", got)
	}
	s := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(special), PKCE: mockzoom.ModeS256, AutoApprove: true,
		User: mockzoom.User{ID: "u", Email: "e@example.com"}}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, auth := range []oauth.ClientAuth{oauth.AuthBasic, oauth.AuthBody} {
		c := config(srv, pkce.S256)
		c.ClientSecret, c.ClientAuth = []byte(special), auth
		r := authorize(t, c, "")
		if !r.Exchange(context.Background(), nil) {
			t.Errorf("%s: %s", auth, r.Steps[oauth.StepToken].Detail)
		}
	}
}

// TestCallbackIssuer: an RFC 9207 iss on the callback is checked against the server the request
// went to.
func TestCallbackIssuer(t *testing.T) {
	a, err := oauth.NewAttempt(oauth.Config{ClientID: "c", AuthorizeURL: "https://auth.example.com/authorize"}.WithDefaults(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for iss, ok := range map[string]bool{"": true, "https://auth.example.com": true, "https://evil.example.net": false} {
		r := oauth.NewResult(a)
		cb, err := oauth.ParseCallback("http://127.0.0.1/cb?code=x&state="+a.State+"&iss="+iss, a.State)
		if got := r.TakeCallback(cb, err); got != ok {
			t.Errorf("iss %q: callback ok=%v, want %v: %s", iss, got, ok, r.Steps[oauth.StepCallback].Detail)
		}
	}
	r := oauth.NewResult(a)
	cb, err := oauth.ParseCallback("http://127.0.0.1/cb?error=access_denied&error_description=no&state="+a.State, a.State)
	if r.TakeCallback(cb, err) || r.Steps[oauth.StepAuthorize].OK || r.Steps[oauth.StepCallback].Done {
		t.Errorf("an error= callback belongs to the authorize step: %+v %+v", r.Steps[oauth.StepAuthorize], r.Steps[oauth.StepCallback])
	}
}

// TestWhyInvalidGrant: from what the client holds, zoomdbg reads Zoom's opaque invalid_grant.
func TestWhyInvalidGrant(t *testing.T) {
	t.Run("legacy challenge, RFC server", func(t *testing.T) {
		srv, _ := startMock(t, mockzoom.ModeZoom)
		r := authorize(t, config(srv, pkce.ZoomLegacy), "")
		if r.Exchange(context.Background(), nil) {
			t.Fatal("a legacy challenge passed an RFC server")
		}
		c := r.Steps[oauth.StepToken].Causes
		if len(c) == 0 || !strings.Contains(c[0], "made with zoom-legacy but sent as code_challenge_method=S256") ||
			!strings.Contains(c[0], pkce.Value(pkce.S256, r.Attempt.Verifier)) {
			t.Fatalf("causes %q", c)
		}
	})
	t.Run("S256 challenge, legacy server", func(t *testing.T) {
		srv, _ := startMock(t, mockzoom.ModeZoomLegacy)
		r := authorize(t, config(srv, pkce.S256), "")
		r.Exchange(context.Background(), nil)
		if c := r.Steps[oauth.StepToken].Causes; len(c) == 0 || !strings.Contains(c[0], "legacy method") {
			t.Fatalf("causes %q", c)
		}
	})
	t.Run("reused code", func(t *testing.T) {
		srv, _ := startMock(t, mockzoom.ModeS256)
		r := authorize(t, config(srv, pkce.S256), "")
		r.Exchange(context.Background(), nil)
		if r.Exchange(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepToken].Causes[0], "already redeemed in this run") {
			t.Fatalf("causes %q", r.Steps[oauth.StepToken].Causes)
		}
	})
	t.Run("expired code", func(t *testing.T) {
		srv, clk := startMock(t, mockzoom.ModeS256)
		r := authorize(t, config(srv, pkce.S256), "")
		clk.add(6 * time.Minute)
		r.Now = func() time.Time { return time.Now().Add(6 * time.Minute) }
		if r.Exchange(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepToken].Causes[0], "old when it was exchanged") {
			t.Fatalf("causes %q", r.Steps[oauth.StepToken].Causes)
		}
	})
	t.Run("redirect differs", func(t *testing.T) {
		srv, _ := startMock(t, mockzoom.ModeS256)
		r := authorize(t, config(srv, pkce.S256), "")
		r.Attempt.Config.RedirectURI = "http://localhost:1/elsewhere"
		if r.Exchange(context.Background(), nil) || !strings.Contains(strings.Join(r.Steps[oauth.StepToken].Causes, " "), "must equal the authorize request's") {
			t.Fatalf("detail %s causes %q", r.Steps[oauth.StepToken].Detail, r.Steps[oauth.StepToken].Causes)
		}
	})
	t.Run("spent refresh token", func(t *testing.T) {
		srv, _ := startMock(t, mockzoom.ModeS256)
		r := authorize(t, config(srv, pkce.S256), "")
		r.Exchange(context.Background(), nil)
		r.Refresh(context.Background(), nil)
		r.Refreshed.RefreshToken = r.Token.RefreshToken // as a backend that kept the old one would
		if r.Refresh(context.Background(), nil) || !strings.Contains(r.Steps[oauth.StepRefresh].Causes[0], "already used") {
			t.Fatalf("causes %q", r.Steps[oauth.StepRefresh].Causes)
		}
	})
}

// TestZoomAuthorizePageErrors: the mock's authorize page refuses as Zoom's does, and the client
// explains the documented codes on the authorize step.
func TestZoomAuthorizePageErrors(t *testing.T) {
	s := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(secret), AutoApprove: true,
		RedirectURIs: []string{"http://127.0.0.1:9/callback"}, User: mockzoom.User{ID: "u"}}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		mod  func(*oauth.Config)
		want []string
	}{
		{func(c *oauth.Config) { c.RedirectURI = "http://localhost:9/callback" }, []string{"Zoom error 4700", `"Invalid redirect url"`, "localhost and 127.0.0.1"}},
		{func(c *oauth.Config) { c.ClientID = "other" }, []string{"Zoom error 4702", "Invalid client_id: other", "other environment"}},
	} {
		c := config(srv, pkce.S256)
		tc.mod(&c)
		r := oauth.RunFollowed(context.Background(), c, true)
		d := r.Steps[oauth.StepAuthorize].Detail
		if r.FailedStep() != oauth.StepAuthorize {
			t.Errorf("failed at %q: %+v", r.FailedStep(), oauthtest.Steps(r))
		}
		for _, w := range tc.want {
			if !strings.Contains(d, w) {
				t.Errorf("authorize detail lacks %q: %s", w, d)
			}
		}
	}
}

// TestPublicClientAgainstMock: mock-oauth --public and a client with no secret complete the flow
// with PKCE alone.
func TestPublicClientAgainstMock(t *testing.T) {
	s := &mockzoom.Server{ClientID: clientID, Public: true, AutoApprove: true, User: mockzoom.User{ID: "u", Email: "e@example.com"}}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	c := config(srv, pkce.S256)
	c.ClientSecret = nil
	r := oauth.RunFollowed(context.Background(), c, true)
	if !r.Completed() || r.TokenRequest.Header.Get("Authorization") != "" {
		t.Fatalf("%+v", oauthtest.Steps(r))
	}
}
