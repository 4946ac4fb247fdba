package oauth

import (
	"context"
	"fmt"
	"net/http"
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

// Fail marks a step failed with err, and reports false.
func (r *Result) Fail(n StepName, err error) bool {
	r.set(n, false, err.Error())
	return false
}

// TakeCallback records the callback and its state check.
func (r *Result) TakeCallback(cb Callback, err error) bool {
	r.Callback = cb
	if err != nil {
		return r.Fail(StepCallback, err)
	}
	r.set(StepCallback, true, "code received; state matches the one sent")
	return true
}

// Exchange trades the code for tokens and decodes the access token.
func (r *Result) Exchange(ctx context.Context, client *http.Client) bool {
	c := r.Attempt.Config
	r.TokenRequest = ExchangeRequest(c, r.Callback.Code, r.Attempt.Verifier)
	resp, err := Do(ctx, client, r.TokenRequest, c.Timeout)
	r.TokenResponse = resp
	if err != nil {
		return r.Fail(StepToken, err)
	}
	t, err := ParseToken(resp)
	if err != nil {
		return r.Fail(StepToken, err)
	}
	r.Token = t
	r.set(StepToken, true, fmt.Sprintf("%s token, expires in %ds, scope %q", t.TokenType, t.ExpiresIn, t.Scope))
	j, err := DecodeJWT(t.AccessToken)
	if err != nil {
		return r.Fail(StepClaims, err)
	}
	r.JWT = j
	detail := "decoded (signature not checked: only Zoom can)"
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

// Refresh uses the newest refresh token once and checks that a new one came back.
func (r *Result) Refresh(ctx context.Context, client *http.Client) bool {
	c := r.Attempt.Config
	prev := r.latest()
	r.RefreshRequest = RefreshRequest(c, prev.RefreshToken)
	resp, err := Do(ctx, client, r.RefreshRequest, c.Timeout)
	r.RefreshResponse = resp
	if err != nil {
		return r.Fail(StepRefresh, err)
	}
	t, err := ParseToken(resp)
	if err != nil {
		return r.Fail(StepRefresh, err)
	}
	r.Refreshed = t
	if t.RefreshToken == prev.RefreshToken {
		r.set(StepRefresh, true, "new access token; the refresh token did not rotate")
	} else {
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

// Follow plays the browser against a server that approves at once (zoomdbg mock-oauth, unless
// started with --consent, or a test server): it requests the authorize URL, takes the redirect, and
// delivers it to the redirect URI. It returns the redirected URL.
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
	resp, err := c.Do(req)
	if err != nil {
		return "", explainNetError(authorizeURL, timeout, err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || loc == "" {
		return "", fmt.Errorf("the authorize endpoint answered HTTP %d with a page (a login or consent screen), not a redirect: open the URL in a browser", resp.StatusCode)
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

// TokenBody is the token response's body for display, trimmed, with the access and refresh tokens
// cut to their first 8 characters unless reveal: either one acts as the user.
func (r *Result) TokenBody(reveal bool) string {
	if r.TokenResponse == nil {
		return ""
	}
	b := strings.TrimSpace(string(r.TokenResponse.Body))
	if reveal || r.Token == nil {
		return b
	}
	for _, t := range []string{r.Token.AccessToken, r.Token.RefreshToken} {
		if len(t) > 12 {
			b = strings.ReplaceAll(b, t, t[:8]+"…(masked)")
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
