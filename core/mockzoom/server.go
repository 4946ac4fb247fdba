// Package mockzoom is a local server shaped like Zoom's OAuth endpoints, with PKCE enforcement
// switchable, so a flow can be tried before Zoom enforces it, offline and in CI. It also hands out
// app-context tokens for a configured user, sealed as Zoom seals them.
package mockzoom

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// Mode is a shorthand for a PKCE policy (see Policy), as --pkce takes it.
type Mode string

// The shorthands. The zero Mode is Zoom as it behaves today (ModeZoom).
const (
	ModeZoom       Mode = "zoom"        // S256 per the RFC, plain allowed, no method means plain, a challenge checked when sent
	ModeOff        Mode = "off"         // no verifier is checked, as Zoom did before enforcing PKCE
	ModeS256       Mode = "S256"        // a challenge required, S256 only, computed per the RFC
	ModeZoomLegacy Mode = "zoom-legacy" // a challenge required, "S256" computed as base64 of the hex digest
	ModePlain      Mode = "plain"       // a challenge required, plain only
	ModeAny        Mode = "any"         // any method zoomdbg knows, as a lenient server might
)

// Modes lists the shorthands.
var Modes = []Mode{ModeZoom, ModeOff, ModeS256, ModeZoomLegacy, ModePlain, ModeAny}

// Policy is how a server treats PKCE, per grant: the code_challenge_method the client declared
// (absent means plain, RFC 7636 §4.3, and Zoom's documentation), what the server computes for
// S256, whether plain is allowed, and whether a challenge is required at all.
type Policy struct {
	Require    bool        // refuse an authorization request without a code_challenge
	AllowPlain bool        // accept code_challenge_method=plain (or none)
	AllowS256  bool        // accept code_challenge_method=S256
	S256       pkce.Method // what the server computes for S256: pkce.S256 (the RFC) or pkce.ZoomLegacy
	Ignore     bool        // check no verifier at all
	Lenient    bool        // accept a verifier that any known method turns into the challenge
	// IgnorePadding compares challenges with trailing '=' trimmed from both, as
	// github.com/go-oauth2/oauth2/v4 does (const.go, CodeChallengeMethod.Validate): S256-padded
	// then passes as S256.
	IgnorePadding bool
}

// Policy returns the policy a shorthand stands for.
func (m Mode) Policy() Policy {
	switch m {
	case ModeOff:
		return Policy{Ignore: true, AllowPlain: true, AllowS256: true, S256: pkce.S256}
	case ModeS256:
		return Policy{Require: true, AllowS256: true, S256: pkce.S256}
	case ModeZoomLegacy:
		return Policy{Require: true, AllowS256: true, S256: pkce.ZoomLegacy}
	case ModePlain:
		return Policy{Require: true, AllowPlain: true, S256: pkce.S256}
	case ModeAny:
		return Policy{Require: true, AllowPlain: true, AllowS256: true, S256: pkce.S256, Lenient: true}
	}
	return Policy{AllowPlain: true, AllowS256: true, S256: pkce.S256} // Zoom today
}

// ParseMode reads a mode name.
func ParseMode(s string) (Mode, bool) {
	for _, m := range Modes {
		if strings.EqualFold(s, string(m)) {
			return m, true
		}
	}
	return "", false
}

// User is who the mock's tokens belong to.
type User struct {
	ID, Email, AccountID, FirstName, LastName string
	MeetingID                                 string // the mid of app contexts handed out
}

// Lifetimes, as Zoom's: a code lasts 5 minutes, an access token an hour, a refresh token 90 days.
const (
	CodeLifetime    = 5 * time.Minute
	AccessLifetime  = time.Hour
	RefreshLifetime = 90 * 24 * time.Hour
	maxBody         = 64 << 10
	// codeMemory is how long an expired or spent code is remembered past its lifetime, so that the
	// log can say "expired" rather than "never issued".
	codeMemory = time.Minute
)

// Server is the mock. Set its fields, then serve Handler. The zero clock and random source are
// the real ones; tests pin them.
type Server struct {
	ClientID     string
	ClientSecret []byte
	PKCE         Mode    // a shorthand for Policy, used when Policy is nil
	Policy       *Policy // how PKCE is treated; nil means PKCE's shorthand
	// Public registers the client as a public one: it has no secret, names itself with client_id
	// in the token request's body, and must use PKCE.
	Public bool
	// RedirectURIs are the redirect URLs on the app's allow list; empty allows any, as a mock
	// used from many loopback ports must.
	RedirectURIs []string
	AutoApprove  bool // redirect at once instead of showing a consent page
	User         User
	Now          func() time.Time
	Rand         io.Reader
	Log          func(format string, args ...any) // one line per request; nil for none
	// MaxLive bounds each of the codes, access tokens and refresh tokens kept; 0 is MaxLive.
	MaxLive int

	mu      sync.Mutex
	codes   *store[*grant]
	refresh *store[bool] // live refresh tokens
	access  *store[bool]
	signKey []byte
}

// Live counts the codes (spent ones until they expire), access tokens and refresh tokens the mock
// holds now: what its memory grows with.
func (s *Server) Live() (codes, access, refresh int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.codes == nil {
		return 0, 0, 0
	}
	now := s.now()
	s.codes.sweep(now)
	s.access.sweep(now)
	s.refresh.sweep(now)
	return s.codes.len(), s.access.len(), s.refresh.len()
}

type grant struct {
	redirectURI string
	challenge   string
	method      string // as declared; "" when absent
	scope       string
	issued      time.Time
	redeemed    bool   // spent: a second exchange is refused, as Zoom refuses it
	spentBy     string // why the first exchange failed, when it did: said when the code comes again
}

func (s *Server) policy() Policy {
	if s.Policy != nil {
		return *s.Policy
	}
	return s.PKCE.Policy()
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) random(n int) string {
	b := make([]byte, n)
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		panic("mockzoom: random source failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) logf(format string, args ...any) {
	if s.Log != nil {
		s.Log(format, args...)
	}
}

// Handler routes the mock's endpoints.
func (s *Server) Handler() http.Handler {
	s.mu.Lock()
	if s.codes == nil {
		n := s.MaxLive
		if n <= 0 {
			n = MaxLive
		}
		s.codes, s.access, s.refresh = newStore[*grant](CodeLifetime+codeMemory, n), newStore[bool](AccessLifetime, n), newStore[bool](RefreshLifetime, n)
		s.signKey = []byte(s.random(32))
	}
	s.mu.Unlock()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/authorize", s.authorize)
	mux.HandleFunc("POST /oauth/authorize/approve", s.approve)
	mux.HandleFunc("POST /oauth/token", s.token)
	mux.HandleFunc("GET /v2/users/me", s.me)
	mux.HandleFunc("GET /mock/app-context", s.appContext)
	mux.HandleFunc("POST /mock/in-client/authorize", s.inClient)
	return http.MaxBytesHandler(s.logged(mux), maxBody)
}

func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		s.logf("%s %s -> %d", r.Method, r.URL.Path, rec.status)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// authorize checks the request and either redirects with a code or shows a consent page. Its
// own refusals are JSON, as Zoom's authorize page answers: {"status":false,"errorCode":...}.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	switch {
	case q.Get("client_id") != s.ClientID:
		s.logf("authorize: errorCode 4702 (real cause: client_id %q is not %q)", q.Get("client_id"), s.ClientID)
		pageError(w, 4702, "Invalid client_id: "+q.Get("client_id"))
		return
	case redirect == "" || !s.redirectAllowed(redirect):
		s.logf("authorize: errorCode 4700 (real cause: redirect_uri %q is not on the allow list %q)", redirect, s.RedirectURIs)
		pageError(w, 4700, "Invalid redirect url")
		return
	}
	if q.Get("response_type") != "code" {
		s.redirectError(w, r, redirect, q.Get("state"), "unsupported_response_type", "response_type must be code")
		return
	}
	p := s.policy()
	method := q.Get("code_challenge_method")
	switch {
	case q.Get("code_challenge") == "" && (p.Require || s.Public):
		s.redirectError(w, r, redirect, q.Get("state"), "invalid_request", "code_challenge is required")
		return
	case q.Get("code_challenge") == "":
	case method == "" || method == "plain":
		if !p.AllowPlain {
			s.redirectError(w, r, redirect, q.Get("state"), "invalid_request", "code_challenge_method plain is not supported")
			return
		}
	case method == "S256":
		if !p.AllowS256 {
			s.redirectError(w, r, redirect, q.Get("state"), "invalid_request", "code_challenge_method S256 is not supported")
			return
		}
	default:
		s.redirectError(w, r, redirect, q.Get("state"), "invalid_request", "unsupported code_challenge_method")
		return
	}
	if s.AutoApprove {
		s.issue(w, r, q)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><title>Authorize</title><body style="font-family:sans-serif;margin:3em">
<h1>zoomdbg mock Zoom</h1><p>Allow the app <b>%s</b> to act as <b>%s</b>?</p>
<form method="post" action="/oauth/authorize/approve">`, html.EscapeString(s.ClientID), html.EscapeString(s.User.Email))
	for k, vs := range q {
		for _, v := range vs {
			fmt.Fprintf(w, `<input type="hidden" name="%s" value="%s">`, html.EscapeString(k), html.EscapeString(v))
		}
	}
	fmt.Fprint(w, `<button type="submit">Allow</button></form></body>`)
}

func (s *Server) redirectAllowed(u string) bool {
	if len(s.RedirectURIs) == 0 {
		return true
	}
	for _, r := range s.RedirectURIs {
		if r == u { // exact, case included, as Zoom compares
			return true
		}
	}
	return false
}

// pageError writes the JSON Zoom's authorize page answers with when it refuses a request.
func pageError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]any{"status": false, "errorCode": code, "errorMessage": msg, "result": nil})
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("client_id") != s.ClientID {
		http.Error(w, "bad approval", http.StatusBadRequest)
		return
	}
	s.issue(w, r, r.PostForm)
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request, q url.Values) {
	code := s.random(24)
	s.mu.Lock()
	s.codes.put(code, &grant{redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
		method: q.Get("code_challenge_method"), scope: q.Get("scope"), issued: s.now()}, s.now())
	s.mu.Unlock()
	v := url.Values{"code": {code}}
	if st := q.Get("state"); st != "" {
		v.Set("state", st)
	}
	http.Redirect(w, r, withQuery(q.Get("redirect_uri"), v), http.StatusFound)
}

func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, redirect, state, code, desc string) {
	v := url.Values{"error": {code}, "error_description": {desc}}
	if state != "" {
		v.Set("state", state)
	}
	http.Redirect(w, r, withQuery(redirect, v), http.StatusFound)
}

func withQuery(u string, v url.Values) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + v.Encode()
}

// oauthError writes Zoom's OAuth error body.
func oauthError(w http.ResponseWriter, status int, code, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// Zoom writes reason first: a struct keeps the order, which a map would sort.
	json.NewEncoder(w).Encode(struct {
		Reason string `json:"reason"`
		Error  string `json:"error"`
	}{reason, code})
}

// Zoom's token endpoint answers, as developers meet them (see the README for where each was
// seen). A PKCE mismatch, a reused code and an expired code get the same opaque answer: the real
// cause goes only to the mock's own log.
const (
	reasonBadCode     = "Invalid authorization code"
	reasonBadClient   = "Invalid client_id or client_secret"
	reasonRedirect    = "Invalid request : Redirect URI mismatch."
	reasonBadRefresh  = "Invalid Token!"
	reasonUnsupported = "unsupported grant type"
)

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request : the body must be form-encoded.")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request : unreadable body.")
		return
	}
	if cause := s.clientProblem(r); cause != "" {
		s.logf("token: invalid_client (real cause: %s)", cause)
		oauthError(w, http.StatusBadRequest, "invalid_client", reasonBadClient)
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		s.exchange(w, r.PostForm)
	case "refresh_token":
		s.refreshGrant(w, r.PostForm)
	default:
		s.logf("token: unsupported_grant_type (real cause: grant_type %q)", r.PostForm.Get("grant_type"))
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", reasonUnsupported)
	}
}

// clientProblem checks HTTP Basic or body credentials in constant time and says what is wrong
// with them, or "". A public client names itself in the body and has no secret to check.
func (s *Server) clientProblem(r *http.Request) string {
	id, secret, basic := r.BasicAuth()
	if basic { // rfc6749#section-2.3.1: each is form-urlencoded before Basic encodes the pair
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.ClientID)) == 1
	switch {
	case !idOK:
		return fmt.Sprintf("client_id %q is not this app's", id)
	case s.Public && !basic && secret == "":
		return ""
	case subtle.ConstantTimeCompare([]byte(secret), s.ClientSecret) != 1:
		how := "in the body"
		if basic {
			how = "in the Basic header"
		}
		return "the client secret " + how + " is not this app's"
	}
	return ""
}

func (s *Server) exchange(w http.ResponseWriter, form url.Values) {
	code := form.Get("code")
	s.mu.Lock()
	g, ok := s.codes.get(code, s.now())
	redeemed, spentBy := ok && g.redeemed, ""
	if ok {
		spentBy = g.spentBy
		g.redeemed = true // single use, whatever happens next
	}
	s.mu.Unlock()
	refuse := func(cause string) {
		s.logf("token: invalid_grant, %q (real cause: %s)", reasonBadCode, cause)
		oauthError(w, http.StatusBadRequest, "invalid_grant", reasonBadCode)
	}
	switch {
	case !ok:
		refuse(fmt.Sprintf("no such code is live: never issued, or issued over %s ago and expired", CodeLifetime))
		return
	case redeemed && spentBy != "":
		refuse("the code was spent by an earlier exchange that failed (" + spentBy + "); a code is single-use even when its exchange fails")
		return
	case redeemed:
		refuse("the code was already redeemed")
		return
	case s.now().Sub(g.issued) > CodeLifetime:
		refuse(fmt.Sprintf("the code is %s old; codes expire after %s", s.now().Sub(g.issued).Round(time.Second), CodeLifetime))
		return
	case form.Get("redirect_uri") != g.redirectURI:
		s.logf("token: invalid_request (real cause: redirect_uri %q, the code was issued for %q)", form.Get("redirect_uri"), g.redirectURI)
		oauthError(w, http.StatusBadRequest, "invalid_request", reasonRedirect)
		return
	}
	if cause := s.checkVerifier(g, form.Get("code_verifier")); cause != "" {
		s.mu.Lock()
		g.spentBy = "its verifier failed the PKCE check"
		s.mu.Unlock()
		refuse(cause)
		return
	}
	s.writeToken(w, g.scope)
}

// checkVerifier applies the policy to the grant's declared method and returns why the verifier
// is refused, in words for the log, or "".
func (s *Server) checkVerifier(g *grant, verifier string) string {
	p := s.policy()
	switch {
	case p.Ignore:
		return ""
	case g.challenge == "" && s.Public:
		return "a public client's code must be bound to a code_challenge"
	case g.challenge == "":
		return ""
	case verifier == "":
		return "the code was issued for a code_challenge and no code_verifier was sent"
	}
	if p.Lenient {
		for _, m := range pkce.Methods {
			if subtle.ConstantTimeCompare([]byte(pkce.Value(m, verifier)), []byte(g.challenge)) == 1 {
				return ""
			}
		}
		return fmt.Sprintf("no method turns the verifier into the challenge %q", g.challenge)
	}
	method, computes := pkce.Plain, "plain"
	if g.method == "S256" {
		method, computes = p.S256, "S256 per the RFC"
		if p.S256 == pkce.ZoomLegacy {
			computes = "S256 as Zoom's legacy base64 of the hex digest"
		}
	}
	got, want := pkce.Value(method, verifier), g.challenge
	if p.IgnorePadding {
		got, want = strings.TrimRight(got, "="), strings.TrimRight(want, "=")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1 {
		return ""
	}
	declared := g.method
	if declared == "" {
		declared = "none, so plain"
	}
	return fmt.Sprintf("code_challenge_method %s: the verifier gives %q under %s, the challenge was %q",
		declared, got, computes, g.challenge)
}

func (s *Server) refreshGrant(w http.ResponseWriter, form url.Values) {
	rt := form.Get("refresh_token")
	s.mu.Lock()
	_, ok := s.refresh.get(rt, s.now())
	s.refresh.del(rt) // rotates: the old one is spent
	s.mu.Unlock()
	if !ok {
		s.logf("token: invalid_grant, %q (real cause: the refresh token is spent or was never issued)", reasonBadRefresh)
		oauthError(w, http.StatusBadRequest, "invalid_grant", reasonBadRefresh)
		return
	}
	s.writeToken(w, "")
}

func (s *Server) writeToken(w http.ResponseWriter, scope string) {
	now := s.now()
	access := s.jwt(map[string]any{"ver": 9, "auid": s.random(8), "uid": s.User.ID, "aid": s.User.AccountID,
		"iss": "zm:cid:" + s.ClientID, "aud": "https://oauth.zoom.us", "nbf": now.Unix(), "iat": now.Unix(),
		"exp": now.Add(AccessLifetime).Unix(), "tokenType": "access_token", "jti": s.random(12)})
	refresh := s.random(32)
	s.mu.Lock()
	s.refresh.put(refresh, true, now)
	s.access.put(access, true, now)
	s.mu.Unlock()
	if scope == "" {
		scope = "user:read:user"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{"access_token": access, "token_type": "bearer",
		"refresh_token": refresh, "expires_in": int(AccessLifetime.Seconds()) - 1, "scope": scope})
}

// jwt signs claims with HS512 under the mock's own key, in the shape of Zoom's access tokens.
func (s *Server) jwt(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "HS512", "v": "2.0", "kid": "mock"})
	c, _ := json.Marshal(claims)
	signing := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	mac := hmac.New(sha512.New, s.signKey)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func apiError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	_, live := s.access.get(tok, s.now())
	s.mu.Unlock()
	if !ok || !live {
		apiError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"id": s.User.ID, "email": s.User.Email, "account_id": s.User.AccountID,
		"first_name": s.User.FirstName, "last_name": s.User.LastName, "type": 1, "status": "active"})
}

// InClientRedirect is the redirect URI an in-client code is bound to when the app registered none.
const InClientRedirect = "https://example.com/zoomapp/auth"

// inClient plays the Zoom client's part in a Zoom App's in-client OAuth: the app calls
// zoomSdk.authorize({codeChallenge, state}); the user consents; the client fires onAuthorized with
// {code, state, redirectUri}. zoomSdk.authorize takes no method, and Zoom documents plain only for
// it: the code is bound to the challenge as plain.
func (s *Server) inClient(w http.ResponseWriter, r *http.Request) {
	var call struct {
		CodeChallenge string `json:"codeChallenge"`
		State         string `json:"state"`
	}
	if err := json.NewDecoder(r.Body).Decode(&call); err != nil || call.CodeChallenge == "" {
		apiError(w, http.StatusBadRequest, 300, "zoomSdk.authorize needs a codeChallenge")
		return
	}
	redirect := InClientRedirect
	if len(s.RedirectURIs) > 0 {
		redirect = s.RedirectURIs[0]
	}
	code := s.random(24)
	s.mu.Lock()
	s.codes.put(code, &grant{redirectURI: redirect, challenge: call.CodeChallenge, method: "", issued: s.now()}, s.now())
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"code": code, "state": call.State, "redirectUri": redirect, "result": true})
}

// appContext hands out a fresh app-context token for the configured user, sealed with the client
// secret as Zoom seals them: ?typ=meeting (default), panel or webinar.
func (s *Server) appContext(w http.ResponseWriter, r *http.Request) {
	typ := r.URL.Query().Get("typ")
	if typ == "" {
		typ = "meeting"
	}
	now := s.now().UnixMilli()
	claims := map[string]any{"typ": typ, "uid": s.User.ID, "ts": now, "exp": now + appctx.ContextLifetime.Milliseconds(),
		"iss": "marketplace.zoom.us", "aud": s.ClientID, "theme": "dark"}
	if typ != "panel" {
		claims["mid"], claims["attendrole"] = s.User.MeetingID, "host"
	}
	pt, _ := json.Marshal(claims)
	rnd := s.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	tok, err := appctx.Seal(appctx.ZoomKey(s.ClientSecret), pt, nil, rnd)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, tok)
}

// Limits of the mock's HTTP server: slow clients are cut off, headers and bodies bounded.
const (
	ReadHeaderTimeout = 5 * time.Second
	MaxHeaderBytes    = 16 << 10
)

// HTTPServer wraps the handler in a server with the mock's limits.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{Handler: s.Handler(), ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: MaxHeaderBytes}
}
