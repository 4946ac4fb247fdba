package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Metadata is an authorization server's metadata, rfc8414#section-2 (and OpenID Connect
// Discovery 1.0 §3, which it extends): the part zoomdbg uses and shows.
type Metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	// IssParameterSupported is authorization_response_iss_parameter_supported, rfc9207#section-3.
	IssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
	// URL is where the metadata was found.
	URL string `json:"url"`
}

// The well-known suffixes, rfc8414#section-3 and OpenID Connect Discovery 1.0 §4.
const (
	WellKnownOAuth  = "/.well-known/oauth-authorization-server"
	WellKnownOpenID = "/.well-known/openid-configuration"
)

// MetadataURLs are the places an issuer's metadata is looked for, in order: RFC 8414's, with the
// well-known suffix inserted between the host and the issuer's path (rfc8414#section-3.1, a
// terminating "/" removed first); OpenID Connect Discovery's, appended to the issuer; and the
// OpenID suffix inserted as RFC 8414 inserts its own (rfc8414#section-5), when the issuer has a path.
func MetadataURLs(issuer string) ([]string, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("issuer %q is not an http(s) URL", issuer)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("issuer %q has a query or fragment, which an issuer identifier may not have (RFC 8414 §2)", issuer)
	}
	origin := u.Scheme + "://" + u.Host
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	urls := []string{origin + WellKnownOAuth + path, origin + path + WellKnownOpenID}
	if path != "" {
		urls = append(urls, origin+WellKnownOpenID+path)
	}
	return urls, nil
}

// DiscoveryError is discovery failing at every place the metadata may be, each with its reason.
type DiscoveryError struct {
	Issuer string
	Tried  []string // "URL: why", in order
}

func (e *DiscoveryError) Error() string {
	return fmt.Sprintf("no authorization server metadata for the issuer %q: %s", e.Issuer, strings.Join(e.Tried, "; "))
}

// Discover fetches the issuer's metadata from the first of MetadataURLs that answers with it, and
// checks that the metadata's issuer is the issuer, exactly, as rfc8414#section-3.3 requires (an
// issuer that differs only by a trailing slash is named as such).
func Discover(ctx context.Context, client *http.Client, issuer string, timeout time.Duration) (*Metadata, error) {
	urls, err := MetadataURLs(issuer)
	if err != nil {
		return nil, err
	}
	if err := checkEndpoint("issuer", issuer, false); err != nil {
		return nil, err
	}
	derr := &DiscoveryError{Issuer: issuer}
	for _, u := range urls {
		req := &Request{Method: http.MethodGet, URL: u, Header: http.Header{"Accept": {"application/json"}}}
		resp, err := Do(ctx, client, req, timeout)
		if err != nil {
			derr.Tried = append(derr.Tried, err.Error())
			continue
		}
		if resp.Status != http.StatusOK {
			derr.Tried = append(derr.Tried, fmt.Sprintf("%s: HTTP %d", u, resp.Status))
			continue
		}
		var m Metadata
		if err := json.Unmarshal(resp.Body, &m); err != nil {
			derr.Tried = append(derr.Tried, fmt.Sprintf("%s: not JSON metadata (%s)", u, jsonProblem(err)))
			continue
		}
		m.URL = u
		if err := CompareIssuer(m.Issuer, issuer); err != nil {
			return nil, fmt.Errorf("the metadata at %s: %w; RFC 8414 §3.3 says such metadata must not be used", u, err)
		}
		if m.AuthorizationEndpoint == "" || m.TokenEndpoint == "" {
			return nil, fmt.Errorf("the metadata at %s lacks authorization_endpoint or token_endpoint", u)
		}
		return &m, nil
	}
	return nil, derr
}

// ErrIssuerMismatch marks an iss (or a metadata issuer) that is not the expected issuer.
var ErrIssuerMismatch = errors.New("issuer mismatch")

// CompareIssuer compares an issuer identifier a server sent with the expected one as RFC 9207 §2.4
// and RFC 8414 §3.3 say: simple string comparison, so a path is part of it (http://host/oidc is a
// legitimate issuer) and a trailing slash makes another issuer, which is said as such.
func CompareIssuer(got, want string) error {
	switch {
	case got == want:
		return nil
	case strings.TrimSuffix(got, "/") == strings.TrimSuffix(want, "/"):
		return fmt.Errorf("%w: %q and %q differ only by a trailing slash; issuers are compared as exact strings (RFC 9207 §2.4), "+
			"so pass --issuer exactly as the server writes it", ErrIssuerMismatch, got, want)
	case got == "":
		return fmt.Errorf("%w: no issuer, want %q", ErrIssuerMismatch, want)
	}
	return fmt.Errorf("%w: %q is not %q", ErrIssuerMismatch, got, want)
}

// FromMetadata fills the endpoints the user did not set from discovered metadata: the authorize
// and token endpoints, the userinfo endpoint for the users/me step, and the issuer that iss is
// held to.
func (c Config) FromMetadata(m *Metadata) Config {
	c.Metadata, c.Issuer = m, m.Issuer
	if c.AuthorizeURL == "" {
		c.AuthorizeURL = m.AuthorizationEndpoint
	}
	if c.TokenURL == "" {
		c.TokenURL = m.TokenEndpoint
	}
	if c.APIURL == "" && c.MeURL == "" && m.UserinfoEndpoint != "" {
		c.MeURL = m.UserinfoEndpoint
	}
	return c
}

// Advertised is the server's code_challenge_methods_supported: nil when no metadata was read,
// empty when the metadata does not list it.
func (c Config) Advertised() []string {
	if c.Metadata == nil {
		return nil
	}
	if c.Metadata.CodeChallengeMethodsSupported == nil {
		return []string{}
	}
	return c.Metadata.CodeChallengeMethodsSupported
}

// Summary says what the server advertises, for the flow's report: the endpoints found and
// the PKCE and client-authentication methods.
func (m *Metadata) Summary() string {
	list := func(s []string) string {
		if len(s) == 0 {
			return "(not advertised)"
		}
		return strings.Join(s, " ")
	}
	return fmt.Sprintf("issuer %s (metadata at %s); code_challenge_methods_supported %s; token_endpoint_auth_methods_supported %s; "+
		"authorization_response_iss_parameter_supported %v", m.Issuer, m.URL, list(m.CodeChallengeMethodsSupported),
		list(m.TokenEndpointAuthMethodsSupported), m.IssParameterSupported)
}
