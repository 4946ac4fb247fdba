package check

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Home is what the home URL answered the Zoom client's first request with.
type Home struct {
	URL         string   `json:"url"`
	Status      int      `json:"status"`
	ContentType string   `json:"content_type"`
	Redirects   []string `json:"redirects"`
	Headers     []Header `json:"headers"`
	Console     string   `json:"console,omitempty"` // what the Zoom client's console prints, when it refuses the page
	Notes       []string `json:"notes"`             // other things seen that commonly blank the panel
	Err         string   `json:"error,omitempty"`
	Leaked      []string `json:"leaked,omitempty"` // forms of the client secret the answer held, redacted
	Curl        string   `json:"curl"`
	Response    string   `json:"response"`

	header http.Header // the answer's headers, the secret redacted
	body   []byte      // the answer's body, as far as it was read, the secret redacted
}

// Header is one of the OWASP headers Zoom requires, as the home URL sent it.
type Header struct {
	Name    string `json:"name"`
	Present bool   `json:"present"`
	Value   string `json:"value"`
	Problem string `json:"problem"`
}

// RequiredHeaders are the OWASP secure headers the Zoom client requires on every text/html 200
// response; a page without any of them is not rendered (Zoom Apps docs, "OWASP Headers").
var RequiredHeaders = []string{"Strict-Transport-Security", "X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy"}

// Rendered reports whether the answer is one the Zoom client checks and renders: text/html, 200.
func (h *Home) Rendered() bool {
	ct, _, _ := mime.ParseMediaType(h.ContentType)
	return h.Status == http.StatusOK && ct == "text/html"
}

// Missing lists the required headers the page lacks.
func (h *Home) Missing() []string {
	var m []string
	for _, hd := range h.Headers {
		if !hd.Present {
			m = append(m, hd.Name)
		}
	}
	return m
}

// ConsoleMessage is the error the Zoom client logs for a page missing required headers, in the
// shape Zoom's docs show it.
func ConsoleMessage(missing []string, u string) string {
	var b strings.Builder
	b.WriteString("Missing OWASP Secure Headers:")
	for _, m := range missing {
		fmt.Fprintf(&b, "%q", m)
	}
	return b.String() + "for " + u
}

// home fetches the URL as the Zoom client does: its user agent and a freshly sealed, valid
// context in the x-zoom-app-context header.
func (c *checker) home(ctx context.Context) (*Home, error) {
	tok, err := c.sealValid()
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set(HeaderName, tok)
	h.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	ex, err := c.do(ctx, http.MethodGet, c.o.URL, h, nil)
	if err != nil {
		return nil, err
	}
	home := &Home{URL: c.o.URL, Status: ex.status, ContentType: ex.header.Get("Content-Type"),
		Redirects: ex.redirects, Curl: ex.curl(), Response: ex.response(), Leaked: ex.leaked, Err: ex.loop,
		header: ex.header, body: ex.respBody}
	if home.Redirects == nil {
		home.Redirects = []string{}
	}
	for _, name := range RequiredHeaders {
		hd := headerCheck(name, ex.header.Values(name))
		if !hd.Present && !home.Rendered() {
			hd.Problem = fmt.Sprintf("missing; the Zoom client checks these on text/html 200 answers, and this one is HTTP %d %s", ex.status, home.ContentType)
		}
		home.Headers = append(home.Headers, hd)
	}
	if m := home.Missing(); len(m) > 0 && home.Rendered() {
		home.Console = ConsoleMessage(m, c.o.URL)
	}
	home.Notes = notes(c.o.URL, ex)
	return home, nil
}

// headerCheck says what is wrong with one required header's values.
func headerCheck(name string, values []string) Header {
	h := Header{Name: name, Present: len(values) > 0, Value: strings.Join(values, ", ")}
	v := strings.TrimSpace(h.Value)
	switch {
	case !h.Present:
		h.Problem = "missing: the Zoom client does not render a text/html 200 response without it"
	case v == "":
		h.Problem = "present but empty"
	case name == "Strict-Transport-Security":
		h.Problem = hstsProblem(v)
	case name == "X-Content-Type-Options" && !strings.EqualFold(v, "nosniff"):
		h.Problem = fmt.Sprintf("%q: the only value browsers act on is nosniff", v)
	case name == "Referrer-Policy":
		h.Problem = referrerProblem(v)
	}
	return h
}

var maxAge = regexp.MustCompile(`(?i)(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)`)

func hstsProblem(v string) string {
	m := maxAge.FindStringSubmatch(v)
	if m == nil {
		return "no max-age directive: browsers ignore Strict-Transport-Security without one (max-age=31536000 is usual)"
	}
	if n, _ := strconv.ParseInt(m[1], 10, 64); n == 0 {
		return "max-age=0 tells browsers to forget HSTS for this host"
	}
	return ""
}

// referrerPolicies are the tokens of the W3C Referrer Policy spec.
var referrerPolicies = map[string]bool{"no-referrer": true, "no-referrer-when-downgrade": true, "origin": true,
	"origin-when-cross-origin": true, "same-origin": true, "strict-origin": true, "strict-origin-when-cross-origin": true,
	"unsafe-url": true}

func referrerProblem(v string) string {
	for _, p := range strings.Split(v, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && referrerPolicies[p] {
			return ""
		}
	}
	return fmt.Sprintf("%q is not a referrer policy browsers know (same-origin or strict-origin-when-cross-origin are usual)", v)
}

// notes says what else in the answer commonly leaves the app's panel blank.
func notes(u string, ex *exchange) []string {
	n := []string{}
	ct, _, _ := mime.ParseMediaType(ex.header.Get("Content-Type"))
	body := strings.ToLower(string(ex.respBody))
	switch {
	case ex.status == http.StatusNotModified:
		n = append(n, "304 Not Modified to a first load that sent no validators: the Zoom client has no copy to show, and its header check applies to a 200")
	case ex.loop != "":
	case ex.status >= 300 && ex.status < 400:
		n = append(n, fmt.Sprintf("HTTP %d redirect to %s, another host, which check does not follow: the Zoom client opens only domains on the app's allow list",
			ex.status, ex.header.Get("Location")))
	case ex.status != http.StatusOK:
		n = append(n, fmt.Sprintf("HTTP %d: the panel shows this error page, or nothing", ex.status))
	case ct != "text/html":
		n = append(n, fmt.Sprintf("content type %q: the home URL must answer with an HTML page (text/html)", ct))
	}
	if tunnel := interstitial(ex, body); tunnel != "" {
		n = append(n, tunnel)
	}
	for _, r := range ex.redirects {
		if loginPath.MatchString(r) {
			n = append(n, "redirected to a login page ("+r+"): inside Zoom the app should authenticate the user from the app context or zoomSdk.authorize, not a login form")
			break
		}
	}
	if p, err := url.Parse(u); err == nil && p.Scheme == "http" && !isLoopback(p.Hostname()) {
		n = append(n, "the URL is http: the Zoom client loads home URLs over https only")
	}
	return n
}

var loginPath = regexp.MustCompile(`(?i)/(login|signin|sign-in|sign_in|auth/login|sso|accounts/login)\b`)

// interstitial recognises the warning pages tunnels put in front of a developer's server.
func interstitial(ex *exchange, body string) string {
	switch {
	case ex.header.Get("Ngrok-Error-Code") != "" || strings.Contains(body, "ngrok-skip-browser-warning") ||
		strings.Contains(body, "you are about to visit"):
		return "ngrok's browser warning page answered instead of the app: the Zoom client shows it (or nothing); send the ngrok-skip-browser-warning header from a test client, and use a paid or reserved domain for the app"
	case strings.Contains(body, "localtunnel") && strings.Contains(body, "tunnel password"):
		return "localtunnel's reminder page answered instead of the app: the Zoom client shows it instead of the app"
	case strings.EqualFold(ex.header.Get("Cf-Mitigated"), "challenge"):
		return "Cloudflare answered with a challenge page: the Zoom client cannot pass it, so the panel stays blank"
	}
	return ""
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}
