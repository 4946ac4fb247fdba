package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// StepName names a step of the flow, in order. The values are part of `zoomdbg flow --json`.
type StepName string

// The steps.
const (
	StepChallenge StepName = "challenge" // verifier and challenge made
	StepAuthorize StepName = "authorize" // the URL the user opens
	StepCallback  StepName = "callback"  // the code came back, state checked
	StepToken     StepName = "token"     // code exchanged for tokens
	StepClaims    StepName = "claims"    // the access token decoded
	StepRefresh   StepName = "refresh"   // the refresh token used, and rotated
	StepMe        StepName = "me"        // GET /v2/users/me
)

// Steps lists the steps in order.
var Steps = []StepName{StepChallenge, StepAuthorize, StepCallback, StepToken, StepClaims, StepRefresh, StepMe}

// Step is the outcome of one step: done or not, ok or not, and why.
type Step struct {
	Name   StepName `json:"name"`
	Done   bool     `json:"done"`
	OK     bool     `json:"ok"`
	Detail string   `json:"detail"`
	// Skipped is a step that did not apply (no refresh token issued, an opaque access token):
	// Done and OK, and the flow goes on.
	Skipped bool `json:"skipped,omitempty"`
	// Causes are zoomdbg's reading of an opaque refusal, most likely first (see Result.why).
	Causes []string `json:"causes,omitempty"`
	// Error is the server's error code for a refused step: RFC 6749's error, or Zoom's
	// authorize-page errorCode.
	Error string `json:"error,omitempty"`
}

// Result is a whole run of the flow, kept for display.
type Result struct {
	Attempt  *Attempt
	Steps    map[StepName]*Step
	Callback Callback

	TokenRequest    *Request
	TokenResponse   *Response
	Token           *Token
	JWT             *JWT
	RefreshRequest  *Request
	RefreshResponse *Response
	Refreshed       *Token
	MeRequest       *Request
	MeResponse      *Response
	Me              *Me

	// When the callback came and the code was exchanged, and how many times this run's code was
	// sent: what an opaque invalid_grant is read against.
	CallbackAt, ExchangedAt time.Time
	redeemed                int
	Now                     func() time.Time // nil: the real clock
}

func (r *Result) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// NewResult starts a result for an attempt, with every step pending.
func NewResult(a *Attempt) *Result {
	r := &Result{Attempt: a, Steps: map[StepName]*Step{}}
	for _, n := range Steps {
		r.Steps[n] = &Step{Name: n}
	}
	r.set(StepChallenge, true, fmt.Sprintf("%s challenge %s (%d characters) from a %d-character verifier",
		a.Challenge.Method, a.Challenge.Value, len(a.Challenge.Value), len(a.Verifier)))
	r.set(StepAuthorize, true, a.URL)
	return r
}

func (r *Result) set(n StepName, ok bool, detail string) {
	*r.Steps[n] = Step{Name: n, Done: true, OK: ok, Detail: detail}
}

func (r *Result) skip(n StepName, why string) {
	*r.Steps[n] = Step{Name: n, Done: true, OK: true, Skipped: true, Detail: "skipped: " + why}
}

// Fail marks a step failed with err, and reports false. A refusal in the server's words keeps
// the server's error code.
func (r *Result) Fail(n StepName, err error) bool {
	r.set(n, false, err.Error())
	r.Steps[n].Error = errorCode(err)
	return false
}

// errorCode is the server's error code in err, or "".
func errorCode(err error) string {
	var ae *AuthorizeError
	var se *ServerError
	switch {
	case errors.As(err, &ae) && ae.Server == nil:
		return ae.Err
	case errors.As(err, &ae):
		se = ae.Server
	case !errors.As(err, &se):
		return ""
	}
	switch {
	case se.Err != "":
		return se.Err
	case se.ErrorCode != 0:
		return fmt.Sprint(se.ErrorCode)
	case se.Code != 0:
		return fmt.Sprint(se.Code)
	}
	return ""
}

// TakeCallback records the callback and its state check. A callback that carries the
// authorization server's error= fails the authorize step, where the refusal happened, and leaves
// the callback step not reached.
func (r *Result) TakeCallback(cb Callback, err error) bool {
	r.Callback, r.CallbackAt = cb, r.now()
	var ae *AuthorizeError
	switch {
	case errors.As(err, &ae):
		return r.Fail(StepAuthorize, err)
	case err != nil:
		return r.Fail(StepCallback, err)
	}
	if cb.Issuer != "" {
		if want := issuerOf(r.Attempt.Config); cb.Issuer != want {
			return r.Fail(StepCallback, fmt.Errorf("the callback's iss %q is not the server the request went to (%s): "+
				"a mix-up attack looks like this (RFC 9207); the code is not used", cb.Issuer, want))
		}
		r.set(StepCallback, true, "code received; state matches the one sent; iss matches the server (RFC 9207)")
		return true
	}
	r.set(StepCallback, true, "code received; state matches the one sent")
	return true
}

// issuerOf is the issuer identifier a callback's iss must equal: the configured one, else the
// authorize endpoint's origin.
func issuerOf(c Config) string {
	if c.Issuer != "" {
		return c.Issuer
	}
	u, err := url.Parse(c.AuthorizeURL)
	if err != nil {
		return c.AuthorizeURL
	}
	return u.Scheme + "://" + u.Host
}

// Exchange trades the code for tokens and decodes the access token.
func (r *Result) Exchange(ctx context.Context, client *http.Client) bool {
	c := r.Attempt.Config
	r.TokenRequest = ExchangeRequest(c, r.Callback.Code, r.Attempt.Verifier)
	r.ExchangedAt = r.now()
	r.redeemed++
	resp, err := Do(ctx, client, r.TokenRequest, c.Timeout)
	r.TokenResponse = resp
	if err != nil {
		return r.Fail(StepToken, err)
	}
	t, err := ParseToken(resp)
	if err != nil {
		r.Fail(StepToken, err)
		r.Steps[StepToken].Causes = r.why(StepToken, err)
		return false
	}
	r.Token = t
	detail := fmt.Sprintf("%s token", t.TokenType)
	if t.ExpiresIn > 0 {
		detail += fmt.Sprintf(", expires in %ds", t.ExpiresIn)
	}
	if t.Scope != "" {
		detail += fmt.Sprintf(", scope %q", t.Scope)
	}
	if t.RefreshToken == "" {
		detail += ", no refresh token"
	}
	if r.TokenRequest.Public() {
		detail += "; sent as a public client: client_id in the body, no secret, PKCE alone binds the code"
	}
	for _, n := range t.Notes {
		detail += "; " + n
	}
	r.set(StepToken, true, detail)
	j, err := DecodeJWT(t.AccessToken)
	if err != nil {
		r.skip(StepClaims, "the access token is opaque (not a JWT), which is normal for many servers: there are no claims to read")
		return true
	}
	r.JWT = j
	detail = "decoded (signature not checked: only the issuer can)"
	if exp, ok := j.TimeClaim("exp"); ok {
		detail += fmt.Sprintf("; expires %s", exp.Format(time.RFC3339))
	}
	r.set(StepClaims, true, detail)
	return true
}

// latest is the newest token: the refreshed one once there is one.
func (r *Result) latest() *Token {
	if r.Refreshed != nil {
		return r.Refreshed
	}
	return r.Token
}

// Refresh uses the newest refresh token once and checks whether a new one came back. With no
// refresh token issued it is skipped, and the flow goes on.
func (r *Result) Refresh(ctx context.Context, client *http.Client) bool {
	c := r.Attempt.Config
	prev := r.latest()
	if prev.RefreshToken == "" {
		r.skip(StepRefresh, "the token response has no refresh_token (many servers issue one only for an offline_access or offline scope)")
		return true
	}
	r.RefreshRequest = RefreshRequest(c, prev.RefreshToken)
	resp, err := Do(ctx, client, r.RefreshRequest, c.Timeout)
	r.RefreshResponse = resp
	if err != nil {
		return r.Fail(StepRefresh, err)
	}
	t, err := ParseToken(resp)
	if err != nil {
		r.Fail(StepRefresh, err)
		r.Steps[StepRefresh].Causes = r.why(StepRefresh, err)
		return false
	}
	r.Refreshed = t
	switch {
	case t.RefreshToken == "":
		t.RefreshToken = prev.RefreshToken // the server kept the old one: use it next time
		r.set(StepRefresh, true, "new access token; no new refresh token: not rotated, the old one stays in use")
	case t.RefreshToken == prev.RefreshToken:
		r.set(StepRefresh, true, "new access token; the same refresh token came back: not rotated")
	default:
		r.set(StepRefresh, true, "new access token; the refresh token rotated (the old one is spent)")
	}
	return true
}

// FetchMe asks who the newest access token belongs to.
func (r *Result) FetchMe(ctx context.Context, client *http.Client) bool {
	c := r.Attempt.Config
	r.MeRequest = MeRequest(c, r.latest().AccessToken)
	resp, err := Do(ctx, client, r.MeRequest, c.Timeout)
	r.MeResponse = resp
	if err != nil {
		return r.Fail(StepMe, err)
	}
	me, err := ParseMe(resp)
	if err != nil {
		return r.Fail(StepMe, err)
	}
	r.Me = me
	r.set(StepMe, true, fmt.Sprintf("id %s, email %s, account %s", me.ID, me.Email, me.AccountID))
	return true
}

// OnAuthorized is the event the Zoom client fires in a Zoom App after zoomSdk.authorize: the code
// and state for the app's backend, and the redirect URI the code is bound to.
type OnAuthorized struct {
	Code        string `json:"code"`
	State       string `json:"state"`
	RedirectURI string `json:"redirectUri"`
	Result      bool   `json:"result"`
}

// InClient plays the in-client authorization: the app's zoomSdk.authorize call, the user's
// consent and the Zoom client's onAuthorized event, through the mock's stand-in for the Zoom
// client. The event's code becomes the callback, its state is checked, and the backend's token
// request will carry the event's redirect URI.
func (r *Result) InClient(ctx context.Context, client *http.Client) bool {
	c := r.Attempt.Config
	if c.InClientURL == "" {
		return r.Fail(StepAuthorize, errors.New("the in-client flow runs inside the Zoom client; zoomdbg plays the client's part "+
			"against a mock only (--mock, or zoomdbg mock-oauth)"))
	}
	body, _ := json.Marshal(map[string]string{"codeChallenge": r.Attempt.Challenge.Value, "state": r.Attempt.State})
	req := &Request{Method: http.MethodPost, URL: c.InClientURL, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	resp, err := Do(ctx, client, req, c.Timeout)
	if err != nil {
		return r.Fail(StepAuthorize, err)
	}
	var ev OnAuthorized
	if resp.Status != http.StatusOK {
		return r.Fail(StepAuthorize, authorizeRefusal(resp.Status, resp.Body))
	}
	if err := json.Unmarshal(resp.Body, &ev); err != nil || ev.Code == "" {
		return r.Fail(StepAuthorize, fmt.Errorf("the onAuthorized event is not what the Zoom client sends: %s", preview(resp.Body)))
	}
	r.set(StepAuthorize, true, r.Attempt.URL+" → the user consents in the Zoom client")
	r.Attempt.Config.RedirectURI = ev.RedirectURI // the backend must send the one the code is bound to
	cb, err := checkCallback(url.Values{"code": {ev.Code}, "state": {ev.State}}, r.Attempt.State)
	if !r.TakeCallback(cb, err) {
		return false
	}
	r.set(StepCallback, true, fmt.Sprintf("onAuthorized {code, state, redirectUri %q}: state matches; the backend exchanges "+
		"the code with that redirect_uri", ev.RedirectURI))
	return true
}

// AuthorizeError is the authorization endpoint refusing the request: an error page or JSON with a
// 4xx, or a redirect carrying error=, rfc6749#section-4.1.2.1. It belongs to the authorize step.
type AuthorizeError struct {
	Status      int
	Err         string // error=, or the JSON's error
	Description string
	Body        string // the page's text or JSON, shortened, when there was no redirect
	Server      *ServerError
}

func (e *AuthorizeError) Error() string {
	switch {
	case e.Server != nil:
		return "the authorization endpoint refused: " + e.Server.Error()
	case e.Err != "":
		desc := fmt.Sprintf("%q", e.Description)
		if e.Description == "" {
			desc = "(no description)"
		}
		return fmt.Sprintf("the authorization endpoint refused: %s: %s — %s", e.Err, desc, explainOAuthError(e.Err))
	}
	return fmt.Sprintf("the authorization endpoint answered HTTP %d with an error page: %s", e.Status, e.Body)
}

// Follow plays the browser against a server that approves at once (zoomdbg mock-oauth, unless
// started with --consent, or a test server): it requests the authorize URL, takes the redirect, and
// delivers it to the redirect URI. It returns the redirected URL. A refusal, as a 4xx page or JSON
// or as a redirect carrying error=, is an *AuthorizeError in the server's words.
func Follow(ctx context.Context, client *http.Client, authorizeURL string, timeout time.Duration) (string, error) {
	if client == nil {
		client = http.DefaultClient
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "text/html,application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", explainNetError(authorizeURL, timeout, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	switch {
	case resp.StatusCode/100 == 3 && loc != "":
	case resp.StatusCode >= 400:
		return "", authorizeRefusal(resp.StatusCode, body)
	default:
		if e := authorizeRefusal(resp.StatusCode, body); e.Server != nil {
			return "", e // an error in JSON, as Zoom's authorize page writes them, whatever the status
		}
		return "", fmt.Errorf("the authorize endpoint answered HTTP %d with a page (a login or consent screen), not a redirect: open the URL in a browser", resp.StatusCode)
	}
	if u, err := url.Parse(loc); err == nil && u.Query().Get("error") != "" {
		q := u.Query()
		return loc, &AuthorizeError{Status: resp.StatusCode, Err: q.Get("error"), Description: q.Get("error_description")}
	}
	// Deliver the redirect as a browser would; the listener, if any, takes it there.
	dreq, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return loc, nil
	}
	if dresp, err := c.Do(dreq); err == nil {
		dresp.Body.Close()
	}
	return loc, nil
}

// authorizeRefusal reads an authorization endpoint's error answer: JSON in any known shape, or a
// page, whose title and text stand for its words.
func authorizeRefusal(status int, body []byte) *AuthorizeError {
	e := &AuthorizeError{Status: status}
	se := &ServerError{Status: status}
	if json.Unmarshal(body, se) == nil && (se.Err != "" || se.ErrorCode != 0 || se.Code != 0 || se.Words() != "") {
		e.Server = se
		return e
	}
	e.Body = pageText(body)
	return e
}

var (
	tags   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]+>`)
	spaces = regexp.MustCompile(`\s+`)
)

// pageText is the visible text of an HTML page (or the start of any body), shortened.
func pageText(b []byte) string {
	s := html.UnescapeString(tags.ReplaceAllString(string(b), " "))
	s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}

// TokenBody is the token response's body for display, trimmed, with the access and refresh tokens
// cut to their first 8 characters unless reveal: either one acts as the user.
func (r *Result) TokenBody(reveal bool) string {
	if r.TokenResponse == nil {
		return ""
	}
	b := strings.TrimSpace(string(r.TokenResponse.Body))
	if reveal {
		return b
	}
	b = MaskTokens(b)
	if r.Token != nil { // a token the server sent outside its usual member
		for _, t := range []string{r.Token.AccessToken, r.Token.RefreshToken} {
			if len(t) > 12 {
				b = strings.ReplaceAll(b, t, t[:8]+"…(masked)")
			}
		}
	}
	return b
}

// Clone copies the result so a step can run on the copy in another goroutine while the original is
// displayed; the copy then replaces the original.
func (r *Result) Clone() *Result {
	c := *r
	c.Steps = make(map[StepName]*Step, len(r.Steps))
	for k, v := range r.Steps {
		s := *v
		c.Steps[k] = &s
	}
	return &c
}
