// Package check tests a developer's running Zoom App backend from the outside, the way the Zoom
// client and an attacker would: it fetches the home URL as the client does and checks the OWASP
// headers Zoom requires on it, then sends a battery of app contexts sealed with the app's secret
// (valid, expired, forged, tag cut short, ...) and judges from the answers whether the backend
// accepts exactly what it must. When the backend refuses even a valid context, contexts sealed
// with the derivations developers get wrong find which one it uses.
package check

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/zoomdbg/zoomdbg/core/neterr"
	"github.com/zoomdbg/zoomdbg/core/redact"
)

// Redacted replaces the secret, in whatever form a backend sent it back (core/redact lists
// them), in everything kept of an answer.
const Redacted = "[client secret redacted]"

// UserAgent is what the Zoom client sends on every request it originates, whatever the platform
// (Zoom Apps architecture docs, "Requests originating from the Zoom Client").
const UserAgent = "Mozilla/5.0 ZoomWebKit/537.36 (KHTML, like Gecko) ZoomApps/1.0"

// HeaderName is the header the Zoom client carries the app context in.
const HeaderName = "X-Zoom-App-Context"

// Limits that keep a check polite: one request at a time, each bounded.
const (
	DefaultTimeout = 10 * time.Second
	maxBody        = 256 << 10 // what is read of a response
	maxRedirects   = 10
)

// ViaKind says where the backend reads the context.
type ViaKind string

// The places a backend reads the context from.
const (
	ViaHeader ViaKind = "header" // the x-zoom-app-context header, as the Zoom client sends it to the home URL
	ViaQuery  ViaKind = "query"  // a query parameter
	ViaJSON   ViaKind = "json"   // a field of a JSON body POSTed by the app's frontend (getAppContext())
)

// Via is where the context goes in a request.
type Via struct {
	Kind ViaKind
	Name string // the header, parameter or JSON field name
}

// ParseVia reads header, header:NAME, query:NAME or json:FIELD.
func ParseVia(s string) (Via, error) {
	kind, name, _ := strings.Cut(s, ":")
	v := Via{Kind: ViaKind(kind), Name: name}
	switch v.Kind {
	case ViaHeader:
		if v.Name == "" {
			v.Name = HeaderName
		}
	case ViaQuery, ViaJSON:
		if v.Name == "" {
			return v, fmt.Errorf("--via %s needs a name, as in %s:context", kind, kind)
		}
	default:
		return v, fmt.Errorf("--via %q: want header, query:NAME or json:FIELD", s)
	}
	return v, nil
}

func (v Via) String() string {
	if v.Kind == ViaHeader && strings.EqualFold(v.Name, HeaderName) {
		return "the " + HeaderName + " header"
	}
	switch v.Kind {
	case ViaQuery:
		return "the query parameter " + v.Name
	case ViaJSON:
		return "the JSON field " + v.Name + " of a POST body"
	}
	return "the " + v.Name + " header"
}

// Options are what one check is run with.
type Options struct {
	URL      string // the home URL
	Endpoint string // where the backend reads the context; URL when empty
	Via      Via
	Secret   []byte // the app's client secret (its development one); never sent, never printed
	ClientID string // when set, the valid context carries it as aud and a wrong aud is tried

	// RefusedBody, when set, marks a response as refused when its body matches. It overrides
	// what the check otherwise learns from the backend's own refusals (see learn).
	RefusedBody *regexp.Regexp

	Timeout time.Duration
	Client  *http.Client
	Now     func() time.Time
	Rand    io.Reader

	// CurlTLS is what the reproducing curl command needs for the TLS settings of Client (-k,
	// --cacert FILE).
	CurlTLS string

	// Progress, when set, is called after every request with what is known so far.
	Progress func(Event)
}

// Event is one step of a running check, for progress lines and screens that fill in live.
type Event struct {
	Home  *Home // set once the home URL has been fetched
	Case  *Case // set after each case: a copy, as judged so far (the report has the final word)
	Probe bool  // the case is a diagnosis probe, sent because the valid context was refused
	Done  int   // requests sent so far
}

// Report is the outcome of a check.
type Report struct {
	OK        bool       `json:"ok"`
	Home      *Home      `json:"home"`
	Endpoint  string     `json:"endpoint"`
	Via       string     `json:"via"`
	Judged    string     `json:"judged"`    // how accepted and refused were told apart, in words
	JudgedBy  string     `json:"judged_by"` // status, body, refused-body, valid-refused or ambiguous
	Cases     []Case     `json:"cases"`
	Stopped   *Stop      `json:"stopped"` // set when the backend stopped answering mid-battery
	Diagnosis *Diagnosis `json:"diagnosis"`
	Requests  int        `json:"requests"`
	Language  *Language  `json:"language"`  // what the backend is written in, when its answers tell
	Reproduce string     `json:"reproduce"` // a curl command that sends a case's context, read from ctx.txt
}

// Severity orders findings, most serious first.
type Severity int

// Severities of a failed case or header.
const (
	Note     Severity = iota // worth knowing; does not fail the check
	Warning                  // wrong, but not exploitable on its own
	Serious                  // valid contexts refused, or stale or foreign ones accepted
	Critical                 // a forgery risk: cut tags or tampered bytes accepted
)

func (s Severity) String() string {
	return [...]string{"note", "warning", "serious", "critical"}[s]
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Run fetches the home URL, then sends every case to the endpoint, one request at a time. The
// error is for a check that cannot start: a server that cannot be reached at all, or a usage
// error. A backend that stops answering later gets a report of what was seen, with Stopped set.
func Run(ctx context.Context, o Options) (*Report, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	c := &checker{o: o, client: o.client(), redact: redact.New(Redacted, redact.Secret{Value: o.Secret})}
	r := &Report{Endpoint: o.Endpoint, Via: o.Via.String()}

	home, err := c.home(ctx)
	if err != nil {
		return nil, err
	}
	r.Home = home
	c.progress(Event{Home: home})

	cases := battery(o)
	r.Cases = cases
	learned := false
	for i := range cases {
		err := c.send(ctx, &cases[i])
		var ue *UnreachableError
		switch {
		case i == 0 && errors.As(err, &ue) && ue.dial:
			return nil, err // the endpoint never answered: nothing to report
		case err != nil && !errors.As(err, &ue):
			return nil, err
		}
		stop := c.stops(cases, i)
		if !learned && (i == learnFrom || stop) {
			c.learn(r, cases[:i+1])
			learned = true
		} else if learned {
			c.decide(&cases[i])
			c.progress(Event{Case: &cases[i]})
		}
		if stop {
			r.Stopped = stopped(cases, i)
			for k := i + 1; k < len(cases); k++ {
				cases[k].NotTested = "not sent: the backend had stopped answering"
			}
			break
		}
	}
	validRefused := cases[0].Tested && !cases[0].Accepted
	if r.Stopped == nil && (validRefused || r.JudgedBy == JudgedByNothing) {
		if r.Diagnosis, err = c.diagnose(ctx, r); err != nil {
			return nil, err
		}
	}
	if cases[0].Tested && !cases[0].Accepted {
		for k := 1; k < len(cases); k++ {
			if cs := &cases[k]; cs.Tested && !cs.Accepted {
				cs.Tested, cs.Pass = false, false
				cs.NotTested = "the valid context was refused too, so this refusal proves nothing"
			}
		}
	}
	r.Requests = c.sent
	if r.Language = detect(r.answers(false)); r.Language == nil {
		r.Language = detect(r.answers(true)) // the home page, when the endpoint told nothing
	}
	if d := r.Diagnosis; d != nil {
		if d.Found && len(d.Tried) > 0 && !strings.Contains(d.Fix, "zoomdbg snippet") {
			d.Fix += r.Language.snippetHint()
		}
		if r.Language != nil && r.Language.Snippet != "" {
			d.Fix = strings.ReplaceAll(d.Fix, "zoomdbg snippet LANG", "zoomdbg snippet "+r.Language.Snippet)
		}
	}
	r.Reproduce = c.reproduce()
	r.OK = r.passed()
	return r, nil
}

// answers are the answers the check got from the endpoint, or from the home URL, which may be
// another server (a static frontend before an API), for reading the backend's language.
func (r *Report) answers(home bool) []seenAnswer {
	var out []seenAnswer
	if h := r.Home; home {
		if h != nil && h.header != nil {
			out = append(out, seenAnswer{h.Status, h.header, h.body})
		}
		return out
	}
	add := func(cs []Case) {
		for _, c := range cs {
			if c.header != nil {
				out = append(out, seenAnswer{c.Status, c.header, c.body})
			}
		}
	}
	add(r.Cases)
	if r.Diagnosis != nil {
		add(r.Diagnosis.Tried)
	}
	return out
}

// reproduce is one curl command that sends the context saved in ctx.txt the way the check sent
// it, following redirects with cookies as the check does.
func (c *checker) reproduce() string {
	var b strings.Builder
	b.WriteString("curl -sS -i -L -b ''")
	if c.o.CurlTLS != "" {
		b.WriteString(" " + c.o.CurlTLS)
	}
	fmt.Fprintf(&b, " -A %s", shellQuote(UserAgent))
	name := c.o.Via.Name
	switch c.o.Via.Kind {
	case ViaHeader:
		fmt.Fprintf(&b, ` -H "%s: $(cat ctx.txt)"`, name)
	case ViaQuery:
		fmt.Fprintf(&b, ` -G --data-urlencode "%s=$(cat ctx.txt)"`, name)
	case ViaJSON:
		fmt.Fprintf(&b, ` -H 'Content-Type: application/json' --data "{\"%s\":\"$(cat ctx.txt)\"}"`, name)
	}
	fmt.Fprintf(&b, " %s", shellQuote(c.o.Endpoint))
	return b.String()
}

// learnFrom is the index of the last case the judge learns from: valid, no context, another app's.
const learnFrom = 2

// learn builds the judge from the answers so far and judges them.
func (c *checker) learn(r *Report, cases []Case) {
	var refs []*Case
	for k := 1; k < len(cases); k++ {
		if cases[k].Status != 0 {
			refs = append(refs, &cases[k])
		}
	}
	c.judge = learn(&cases[0], refs, c.o.RefusedBody)
	r.Judged, r.JudgedBy = c.judge.text, c.judge.by
	for k := range cases {
		c.decide(&cases[k])
		c.progress(Event{Case: &cases[k]})
	}
}

// stops says whether the check stops after case i: the backend refuses connections now, or has
// failed to answer twice in a row (each failure may have cost a timeout).
func (c *checker) stops(cases []Case, i int) bool {
	if cases[i].Status != 0 || cases[i].Error == "" {
		return false
	}
	return c.lastDial || (i > 0 && cases[i-1].Status == 0)
}

// Stop is where a backend stopped answering in the middle of the battery.
type Stop struct {
	Case     string `json:"case"`     // the first case left without an answer
	Error    string `json:"error"`    // what the connection did
	Previous string `json:"previous"` // the last case answered, which may be the one that took it down
	Culprit  string `json:"culprit"`  // the case most likely to have stopped it
}

func stopped(cases []Case, i int) *Stop {
	first := i
	for first > 0 && cases[first-1].Status == 0 {
		first--
	}
	s := &Stop{Case: cases[first].Name, Error: cases[first].Error, Culprit: cases[first].Name}
	if first > 0 {
		s.Previous = cases[first-1].Name
		if strings.Contains(s.Error, "cannot connect") {
			s.Culprit = s.Previous // it answered, then went down before the next request
		}
	}
	return s
}

// Requests says how many requests a check sends: the home URL and the battery (one more with a
// client ID), and at most probes more when the valid context is refused and the answers do not
// already say why.
func Requests(withClientID bool) (sent, probes int) {
	o := Options{}
	if withClientID {
		o.ClientID = "x"
	}
	return 1 + len(battery(o)), len(variants)
}

// passed: nothing worse than a note. A note is worth knowing but does not stop the app working
// (a header Zoom checks only for presence with a value browsers ignore, an iss left unchecked).
func (r *Report) passed() bool {
	for _, f := range r.Findings() {
		if f.Severity > Note {
			return false
		}
	}
	return true
}

// Findings lists what failed, most serious first: the cases that did not pass and the home
// URL's header problems.
func (r *Report) Findings() []Finding {
	var fs []Finding
	if h := r.Home; h != nil {
		if h.Err != "" {
			fs = append(fs, Finding{Severity: Serious, What: "home URL", Detail: h.Err})
		}
		for _, hd := range h.Headers {
			if hd.Problem != "" {
				sev := Serious // Zoom does not render the page
				if hd.Present || !h.Rendered() {
					sev = Note // Zoom checks presence, on text/html 200 answers; browsers ignore a bad value
				}
				fs = append(fs, Finding{Severity: sev, What: hd.Name, Detail: hd.Problem})
			}
		}
		for _, n := range h.Notes {
			fs = append(fs, Finding{Severity: Warning, What: "home URL", Detail: n})
		}
	}
	for i, c := range r.Cases {
		if c.Tested && !c.Pass {
			got := map[bool]string{true: "accepted", false: "refused"}[c.Accepted]
			detail := fmt.Sprintf("%s (HTTP %d); it must be %sed: %s", got, c.Status, c.Expect, c.Why)
			if c.Error != "" {
				detail = fmt.Sprintf("%s (HTTP %d, %s); it must be %sed: %s", got, c.Status, c.Error, c.Expect, c.Why)
			}
			fs = append(fs, Finding{Severity: c.Severity, What: c.Name, Case: &r.Cases[i], Detail: detail, Fix: r.Language.fix(c.Name)})
		}
	}
	if where, forms := r.leaks(); len(where) > 0 {
		fs = append(fs, Finding{Severity: Critical, What: "client secret in answers",
			Detail: fmt.Sprintf("the backend sent back its client secret (%s) in its answer to %s: anyone who sends a bad context can read it and forge contexts; turn off debug error pages, never put the secret in a response or a log a response shows, and regenerate the secret in the Marketplace (zoomdbg redacted it from this report)",
				strings.Join(forms, ", "), strings.Join(where, ", "))})
	}
	if r.JudgedBy == JudgedByNothing {
		fs = append(fs, Finding{Severity: Warning, What: "accepted or refused", Detail: "nothing could be judged: " + r.Judged})
	}
	if crashed := r.crashes(); len(crashed) > 0 {
		fs = append(fs, Finding{Severity: Warning, What: "5xx on bad contexts", Case: crashed[0],
			Detail: fmt.Sprintf("HTTP %d to %s: input anyone can send makes the backend fail instead of refusing it with a 4xx; catch the decryption and parsing errors and answer 401 or 400", crashed[0].Status, caseNames(crashed))})
	}
	if s := r.Stopped; s != nil {
		fs = append(fs, Finding{Severity: Serious, What: "stopped answering", Case: caseIn(r.Cases, s.Case), Detail: s.Describe()})
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	return fs
}

// leaks says which answers held the secret, and in which forms.
func (r *Report) leaks() (where, forms []string) {
	add := func(name string, f []string) {
		if len(f) == 0 {
			return
		}
		where = append(where, name)
		forms = redact.Merge(forms, f)
	}
	if r.Home != nil {
		add("the home URL", r.Home.Leaked)
	}
	for _, c := range r.Cases {
		add(fmt.Sprintf("%q", c.Name), c.Leaked)
	}
	if r.Diagnosis != nil {
		for _, c := range r.Diagnosis.Tried {
			add(fmt.Sprintf("%q", c.Name), c.Leaked)
		}
	}
	if len(where) > 4 {
		where = append(where[:3], fmt.Sprintf("%d more", len(where)-3))
	}
	return where, forms
}

// crashes lists the must-reject cases the backend answered with a 5xx, and the probes.
func (r *Report) crashes() []*Case {
	var out []*Case
	add := func(c *Case) {
		if c.Status >= 500 && c.Expect == Reject {
			out = append(out, c)
		}
	}
	for i := range r.Cases {
		add(&r.Cases[i])
	}
	if r.Diagnosis != nil {
		for i := range r.Diagnosis.Tried {
			add(&r.Diagnosis.Tried[i])
		}
	}
	return out
}

func caseNames(cs []*Case) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if len(names) > 4 {
		names = append(names[:3], fmt.Sprintf("%d more", len(names)-3))
	}
	return strings.Join(names, ", ")
}

// Describe says in words where the backend stopped and which case most likely stopped it.
func (s *Stop) Describe() string {
	d := fmt.Sprintf("the backend stopped answering at %q (%s)", s.Case, s.Error)
	switch {
	case s.Culprit == s.Case:
		d += fmt.Sprintf("; %q most likely crashed or hung it: input anyone can send takes it down", s.Case)
	case s.Previous != "":
		d += fmt.Sprintf("; it answered %q and then went down: that context most likely crashed it (input anyone can send)", s.Previous)
	}
	return d + "; the rows after it are not tested"
}

// Count says how many findings there are of each severity, most serious first: "2 critical, 1 warning".
func Count(fs []Finding) string {
	sevs := make([]Severity, len(fs))
	for i, f := range fs {
		sevs[i] = f.Severity
	}
	return CountSeverities(sevs)
}

// CountSeverities says how many of each severity sevs holds, worst first ("1 critical, 2
// warnings"): the count every check's verdict line gives, the webhook endpoint check's too.
func CountSeverities(sevs []Severity) string {
	n := map[Severity]int{}
	for _, s := range sevs {
		n[s]++
	}
	var parts []string
	for s := Critical; s >= Note; s-- {
		switch {
		case n[s] == 0:
		case n[s] > 1 && (s == Warning || s == Note):
			parts = append(parts, fmt.Sprintf("%d %ss", n[s], s))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

// Finding is one thing the check found wrong.
type Finding struct {
	Severity Severity
	What     string
	Detail   string
	Fix      string // what to change, in the backend's language when its answers tell it
	Case     *Case  // the case behind it, with its request, when there is one
}

func (o Options) withDefaults() Options {
	if o.Endpoint == "" {
		o.Endpoint = o.URL
	}
	if o.Via.Kind == "" {
		o.Via = Via{Kind: ViaHeader, Name: HeaderName}
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func (o Options) validate() error {
	for _, u := range []string{o.URL, o.Endpoint} {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return &UsageError{fmt.Sprintf("%q is not an http or https URL", u)}
		}
	}
	if len(o.Secret) == 0 {
		return &UsageError{"no client secret: check seals its contexts with the app's secret"}
	}
	if o.Rand == nil {
		return &UsageError{"no random source"}
	}
	return nil
}

// UsageError is a check that cannot start because of how it was asked for.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// UnreachableError is a server that did not answer at all.
type UnreachableError struct {
	URL string
	Err error

	dial bool   // it refused the connection, or its name did not resolve
	curl string // the request that got no answer
}

func (e *UnreachableError) Error() string { return e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }

type checker struct {
	o        Options
	client   *http.Client
	judge    judge
	redact   *redact.Redactor
	sent     int
	lastDial bool // the last request failed to connect at all
}

// client is the HTTP client of a check: Options.Client's settings (TLS roots, a proxy) with the
// check's timeout, and a new connection for every request, so that a request the backend dies on
// fails with what the backend did instead of being retried on a fresh connection (net/http
// replays a GET whose reused connection closed).
func (o Options) client() *http.Client {
	c := http.Client{Timeout: o.Timeout}
	if o.Client != nil {
		c = *o.Client
		c.Timeout = o.Timeout
	}
	var t *http.Transport
	switch base := c.Transport.(type) {
	case nil:
		t = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		t = base.Clone()
	default:
		return &c // a transport of the caller's own: used as it is
	}
	t.DisableKeepAlives = true
	c.Transport = t
	return &c
}

// progress reports an event with a copy of its case: the check may judge a case again later
// (when the valid context turns out refused), and a screen reading the event must not share it.
func (c *checker) progress(e Event) {
	e.Done = c.sent
	if e.Case != nil {
		cp := *e.Case
		e.Case = &cp
	}
	if c.o.Progress != nil {
		c.o.Progress(e)
	}
}

// exchange is one request and its answer, kept to show and to reproduce.
type exchange struct {
	req       *http.Request
	body      []byte
	status    int
	header    http.Header
	respBody  []byte
	redirects []string
	loop      string   // set when the redirects went round in a loop
	leaked    []string // the forms of the secret the answer held, now redacted
}

// errRedirectLoop ends a chain of redirects longer than any real login takes.
var errRedirectLoop = errors.New("redirect loop")

// do sends one request, following redirects as the browser in the Zoom client does: with a cookie
// jar of its own, so a backend that sets a session cookie and redirects to itself (PHP sessions,
// express-session, Rails) gets the cookie back; 301, 302 and 303 turn a POST into a GET, 307 and
// 308 keep it; the request's headers, the context among them, go along. Each case gets a fresh
// jar, as a new user would. It never follows a redirect to another host: check talks only to the
// URLs it was given.
func (c *checker) do(ctx context.Context, method, u string, header http.Header, body []byte) (*exchange, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, &UsageError{err.Error()}
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header = header.Clone()
	req.Header.Set("User-Agent", UserAgent)
	ex := &exchange{req: req, body: body}
	client := *c.client
	client.Jar, _ = cookiejar.New(nil) // never fails without options
	origin := req.URL.Host
	client.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		ex.redirects = append(ex.redirects, next.URL.String())
		switch {
		case len(via) >= maxRedirects:
			return errRedirectLoop
		case next.URL.Host != origin:
			return http.ErrUseLastResponse // report the redirect; talk only to the URLs given
		}
		return nil
	}
	c.sent++
	resp, err := client.Do(req)
	var op *net.OpError
	c.lastDial = errors.As(err, &op) && op.Op == "dial"
	switch {
	case errors.Is(err, errRedirectLoop) && resp != nil:
		ex.status, ex.header = resp.StatusCode, resp.Header
		c.redactAnswer(ex)
		ex.loop = fmt.Sprintf("redirect loop: over %d redirects (%s)", maxRedirects, loopPath(ex.redirects))
		return ex, nil
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET):
		return nil, &UnreachableError{URL: u, Err: fmt.Errorf("%s closed the connection without answering", u), curl: ex.curl()}
	case err != nil:
		return nil, &UnreachableError{URL: u, Err: neterr.Explain(u, c.o.Timeout, tlsHint(err), "backend"), dial: c.lastDial, curl: ex.curl()}
	}
	defer resp.Body.Close()
	ex.status, ex.header = resp.StatusCode, resp.Header
	ex.respBody, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.redactAnswer(ex)
	if err != nil {
		return nil, &UnreachableError{URL: u, Err: fmt.Errorf("reading the answer from %s: %w", u, err), curl: ex.curl()}
	}
	return ex, nil
}

// redactAnswer takes the secret out of everything kept of an answer, and notes the forms found.
func (c *checker) redactAnswer(ex *exchange) {
	var found, f []string
	ex.respBody, f = c.redact.Bytes(ex.respBody)
	found = redact.Merge(found, f)
	found = redact.Merge(found, c.redact.Header(ex.header))
	for i := range ex.redirects {
		ex.redirects[i], f = c.redact.String(ex.redirects[i])
		found = redact.Merge(found, f)
	}
	ex.leaked = found
}

// loopPath shows the last few hops of a redirect loop.
func loopPath(hops []string) string {
	if len(hops) > 3 {
		hops = hops[len(hops)-3:]
	}
	return "… → " + strings.Join(hops, " → ")
}

// tlsHint turns the certificate errors of a local HTTPS backend into what to do about them.
func tlsHint(err error) error {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return fmt.Errorf("its certificate is signed by an authority this machine does not trust (self-signed, or mkcert's): pass --cacert FILE with that authority's certificate, or --insecure to skip the check: %w", err)
	case errors.As(err, &hn):
		return fmt.Errorf("its certificate is not for this host name: %w", err)
	case errors.As(err, &ci):
		return fmt.Errorf("its certificate is not valid (%v): --insecure skips the check, for a local backend only: %w", ci.Reason, err)
	}
	return err
}

// request builds the request that carries token (none when empty) the way Via says.
func (c *checker) request(token string) (method, u string, h http.Header, body []byte) {
	h = http.Header{}
	u, method = c.o.Endpoint, http.MethodGet
	switch c.o.Via.Kind {
	case ViaHeader:
		if token != "" {
			h.Set(c.o.Via.Name, token)
		}
	case ViaQuery:
		if token != "" {
			p, _ := url.Parse(u)
			q := p.Query()
			q.Set(c.o.Via.Name, token)
			p.RawQuery = q.Encode()
			u = p.String()
		}
	case ViaJSON:
		method = http.MethodPost
		h.Set("Content-Type", "application/json")
		obj := map[string]string{}
		if token != "" {
			obj[c.o.Via.Name] = token
		}
		body, _ = json.Marshal(obj)
	}
	return method, u, h, body
}

// Curl renders an exchange's request as a curl command. It holds the context token, never the
// secret, which check never sends.
func (ex *exchange) curl() string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -i")
	if ex.req.Method != http.MethodGet {
		fmt.Fprintf(&b, " -X %s", ex.req.Method)
	}
	keys := make([]string, 0, len(ex.req.Header))
	for k := range ex.req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " -H %s", shellQuote(k+": "+ex.req.Header.Get(k)))
	}
	if ex.body != nil {
		fmt.Fprintf(&b, " --data %s", shellQuote(string(ex.body)))
	}
	fmt.Fprintf(&b, " %s", shellQuote(ex.req.URL.String()))
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// response renders the status line, the headers that matter and the start of the body.
func (ex *exchange) response() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d %s\n", ex.status, http.StatusText(ex.status))
	for _, k := range []string{"Content-Type", "Location"} {
		if v := ex.header.Get(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	body := ex.respBody
	const show = 600
	if len(body) > show {
		body = append(body[:show:show], "…"...)
	}
	if len(body) > 0 {
		fmt.Fprintf(&b, "\n%s", body)
	}
	return b.String()
}
