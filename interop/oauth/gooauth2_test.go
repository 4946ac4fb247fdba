package oauth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	goauth "github.com/go-oauth2/oauth2/v4"
	"github.com/go-oauth2/oauth2/v4/manage"
	"github.com/go-oauth2/oauth2/v4/models"
	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/go-oauth2/oauth2/v4/store"

	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/oauth/oauthtest"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// The flow against github.com/go-oauth2/oauth2/v4, a popular Go OAuth2 server library, which
// nobody here wrote. It was chosen because it enforces PKCE but compares challenges with '='
// trimmed from both sides (const.go, CodeChallengeMethod.Validate: strings.TrimRight(..., "=")):
// the server that made zoomdbg's old verdict call S256-padded a second method. Its
// ClientBasicHandler takes r.BasicAuth() as it comes, without the form-decoding RFC 6749 §2.3.1
// asks for, so a secret with special characters is refused over Basic and taken in the body.

const (
	goSecret     = "go-oauth2-plain-secret-0123456789"
	goOddSecret  = "odd+secret/with%chars&=" // what form-encoding changes
	goUserID     = "go-user-1"
	goOddClient  = "odd-client"
	goBodyClient = "body-client"
)

func startGoOAuth2(t *testing.T, redirect string) *httptest.Server {
	t.Helper()
	m := manage.NewDefaultManager()
	m.MustTokenStorage(store.NewMemoryTokenStore())
	m.SetRefreshTokenCfg(&manage.RefreshingConfig{IsGenerateRefresh: true, IsRemoveAccess: true, IsRemoveRefreshing: true})
	cs := store.NewClientStore()
	u, _ := url.Parse(redirect)
	domain := "http://" + u.Host
	cs.Set("basic-client", &models.Client{ID: "basic-client", Secret: goSecret, Domain: domain})
	cs.Set(goBodyClient, &models.Client{ID: goBodyClient, Secret: goSecret, Domain: domain})
	cs.Set(goOddClient, &models.Client{ID: goOddClient, Secret: goOddSecret, Domain: domain})
	m.MapClientStorage(cs)
	srv := server.NewServer(&server.Config{TokenType: "Bearer", AllowedResponseTypes: []goauth.ResponseType{goauth.Code},
		AllowedGrantTypes:           []goauth.GrantType{goauth.AuthorizationCode, goauth.Refreshing},
		AllowedCodeChallengeMethods: []goauth.CodeChallengeMethod{goauth.CodeChallengeS256}, ForcePKCE: true}, m)
	// The user approves at once.
	srv.SetUserAuthorizationHandler(func(w http.ResponseWriter, r *http.Request) (string, error) { return goUserID, nil })
	// Basic when the request has it, the body otherwise: the library's two handlers, as servers
	// built on it combine them.
	srv.SetClientInfoHandler(func(r *http.Request) (string, string, error) {
		if _, _, ok := r.BasicAuth(); ok {
			return server.ClientBasicHandler(r)
		}
		return server.ClientFormHandler(r)
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		if err := srv.HandleAuthorizeRequest(w, r); err != nil { // as the library's example server answers
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) { srv.HandleTokenRequest(w, r) })
	mux.HandleFunc("/api/users/me", func(w http.ResponseWriter, r *http.Request) {
		ti, err := srv.ValidationBearerToken(r)
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_token", "error_description": err.Error()})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": ti.GetUserID(), "email": "go@example.com", "account_id": "acct"})
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func goConfig(srv *httptest.Server, redirect, client, sec string, auth oauth.ClientAuth) oauth.Config {
	return oauth.Config{ClientID: client, ClientSecret: []byte(sec), RedirectURI: redirect, ClientAuth: auth, Timeout: 5 * time.Second,
		AuthorizeURL: srv.URL + "/authorize", TokenURL: srv.URL + "/token", APIURL: srv.URL + "/api"}.WithDefaults()
}

// TestGoOAuth2Compare: the exact compare matrix against go-oauth2, the same on several seeds,
// with the verdict saying PKCE is enforced and padding ignored.
func TestGoOAuth2Compare(t *testing.T) {
	redirect := oauthtest.FreeLoopbackRedirect(t)
	srv := startGoOAuth2(t, redirect)
	want := map[pkce.Method]oauth.Outcome{
		pkce.S256:       oauth.Took,
		pkce.ZoomLegacy: oauth.RefusedToken,     // another digest: invalid_grant
		pkce.Plain:      oauth.RefusedAuthorize, // only S256 allowed: a 400 page saying "invalid_request"
		pkce.S256Padded: oauth.Took,             // '=' trimmed before comparing
		pkce.S256Std:    oauth.RefusedToken,     // '+' and '/' are not '-' and '_'
	}
	var first string
	for seed := range uint64(4) {
		c := goConfig(srv, redirect, "basic-client", goSecret, oauth.AuthBasic)
		cmp, err := oauth.Compare(context.Background(), c, pkce.Methods, true, oauthtest.Seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		got := map[pkce.Method]oauth.Outcome{}
		for _, l := range cmp.Lanes {
			got[l.Method] = oauth.LaneOutcome(l.Result)
			if l.Method == pkce.S256 && (!l.Result.Completed() || l.Result.Me.ID != goUserID ||
				!strings.Contains(l.Result.Steps[oauth.StepRefresh].Detail, "rotated")) {
				t.Fatalf("S256 did not complete: %+v", oauthtest.Steps(l.Result))
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: matrix %v, want %v", seed, got, want)
		}
		v := cmp.Verdict
		if v.Enforced != "yes" || !slices.Equal(v.Ignores, []string{oauth.IgnoresPadding}) {
			t.Fatalf("verdict %+v", v)
		}
		if first == "" {
			first = v.Text
			t.Logf("matrix:\n%s\nverdict: %s", cmp.Matrix(), v.Text)
		} else if first != v.Text {
			t.Fatalf("the verdict changed: %q then %q", first, v.Text)
		}
		plain := cmp.Lanes[2].Result.Steps[oauth.StepAuthorize]
		if !strings.Contains(plain.Detail, "HTTP 400 with an error page: invalid_request") || plain.Error != "HTTP 400" || len(plain.Causes) == 0 ||
			!strings.Contains(plain.Causes[0], "plain is optional") {
			t.Fatalf("plain's refusal lacks the diagnosis: %+v", plain)
		}
	}
}

// TestGoOAuth2Credentials: the secret with special characters, sent over Basic form-encoded as
// RFC 6749 says, is refused by a server that does not decode it; zoomdbg finds that the body
// works and says so. Sent in the body, the flow completes.
func TestGoOAuth2Credentials(t *testing.T) {
	redirect := oauthtest.FreeLoopbackRedirect(t)
	srv := startGoOAuth2(t, redirect)
	c := goConfig(srv, redirect, goOddClient, goOddSecret, oauth.AuthBasic)
	c.SecretLabel = "odd.txt"
	r := oauthtest.RunFlow(t, c)
	causes := r.Steps[oauth.StepToken].Causes
	if oauthtest.FirstFailed(r) != oauth.StepToken || len(causes) == 0 ||
		!strings.Contains(causes[0], "refuses the secret odd.txt sent as client_secret_basic (basic) and takes it sent as client_secret_post (body)") {
		t.Fatalf("%+v", oauthtest.Steps(r))
	}
	c.ClientAuth = oauth.AuthBody
	if r := oauthtest.RunFlow(t, c); oauthtest.FirstFailed(r) != "" {
		t.Fatalf("in the body: %+v", oauthtest.Steps(r))
	}
	c = goConfig(srv, redirect, goBodyClient, "wrong", oauth.AuthBody)
	c.SecretLabel, c.OtherSecrets = "dev.txt", []oauth.NamedSecret{{Label: "prod.txt", Value: []byte(goSecret)}}
	if r := oauthtest.RunFlow(t, c); oauthtest.FirstFailed(r) != "" || !strings.Contains(r.Steps[oauth.StepToken].Detail, "the secret prod.txt (dev.txt refused") {
		t.Fatalf("second secret: %+v", oauthtest.Steps(r))
	}
}
