package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/check"
	"github.com/zoomdbg/zoomdbg/core/redact"
)

// Severity is check's: one scale for every finding zoomdbg reports.
type Severity = check.Severity

// Expectations of a probe.
const (
	ExpectAccept = "accept" // answer 2xx
	ExpectReject = "reject" // answer anything but 2xx
	ExpectAnswer = "answer" // the handshake: 200 with the right JSON in time
)

// EndpointOptions are what one endpoint check runs with.
type EndpointOptions struct {
	URL     string
	Secret  []byte // the app's Secret Token; never sent, never printed
	Timeout time.Duration
	Client  *http.Client
	Now     func() time.Time
	Rand    io.Reader

	// Progress, when set, is called after every probe.
	Progress func(Probe)
}

// Probe is one request sent to the endpoint, what a correct endpoint does with it, and what this one did.
type Probe struct {
	Name     string        `json:"name"`
	Expect   string        `json:"expect"`
	Status   int           `json:"status"` // 0: no answer
	Accepted bool          `json:"accepted"`
	Pass     bool          `json:"pass"`
	Severity Severity      `json:"severity"` // of a failure
	Why      string        `json:"why"`      // what a correct endpoint does and why; on a failure, what it means
	Problem  string        `json:"problem"`  // on a failure, what was wrong with the answer
	Curl     string        `json:"curl"`     // the request; holds signatures, never the secret
	Response string        `json:"response"` // status line and the start of the body
	Elapsed  time.Duration `json:"elapsed_ns"`
	Sent     bool          `json:"sent"`       // false when the probe was not needed
	Probing  bool          `json:"diagnostic"` // sent to find a bug the battery found, never a finding itself

	body []byte
}

// EndpointReport is the outcome of an endpoint check.
type EndpointReport struct {
	OK        bool    `json:"ok"`
	URL       string  `json:"url"`
	Probes    []Probe `json:"probes"`
	Diagnosis string  `json:"diagnosis"` // when valid events are refused: the mistake the endpoint makes
	Requests  int     `json:"requests"`
}

// Finding is one failed probe, for people.
type Finding struct {
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	Why      string   `json:"why"`
	Curl     string   `json:"curl"`
}

// Findings lists the failed probes, most serious first.
func (r *EndpointReport) Findings() []Finding {
	var fs []Finding
	for sev := check.Critical; sev >= check.Note; sev-- {
		for _, p := range r.Probes {
			if p.Sent && !p.Pass && p.Severity == sev {
				why := p.Why
				if p.Problem != "" {
					why = p.Problem + ": " + p.Why
				}
				fs = append(fs, Finding{Name: p.Name, Severity: p.Severity, Why: why, Curl: p.Curl})
			}
		}
	}
	return fs
}

// Pass is the verdict of an endpoint check that found nothing worse than a note.
const Pass = "PASS: the endpoint validates, accepts Zoom's deliveries and refuses forgeries"

// Summary is the endpoint check's verdict in one line, the same on every face: PASS, or FAIL with
// the findings counted by severity as every check counts them (check.CountSeverities), and the
// number of requests sent.
func (r *EndpointReport) Summary() string {
	if r.OK {
		return fmt.Sprintf("%s (%d requests)", Pass, r.Requests)
	}
	var sevs []Severity
	for _, f := range r.Findings() {
		sevs = append(sevs, f.Severity)
	}
	return fmt.Sprintf("FAIL: %s (%d requests)", check.CountSeverities(sevs), r.Requests)
}

// maxAnswer bounds what is read of an answer.
const maxAnswer = 64 << 10

// DefaultEndpointTimeout is longer than Zoom's 3 seconds, so a slow endpoint is measured, not cut off.
const DefaultEndpointTimeout = 10 * time.Second

type endpointChecker struct {
	o      EndpointOptions
	client *http.Client
	sent   int
	r      *EndpointReport
	redact *redact.Redactor
}

// CheckEndpoint sends the battery to the endpoint, one request at a time. The error is for an
// endpoint that cannot be reached at all; everything else is in the report.
func CheckEndpoint(ctx context.Context, o EndpointOptions) (*EndpointReport, error) {
	if len(o.Secret) == 0 {
		return nil, errors.New("the check needs the app's Secret Token")
	}
	if !strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://") {
		return nil, fmt.Errorf("%q: want an http:// or https:// URL", o.URL)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultEndpointTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	c := &endpointChecker{o: o, client: o.Client, r: &EndpointReport{URL: o.URL},
		redact: redact.New(RedactedToken, redact.Secret{Value: o.Secret})}
	if c.client == nil {
		c.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if err := c.run(ctx); err != nil {
		return nil, err
	}
	c.r.Requests = c.sent
	c.r.OK = true
	for _, f := range c.r.Findings() {
		if f.Severity > check.Note {
			c.r.OK = false
		}
	}
	return c.r, nil
}

// request is one delivery to send.
type request struct {
	ts, sig string // empty: the header is left out
	body    []byte
}

func (c *endpointChecker) signed(body []byte, at time.Time) request {
	ts := Timestamp(at)
	return request{ts: ts, sig: Sign(c.o.Secret, ts, body), body: body}
}

func (c *endpointChecker) event(name string) []byte {
	b, _ := Event(name, c.o.Now(), c.o.Rand)
	return b
}

func (c *endpointChecker) randomHex() string {
	var b [32]byte
	_, _ = io.ReadFull(c.o.Rand, b[:])
	return hex.EncodeToString(b[:])
}

// Bodies whose raw bytes do not survive re-serialisation.
const (
	// "\/" and "\u00e9" are unescaped by JSON.stringify and 1.0 becomes 1.
	escapesBody = `{"event":"meeting.started","payload":{"account_id":"zoomdbgAcct0000000001","object":{"id":"85012345678",` +
		`"topic":"Q4 planning \/ caf\u00e9","type":2,"duration":60,"settings":{"audio_quality":1.0}}},"event_ts":%d}`
	// Python's ensure_ascii escapes every non-ASCII character, emoji as surrogate pairs.
	unicodeBody = `{"event":"meeting.started","payload":{"account_id":"zoomdbgAcct0000000001","object":{"id":"85012345678",` +
		`"topic":"Zoë's sync 🎉 会议","type":2,"duration":60}},"event_ts":%d}`
)

func (c *endpointChecker) run(ctx context.Context) error {
	now := c.o.Now()
	hs, err := c.handshake(ctx, now)
	if err != nil {
		return err
	}
	valid := c.signed(c.event("meeting.started"), now)
	probes := []struct {
		p   Probe
		req request
	}{
		{Probe{Name: "signed event", Expect: ExpectAccept, Severity: check.Serious,
			Why: "a delivery signed with the secret token over the raw body must be answered 2xx within 3 s, or Zoom retries it and in time disables the subscription"}, valid},
		{Probe{Name: "body with \\/, \\u00e9 and 1.0", Expect: ExpectAccept, Severity: check.Serious,
			Why: "Zoom signs the raw bytes; a verifier that hashes JSON.stringify(req.body) (as Zoom's own sample does) or another re-serialisation refuses bodies whose escapes or numbers do not round-trip"},
			c.signed(fmt.Appendf(nil, escapesBody, now.UnixMilli()), now)},
		{Probe{Name: "body with non-ASCII and emoji", Expect: ExpectAccept, Severity: check.Serious,
			Why: "Zoom signs the raw UTF-8; a verifier that hashes json.dumps(body) (ensure_ascii escapes it) or decodes the body with the wrong charset refuses names and topics outside ASCII"},
			c.signed(fmt.Appendf(nil, unicodeBody, now.UnixMilli()), now)},
		{Probe{Name: "wrong signature", Expect: ExpectReject, Severity: check.Critical,
			Why: "a delivery whose signature does not verify must be refused, or anyone who finds the URL can send events"},
			request{ts: valid.ts, sig: SignaturePrefix + c.randomHex(), body: valid.body}},
		{Probe{Name: "another secret's signature", Expect: ExpectReject, Severity: check.Critical,
			Why: "a delivery signed with another secret token (another app's) must be refused"},
			request{ts: valid.ts, sig: Sign([]byte(c.randomHex()[:32]), valid.ts, valid.body), body: valid.body}},
		{Probe{Name: "no signature headers", Expect: ExpectReject, Severity: check.Critical,
			Why: "a delivery without x-zm-signature and x-zm-request-timestamp must be refused, not waved through as unsigned"},
			request{body: valid.body}},
		{Probe{Name: "body changed after signing", Expect: ExpectReject, Severity: check.Critical,
			Why: "the signature covers the body: a delivery whose body was altered after signing must be refused"},
			request{ts: valid.ts, sig: valid.sig, body: bytes.Replace(valid.body, []byte("zoomdbg test meeting"), []byte("zoomdbg test meetinG"), 1)}},
		{Probe{Name: "empty-secret signature", Expect: ExpectReject, Severity: check.Critical,
			Why: "a delivery signed with an empty key must be refused; a verifier that accepts it fails open when its secret is unset"},
			request{ts: valid.ts, sig: Sign(nil, valid.ts, valid.body), body: valid.body}},
	}
	var validProbe *Probe
	refused := map[int]bool{}
	for i := range probes {
		p := probes[i].p
		if err := c.send(ctx, &p, probes[i].req); err != nil {
			return err
		}
		c.add(p)
		refused[i] = !p.Accepted
		if i == 0 {
			validProbe = &c.r.Probes[len(c.r.Probes)-1]
		}
	}
	if !refused[0] && (refused[1] || refused[2]) {
		if err := c.reserialised(ctx, probes[1].req, probes[2].req, refused[1], refused[2]); err != nil {
			return err
		}
	}
	if err := c.oracle(ctx, now, hs); err != nil {
		return err
	}
	if err := c.notes(ctx, now, valid, validProbe.Accepted); err != nil {
		return err
	}
	if !validProbe.Accepted {
		return c.diagnose(ctx, now)
	}
	return nil
}

func (c *endpointChecker) add(p Probe) {
	c.r.Probes = append(c.r.Probes, p)
	if c.o.Progress != nil {
		c.o.Progress(p)
	}
}

// send delivers req and judges the answer: accepted means 2xx.
func (c *endpointChecker) send(ctx context.Context, p *Probe, req request) error {
	p.Sent = true
	p.Curl = curlCommand(c.o.URL, req)
	status, body, elapsed, err := c.post(ctx, req)
	if err != nil && c.sent == 1 && !isTimeout(err) {
		return fmt.Errorf("cannot reach %s: %w", c.o.URL, err)
	}
	// What an endpoint answers is kept and shown only with the Secret Token redacted, in every
	// form; an endpoint that sends it back (a debug page) fails the probe whatever else it did.
	body, leaked := c.redact.Bytes(body)
	p.Elapsed, p.body = elapsed, body
	if err != nil {
		p.Response = "no answer: " + err.Error()
	} else {
		p.Status = status
		p.Response = fmt.Sprintf("HTTP %d %s", status, clipText(strings.TrimSpace(string(body)), 200))
		p.Accepted = status >= 200 && status < 300
	}
	switch p.Expect {
	case ExpectAccept:
		p.Pass = p.Accepted
		if !p.Pass {
			p.Problem = "refused: " + p.Response
		}
		if p.Pass && elapsed > ResponseDeadline {
			p.Pass, p.Severity = false, check.Warning
			p.Problem = fmt.Sprintf("answered in %s, over Zoom's %s", elapsed.Round(time.Millisecond), ResponseDeadline)
		}
	case ExpectReject:
		p.Pass = !p.Accepted
		if !p.Pass {
			p.Problem = "accepted: " + p.Response
		}
	}
	if len(leaked) > 0 {
		p.Pass, p.Severity = false, check.Critical
		p.Problem = "the answer holds the Secret Token (" + strings.Join(leaked, ", ") + "), which anyone who can send a request now has: " + p.Response
	}
	return nil
}

// RedactedToken stands for the Secret Token wherever an endpoint sent it back.
const RedactedToken = "[secret token redacted]"

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (c *endpointChecker) post(ctx context.Context, req request) (int, []byte, time.Duration, error) {
	c.sent++
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.URL, bytes.NewReader(req.body))
	if err != nil {
		return 0, nil, 0, err
	}
	hr.Header.Set("Content-Type", "application/json; charset=utf-8")
	hr.Header.Set("User-Agent", "Zoom Marketplace/1.0a")
	if req.ts != "" {
		hr.Header.Set(HeaderTimestamp, req.ts)
	}
	if req.sig != "" {
		hr.Header.Set(HeaderSignature, req.sig)
	}
	start := time.Now()
	resp, err := c.client.Do(hr)
	if err != nil {
		return 0, nil, time.Since(start), err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	return resp.StatusCode, body, time.Since(start), err
}

// handshake sends a signed url_validation event and checks the answer as Zoom does.
func (c *endpointChecker) handshake(ctx context.Context, now time.Time) (*Probe, error) {
	body := c.event(EventURLValidation)
	token := string(field(mustTree(body), "payload").vals[0].str)
	p := Probe{Name: "url_validation handshake", Expect: ExpectAnswer, Severity: check.Serious,
		Why: "Zoom validates the URL before sending any event and every 72 hours: it expects HTTP 200 within 3 s with " +
			`{"plainToken": the same, "encryptedToken": hex HMAC-SHA256(secret token, plainToken)}; an unvalidated endpoint gets no events`}
	if err := c.send(ctx, &p, c.signed(body, now)); err != nil {
		return nil, err
	}
	p.Problem = judgeHandshake(p, c.o.Secret, token)
	p.Pass = p.Problem == ""
	p.Accepted = p.Pass
	c.add(p)
	return &c.r.Probes[len(c.r.Probes)-1], nil
}

// judgeHandshake says what is wrong with a handshake answer, or "".
func judgeHandshake(p Probe, secret []byte, token string) string {
	if p.Status == 0 {
		return p.Response
	}
	if p.Status != http.StatusOK {
		return fmt.Sprintf("answered HTTP %d; Zoom wants 200", p.Status)
	}
	var v map[string]any
	if err := json.Unmarshal(p.body, &v); err != nil {
		return fmt.Sprintf("the answer is not a JSON object (%s): %s", err, clipText(string(p.body), 120))
	}
	pt, _ := v["plainToken"].(string)
	et, _ := v["encryptedToken"].(string)
	mac := MAC(secret, []byte(token))
	want := hex.EncodeToString(mac)
	switch {
	case pt != token:
		return fmt.Sprintf("plainToken is %q, not the %q sent", clipText(pt, 40), token)
	case et == "":
		return `the answer has no "encryptedToken" string`
	case et == base64.StdEncoding.EncodeToString(mac) || et == base64.RawURLEncoding.EncodeToString(mac) || et == base64.URLEncoding.EncodeToString(mac):
		return "encryptedToken is the HMAC in base64; Zoom wants lower-case hex (digest('hex'))"
	case et == strings.ToUpper(want):
		return "encryptedToken is upper-case hex; Zoom wants lower-case"
	case et != want:
		return "encryptedToken is not hex HMAC-SHA256(secret token, plainToken): another secret (the client secret? the verification token?) or another message"
	case p.Elapsed > ResponseDeadline:
		return fmt.Sprintf("answered in %s; Zoom gives up after %s (a cold start?)", p.Elapsed.Round(time.Millisecond), ResponseDeadline)
	}
	return ""
}

func mustTree(b []byte) *jvalue {
	v, err := parseJSON(b)
	if err != nil {
		panic("webhook: a built event is not JSON: " + err.Error())
	}
	return v
}

// oracle tests whether the handshake signs anything for anyone: an unsigned url_validation whose
// plainToken is "v0:<ts>:<body>" makes an endpoint that does not verify it return HMAC(secret,
// that message), a valid x-zm-signature for body.
func (c *endpointChecker) oracle(ctx context.Context, now time.Time, hs *Probe) error {
	ts := Timestamp(now)
	forged := c.event("meeting.started")
	forged = bytes.Replace(forged, []byte("zoomdbg test meeting"), []byte("zoomdbg forged meeting (harmless test)"), 1)
	msg := string(Message(ts, forged))
	vbody, _ := json.Marshal(map[string]any{"payload": map[string]string{"plainToken": msg}, "event_ts": now.UnixMilli(), "event": EventURLValidation})
	ask := Probe{Name: "unsigned url_validation", Expect: ExpectReject, Severity: check.Critical,
		Why: "the handshake must be answered only after its own signature verifies: an endpoint that answers any url_validation " +
			"returns HMAC(secret token, anything it is sent), so a plainToken of \"v0:<timestamp>:<body>\" yields a valid signature for a forged event"}
	if err := c.send(ctx, &ask, request{ts: ts, sig: SignaturePrefix + c.randomHex(), body: vbody}); err != nil {
		return err
	}
	var v struct {
		EncryptedToken string `json:"encryptedToken"`
	}
	signedIt := ask.Accepted && json.Unmarshal(ask.body, &v) == nil && v.EncryptedToken == hex.EncodeToString(MAC(c.o.Secret, []byte(msg)))
	ask.Pass = !signedIt
	if signedIt {
		ask.Problem = "it answered a url_validation whose signature is wrong with the HMAC of the plainToken sent"
	}
	c.add(ask)
	deliver := Probe{Name: "event signed by the handshake", Expect: ExpectReject, Severity: check.Critical,
		Why: "an event signed with the endpoint's own handshake answer is a forgery anyone can make; it must be refused"}
	if !signedIt {
		deliver.Why += " (not sent: the handshake did not sign the forger's message)"
		deliver.Pass = true
		c.add(deliver)
		return nil
	}
	if err := c.send(ctx, &deliver, request{ts: ts, sig: SignaturePrefix + v.EncryptedToken, body: forged}); err != nil {
		return err
	}
	if !deliver.Pass {
		deliver.Problem = "a forged event was accepted with a signature the endpoint's handshake made"
	}
	c.add(deliver)
	return nil
}

// reserialised confirms which re-serialisation a verifier hashes when it accepts ordinary bodies
// but refuses those that do not round-trip: the refused body is sent signed over each candidate.
func (c *endpointChecker) reserialised(ctx context.Context, escapes, unicode request, escRefused, uniRefused bool) error {
	type try struct {
		what string
		req  request
		d    dialect
	}
	var tries []try
	if escRefused {
		tries = append(tries, try{"hashes JSON.stringify(req.body) (a re-serialised body, as Zoom's sample does), not the raw body", escapes, dialect{lang: "js", itemSep: ",", keySep: ":"}},
			try{"hashes PHP's json_encode of the parsed body, not the raw body", escapes, dialect{lang: "php", itemSep: ",", keySep: ":", ascii: true}})
	}
	if uniRefused {
		tries = append(tries, try{"hashes json.dumps(body, separators=(',', ':')), whose ensure_ascii escapes non-ASCII, not the raw body", unicode, dialect{lang: "py", itemSep: ",", keySep: ":", ascii: true}},
			try{"hashes JSON.stringify(req.body) (a re-serialised body, as Zoom's sample does), not the raw body", unicode, dialect{lang: "js", itemSep: ",", keySep: ":"}})
	}
	for _, t := range tries {
		tree := mustTree(t.req.body)
		req := request{ts: t.req.ts, sig: Sign(c.o.Secret, t.req.ts, t.d.encode(tree)), body: t.req.body}
		p := Probe{Name: "signed over the body as a verifier that " + t.what, Expect: ExpectReject, Severity: check.Note, Probing: true,
			Why: "sent because a body that does not survive re-serialisation was refused"}
		if err := c.send(ctx, &p, req); err != nil {
			return err
		}
		p.Pass = true
		c.add(p)
		if p.Accepted {
			c.r.Diagnosis = "the endpoint " + t.what + ": hash the raw request bytes"
			return nil
		}
	}
	return nil
}

// notes sends an old delivery and an exact replay: worth knowing, not failures, since Zoom
// documents no maximum age and retries deliveries itself.
func (c *endpointChecker) notes(ctx context.Context, now time.Time, valid request, validAccepted bool) error {
	if !validAccepted {
		return nil // a refusal says nothing when valid events are refused too
	}
	old := Probe{Name: "timestamp 24 hours old", Expect: ExpectReject, Severity: check.Note,
		Why: "a correctly signed delivery from a day ago; Zoom documents no maximum age, so refusing old timestamps is the endpoint's choice, one that limits replays of captured deliveries"}
	if err := c.send(ctx, &old, c.signed(c.event("meeting.started"), now.Add(-24*time.Hour))); err != nil {
		return err
	}
	c.add(old)
	replay := Probe{Name: "exact replay", Expect: ExpectReject, Severity: check.Note,
		Why: "the first signed event sent again, byte for byte; Zoom retries undelivered events itself, so deduplicate by the body's event_ts and payload rather than refusing blindly"}
	if err := c.send(ctx, &replay, valid); err != nil {
		return err
	}
	c.add(replay)
	return nil
}

// diagnose: valid deliveries are refused, so send ones made the usual wrong ways and name the
// one the endpoint accepts.
func (c *endpointChecker) diagnose(ctx context.Context, now time.Time) error {
	body := c.event("meeting.started")
	tree := mustTree(body)
	ts := Timestamp(now)
	et, _ := eventTS(tree)
	tries := []struct {
		what string
		req  request
	}{
		{"hashes json.dumps(body) (Python's default separators) instead of the raw body",
			request{ts: ts, sig: Sign(c.o.Secret, ts, dialect{lang: "py", itemSep: ", ", keySep: ": ", ascii: true}.encode(tree)), body: body}},
		{"signs the body's event_ts (milliseconds) instead of the x-zm-request-timestamp header",
			request{ts: ts, sig: Sign(c.o.Secret, et, body), body: body}},
		{"compares against the signature without its v0= prefix",
			request{ts: ts, sig: strings.TrimPrefix(Sign(c.o.Secret, ts, body), SignaturePrefix), body: body}},
		{"verifies with an empty secret token (its secret is unset or read from the wrong variable)",
			request{ts: ts, sig: Sign(nil, ts, body), body: body}},
		{"verifies with the secret token plus a trailing newline",
			request{ts: ts, sig: Sign(append(append([]byte{}, c.o.Secret...), '\n'), ts, body), body: body}},
	}
	for _, t := range tries {
		p := Probe{Name: "signed as a verifier that " + t.what, Expect: ExpectReject, Severity: check.Note, Probing: true,
			Why: "sent because valid events were refused"}
		if err := c.send(ctx, &p, t.req); err != nil {
			return err
		}
		p.Pass = true // a diagnosis probe is never a finding of its own
		c.add(p)
		if p.Accepted {
			c.r.Diagnosis = "valid deliveries were refused: the endpoint " + t.what
			return nil
		}
	}
	c.r.Diagnosis = "valid deliveries were refused, and none of the usual mistakes is accepted either: the endpoint's secret token is not the one given (another app's, the client secret, the old verification token), or it does not answer 2xx at all"
	return nil
}

// curlCommand reproduces req; it holds signatures, never the secret.
func curlCommand(url string, req request) string {
	var b strings.Builder
	b.WriteString("curl -sS -X POST " + shellQuote(url) + " -H 'content-type: application/json'")
	if req.ts != "" {
		b.WriteString(" -H " + shellQuote(HeaderTimestamp+": "+req.ts))
	}
	if req.sig != "" {
		b.WriteString(" -H " + shellQuote(HeaderSignature+": "+req.sig))
	}
	b.WriteString(" --data-raw " + shellQuote(string(req.body)))
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Curl is the curl command that delivers body to url signed at ts with sig.
func Curl(url, ts, sig string, body []byte) string {
	return curlCommand(url, request{ts: ts, sig: sig, body: body})
}
