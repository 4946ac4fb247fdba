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

	"zoomdbg/core/appctx"
	"zoomdbg/core/pkce"
)

// Mode is how the server checks the code_verifier at the token endpoint.
type Mode string

// Enforcement modes. Off accepts any verifier or none, as Zoom did before enforcing PKCE.
const (
	ModeOff        Mode = "off"
	ModeS256       Mode = "S256"
	ModeZoomLegacy Mode = "zoom-legacy"
	ModePlain      Mode = "plain"
	ModeAny        Mode = "any" // any method zoomdbg knows, as a lenient server might
)

// Modes lists the enforcement modes.
var Modes = []Mode{ModeOff, ModeS256, ModeZoomLegacy, ModePlain, ModeAny}

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

// Lifetimes, as Zoom's: a code lasts minutes, an access token an hour.
const (
	CodeLifetime   = 5 * time.Minute
	AccessLifetime = time.Hour
	maxBody        = 64 << 10
)

// Server is the mock. Set its fields, then serve Handler. The zero clock and random source are
// the real ones; tests pin them.
type Server struct {
	ClientID     string
	ClientSecret []byte
	PKCE         Mode
	AutoApprove  bool // redirect at once instead of showing a consent page
	User         User
	Now          func() time.Time
	Rand         io.Reader
	Log          func(format string, args ...any) // one line per request; nil for none

	mu      sync.Mutex
	codes   map[string]*grant
	refresh map[string]bool // live refresh tokens
	access  map[string]time.Time
	signKey []byte
}

type grant struct {
	redirectURI string
	challenge   string
	method      string
	scope       string
	issued      time.Time
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
		s.codes, s.refresh, s.access = map[string]*grant{}, map[string]bool{}, map[string]time.Time{}
		s.signKey = []byte(s.random(32))
	}
	s.mu.Unlock()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/authorize", s.authorize)
	mux.HandleFunc("POST /oauth/authorize/approve", s.approve)
	mux.HandleFunc("POST /oauth/token", s.token)
	mux.HandleFunc("GET /v2/users/me", s.me)
	mux.HandleFunc("GET /mock/app-context", s.appContext)
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

// authorize checks the request and either redirects with a code or shows a consent page.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	if q.Get("client_id") != s.ClientID || redirect == "" {
		http.Error(w, "unknown client_id or missing redirect_uri", http.StatusBadRequest)
		return
	}
	if q.Get("response_type") != "code" {
		s.redirectError(w, r, redirect, q.Get("state"), "unsupported_response_type", "response_type must be code")
		return
	}
	if s.PKCE != ModeOff && q.Get("code_challenge") == "" {
		s.redirectError(w, r, redirect, q.Get("state"), "invalid_request", "code_challenge is required: this server enforces PKCE")
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
	s.codes[code] = &grant{redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
		method: q.Get("code_challenge_method"), scope: q.Get("scope"), issued: s.now()}
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
	json.NewEncoder(w).Encode(map[string]string{"reason": reason, "error": code})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the token request must be form-encoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "unreadable form body")
		return
	}
	if !s.clientOK(r) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		s.exchange(w, r.PostForm)
	case "refresh_token":
		s.refreshGrant(w, r.PostForm)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
	}
}

// clientOK checks HTTP Basic or body credentials in constant time.
func (s *Server) clientOK(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if ok { // rfc6749#section-2.3.1: each is form-urlencoded before Basic encodes the pair
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.ClientID))
	secretOK := subtle.ConstantTimeCompare([]byte(secret), s.ClientSecret)
	return idOK&secretOK == 1
}

func (s *Server) exchange(w http.ResponseWriter, form url.Values) {
	code := form.Get("code")
	s.mu.Lock()
	g, ok := s.codes[code]
	delete(s.codes, code) // single use, whatever happens next
	s.mu.Unlock()
	switch {
	case !ok:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code "+code)
		return
	case s.now().Sub(g.issued) > CodeLifetime:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Authorization code expired")
		return
	case form.Get("redirect_uri") != g.redirectURI:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Redirect URI mismatch")
		return
	}
	if reason := s.checkVerifier(g, form.Get("code_verifier")); reason != "" {
		oauthError(w, http.StatusBadRequest, "invalid_grant", reason)
		return
	}
	s.writeToken(w, g.scope)
}

// checkVerifier applies the enforcement mode and returns why the verifier is refused, or "".
func (s *Server) checkVerifier(g *grant, verifier string) string {
	if s.PKCE == ModeOff {
		return ""
	}
	if verifier == "" {
		return "Missing code_verifier: this server enforces PKCE"
	}
	var methods []pkce.Method
	switch s.PKCE {
	case ModeS256:
		methods = []pkce.Method{pkce.S256}
	case ModeZoomLegacy:
		methods = []pkce.Method{pkce.ZoomLegacy}
	case ModePlain:
		methods = []pkce.Method{pkce.Plain}
	case ModeAny:
		methods = pkce.Methods
	}
	for _, m := range methods {
		if c := pkce.Compute(m, verifier); subtle.ConstantTimeCompare([]byte(c.Value), []byte(g.challenge)) == 1 {
			return ""
		}
	}
	return fmt.Sprintf("Invalid code_verifier: it does not produce the code_challenge under %s", s.PKCE)
}

func (s *Server) refreshGrant(w http.ResponseWriter, form url.Values) {
	rt := form.Get("refresh_token")
	s.mu.Lock()
	ok := s.refresh[rt]
	delete(s.refresh, rt) // rotates: the old one is spent
	s.mu.Unlock()
	if !ok {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
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
	s.refresh[refresh] = true
	s.access[access] = now.Add(AccessLifetime)
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
	exp, live := s.access[tok]
	s.mu.Unlock()
	if !ok || !live || s.now().After(exp) {
		apiError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"id": s.User.ID, "email": s.User.Email, "account_id": s.User.AccountID,
		"first_name": s.User.FirstName, "last_name": s.User.LastName, "type": 1, "status": "active"})
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
