package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Callback is what the authorization server sent back to the redirect URI.
type Callback struct {
	Code             string
	State            string
	Error            string // error, rfc6749#section-4.1.2.1
	ErrorDescription string
	Issuer           string // iss, rfc9207, when the server sends it
}

// ErrStateMismatch marks a callback whose state is not the one this attempt sent: it was not
// started here, which is what a cross-site request forgery looks like, rfc6749#section-10.12.
var ErrStateMismatch = errors.New("state mismatch: this callback was not started by this flow (possible CSRF)")

// ParseCallback reads a redirected URL as pasted by hand and checks its state.
func ParseCallback(raw, wantState string) (Callback, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return Callback{}, fmt.Errorf("not a URL: %w", err)
	}
	q := u.Query()
	if q.Get("code") == "" && q.Get("error") == "" && u.Fragment != "" {
		q, _ = url.ParseQuery(u.Fragment) // some pasted URLs carry the parameters after '#'
	}
	return checkCallback(q, wantState)
}

func checkCallback(q url.Values, wantState string) (Callback, error) {
	cb := Callback{Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error"),
		ErrorDescription: q.Get("error_description"), Issuer: q.Get("iss")}
	if subtle.ConstantTimeCompare([]byte(cb.State), []byte(wantState)) != 1 {
		return cb, ErrStateMismatch
	}
	if cb.Error != "" {
		return cb, &AuthorizeError{Err: cb.Error, Description: cb.ErrorDescription}
	}
	if cb.Code == "" {
		return cb, errors.New("the callback has no code")
	}
	return cb, nil
}

// ErrPortBusy marks a callback port another program holds.
var ErrPortBusy = errors.New("the callback port is in use")

// Listener takes the redirect on this machine: an HTTP server on the redirect URI's loopback
// address that accepts exactly one callback carrying this attempt's state, refuses the others, and
// answers the browser with a short page.
type Listener struct {
	Addr string // where it listens, host:port

	path     string
	state    string
	srv      *http.Server
	ln       net.Listener
	result   chan Callback
	once     sync.Once
	mu       sync.Mutex
	refused  int
	accepted bool
}

// maxCallbackHeader bounds a callback request's headers; a redirect carries a short query.
const maxCallbackHeader = 8 << 10

// Listen starts the listener for redirectURI, which must be http on a loopback host. Port 0 picks a
// free port; the returned Addr says which, and RedirectURI rebuilds the URI with it. Until Expect
// names the state of the attempt, every callback is refused.
func Listen(redirectURI string) (*Listener, error) {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme != "http" || !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("redirect URI %q: zoomdbg can only listen on http://127.0.0.1 or http://localhost", redirectURI)
	}
	host := u.Hostname()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, u.Port()))
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%w: %s is taken (another zoomdbg flow, or another program, listens there): stop that run, "+
			"or register another loopback redirect URI with the app and pass it with --redirect-uri, or just the port with --callback-port",
			ErrPortBusy, net.JoinHostPort(host, u.Port()))
	}
	if err != nil {
		return nil, fmt.Errorf("listen for the callback: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	l := &Listener{Addr: ln.Addr().String(), path: path, ln: ln, result: make(chan Callback, 1)}
	l.srv = &http.Server{Handler: l, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, MaxHeaderBytes: maxCallbackHeader}
	go l.srv.Serve(ln)
	return l, nil
}

// RedirectURI is the redirect URI with the port actually bound.
func (l *Listener) RedirectURI(original string) string {
	u, _ := url.Parse(original)
	_, port, _ := net.SplitHostPort(l.Addr)
	u.Host = net.JoinHostPort(u.Hostname(), port)
	return u.String()
}

// Expect sets the state the one accepted callback must carry.
func (l *Listener) Expect(state string) {
	l.mu.Lock()
	l.state = state
	l.mu.Unlock()
}

func (l *Listener) expected() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// ServeHTTP answers one callback request.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != l.path {
		http.NotFound(w, r)
		return
	}
	state := l.expected()
	cb, err := checkCallback(r.URL.Query(), state)
	if state == "" {
		err = ErrStateMismatch // nothing is expected yet
	}
	if errors.Is(err, ErrStateMismatch) {
		l.mu.Lock()
		l.refused++
		l.mu.Unlock()
		page(w, http.StatusBadRequest, "Refused", "This callback's state does not match the flow zoomdbg started, so it was refused (possible CSRF).")
		return
	}
	l.mu.Lock()
	first := !l.accepted
	l.accepted = true
	l.mu.Unlock()
	if !first {
		page(w, http.StatusConflict, "Already done", "zoomdbg has already taken a callback for this flow.")
		return
	}
	l.result <- cb
	if err != nil {
		page(w, http.StatusOK, "Authorization failed", err.Error()+" You can close this tab.")
		return
	}
	page(w, http.StatusOK, "zoomdbg has the code", "Authorization code received. You can close this tab and return to the terminal.")
}

func page(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>%s</title><body style=\"font-family:sans-serif;margin:3em\"><h1>%s</h1><p>%s</p></body>",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(msg))
}

// Refused counts the callbacks refused for a wrong state.
func (l *Listener) Refused() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// Wait returns the accepted callback, or an error when ctx ends first (a timeout: the user did not
// finish in the browser). The callback's own error, if any, is returned with it.
func (l *Listener) Wait(ctx context.Context) (Callback, error) {
	select {
	case cb := <-l.result:
		_, err := checkCallback(url.Values{"code": {cb.Code}, "state": {cb.State}, "error": {cb.Error},
			"error_description": {cb.ErrorDescription}}, l.expected())
		return cb, err
	case <-ctx.Done():
		return Callback{}, fmt.Errorf("no callback arrived: %w", ctx.Err())
	}
}

// Close stops listening.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err = l.srv.Shutdown(ctx)
		// Serve may not have started yet, and Shutdown closes only the listeners Serve tracks:
		// close the port here, so it is free when Close returns.
		l.ln.Close()
	})
	return err
}
