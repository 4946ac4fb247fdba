package oauth_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/oauth/oauthtest"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// hostileSecret holds what each encoding changes: '+', '/', '%', '&', ':', '=', a space.
const hostileSecret = "s3cr+t/%&:= x"

// withToken serves the mock, with its token endpoint replaced by h.
func withToken(t *testing.T, sec string, h http.HandlerFunc) oauth.Config {
	t.Helper()
	mock := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(sec), PKCE: mockzoom.ModeS256, AutoApprove: true,
		User: mockzoom.User{ID: "u1", Email: "e@example.com", AccountID: "a1"}}
	mux := http.NewServeMux()
	mux.Handle("/", mock.Handler())
	if h != nil {
		mux.HandleFunc("POST /oauth/token", h)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := config(srv, pkce.S256)
	c.ClientSecret = []byte(sec)
	return c
}

// TestSecretRedactedInEveryForm: a token endpoint that echoes the request back, in every form the
// secret can take, in its error and in a 200; nothing zoomdbg shows holds any of them.
func TestSecretRedactedInEveryForm(t *testing.T) {
	echo, hidden := checkForms()
	forms := func(r *http.Request) []string {
		body, _ := io.ReadAll(r.Body)
		id, sec, _ := r.BasicAuth()
		raw := base64.StdEncoding.EncodeToString([]byte(clientID + ":" + hostileSecret))
		j, _ := json.Marshal(hostileSecret)
		return append([]string{string(body), r.Header.Get("Authorization"), id + ":" + sec, raw, hostileSecret, url.QueryEscape(hostileSecret),
			url.PathEscape(hostileSecret), strings.Trim(string(j), `"`), base64.StdEncoding.EncodeToString([]byte(hostileSecret))},
			echo...)
	}
	for _, auth := range []oauth.ClientAuth{oauth.AuthBasic, oauth.AuthBody} {
		for _, status := range []int{400, 200} {
			t.Run(fmt.Sprintf("%s/%d", auth, status), func(t *testing.T) {
				c := withToken(t, hostileSecret, func(w http.ResponseWriter, r *http.Request) {
					echo := strings.Join(forms(r), " | ")
					w.WriteHeader(status)
					if status == 200 {
						json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + strings.Repeat("a", 20), "token_type": "bearer",
							"expires_in": 3600, "echo": echo})
						return
					}
					json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "error_description": echo})
				})
				c.ClientAuth = auth
				r := oauth.RunFollowed(context.Background(), c, true)
				shown := r.TokenBody(true) + r.TokenBody(false) + r.TokenRequest.Text(false) + r.TokenRequest.Curl(false)
				for _, s := range r.Steps {
					shown += s.Detail + strings.Join(s.Causes, " ")
				}
				for _, f := range []string{hostileSecret, url.QueryEscape(hostileSecret), url.PathEscape(hostileSecret),
					oauth.BasicCredentials(clientID, hostileSecret), base64.StdEncoding.EncodeToString([]byte(clientID + ":" + hostileSecret)),
					base64.StdEncoding.EncodeToString([]byte(hostileSecret))} {
					if strings.Contains(shown, f) {
						t.Fatalf("the secret is shown as %q:\n%s", f, shown)
					}
				}
				for _, f := range hidden {
					if strings.Contains(shown, f) {
						t.Fatalf("the secret is shown as %q:\n%s", f, shown)
					}
				}
				if !strings.Contains(shown, "••••••••") {
					t.Fatalf("nothing was masked, so the echo did not arrive:\n%s", shown)
				}
			})
		}
	}
}

// checkForms are forms of hostileSecret that check's redactor knew and oauth's did not, before
// both became core/redact: hex, the key SHA-256(secret) in hex, base64 starting one byte into a
// longer value, and PHP's json_encode escaping '/'. echo is what the server sends; shown must
// then not be shown.
func checkForms() (echo, shown []string) {
	key := sha256.Sum256([]byte(hostileSecret))
	b64 := base64.StdEncoding.EncodeToString([]byte("x" + hostileSecret))
	php := strings.ReplaceAll(hostileSecret, "/", `\/`)
	echo = []string{hex.EncodeToString([]byte(hostileSecret)), hex.EncodeToString(key[:]), b64, php}
	shown = []string{echo[0], echo[1], b64[2:18], php}
	return echo, shown
}

// TestServerTextCapped: a megabyte of error_description is shown as its start and its length.
func TestServerTextCapped(t *testing.T) {
	big := strings.Repeat("x", 1<<20-100)
	c := withToken(t, secret, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": big})
	})
	r := oauth.RunFollowed(context.Background(), c, true)
	d := r.Steps[oauth.StepToken].Detail
	if len(d) > 2000 || !strings.Contains(d, fmt.Sprintf("(cut: %d bytes in all)", len(big))) {
		t.Fatalf("%d bytes: %.300s", len(d), d)
	}
	if b := r.TokenBody(false); len(b) > 5000 || !strings.Contains(b, "bytes in all") {
		t.Fatalf("token body shown: %d bytes", len(b))
	}
}

// TestRedirectNotToRedirectURI: an authorize endpoint that sends the browser elsewhere is named at
// once, not waited on.
func TestRedirectNotToRedirectURI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login?next=x", http.StatusFound)
	}))
	defer srv.Close()
	c := oauth.Config{ClientID: "c", ClientSecret: []byte("s"), RedirectURI: "http://127.0.0.1:0/callback"}.WithDefaults().ForServer(srv.URL)
	t0 := time.Now()
	r := oauth.RunFollowed(context.Background(), c, false)
	d := r.Steps[oauth.StepAuthorize].Detail
	if r.FailedStep() != oauth.StepAuthorize || !strings.Contains(d, srv.URL+"/login") || !strings.Contains(d, "not to http://127.0.0.1:") ||
		time.Since(t0) > 2*time.Second {
		t.Fatalf("after %v: %s", time.Since(t0), d)
	}
}

// TestNetworkFailuresInWords: EOF, a reset, a body that stops mid-way, nothing listening.
func TestNetworkFailuresInWords(t *testing.T) {
	raw := func(t *testing.T, serve func(net.Conn)) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
					io.Copy(io.Discard, req.Body) // read whole, so that a close is a FIN, not a reset
				}
				serve(c)
			}
		}()
		return "http://" + ln.Addr().String()
	}
	tests := map[string]struct {
		serve func(net.Conn)
		want  string
	}{
		"closed": {func(c net.Conn) { c.Close() }, "closed the connection without answering (EOF)"},
		"reset": {func(c net.Conn) {
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}, "reset the connection"},
		"drips": {func(c net.Conn) {
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"access_")
			time.Sleep(time.Second)
			c.Close()
		}, "did not finish sending its body within 300ms (9 bytes came)"},
		"cut": {func(c net.Conn) {
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"access_")
			c.Close()
		}, "closed the connection after 9 bytes, before the end of the body"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			base := raw(t, tc.serve)
			c := oauth.Config{ClientID: "id", ClientSecret: []byte("s")}.WithDefaults().ForServer(base)
			_, err := oauth.Do(context.Background(), nil, oauth.ExchangeRequest(c, "x", "y"), 300*time.Millisecond)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		c := oauth.Config{ClientID: "id"}.WithDefaults().ForServer("http://" + addr)
		_, err := oauth.Do(context.Background(), nil, oauth.ExchangeRequest(c, "x", "y"), time.Second)
		if err == nil || !strings.Contains(err.Error(), "connection refused, nothing listens there") {
			t.Fatalf("err %v", err)
		}
	})
}

// TestAccessTokenWithControls: a token holding a control character is named, not sent.
func TestAccessTokenWithControls(t *testing.T) {
	c := withToken(t, secret, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"access_token": "abc\x01def\nghi", "token_type": "bearer", "expires_in": 60})
	})
	r := oauth.RunFollowed(context.Background(), c, true)
	d := r.Steps[oauth.StepMe].Detail
	if r.FailedStep() != oauth.StepMe || !strings.Contains(d, "byte 0x01 at offset 3") || strings.Contains(d, "invalid header field") {
		t.Fatalf("%+v", oauthtest.Steps(r))
	}
}

// TestBusyCallbackPort: a port another program holds is said with the fix.
func TestBusyCallbackPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = oauth.Listen("http://" + ln.Addr().String() + "/callback")
	if !errors.Is(err, oauth.ErrPortBusy) || !strings.Contains(err.Error(), "--callback-port") || !strings.Contains(err.Error(), "stop that run") {
		t.Fatalf("%v", err)
	}
}

// TestIssuer: iss held to the issuer as RFC 9207 says, an issuer with a path accepted, a trailing
// slash named, and iss checked on error responses too.
func TestIssuer(t *testing.T) {
	attempt := func(c oauth.Config) *oauth.Attempt {
		a, err := oauth.NewAttempt(c.WithDefaults(), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	path := oauth.Config{ClientID: "c", AuthorizeURL: "http://127.0.0.1:9/oidc/auth"}
	named := path
	named.Issuer = "http://127.0.0.1:9/oidc"
	tests := []struct {
		name   string
		c      oauth.Config
		query  string
		ok     bool
		detail string
	}{
		{"path issuer, unnamed", path, "code=x&iss=http://127.0.0.1:9/oidc", true, "an issuer with a path on the authorize endpoint's origin"},
		{"path issuer, named", named, "code=x&iss=http://127.0.0.1:9/oidc", true, "iss is the issuer http://127.0.0.1:9/oidc"},
		{"trailing slash", named, "code=x&iss=http://127.0.0.1:9/oidc/", false, "differ only by a trailing slash"},
		{"other origin", path, "code=x&iss=http://evil.example", false, "mix-up"},
		{"other path, named", named, "code=x&iss=http://127.0.0.1:9/other", false, "mix-up"},
		{"error from another issuer", named, "error=access_denied&iss=http://evil.example", false, "whose iss is not this server's"},
		{"error from this issuer", named, "error=access_denied&iss=http://127.0.0.1:9/oidc", false, "access_denied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := attempt(tc.c)
			r := oauth.NewResult(a)
			cb, err := oauth.ParseCallback("http://127.0.0.1/cb?"+tc.query+"&state="+a.State, a.State)
			ok := r.TakeCallback(cb, err)
			d := r.Steps[oauth.StepCallback].Detail + r.Steps[oauth.StepAuthorize].Detail
			if ok != tc.ok || !strings.Contains(d, tc.detail) {
				t.Fatalf("ok=%v: %s", ok, d)
			}
			if tc.name == "error from this issuer" && strings.Contains(d, "not this server's") {
				t.Fatalf("%s", d)
			}
		})
	}
}

// TestDiscovery: RFC 8414's path insertion, OpenID's appending, the issuer compared exactly.
func TestDiscovery(t *testing.T) {
	urls, err := oauth.MetadataURLs("https://auth.example.com/tenant/a/")
	want := []string{"https://auth.example.com/.well-known/oauth-authorization-server/tenant/a",
		"https://auth.example.com/tenant/a/.well-known/openid-configuration",
		"https://auth.example.com/.well-known/openid-configuration/tenant/a"}
	if err != nil || strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Fatalf("%v %q", err, urls)
	}
	if urls, _ := oauth.MetadataURLs("https://auth.example.com"); len(urls) != 2 || urls[0] != "https://auth.example.com/.well-known/oauth-authorization-server" {
		t.Fatalf("%q", urls)
	}
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("/oidc/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": base + "/oidc", "authorization_endpoint": base + "/oidc/auth",
			"token_endpoint": base + "/oidc/token", "userinfo_endpoint": base + "/oidc/me", "code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("/slash/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": base + "/slash/", "authorization_endpoint": "x", "token_endpoint": "y"})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base = srv.URL
	m, err := oauth.Discover(context.Background(), nil, base+"/oidc", time.Second)
	if err != nil || m.URL != base+"/oidc/.well-known/openid-configuration" || m.TokenEndpoint != base+"/oidc/token" {
		t.Fatalf("%v %+v", err, m)
	}
	c := oauth.Config{ClientID: "c"}.FromMetadata(m).WithDefaults()
	if c.AuthorizeURL != base+"/oidc/auth" || c.Issuer != base+"/oidc" || c.MeURL != base+"/oidc/me" || c.Advertised()[0] != "S256" {
		t.Fatalf("%+v", c)
	}
	if _, err := oauth.Discover(context.Background(), nil, base+"/slash", time.Second); err == nil || !strings.Contains(err.Error(), "differ only by a trailing slash") {
		t.Fatalf("slash: %v", err)
	}
	_, err = oauth.Discover(context.Background(), nil, base+"/none", time.Second)
	var de *oauth.DiscoveryError
	if !errors.As(err, &de) || len(de.Tried) != 3 || !strings.Contains(de.Tried[0], "oauth-authorization-server/none: HTTP 404") {
		t.Fatalf("%v", err)
	}
}

// rawBasicServer does not URL-decode Basic credentials (RFC 6749 §2.3.1 says it must): a secret
// with special characters is refused over Basic and taken in the body.
func rawBasicServer(sec string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				if _, s, ok := r.BasicAuth(); ok && s != sec {
					w.WriteHeader(401)
					w.Write([]byte(`{"error":"invalid_client","error_description":"client authentication failed"}`))
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TestCredentials: several secrets tried in turn and named; the other encoding tried as a
// diagnosis; a public client.
func TestCredentials(t *testing.T) {
	start := func(t *testing.T, sec string, wrap func(http.Handler) http.Handler, public bool) oauth.Config {
		mock := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(sec), PKCE: mockzoom.ModeS256, AutoApprove: true, Public: public,
			User: mockzoom.User{ID: "u1", Email: "e@example.com", AccountID: "a1"}}
		h := mock.Handler()
		if wrap != nil {
			h = wrap(h)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return config(srv, pkce.S256)
	}
	t.Run("second secret", func(t *testing.T) {
		c := start(t, secret, nil, false)
		c.ClientSecret, c.SecretLabel = []byte("old-secret-value"), "dev.txt"
		c.OtherSecrets = []oauth.NamedSecret{{Label: "staging.txt", Value: []byte("nope-nope")}, {Label: "prod.txt", Value: []byte(secret)}}
		r := oauth.RunFollowed(context.Background(), c, true)
		d := r.Steps[oauth.StepToken].Detail
		if r.FailedStep() != "" || !strings.Contains(d, "authenticated with the secret prod.txt (dev.txt, staging.txt refused with invalid_client)") {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})
	t.Run("other encoding", func(t *testing.T) {
		c := start(t, hostileSecret, rawBasicServer(hostileSecret), false)
		c.ClientSecret, c.SecretLabel = []byte(hostileSecret), "prod.txt"
		r := oauth.RunFollowed(context.Background(), c, true)
		causes := r.Steps[oauth.StepToken].Causes
		if r.FailedStep() != oauth.StepToken || len(causes) == 0 ||
			!strings.Contains(causes[0], "refuses the secret prod.txt sent as client_secret_basic (basic) and takes it sent as client_secret_post (body): use --client-auth body") {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})
	t.Run("public", func(t *testing.T) {
		c := start(t, "", nil, true)
		c.ClientSecret, c.ClientAuth = []byte("a secret at hand"), oauth.AuthNone
		r := oauth.RunFollowed(context.Background(), c, true)
		if r.FailedStep() != "" || r.TokenRequest.Header.Get("Authorization") != "" || r.TokenRequest.Form.Has("client_secret") {
			t.Fatalf("%+v\n%s", oauthtest.Steps(r), r.TokenRequest.Text(false))
		}
	})
}

// TestScopeDropped: a granted scope without offline_access is named, with prompt=consent as the fix.
func TestScopeDropped(t *testing.T) {
	c := withToken(t, secret, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"access_token": "opaque-token-1234567", "token_type": "Bearer", "expires_in": 60,
			"scope": "openid user:read"})
	})
	c.Scopes = []string{"openid", "user:read", "offline_access"}
	r := oauth.RunFollowed(context.Background(), c, true)
	d := r.Steps[oauth.StepToken].Detail
	if !strings.Contains(d, `dropped offline_access from the scope asked for (granted "openid user:read")`) || !strings.Contains(d, "--prompt consent") ||
		!strings.Contains(r.Steps[oauth.StepRefresh].Detail, "offline_access was asked for and not granted") {
		t.Fatalf("%+v", oauthtest.Steps(r))
	}
	c.Prompt = "consent"
	if a, _ := oauth.NewAttempt(c, "", nil); !strings.Contains(a.URL, "prompt=consent") {
		t.Fatalf("%s", a.URL)
	}
}

// TestAuthorizeRefusalDiagnosed: a refusal at authorize names what zoomdbg knows of the challenge.
func TestAuthorizeRefusalDiagnosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?error=invalid_request&error_description=code_challenge+contains+invalid+characters&state="+
			q.Get("state"), http.StatusFound)
	}))
	defer srv.Close()
	for _, m := range []pkce.Method{pkce.S256Std, pkce.ZoomLegacy, pkce.Plain} {
		c := oauth.Config{ClientID: "c", ClientSecret: []byte("s"), RedirectURI: "http://127.0.0.1:0/callback", Method: m}.WithDefaults().ForServer(srv.URL)
		r := oauth.RunFollowed(context.Background(), c, false)
		causes := strings.Join(r.Steps[oauth.StepAuthorize].Causes, " ")
		want := "breaks RFC 7636 §4.2's grammar"
		if m == pkce.Plain {
			want = "code_challenge_method plain is optional"
		}
		if r.FailedStep() != oauth.StepAuthorize || !strings.Contains(causes, want) {
			t.Errorf("%s: %+v", m, oauthtest.Steps(r))
		}
	}
}

// TestMockStaysBounded runs many flows' worth of codes and tokens through the mock while its
// clock moves: what it holds stays under its bound, and drains as codes and tokens expire.
func TestMockStaysBounded(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}
	mock := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(secret), PKCE: mockzoom.ModeS256, AutoApprove: true, Now: clk.now, MaxLive: 200}
	srv := httptest.NewServer(mock.Handler())
	defer srv.Close()
	c := config(srv, pkce.S256)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range 1200 {
		a, err := oauth.NewAttempt(c, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Get(a.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		tr, err := oauth.Do(context.Background(), nil, oauth.ExchangeRequest(c, loc.Query().Get("code"), a.Verifier), 5*time.Second)
		if err != nil || tr.Status != 200 {
			t.Fatalf("flow %d: %v %v", i, err, tr)
		}
		clk.add(50 * time.Millisecond)
		if codes, access, refresh := mock.Live(); codes > 200 || access > 200 || refresh > 200 {
			t.Fatalf("flow %d: %d codes, %d access, %d refresh held", i, codes, access, refresh)
		}
	}
	clk.add(2 * time.Hour)
	if codes, access, refresh := mock.Live(); codes != 0 || access != 0 || refresh != 200 {
		t.Fatalf("after two hours: %d codes, %d access tokens (want 0), %d refresh tokens (want 200, they live 90 days)", codes, access, refresh)
	}
}

// TestTokenInvalidRequestAboutPKCE: a token endpoint that refuses the verifier with
// invalid_request (as some servers do for a malformed one) gets the same PKCE reading.
func TestTokenInvalidRequestAboutPKCE(t *testing.T) {
	c := withToken(t, secret, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"error":"invalid_request","error_description":"code_verifier does not match code_challenge"}`))
	})
	c.Method = pkce.S256Std
	r := oauth.RunFollowed(context.Background(), c, false)
	causes := r.Steps[oauth.StepToken].Causes
	if r.FailedStep() != oauth.StepToken || len(causes) == 0 || !strings.Contains(causes[0], "the challenge was made with S256-std but sent as code_challenge_method=S256") {
		t.Fatalf("%+v", oauthtest.Steps(r))
	}
}
