package oauth_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/oauth/oauthtest"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/interop/harness"
)

// The flow against panva's oidc-provider 9 (OpenID Certified), run with Node: an issuer with a
// path, PKCE required and S256 only, confidential clients for client_secret_basic and
// client_secret_post and a public one, refresh tokens only for a granted offline_access. Its own
// development login and consent pages are driven over HTTP by harness.FormBrowser.

const oidcSecret = "s3cret+/%&:=x" // the characters RFC 6749 §2.3.1's form-encoding is for

// startOIDC runs interop/node/oidc-server.mjs and returns its issuer. Node and the npm package are
// installed by .ci/run; without them the test fails under CI and is skipped elsewhere.
func startOIDC(t *testing.T, redirect string) string {
	t.Helper()
	dir, _ := filepath.Abs("../node")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider")); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or oidc-provider missing (run .ci/run, which installs them into interop/node): %v %v", err, serr)
		}
		t.Skip("node or interop/node/node_modules/oidc-provider missing: cd interop/node && npm ci")
	}
	cmd := exec.Command(node, "oidc-server.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDIRECT_URI="+redirect, "SECRET="+oidcSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		s.Scan()
		line <- s.Text()
	}()
	select {
	case l := <-line:
		var v struct{ Issuer string }
		if err := json.Unmarshal([]byte(l), &v); err != nil || v.Issuer == "" {
			t.Fatalf("oidc-provider did not start: %q %v\n%s", l, err, stderr.String())
		}
		return v.Issuer
	case <-time.After(20 * time.Second):
		t.Fatalf("oidc-provider did not start in 20s:\n%s", stderr.String())
	}
	return ""
}

// oidcConfig discovers the issuer's endpoints as zoomdbg flow --issuer does.
func oidcConfig(t *testing.T, issuer, redirect, client string, auth oauth.ClientAuth, scopes ...string) oauth.Config {
	t.Helper()
	m, err := oauth.Discover(context.Background(), nil, issuer, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c := oauth.Config{ClientID: client, ClientSecret: []byte(oidcSecret), RedirectURI: redirect, ClientAuth: auth, Scopes: scopes,
		Timeout: 10 * time.Second, Browser: harness.FormBrowser("user-1")}
	if client == "oidc-public" {
		c.ClientSecret = nil
	}
	return c.FromMetadata(m).WithDefaults()
}

func TestOIDCProvider(t *testing.T) {
	redirect := oauthtest.FreeLoopbackRedirect(t)
	issuer := startOIDC(t, redirect)
	if !strings.HasSuffix(issuer, "/oidc") {
		t.Fatalf("issuer %q has no path", issuer)
	}

	t.Run("discovery", func(t *testing.T) {
		c := oidcConfig(t, issuer, redirect, "oidc-basic", oauth.AuthBasic)
		m := c.Metadata
		// RFC 8414's inserted form is not served by an OpenID provider mounted at /oidc; OpenID's
		// appended form is.
		if m.URL != issuer+"/.well-known/openid-configuration" || c.AuthorizeURL != issuer+"/auth" || c.TokenURL != issuer+"/token" ||
			c.MeURL != issuer+"/me" || !reflect.DeepEqual(m.CodeChallengeMethodsSupported, []string{"S256"}) || !m.IssParameterSupported {
			t.Fatalf("%+v", m)
		}
	})

	t.Run("compare", func(t *testing.T) {
		want := map[pkce.Method]oauth.Outcome{
			pkce.S256:       oauth.Took,
			pkce.ZoomLegacy: oauth.RefusedAuthorize, // '=' is not in RFC 7636's challenge alphabet
			pkce.Plain:      oauth.RefusedAuthorize, // S256 only
			pkce.S256Padded: oauth.RefusedAuthorize,
			pkce.S256Std:    oauth.RefusedAuthorize,
		}
		var first string
		for seed := range uint64(2) {
			c := oidcConfig(t, issuer, redirect, "oidc-basic", oauth.AuthBasic, "openid")
			cmp, err := oauth.Compare(context.Background(), c, pkce.Methods, true, oauthtest.Seeded(seed))
			if err != nil {
				t.Fatal(err)
			}
			got := map[pkce.Method]oauth.Outcome{}
			for _, l := range cmp.Lanes {
				got[l.Method] = oauth.LaneOutcome(l.Result)
				st := l.Result.Steps[oauth.StepAuthorize]
				if got[l.Method] == oauth.RefusedAuthorize && len(st.Causes) == 0 {
					t.Errorf("%s: a refusal at authorize without a PKCE diagnosis: %+v", l.Method, st)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d: matrix %v, want %v\n%+v", seed, got, want, oauthtest.Steps(cmp.Lanes[0].Result))
			}
			if cmp.Verdict.Enforced != "yes" || len(cmp.Verdict.Ignores) != 0 {
				t.Fatalf("verdict %+v", cmp.Verdict)
			}
			if first == "" {
				first = cmp.Verdict.Text
				t.Logf("matrix:\n%s\nverdict: %s", cmp.Matrix(), first)
			} else if first != cmp.Verdict.Text {
				t.Fatalf("the verdict changed:\n%s\n%s", first, cmp.Verdict.Text)
			}
			s := cmp.Lanes[0].Result
			if !strings.Contains(s.Steps[oauth.StepCallback].Detail, "iss is the issuer "+issuer+" (RFC 9207)") || s.Me.ID != "user-1" {
				t.Fatalf("S256: %+v", oauthtest.Steps(s))
			}
		}
	})

	t.Run("offline_access needs consent", func(t *testing.T) {
		c := oidcConfig(t, issuer, redirect, "oidc-basic", oauth.AuthBasic, "openid", "offline_access")
		r := oauth.RunFollowed(context.Background(), c, true)
		if !r.Completed() || !strings.Contains(r.Steps[oauth.StepToken].Detail, "dropped offline_access") ||
			!strings.Contains(r.Steps[oauth.StepToken].Detail, "--prompt consent") || !r.Steps[oauth.StepRefresh].Skipped {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
		c.Prompt = "consent"
		r = oauth.RunFollowed(context.Background(), c, true)
		if !r.Completed() || r.Steps[oauth.StepRefresh].Skipped || strings.Contains(r.Steps[oauth.StepToken].Detail, "dropped") {
			t.Fatalf("with prompt=consent: %+v", oauthtest.Steps(r))
		}
	})

	t.Run("client_secret_post", func(t *testing.T) {
		c := oidcConfig(t, issuer, redirect, "oidc-post", oauth.AuthBody, "openid")
		if r := oauth.RunFollowed(context.Background(), c, true); !r.Completed() {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
		c.ClientSecret = []byte("not-the-secret")
		r := oauth.RunFollowed(context.Background(), c, true)
		st := r.Steps[oauth.StepToken]
		if r.FailedStep() != oauth.StepToken || st.Error != "invalid_client" || len(st.Causes) == 0 ||
			!strings.Contains(st.Causes[0], "the credentials were sent in the body (client_secret_post)") {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})

	t.Run("public", func(t *testing.T) {
		c := oidcConfig(t, issuer, redirect, "oidc-public", oauth.AuthNone, "openid")
		c.ClientSecret = []byte("a secret at hand, never sent")
		r := oauth.RunFollowed(context.Background(), c, true)
		if !r.Completed() || r.TokenRequest.Header.Get("Authorization") != "" || r.TokenRequest.Form.Has("client_secret") {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})

	t.Run("issuer with a trailing slash", func(t *testing.T) {
		c := oidcConfig(t, issuer, redirect, "oidc-basic", oauth.AuthBasic, "openid")
		c.Issuer = issuer + "/"
		r := oauth.RunFollowed(context.Background(), c, false)
		if r.FailedStep() != oauth.StepCallback || !strings.Contains(r.Steps[oauth.StepCallback].Detail, "differ only by a trailing slash") {
			t.Fatalf("%+v", oauthtest.Steps(r))
		}
	})
}
