package oauth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"
	"golang.org/x/crypto/bcrypt"

	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/oauth/oauthtest"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// The flow is tested against ory/fosite, the OAuth 2.0 framework behind Ory Hydra, which nobody
// here wrote: PKCE enforced, S256 only, refresh tokens only for the offline scope, opaque access
// tokens, RFC 6749's error bodies and the client authentication method each client registered.

// A secret holding the characters RFC 6749 §2.3.1's form-encoding exists for.
const fositeSecret = "s3cret+/%&:=x"

type fositeServer struct {
	*httptest.Server
	provider fosite.OAuth2Provider
}

func startFosite(t *testing.T, redirect string) *fositeServer {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(fositeSecret), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	st := storage.NewMemoryStore()
	client := func(id, auth string, public bool) *fosite.DefaultOpenIDConnectClient {
		c := &fosite.DefaultOpenIDConnectClient{
			DefaultClient: &fosite.DefaultClient{ID: id, Secret: hash, RedirectURIs: []string{redirect}, Public: public,
				ResponseTypes: []string{"code"}, GrantTypes: []string{"authorization_code", "refresh_token"},
				Scopes: []string{"user:read", "offline"}},
			TokenEndpointAuthMethod: auth,
		}
		if public {
			c.Secret = nil
		}
		return c
	}
	st.Clients["basic-client"] = client("basic-client", "client_secret_basic", false)
	st.Clients["post-client"] = client("post-client", "client_secret_post", false)
	st.Clients["public-client"] = client("public-client", "none", true)
	cfg := &fosite.Config{AccessTokenLifespan: time.Hour, GlobalSecret: []byte("a-32-byte-secret-for-hmac-tokens"),
		EnforcePKCE: true, EnablePKCEPlainChallengeMethod: false}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := compose.ComposeAllEnabled(cfg, st, key)
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/auth", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ar, err := p.NewAuthorizeRequest(ctx, r)
		if err != nil {
			p.WriteAuthorizeError(ctx, w, ar, err)
			return
		}
		for _, s := range ar.GetRequestedScopes() { // the user approves at once
			ar.GrantScope(s)
		}
		resp, err := p.NewAuthorizeResponse(ctx, ar, &fosite.DefaultSession{Subject: "user-1"})
		if err != nil {
			p.WriteAuthorizeError(ctx, w, ar, err)
			return
		}
		p.WriteAuthorizeResponse(ctx, w, ar, resp)
	})
	mux.HandleFunc("/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ar, err := p.NewAccessRequest(ctx, r, &fosite.DefaultSession{})
		if err != nil {
			p.WriteAccessError(ctx, w, ar, err)
			return
		}
		resp, err := p.NewAccessResponse(ctx, ar)
		if err != nil {
			p.WriteAccessError(ctx, w, ar, err)
			return
		}
		p.WriteAccessResponse(ctx, w, ar, resp)
	})
	// A users/me of the shape zoomdbg reads, answering for fosite's own access tokens.
	mux.HandleFunc("/api/users/me", func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		_, ar, err := p.IntrospectToken(r.Context(), tok, fosite.AccessToken, &fosite.DefaultSession{})
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_token", "error_description": err.Error()})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": ar.GetSession().GetSubject(), "email": "user-1@example.com", "account_id": "acct"})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fositeServer{Server: srv, provider: p}
}

func fositeConfig(srv *fositeServer, redirect, client string, auth oauth.ClientAuth, m pkce.Method, scopes ...string) oauth.Config {
	c := oauth.Config{ClientID: client, ClientSecret: []byte(fositeSecret), RedirectURI: redirect, Method: m, ClientAuth: auth,
		AuthorizeURL: srv.URL + "/oauth2/auth", TokenURL: srv.URL + "/oauth2/token", APIURL: srv.URL + "/api", Scopes: scopes}
	if client == "public-client" {
		c.ClientSecret = nil
	}
	return c.WithDefaults()
}

// TestIndependentServer runs every challenge method with both client authentications against
// fosite. S256 completes; every other method fails at the step where fosite refuses it, with
// fosite's own words shown first.
func TestIndependentServer(t *testing.T) {
	redirect := oauthtest.FreeLoopbackRedirect(t)
	srv := startFosite(t, redirect)
	want := map[pkce.Method]oauth.StepName{
		pkce.S256:       "",                  // completes
		pkce.ZoomLegacy: oauth.StepToken,     // S256 of the verifier is not the hex-then-base64 challenge
		pkce.Plain:      oauth.StepAuthorize, // plain is not enabled: refused before any code
		pkce.S256Padded: oauth.StepToken,
		pkce.S256Std:    oauth.StepToken,
	}
	for _, auth := range []oauth.ClientAuth{oauth.AuthBasic, oauth.AuthBody} {
		client := map[oauth.ClientAuth]string{oauth.AuthBasic: "basic-client", oauth.AuthBody: "post-client"}[auth]
		for _, m := range pkce.Methods {
			t.Run(string(auth)+"/"+string(m), func(t *testing.T) {
				r := oauthtest.RunFlow(t, fositeConfig(srv, redirect, client, auth, m, "user:read", "offline"))
				failed := oauthtest.FirstFailed(r)
				if failed != want[m] {
					t.Fatalf("failed at %q, want %q: %+v", failed, want[m], oauthtest.Steps(r))
				}
				if failed == "" {
					if !strings.Contains(r.Steps[oauth.StepRefresh].Detail, "rotated") || r.Me.ID != "user-1" {
						t.Errorf("refresh or users/me: %+v", oauthtest.Steps(r))
					}
					if !r.Steps[oauth.StepClaims].Skipped || !strings.Contains(r.Steps[oauth.StepClaims].Detail, "opaque") {
						t.Errorf("fosite's access tokens are opaque: claims step %+v", r.Steps[oauth.StepClaims])
					}
					return
				}
				// The server's own words, then zoomdbg's explanation, never an empty slot.
				d := r.Steps[failed].Detail
				if !strings.Contains(d, `: "`) || strings.Contains(d, `:  —`) || !strings.Contains(d, " — ") {
					t.Errorf("the refusal does not quote the server: %s", d)
				}
				if failed == oauth.StepAuthorize && r.Steps[oauth.StepCallback].Done {
					t.Errorf("an authorize refusal was put on the callback step: %+v", oauthtest.Steps(r))
				}
			})
		}
	}
}

// TestIndependentServerCases: the cases a standards-following server produces that Zoom does not.
func TestIndependentServerCases(t *testing.T) {
	redirect := oauthtest.FreeLoopbackRedirect(t)
	srv := startFosite(t, redirect)

	t.Run("no refresh token without offline", func(t *testing.T) {
		r := oauthtest.RunFlow(t, fositeConfig(srv, redirect, "basic-client", oauth.AuthBasic, pkce.S256, "user:read"))
		rs := r.Steps[oauth.StepRefresh]
		if !rs.Skipped || !strings.Contains(rs.Detail, "no refresh_token") || !r.Steps[oauth.StepMe].OK {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})
	t.Run("public client", func(t *testing.T) {
		r := oauthtest.RunFlow(t, fositeConfig(srv, redirect, "public-client", oauth.AuthBasic, pkce.S256, "user:read"))
		if oauthtest.FirstFailed(r) != "" || r.TokenRequest.Header.Get("Authorization") != "" || r.TokenRequest.Form.Get("client_id") != "public-client" ||
			!strings.Contains(r.Steps[oauth.StepToken].Detail, "public client") {
			t.Fatalf("%+v\n%s", oauthtest.Steps(r), r.TokenRequest.Text(false))
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		c := fositeConfig(srv, redirect, "basic-client", oauth.AuthBasic, pkce.S256)
		c.ClientSecret = []byte("not-the-secret")
		r := oauthtest.RunFlow(t, c)
		if d := r.Steps[oauth.StepToken].Detail; oauthtest.FirstFailed(r) != oauth.StepToken || !strings.Contains(d, "invalid_client") || !strings.Contains(d, `: "`) {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})
	t.Run("unknown client at authorize", func(t *testing.T) {
		c := fositeConfig(srv, redirect, "nobody", oauth.AuthBasic, pkce.S256)
		r := oauthtest.RunFlow(t, c)
		if oauthtest.FirstFailed(r) != oauth.StepAuthorize || !strings.Contains(r.Steps[oauth.StepAuthorize].Detail, "invalid_client") ||
			strings.Contains(r.Steps[oauth.StepAuthorize].Detail, "login") {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})
	t.Run("nothing unmasked", func(t *testing.T) {
		r := oauthtest.RunFlow(t, fositeConfig(srv, redirect, "basic-client", oauth.AuthBasic, pkce.S256, "offline"))
		shown := r.TokenBody(false) + r.TokenRequest.Text(false) + r.TokenRequest.Curl(false)
		for _, s := range r.Steps {
			shown += s.Detail
		}
		for _, tok := range []string{r.Token.AccessToken, r.Token.RefreshToken, fositeSecret} {
			if tok != "" && strings.Contains(shown, tok) {
				t.Errorf("%.12s… shown unmasked", tok)
			}
		}
	})
}

// TestFositeCompare: the exact compare matrix against fosite (PKCE enforced, S256 only, plain
// not enabled), the same on several seeds.
func TestFositeCompare(t *testing.T) {
	redirect := oauthtest.FreeLoopbackRedirect(t)
	srv := startFosite(t, redirect)
	want := map[pkce.Method]oauth.Outcome{
		pkce.S256:       oauth.Took,
		pkce.ZoomLegacy: oauth.RefusedToken,
		pkce.Plain:      oauth.RefusedAuthorize,
		pkce.S256Padded: oauth.RefusedToken,
		pkce.S256Std:    oauth.RefusedToken,
	}
	var first string
	for seed := range uint64(3) {
		c := fositeConfig(srv, redirect, "basic-client", oauth.AuthBasic, pkce.S256, "user:read", "offline")
		cmp, err := oauth.Compare(context.Background(), c, pkce.Methods, true, oauthtest.Seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		got := map[pkce.Method]oauth.Outcome{}
		for _, l := range cmp.Lanes {
			got[l.Method] = oauth.LaneOutcome(l.Result)
		}
		if !reflect.DeepEqual(got, want) || cmp.Verdict.Enforced != "yes" || len(cmp.Verdict.Ignores) != 0 {
			t.Fatalf("seed %d: matrix %v, want %v; verdict %+v", seed, got, want, cmp.Verdict)
		}
		if first == "" {
			first = cmp.Verdict.Text
			t.Logf("matrix:\n%s\nverdict: %s", cmp.Matrix(), first)
		} else if first != cmp.Verdict.Text {
			t.Fatalf("the verdict changed:\n%s\n%s", first, cmp.Verdict.Text)
		}
	}
}
