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

	"github.com/zoomdbg/zoomdbg/core/neterr"
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

// set records a step's outcome; what it says is redacted, since it may hold what a server sent.
func (r *Result) set(n StepName, ok bool, detail string) {
	*r.Steps[n] = Step{Name: n, Done: true, OK: ok, Detail: r.redact(detail)}
}

func (r *Result) skip(n StepName, why string) {
	*r.Steps[n] = Step{Name: n, Done: true, OK: true, Skipped: true, Detail: "skipped: " + why}
}

// Fail marks a step failed with err, and reports false. A refusal in the server's words keeps
// the server's error code.
func (r *Result) Fail(n StepName, err error) bool {
	var ae *AuthorizeError
	if n == StepAuthorize && errors.As(err, &ae) && ae.Issuer != "" {
		if _, ierr := r.checkIss(ae.Issuer); ierr != nil {
			err = fmt.Errorf("a refusal came back whose iss is not this server's: %w; it is not this server's answer "+
				"(RFC 9207 §2.4): %v", ierr, err)
		}
	}
	r.set(n, false, err.Error())
	r.Steps[n].Error = errorCode(err)
	for _, c := range r.why(n, err) {
		r.Steps[n].Causes = append(r.Steps[n].Causes, r.redact(c))
	}
	return false
}

// errorCode is the server's error code in err, or "".
func errorCode(err error) string {
	var ae *AuthorizeError
	var se *ServerError
	switch {
	case errors.As(err, &ae) && ae.Server == nil && ae.Err == "" && ae.Status >= 400:
		return fmt.Sprintf("HTTP %d", ae.Status) // an error page: the status is all the code there is
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

// TakeCallback records the callback and its state and iss checks. A callback that carries the
// authorization server's error= fails the authorize step, where the refusal happened, and leaves
// the callback step not reached.
func (r *Result) TakeCallback(cb Callback, err error) bool {
	r.Callback, r.CallbackAt = cb, r.now()
	var ae *AuthorizeError
	switch {
	case errors.As(err, &ae):
		ae.Issuer = cb.Issuer
		return r.Fail(StepAuthorize, err)
	case err != nil:
		return r.Fail(StepCallback, err)
	}
	note, err := r.checkIss(cb.Issuer)
	if err != nil {
		return r.Fail(StepCallback, fmt.Errorf("the callback's iss: %w: a mix-up attack looks like this (RFC 9207); the code is not used", err))
	}
	r.set(StepCallback, true, "code received; state matches the one sent"+note)
	return true
}

// checkIss holds a response's iss (rfc9207#section-2) to the issuer: exactly to the configured or
// discovered one; without one, to the authorize endpoint's origin, or to an issuer on that origin
// whose path the authorize endpoint's path begins with (http://host/oidc for http://host/oidc/auth),
// said as such. It returns a note for the step's detail.
func (r *Result) checkIss(iss string) (string, error) {
	c := r.Attempt.Config
	switch {
	case iss == "" && c.Metadata != nil && c.Metadata.IssParameterSupported:
		return "", fmt.Errorf("%w: the server advertises authorization_response_iss_parameter_supported but sent no iss; "+
			"RFC 9207 §2.4 says to refuse such a response", ErrIssuerMismatch)
	case iss == "":
		return "", nil
	case c.Issuer != "":
		if err := CompareIssuer(iss, c.Issuer); err != nil {
			return "", err
		}
		return "; iss is the issuer " + c.Issuer + " (RFC 9207)", nil
	}
	u, err := url.Parse(c.AuthorizeURL)
	if err != nil {
		return "", fmt.Errorf("%w: %q, and the authorize URL does not parse", ErrIssuerMismatch, iss)
	}
	origin := u.Scheme + "://" + u.Host
	i, err := url.Parse(iss)
	switch {
	case iss == origin:
		return "; iss matches the server (RFC 9207)", nil
	case err == nil && i.Scheme+"://"+i.Host == origin && i.RawQuery == "" && i.Fragment == "" &&
		strings.HasPrefix(u.Path, strings.TrimSuffix(i.Path, "/")+"/"):
		return fmt.Sprintf("; iss %q is an issuer with a path on the authorize endpoint's origin, as Keycloak, Auth0 and Okta use: "+
			"pass --issuer %s to hold it to exactly that (RFC 9207)", iss, iss), nil
	}
	return "", fmt.Errorf("%w: %q is not the server the request went to (%s)", ErrIssuerMismatch, iss, origin)
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
	var credNote string
	if IsInvalidClient(err) {
		var diagnosis string
		t, credNote, diagnosis = r.otherCredentials(ctx, client)
		if diagnosis != "" {
			r.Fail(StepToken, err)
			r.Steps[StepToken].Causes = append([]string{diagnosis}, r.Steps[StepToken].Causes...)
			return false
		}
	}
	if t == nil {
		return r.Fail(StepToken, err)
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
	detail += credNote + r.scopeNote(t)
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

// IsInvalidClient reports whether err is a token endpoint's invalid_client.
func IsInvalidClient(err error) bool {
	var se *ServerError
	return errors.As(err, &se) && se.Err == "invalid_client"
}

// otherCredentials is what the token step does after invalid_client: the other secrets, each in
// turn with the configured client authentication (the first accepted one is used, and named);
// then, as a diagnosis only, every secret in the other encoding (Basic for body, body for Basic),
// since a server that does not URL-decode Basic credentials refuses a secret with special
// characters there and takes it in the body. It returns the token and a note when another secret
// was taken, or a diagnosis when only the other encoding was.
func (r *Result) otherCredentials(ctx context.Context, client *http.Client) (*Token, string, string) {
	c := r.Attempt.Config
	if len(c.ClientSecret) == 0 || c.ClientAuth == AuthNone {
		return nil, "", ""
	}
	all := append([]NamedSecret{{Label: cmpOr(c.SecretLabel, "the secret"), Value: c.ClientSecret}}, c.OtherSecrets...)
	try := func(s NamedSecret, auth ClientAuth) (*Request, *Response, *Token, error) {
		c2 := c
		c2.ClientSecret, c2.ClientAuth = s.Value, auth
		req := ExchangeRequest(c2, r.Callback.Code, r.Attempt.Verifier)
		resp, err := Do(ctx, client, req, c.Timeout)
		if err != nil {
			return req, nil, nil, err
		}
		t, err := ParseToken(resp)
		return req, resp, t, err
	}
	refused := []string{all[0].Label}
	for _, s := range all[1:] {
		req, resp, t, err := try(s, c.ClientAuth)
		if err == nil {
			r.TokenRequest, r.TokenResponse = req, resp
			r.useSecret(s)
			return t, fmt.Sprintf("; client authenticated with the secret %s (%s refused with invalid_client)", s.Label,
				strings.Join(refused, ", ")), ""
		}
		if !IsInvalidClient(err) {
			return nil, "", ""
		}
		refused = append(refused, s.Label)
	}
	other := map[ClientAuth]ClientAuth{AuthBasic: AuthBody, AuthBody: AuthBasic}[c.ClientAuth]
	for _, s := range all {
		if _, _, _, err := try(s, other); err == nil {
			return nil, "", fmt.Sprintf("the server refuses the secret %s sent as %s (%s) and takes it sent as %s (%s): use --client-auth %s. "+
				"A server that does not URL-decode Basic credentials (RFC 6749 §2.3.1 says to) refuses a secret holding characters "+
				"such as + / %% & : = over Basic; this code was spent by the diagnosis, run again", s.Label, c.ClientAuth.RegisteredName(),
				c.ClientAuth, other.RegisteredName(), other, other)
		}
	}
	if len(all) > 1 {
		return nil, "", fmt.Sprintf("every secret was refused with invalid_client, sent as %s and as %s: %s",
			c.ClientAuth.RegisteredName(), other.RegisteredName(), strings.Join(refused, ", "))
	}
	return nil, "", ""
}

// useSecret makes s the secret the rest of the run (the refresh) sends; the others stay known,
// so that they are still redacted from what servers send back.
func (r *Result) useSecret(s NamedSecret) {
	c := &r.Attempt.Config
	others := []NamedSecret{{Label: c.SecretLabel, Value: c.ClientSecret}}
	for _, o := range c.OtherSecrets {
		if o.Label != s.Label {
			others = append(others, o)
		}
	}
	c.ClientSecret, c.SecretLabel, c.OtherSecrets = s.Value, s.Label, others
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// scopeNote compares the granted scope with the requested one, rfc6749#section-3.3: what was
// dropped, with the usual reason.
func (r *Result) scopeNote(t *Token) string {
	asked := r.Attempt.Config.Scopes
	if t.Scope == "" || len(asked) == 0 {
		return ""
	}
	granted := map[string]bool{}
	for _, s := range strings.Fields(t.Scope) {
		granted[s] = true
	}
	var dropped []string
	for _, s := range asked {
		if !granted[s] {
			dropped = append(dropped, s)
		}
	}
	if len(dropped) == 0 {
		return ""
	}
	note := fmt.Sprintf("; the server dropped %s from the scope asked for (granted %q)", strings.Join(dropped, " "), t.Scope)
	for _, d := range dropped {
		switch d {
		case "offline_access":
			if r.Attempt.Config.Prompt != "consent" {
				note += "; offline_access is granted by most OpenID providers only with prompt=consent (OpenID Connect Core §11): add --prompt consent"
			} else {
				note += "; offline_access was dropped even with prompt=consent: the client may not be allowed the refresh_token grant"
			}
		case "offline":
			note += "; offline is granted only to a client registered for the refresh_token grant and that scope"
		}
	}
	return note
}

// droppedOffline reports whether an offline scope was asked for and not granted.
func (r *Result) droppedOffline() string {
	if r.Token == nil || r.Token.Scope == "" {
		return ""
	}
	granted := " " + r.Token.Scope + " "
	for _, s := range r.Attempt.Config.Scopes {
		if (s == "offline_access" || s == "offline") && !strings.Contains(granted, " "+s+" ") {
			return s
		}
	}
	return ""
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
		why := "the token response has no refresh_token (many servers issue one only for an offline_access or offline scope)"
		if d := r.droppedOffline(); d != "" {
			why = "the token response has no refresh_token: " + d + " was asked for and not granted (see the token step)"
		}
		r.skip(StepRefresh, why)
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
		return r.Fail(StepRefresh, err)
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
	if p := HeaderProblem(r.latest().AccessToken); p != "" {
		return r.Fail(StepMe, errors.New(p))
	}
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
	detail := "id " + me.ID
	if me.Email != "" {
		detail += ", email " + me.Email
	}
	if me.AccountID != "" {
		detail += ", account " + me.AccountID
	}
	if me.Sub != "" && me.Sub == me.ID && c.MeURL != "" {
		detail += " (the OpenID provider's userinfo: sub)"
	}
	r.set(StepMe, true, detail)
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
	Issuer      string // the redirect's iss, rfc9207, when it carried one
}

func (e *AuthorizeError) Error() string {
	switch {
	case e.Server != nil:
		return "the authorization endpoint refused: " + e.Server.Error()
	case e.Err != "":
		desc := fmt.Sprintf("%q", capText(e.Description))
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
		return "", neterr.Explain(authorizeURL, timeout, err, "server")
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
	if lu, err := req.URL.Parse(loc); err == nil {
		loc = lu.String() // a relative Location, resolved as a browser resolves it
	}
	if err := toRedirectURI(authorizeURL, loc); err != nil {
		return loc, err
	}
	if u, err := url.Parse(loc); err == nil && u.Query().Get("error") != "" {
		q := u.Query()
		return loc, &AuthorizeError{Status: resp.StatusCode, Err: q.Get("error"), Description: q.Get("error_description"), Issuer: q.Get("iss")}
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

// ErrNotRedirectURI marks an authorize endpoint that redirected somewhere other than the redirect
// URI: a login or consent page, or a misconfigured server. No callback can come.
var ErrNotRedirectURI = errors.New("the authorize endpoint did not redirect to the redirect URI")

// toRedirectURI checks that loc is the authorize request's redirect_uri (scheme, host, port and
// path; the query is the server's), so that a redirect elsewhere is said at once instead of
// waiting for a callback that will not come.
func toRedirectURI(authorizeURL, loc string) error {
	want, err := url.Parse(authorizedRedirect(authorizeURL))
	if err != nil || want.Host == "" {
		return nil // nothing to hold it to
	}
	got, err := url.Parse(loc)
	if err == nil && strings.EqualFold(got.Scheme, want.Scheme) && strings.EqualFold(got.Host, want.Host) && got.Path == want.Path {
		return nil
	}
	shown := loc
	if err == nil {
		got.RawQuery, got.Fragment = "", ""
		shown = got.Redacted()
	}
	return fmt.Errorf("%w: it sent the browser to %s, not to %s: a login or consent page, or a server that ignores "+
		"redirect_uri; open the URL in a browser (--follow plays only a server that approves at once)", ErrNotRedirectURI,
		capText(shown), want.String())
}

// ReadAuthorizeRefusal reads an authorization endpoint's error answer (status and body) the way
// Follow does, for a caller that plays the browser itself.
func ReadAuthorizeRefusal(status int, body []byte) *AuthorizeError {
	return authorizeRefusal(status, body)
}

// ToRedirectURI reports, as Follow does, a redirect that is not to the authorize URL's redirect_uri.
func ToRedirectURI(authorizeURL, loc string) error { return toRedirectURI(authorizeURL, loc) }

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
	if s == "" {
		return "(empty body)"
	}
	return capText(s)
}

// maxShownBody is how much of a token response is shown: a real one is under 2 KB.
const maxShownBody = 4 << 10

// TokenBody is the token response's body for display, trimmed, with the access and refresh tokens
// cut to their first 8 characters unless reveal: either one acts as the user.
func (r *Result) TokenBody(reveal bool) string {
	if r.TokenResponse == nil {
		return ""
	}
	b := strings.TrimSpace(r.redact(string(r.TokenResponse.Body)))
	if len(b) > maxShownBody {
		b = fmt.Sprintf("%s… (cut: %d bytes in all)", strings.ToValidUTF8(b[:maxShownBody], ""), len(b))
	}
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
