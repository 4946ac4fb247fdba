// Package oauth walks Zoom's OAuth authorization-code flow with PKCE step by step, keeping every
// request and response so a developer can see where it fails: the authorize URL, the callback and
// its state, the token exchange, refresh, the access token's claims, and /v2/users/me.
package oauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// Zoom's endpoints, the defaults.
const (
	ZoomAuthorizeURL = "https://zoom.us/oauth/authorize"
	ZoomTokenURL     = "https://zoom.us/oauth/token"
	ZoomAPIURL       = "https://api.zoom.us/v2"
)

// DefaultRedirectURI is a loopback redirect zoomdbg can listen on; register it with the app.
const DefaultRedirectURI = "http://127.0.0.1:8765/callback"

// ClientAuth is how the token request authenticates the client.
type ClientAuth string

// rfc6749#section-2.3.1: HTTP Basic is what Zoom documents; credentials in the body are allowed too.
const (
	AuthBasic ClientAuth = "basic"
	AuthBody  ClientAuth = "body"
	// AuthNone is a public client: client_id in the body and no secret, even when one is at hand,
	// rfc6749#section-2.3 (token_endpoint_auth_method "none", rfc7591#section-2).
	AuthNone ClientAuth = "none"
)

// RegisteredName is the token_endpoint_auth_method a ClientAuth is registered as, rfc7591#section-2.
func (a ClientAuth) RegisteredName() string {
	switch a {
	case AuthBody:
		return "client_secret_post"
	case AuthNone:
		return "none"
	}
	return "client_secret_basic"
}

// NamedSecret is a client secret and the label it was given by (a file's name), never shown itself.
type NamedSecret struct {
	Label string
	Value []byte
}

// Config is one app's flow settings.
type Config struct {
	ClientID     string
	ClientSecret []byte
	// SecretLabel names ClientSecret (where it came from); OtherSecrets are tried in turn, each
	// named, when the token endpoint answers invalid_client.
	SecretLabel  string
	OtherSecrets []NamedSecret
	RedirectURI  string
	Scopes       []string
	AuthorizeURL string
	TokenURL     string
	APIURL       string
	Method       pkce.Method // how the challenge is made from the verifier
	ClientAuth   ClientAuth
	Timeout      time.Duration // per HTTP request
	// Prompt is sent as the authorize request's prompt (OpenID Connect Core §3.1.2.1): consent,
	// login, none; "" sends none. Many OpenID providers grant offline_access only with consent.
	Prompt string
	// MeURL, when set, is where the access token is tried instead of {APIURL}/users/me: an OpenID
	// provider's userinfo_endpoint, found by discovery.
	MeURL string
	// Metadata is what discovery found at the issuer (RFC 8414, OpenID Connect Discovery), or nil.
	Metadata *Metadata
	// Browser plays the user's browser where the flow follows the authorize URL itself
	// (RunFollowed, Compare) and returns the URL it was redirected to: nil is Follow, for a server
	// that approves at once; a test drives a real login and consent page with its own.
	Browser func(ctx context.Context, authorizeURL string, timeout time.Duration) (string, error)
	// Issuer is the authorization server's issuer identifier, which a callback's iss (RFC 9207)
	// must equal; empty means the authorize endpoint's origin.
	Issuer string
	// InClient walks the in-client flow of a Zoom App: zoomSdk.authorize({codeChallenge, state})
	// instead of a browser redirect, the Zoom client's onAuthorized event instead of a callback,
	// and the app's backend exchanging the code. InClientURL plays the Zoom client's part; only
	// a mock has one (ForServer sets it).
	InClient    bool
	InClientURL string
}

// WithDefaults fills what was left empty with Zoom's values.
func (c Config) WithDefaults() Config {
	if c.RedirectURI == "" {
		c.RedirectURI = DefaultRedirectURI
	}
	if c.AuthorizeURL == "" {
		c.AuthorizeURL = ZoomAuthorizeURL
	}
	if c.TokenURL == "" {
		c.TokenURL = ZoomTokenURL
	}
	if c.APIURL == "" {
		c.APIURL = ZoomAPIURL
	}
	if c.Method == "" {
		c.Method = pkce.S256
	}
	if c.ClientAuth == "" {
		c.ClientAuth = AuthBasic
	}
	if c.Timeout == 0 {
		c.Timeout = 15 * time.Second
	}
	return c
}

// ForServer points the flow at a Zoom-shaped server at base, such as zoomdbg mock-oauth.
func (c Config) ForServer(base string) Config {
	base = strings.TrimRight(base, "/")
	c.AuthorizeURL, c.TokenURL, c.APIURL = base+"/oauth/authorize", base+"/oauth/token", base+"/v2"
	c.InClientURL = base + "/mock/in-client/authorize"
	return c
}

// Validate checks the settings before anything is sent: a client ID, a secret, and HTTPS for every
// endpoint that is not on this machine, since the token request carries the secret.
func (c Config) Validate() error {
	if c.ClientID == "" {
		return errors.New("no client ID")
	}
	// No secret is a public client: allowed, since PKCE is what binds its code.
	if _, ok := pkce.ParseMethod(string(c.Method)); !ok {
		return fmt.Errorf("challenge method %q: want one of %v", c.Method, pkce.Methods)
	}
	if c.ClientAuth != AuthBasic && c.ClientAuth != AuthBody && c.ClientAuth != AuthNone {
		return fmt.Errorf("client auth %q: want basic, body or none", c.ClientAuth)
	}
	for _, e := range []struct{ name, u string }{
		{"authorize URL", c.AuthorizeURL}, {"token URL", c.TokenURL}, {"API URL", c.APIURL}, {"redirect URI", c.RedirectURI},
	} {
		if err := checkEndpoint(e.name, e.u, e.name == "redirect URI"); err != nil {
			return err
		}
	}
	return nil
}

func checkEndpoint(name, raw string, httpOK bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s %q is not an absolute URL", name, raw)
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && (IsLoopback(u.Hostname()) || httpOK):
		return nil
	}
	return fmt.Errorf("%s %q: HTTPS is required for an endpoint that is not on this machine", name, raw)
}

// IsLoopback reports whether host names this machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ChallengeMethodParam is the code_challenge_method a method's challenge is sent with: "plain" for
// plain, and "S256" for the S256 variants, which is what their authors sent.
func ChallengeMethodParam(m pkce.Method) string {
	if m == pkce.Plain {
		return "plain"
	}
	return "S256"
}

// Attempt is one run of the flow: its verifier, challenge, state and authorize URL.
type Attempt struct {
	Config    Config
	Verifier  string
	Challenge pkce.Challenge
	State     string
	URL       string
}

// stateBytes of randomness make the state parameter, rfc6749#section-10.12.
const stateBytes = 16

// NewAttempt starts a flow: a fresh verifier (or the given one), its challenge under the
// configured method, a random state, and the authorize URL.
func NewAttempt(c Config, verifier string, rnd io.Reader) (*Attempt, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if verifier == "" {
		v, err := pkce.Generate(pkce.DefaultVerifierLen, rnd)
		if err != nil {
			return nil, err
		}
		verifier = v
	}
	sb := make([]byte, stateBytes)
	if _, err := io.ReadFull(rnd, sb); err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	a := &Attempt{Config: c, Verifier: verifier, Challenge: pkce.Compute(c.Method, verifier),
		State: base64.RawURLEncoding.EncodeToString(sb)}
	a.URL = AuthorizeURL(c, a.Challenge, a.State)
	if c.InClient {
		a.URL = InClientCall(a.Challenge, a.State)
	}
	return a, nil
}

// InClientCall is the in-client authorization as the app's frontend makes it, for display:
// zoomSdk.authorize takes a codeChallenge and a state, and no method (Zoom documents plain only).
func InClientCall(ch pkce.Challenge, state string) string {
	return fmt.Sprintf("zoomSdk.authorize({codeChallenge: %q, state: %q})", ch.Value, state)
}

// AuthorizeURL builds the authorization request, rfc6749#section-4.1.1 with rfc7636#section-4.3.
func AuthorizeURL(c Config, ch pkce.Challenge, state string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", c.ClientID)
	q.Set("redirect_uri", c.RedirectURI)
	if len(c.Scopes) > 0 {
		q.Set("scope", strings.Join(c.Scopes, " "))
	}
	q.Set("state", state)
	q.Set("code_challenge", ch.Value)
	q.Set("code_challenge_method", ChallengeMethodParam(ch.Method))
	if c.Prompt != "" {
		q.Set("prompt", c.Prompt)
	}
	sep := "?"
	if strings.Contains(c.AuthorizeURL, "?") {
		sep = "&"
	}
	return c.AuthorizeURL + sep + q.Encode()
}
