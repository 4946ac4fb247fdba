package oauth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/neterr"
)

// Request is an HTTP request as zoomdbg shows it: everything needed to send it again.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Form   url.Values // the form-encoded body, for POSTs
	Body   []byte     // a body of another kind (JSON), when Form is nil

	secret string // the client secret, masked in every rendering unless revealed
	id     string // the client ID, which the Basic credentials encode with the secret
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
	r := &Request{Method: http.MethodPost, URL: c.TokenURL, Header: http.Header{}, Form: form, id: c.ClientID}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	if c.ClientAuth != AuthNone {
		r.secret = string(c.ClientSecret)
	}
	switch {
	case r.secret == "":
		// A public client has no secret to prove: it names itself in the body, and the code is
		// bound to it by PKCE alone, rfc6749#section-2.3 and rfc7636.
		form.Set("client_id", c.ClientID)
	case c.ClientAuth == AuthBody:
		form.Set("client_id", c.ClientID)
		form.Set("client_secret", string(c.ClientSecret))
	default:
		r.Header.Set("Authorization", "Basic "+BasicCredentials(c.ClientID, string(c.ClientSecret)))
	}
	return r
}

// BasicCredentials encodes a client's credentials for HTTP Basic as rfc6749#section-2.3.1 says:
// each form-urlencoded first, so that a secret holding ':', '+', '/', '%' or '&' arrives intact.
func BasicCredentials(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

// Public reports whether the request is a public client's: no secret, no Authorization header.
func (r *Request) Public() bool { return r.secret == "" && r.Header.Get("Authorization") == "" }

// masked is shown where a secret would be.
const masked = "••••••••"

// mask hides the secret and the Basic credentials in s unless reveal. Only an explicit,
// confirmed copy asks for reveal; the command line's --reveal never does (it shows tokens).
func (r *Request) mask(s string, reveal bool) string {
	if reveal || r.secret == "" {
		return s
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Basic ") {
		s = strings.ReplaceAll(s, auth, "Basic "+masked)
	}
	return redactSecrets(s, r.id, []byte(r.secret))
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
	switch {
	case r.Form != nil:
		body = strings.NewReader(r.Form.Encode())
	case r.Body != nil:
		body = bytes.NewReader(r.Body)
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
		return nil, neterr.Explain(r.URL, timeout, err, "server")
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, neterr.ExplainBody(r.URL, resp.StatusCode, len(b), timeout, err)
	}
	if len(b) > maxResponse {
		return nil, fmt.Errorf("the response from %s is over %d bytes: not a token response", r.URL, maxResponse)
	}
	if r.secret != "" { // a server that echoes the request must not make zoomdbg show the secret
		b = []byte(redactSecrets(string(b), r.id, []byte(r.secret)))
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// Token is a parsed token response, rfc6749#section-5.1, read tolerantly: what a server sends in
// an unexpected type is taken when it can be, and said in Notes.
type Token struct {
	AccessToken  string
	RefreshToken string // "" when the server issued none
	TokenType    string
	ExpiresIn    int // seconds; 0 when the server did not say
	Scope        string
	IDToken      string   // present from OpenID Connect servers
	Notes        []string // what was unexpected in the response and how it was read
}

// ServerError is an error answer from an authorization server or an API, in any of the shapes
// servers write: RFC 6749's {"error", "error_description", "error_uri"}, Zoom's OAuth
// {"reason", "error"}, Zoom's API {"code", "message"} and Zoom's authorize page
// {"status": false, "errorCode", "errorMessage"}. Error puts the server's own words first.
type ServerError struct {
	Status       int    `json:"-"`
	Err          string `json:"error"`
	Description  string `json:"error_description"`
	URI          string `json:"error_uri"`
	Reason       string `json:"reason"`
	Code         int    `json:"code"`
	Message      string `json:"message"`
	ErrorCode    int    `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// Words is what the server said, in its own words, or "".
func (e *ServerError) Words() string {
	for _, w := range []string{e.Reason, e.Description, e.Message, e.ErrorMessage} {
		if w != "" {
			return w
		}
	}
	return ""
}

func (e *ServerError) Error() string {
	words := fmt.Sprintf("%q", capText(e.Words()))
	if e.Words() == "" {
		words = "(the server gave no description)"
	}
	switch {
	case e.Err != "":
		return fmt.Sprintf("HTTP %d %s: %s — %s", e.Status, e.Err, words, explainOAuthError(e.Err))
	case e.ErrorCode != 0:
		return fmt.Sprintf("HTTP %d, Zoom error %d: %s — %s", e.Status, e.ErrorCode, words, explainZoomCode(e.ErrorCode))
	case e.Code != 0:
		return fmt.Sprintf("HTTP %d code %d: %s", e.Status, e.Code, words)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, words)
}

func explainOAuthError(code string) string {
	switch code {
	case "invalid_grant":
		return "the code (or refresh token) was refused: already used, expired, issued to another redirect URI, or the code_verifier does not match the code_challenge"
	case "invalid_client":
		return "the client ID or secret is wrong, or they were sent the way the server does not take"
	case "invalid_request":
		return "a parameter is missing, repeated or malformed"
	case "unsupported_grant_type":
		return "the grant_type is not one the server takes"
	case "invalid_scope":
		return "a scope is not one the app has"
	case "unauthorized_client":
		return "this client may not use this grant or response type"
	case "access_denied":
		return "the user or the server declined"
	case "unsupported_response_type":
		return "the server does not issue codes this way"
	case "server_error", "temporarily_unavailable":
		return "the server failed; try again"
	}
	return "see the server's words"
}

// explainZoomCode says what Zoom's authorize page error codes mean, as its documentation and
// developer forum describe them.
func explainZoomCode(code int) string {
	switch code {
	case 4700:
		return "the redirect_uri is not on the app's allow list: it must match one registered with the app exactly " +
			"(scheme, host, port, path, case; Zoom treats localhost and 127.0.0.1 as different hosts)"
	case 4702, 4704:
		return "the client_id is not an app Zoom knows, or belongs to the other environment (development or production)"
	case 4705:
		return "the app is not enabled for this account or user"
	}
	return "a Zoom authorize-page error"
}

// ParseToken reads a token endpoint's response: a Token on success, a *ServerError on an error
// status, and a plain error for a body that is not what a token endpoint sends. An access or
// refresh token is never put in an error message.
func ParseToken(resp *Response) (*Token, error) {
	if resp.Status != http.StatusOK {
		return nil, parseError(resp)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &raw); err != nil {
		return nil, fmt.Errorf("HTTP 200 but the body is not a JSON object (%s): %s", jsonProblem(err), preview(resp.Body))
	}
	t := &Token{}
	var err error
	str := func(name string, dst *string) {
		v, ok := raw[name]
		if !ok || err != nil || string(v) == "null" {
			return
		}
		if json.Unmarshal(v, dst) != nil {
			err = fmt.Errorf("HTTP 200 but %s is a JSON %s, not a string", name, jsonType(v))
		}
	}
	str("access_token", &t.AccessToken)
	str("refresh_token", &t.RefreshToken)
	str("token_type", &t.TokenType)
	str("scope", &t.Scope)
	str("id_token", &t.IDToken)
	if err != nil {
		return nil, err
	}
	if t.AccessToken == "" {
		return nil, fmt.Errorf("HTTP 200 but no access_token in %s", preview(resp.Body))
	}
	switch v, ok := raw["expires_in"]; {
	case !ok:
		t.Notes = append(t.Notes, "no expires_in: the server did not say when the access token expires (RFC 6749 recommends it)")
	default:
		var n float64
		var s string
		switch {
		case json.Unmarshal(v, &n) == nil:
			t.ExpiresIn = int(n)
		case json.Unmarshal(v, &s) == nil:
			if f, perr := strconv.ParseFloat(strings.TrimSpace(s), 64); perr == nil {
				t.ExpiresIn = int(f)
				t.Notes = append(t.Notes, fmt.Sprintf("expires_in was sent as the string %q; RFC 6749 says a number: read as %d seconds", s, t.ExpiresIn))
			} else {
				t.Notes = append(t.Notes, fmt.Sprintf("expires_in %q is not a number of seconds: ignored", s))
			}
		default:
			t.Notes = append(t.Notes, fmt.Sprintf("expires_in is a JSON %s, not a number: ignored", jsonType(v)))
		}
	}
	if t.TokenType == "" {
		t.Notes = append(t.Notes, "no token_type: RFC 6749 requires it; taken as bearer")
		t.TokenType = "bearer"
	}
	return t, nil
}

func jsonType(v json.RawMessage) string {
	switch b := bytes.TrimSpace(v); {
	case len(b) == 0:
		return "nothing"
	case b[0] == '"':
		return "string"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "boolean"
	case b[0] == 'n':
		return "null"
	}
	return "number"
}

// jsonProblem says what is wrong with a body that is not JSON, without Go's type names.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", strings.TrimPrefix(se.Error(), "json: "), max(se.Offset-1, 0))
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "a JSON " + te.Value + ", not an object"
	}
	return "not JSON"
}

func parseError(resp *Response) error {
	e := &ServerError{Status: resp.Status}
	if json.Unmarshal(resp.Body, e) != nil || (e.Err == "" && e.Code == 0 && e.ErrorCode == 0 && e.Words() == "") {
		return fmt.Errorf("HTTP %d with a body that is not an OAuth error (%s): %s", resp.Status,
			orNone(resp.Header.Get("Content-Type")), preview(resp.Body))
	}
	return e
}

func orNone(s string) string {
	if s == "" {
		return "no Content-Type"
	}
	return s
}

// tokenFields are the JSON members whose values act as the user: masked in everything shown.
var tokenFields = regexp.MustCompile(`("(?:access_token|refresh_token|id_token)"\s*:\s*")([^"]{0,8})[^"]*"?`)

// MaskTokens cuts the values of access_token, refresh_token and id_token in a JSON body to their
// first 8 characters.
func MaskTokens(b string) string {
	return tokenFields.ReplaceAllString(b, `${1}${2}…(masked)"`)
}

// preview shows the start of a body, for error messages, with any token in it masked.
func preview(b []byte) string {
	const n = 200
	s := MaskTokens(string(bytes.TrimSpace(b)))
	if len(s) > n {
		s = fmt.Sprintf("%s… (cut: %d bytes in all)", strings.ToValidUTF8(s[:n], ""), len(b))
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
	Sub       string `json:"sub"` // OpenID Connect userinfo's subject, when there is no id
}

// HeaderProblem says why a token cannot be sent in an Authorization header (a control character,
// a byte outside ASCII, where RFC 6750's b64token has none), naming the offset; "" when it can.
func HeaderProblem(token string) string {
	for i := 0; i < len(token); i++ {
		if b := token[i]; b < 0x20 || b == 0x7f || b >= 0x80 {
			return fmt.Sprintf("the access token has byte 0x%02x at offset %d, which an HTTP header cannot carry "+
				"(RFC 6750's b64token is printable ASCII): the server issued a broken token, or it was mangled on the way", b, i)
		}
	}
	return ""
}

// MeRequest is GET {api}/users/me with the access token.
func MeRequest(c Config, accessToken string) *Request {
	u := strings.TrimRight(c.APIURL, "/") + "/users/me"
	if c.MeURL != "" {
		u = c.MeURL
	}
	r := &Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
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
	err := json.Unmarshal(resp.Body, &m)
	if m.ID == "" {
		m.ID = m.Sub // an OpenID provider's userinfo names the user by sub
	}
	if err != nil || m.ID == "" {
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
