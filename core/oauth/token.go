package oauth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Request is an HTTP request as zoomdbg shows it: everything needed to send it again.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Form   url.Values // the form-encoded body, for POSTs

	secret string // the client secret, masked in every rendering unless revealed
}

// ExchangeRequest is the token request for an authorization code, rfc6749#section-4.1.3 with
// the verifier of rfc7636#section-4.5.
func ExchangeRequest(c Config, code, verifier string) *Request {
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("redirect_uri", c.RedirectURI)
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	return tokenRequest(c, form)
}

// RefreshRequest is the token request for a refresh token, rfc6749#section-6.
func RefreshRequest(c Config, refreshToken string) *Request {
	form := url.Values{}
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", refreshToken)
	return tokenRequest(c, form)
}

func tokenRequest(c Config, form url.Values) *Request {
	r := &Request{Method: http.MethodPost, URL: c.TokenURL, Header: http.Header{}, Form: form, secret: string(c.ClientSecret)}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	if c.ClientAuth == AuthBody {
		form.Set("client_id", c.ClientID)
		form.Set("client_secret", string(c.ClientSecret))
	} else {
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.ClientID+":"+string(c.ClientSecret))))
	}
	return r
}

// masked is shown where a secret would be.
const masked = "••••••••"

// mask hides the secret and the Basic credentials in s unless reveal.
func (r *Request) mask(s string, reveal bool) string {
	if reveal || r.secret == "" {
		return s
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Basic ") {
		s = strings.ReplaceAll(s, auth, "Basic "+masked)
	}
	s = strings.ReplaceAll(s, url.QueryEscape(r.secret), masked)
	return strings.ReplaceAll(s, r.secret, masked)
}

// Text renders the request as it goes on the wire, with the secret masked unless reveal.
func (r *Request) Text(reveal bool) string {
	var b strings.Builder
	u, _ := url.Parse(r.URL)
	fmt.Fprintf(&b, "%s %s HTTP/1.1\nHost: %s\n", r.Method, u.RequestURI(), u.Host)
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, r.Header.Get(k))
	}
	if r.Form != nil {
		fmt.Fprintf(&b, "\n%s", r.Form.Encode())
	}
	return r.mask(b.String(), reveal)
}

// Curl renders an equivalent curl command, with the secret masked unless reveal.
func (r *Request) Curl(reveal bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -X %s %s", r.Method, shellQuote(r.URL))
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " \\\n  -H %s", shellQuote(k+": "+r.Header.Get(k)))
	}
	if r.Form != nil {
		fmt.Fprintf(&b, " \\\n  --data %s", shellQuote(r.Form.Encode()))
	}
	return r.mask(b.String(), reveal)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Response is an HTTP response as zoomdbg shows it.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// maxResponse bounds what is read of a response: tokens and errors are small.
const maxResponse = 1 << 20

// Do sends r with a timeout and reads the response. Network failures come back as errors that
// say what happened in words; an HTTP error status is a Response, not an error.
func Do(ctx context.Context, client *http.Client, r *Request, timeout time.Duration) (*Response, error) {
	var body io.Reader
	if r.Form != nil {
		body = strings.NewReader(r.Form.Encode())
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	req.Header = r.Header.Clone()
	if client == nil {
		client = http.DefaultClient
	}
	c := *client
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		return fmt.Errorf("the server redirected to %s; a token endpoint does not redirect, so zoomdbg does not follow", req.URL.Redacted())
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, explainNetError(r.URL, timeout, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response from %s: %w (the connection broke mid-body)", r.URL, err)
	}
	if len(b) > maxResponse {
		return nil, fmt.Errorf("the response from %s is over %d bytes: not a token response", r.URL, maxResponse)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

func explainNetError(u string, timeout time.Duration, err error) error {
	var ne net.Error
	var op *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Errorf("%s did not answer within %s", u, timeout)
	case errors.As(err, &op) && op.Op == "dial":
		return fmt.Errorf("cannot connect to %s: %v (is the server running, and is the URL right?)", u, op.Err)
	}
	return fmt.Errorf("request to %s failed: %w", u, err)
}

// Token is a parsed token response, rfc6749#section-5.1, or Zoom's error, rfc6749#section-5.2.
type Token struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
}

// ZoomError is an error body from Zoom: {"reason": ..., "error": ...} from the OAuth endpoints,
// {"code": ..., "message": ...} from the API.
type ZoomError struct {
	Status  int    `json:"-"`
	Err     string `json:"error"`
	Reason  string `json:"reason"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *ZoomError) Error() string {
	switch {
	case e.Err != "":
		return fmt.Sprintf("HTTP %d %s: %s — %s", e.Status, e.Err, e.Reason, explainOAuthError(e.Err))
	case e.Code != 0:
		return fmt.Sprintf("HTTP %d code %d: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

func explainOAuthError(code string) string {
	switch code {
	case "invalid_grant":
		return "the code (or refresh token) was refused: already used, expired, issued to another redirect URI, or the code_verifier does not match the code_challenge"
	case "invalid_client":
		return "the client ID or secret is wrong, or they were sent the way the server does not take"
	case "invalid_request":
		return "a parameter is missing or malformed"
	case "unsupported_grant_type":
		return "the grant_type is not one the server takes"
	case "invalid_scope":
		return "a scope is not one the app has"
	}
	return "see the reason"
}

// ParseToken reads a token endpoint's response: a Token on success, a *ZoomError on an error
// status, and a plain error for a body that is not what a token endpoint sends.
func ParseToken(resp *Response) (*Token, error) {
	if resp.Status != http.StatusOK {
		return nil, parseError(resp)
	}
	var t Token
	if err := json.Unmarshal(resp.Body, &t); err != nil {
		return nil, fmt.Errorf("HTTP 200 but the body is not JSON (%v): %s", err, preview(resp.Body))
	}
	if t.AccessToken == "" {
		return nil, fmt.Errorf("HTTP 200 but no access_token in %s", preview(resp.Body))
	}
	return &t, nil
}

func parseError(resp *Response) error {
	e := &ZoomError{Status: resp.Status}
	if json.Unmarshal(resp.Body, e) != nil || (e.Err == "" && e.Code == 0) {
		return fmt.Errorf("HTTP %d with a body that is not a Zoom error (%s): %s", resp.Status,
			resp.Header.Get("Content-Type"), preview(resp.Body))
	}
	return e
}

// preview shows the start of a body, for error messages.
func preview(b []byte) string {
	const n = 200
	s := string(bytes.TrimSpace(b))
	if len(s) > n {
		s = s[:n] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}

// JWT is a decoded JSON Web Token. Its signature is not checked: only the issuer can.
type JWT struct {
	Header map[string]any
	Claims map[string]any
}

// DecodeJWT decodes a token's header and claims, rfc7519#section-7.2, without verifying it.
func DecodeJWT(token string) (*JWT, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a JWT: it has %d part(s) separated by '.', a JWT has 3", len(parts))
	}
	j := &JWT{}
	for i, dst := range []*map[string]any{&j.Header, &j.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil {
			return nil, fmt.Errorf("JWT part %d is not base64url: %w", i+1, err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, fmt.Errorf("JWT part %d is not a JSON object: %w", i+1, err)
		}
	}
	return j, nil
}

// Names lists the claims' names, sorted.
func (j *JWT) Names() []string {
	names := make([]string, 0, len(j.Claims))
	for k := range j.Claims {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// TimeClaim reads a NumericDate claim (seconds since the epoch, rfc7519#section-2).
func (j *JWT) TimeClaim(name string) (time.Time, bool) {
	f, ok := j.Claims[name].(float64)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0).UTC(), true
}

// ClaimText writes a claim for people: NumericDates as seconds with their UTC time, integers
// without an exponent.
func (j *JWT) ClaimText(name string) string {
	v := j.Claims[name]
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	if t, ok := j.TimeClaim(name); ok && (name == "exp" || name == "iat" || name == "nbf") {
		return fmt.Sprintf("%d (%s)", int64(f), t.Format("2006-01-02 15:04:05 UTC"))
	}
	if f == float64(int64(f)) {
		return fmt.Sprint(int64(f))
	}
	return fmt.Sprint(f)
}

// Me is the part of GET /v2/users/me zoomdbg shows: who the token belongs to.
type Me struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	AccountID string `json:"account_id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// MeRequest is GET {api}/users/me with the access token.
func MeRequest(c Config, accessToken string) *Request {
	r := &Request{Method: http.MethodGet, URL: strings.TrimRight(c.APIURL, "/") + "/users/me", Header: http.Header{}}
	r.Header.Set("Authorization", "Bearer "+accessToken)
	r.Header.Set("Accept", "application/json")
	return r
}

// ParseMe reads the users/me response.
func ParseMe(resp *Response) (*Me, error) {
	if resp.Status != http.StatusOK {
		return nil, parseError(resp)
	}
	var m Me
	if err := json.Unmarshal(resp.Body, &m); err != nil || m.ID == "" {
		return nil, fmt.Errorf("HTTP 200 but not a user: %s", preview(resp.Body))
	}
	return &m, nil
}

// OpenBrowser asks the desktop to open u, where there is one. It reports false where it cannot
// (no display, as over SSH); the caller prints the URL in any case.
func OpenBrowser(u string) bool {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		if !hasDisplay() {
			return false
		}
		cmd = exec.Command("xdg-open", u)
	}
	return cmd.Start() == nil
}
