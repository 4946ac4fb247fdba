package check

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// Expectations: what a correct backend does with a case.
const (
	Accept = "accept"
	Reject = "reject"
)

// Case is one context sent to the backend, with what a correct backend must do and what this one did.
type Case struct {
	Name   string `json:"name"`
	Expect string `json:"expect"` // "accept" or "reject"
	// Verdict and Reason are core's judgement of the context sent (appctx.Judge, the verdict every
	// face gives): a correct backend accepts only an ok one.
	Verdict  appctx.Verdict `json:"verdict"`
	Reason   appctx.Reason  `json:"reason"`
	Status   int            `json:"status"`
	Accepted bool           `json:"accepted"`
	Pass     bool           `json:"pass"`
	Why      string         `json:"why"`      // why a correct backend does that; what a failure means
	Severity Severity       `json:"severity"` // of a failure
	Curl     string         `json:"curl"`     // the request, to reproduce it; holds the context, never the secret
	Response string         `json:"response"` // status line, content type and the start of the body
	Token    string         `json:"token"`    // the context sent; empty for none

	// Tested is false when the answer is no evidence either way; NotTested says why (the valid
	// context was refused, the backend stopped answering, refusals look like acceptances).
	Tested    bool   `json:"tested"`
	NotTested string `json:"not_tested,omitempty"`
	// Error is what went wrong when there was no usable answer: none at all, or a redirect loop.
	Error string `json:"error,omitempty"`
	// Leaked names the forms of the client secret the answer held (never the secret: it is
	// redacted from everything kept).
	Leaked []string `json:"leaked,omitempty"`

	body      []byte      // the answer's body, as far as it was read, the secret redacted
	header    http.Header // the answer's headers
	redirects []string    // the redirects followed
}

// Outcome is what a case's answer says, in one word, for every face: "accepted", "refused", or
// "alike" for a probe that got the answer every request got when accepted and refused could not
// be told apart (judgedBy is JudgedByNothing): calling that a refusal would contradict the report.
func Outcome(c Case, judgedBy string) string {
	switch {
	case c.Accepted:
		return "accepted"
	case judgedBy == JudgedByNothing && c.Status != 0:
		return "alike"
	}
	return "refused"
}

// Names of the cases the judge learns from, and of the one every other is judged against.
const (
	caseValid       = "valid context"
	caseNone        = "no context"
	caseOtherSecret = "another app's secret"
)

// Issuer is the iss Zoom puts in app contexts.
const Issuer = "marketplace.zoom.us"

// payload is a context's plaintext: what Zoom puts in one, with the given times and claims.
type payload struct {
	Typ string `json:"typ"`
	UID string `json:"uid"`
	TS  int64  `json:"ts"`
	Exp int64  `json:"exp"`
	Iss string `json:"iss"`
	Aud string `json:"aud,omitempty"`
}

// checkUID is the user the sealed contexts are for: made up, the shape of a Zoom user ID.
const checkUID = "zoomdbgCheckUser000001"

func (c *checker) payload(age time.Duration) payload {
	now := c.o.Now().Add(-age).UnixMilli()
	return payload{Typ: "panel", UID: checkUID, TS: now, Exp: now + appctx.ContextLifetime.Milliseconds(), Iss: Issuer, Aud: c.o.ClientID}
}

// sealBytes seals p under key, laid out as Zoom lays contexts out.
func (c *checker) sealBytes(key []byte, p payload) ([]byte, error) {
	pt, _ := json.Marshal(p)
	tok, err := appctx.Seal(key, pt, nil, c.o.Rand)
	if err != nil {
		return nil, err
	}
	return base64.RawURLEncoding.DecodeString(tok)
}

func (c *checker) zoomKey() []byte { return appctx.ZoomKey(c.o.Secret) }

func (c *checker) sealValid() (string, error) {
	b, err := c.sealBytes(c.zoomKey(), c.payload(0))
	return appctx.Encode(b), err
}

// battery builds the cases in the order they are sent. The valid one comes first, then the two
// every correct backend refuses, no context and another app's: what refused looks like is learned
// from those three answers before any other is judged.
func battery(o Options) []Case {
	cs := []Case{
		{Name: caseValid, Expect: Accept, Severity: Serious,
			Why: "a fresh context sealed with SHA-256(secret), base64url without padding, exactly as Zoom sends it: every real user's request looks like this"},
		{Name: caseNone, Expect: Reject, Severity: Warning,
			Why: "no context at all: a request without one is not from the Zoom client (if this URL serves only static HTML, point --endpoint at the route that reads the context)"},
		{Name: "another app's secret", Expect: Reject, Severity: Critical,
			Why: "sealed with a different secret: accepting it means the tag is not checked, so anyone can forge a context"},
		{Name: "padded base64url", Expect: Accept, Severity: Note,
			Why: "the valid context with '=' padding; Zoom sends none, so refusing it is harmless, but a tolerant decoder accepts it"},
		{Name: "expired 8 minutes ago", Expect: Reject, Severity: Serious,
			Why: "a context lives about 2 minutes and exp is epoch milliseconds: a backend that does not check exp, or compares it with a time in seconds, never expires anything"},
		{Name: "flipped ciphertext byte", Expect: Reject, Severity: Critical,
			Why: "one ciphertext bit changed: GCM must refuse it; accepting it means the tag is not verified"},
		{Name: "flipped tag byte", Expect: Reject, Severity: Critical,
			Why: "one tag bit changed: GCM must refuse it; accepting it means the tag is not verified"},
		{Name: "tag cut to 12 bytes", Expect: Reject, Severity: Critical,
			Why: "a GCM tag cut short still verifies when the decryption does not pin the tag's length to 16 bytes"},
		{Name: "tag cut to 8 bytes", Expect: Reject, Severity: Critical,
			Why: "an 8-byte tag is forged in about 2^64 tries instead of 2^128"},
		{Name: "tag cut to 4 bytes", Expect: Reject, Severity: Critical,
			Why: "a forged 4-byte tag passes 1 time in 2^32, and GCM's short-tag weaknesses make forging far cheaper still"},
		{Name: "bytes after the tag", Expect: Reject, Severity: Warning,
			Why: "4 bytes appended after the 16-byte tag: the layout says where the tag ends, and anything after it means the token was altered"},
	}
	if o.ClientID != "" {
		cs = append(cs, Case{Name: "wrong aud", Expect: Reject, Severity: Serious,
			Why: "sealed for another client ID: a context for another app (one that shares this secret across environments, say) must not log a user in here"})
	}
	cs = append(cs, Case{Name: "wrong iss", Expect: Reject, Severity: Note,
		Why: "iss is not " + Issuer + "; only a holder of the secret can seal this, so checking iss is defence in depth"})
	return cs
}

// token makes the context a case sends.
func (c *checker) token(name string) (string, error) {
	valid := func() ([]byte, error) { return c.sealBytes(c.zoomKey(), c.payload(0)) }
	enc := appctx.Encode
	var b []byte
	var err error
	switch name {
	case "valid context":
		b, err = valid()
	case "padded base64url":
		if b, err = valid(); err == nil {
			return base64.URLEncoding.EncodeToString(b), nil
		}
	case "expired 8 minutes ago":
		b, err = c.sealBytes(c.zoomKey(), c.payload(8*time.Minute+appctx.ContextLifetime))
	case "another app's secret":
		b, err = c.sealBytes(appctx.ZoomKey(append([]byte("another app: "), c.o.Secret...)), c.payload(0))
	case "flipped ciphertext byte":
		if b, err = valid(); err == nil {
			b[len(b)-appctx.TagSize-1] ^= 0x01
		}
	case "flipped tag byte":
		if b, err = valid(); err == nil {
			b[len(b)-1] ^= 0x80
		}
	case "tag cut to 12 bytes", "tag cut to 8 bytes", "tag cut to 4 bytes":
		var n int
		fmt.Sscanf(name, "tag cut to %d bytes", &n)
		if b, err = valid(); err == nil {
			b = b[:len(b)-appctx.TagSize+n]
		}
	case "bytes after the tag":
		if b, err = valid(); err == nil {
			b = append(b, 0xde, 0xad, 0xbe, 0xef)
		}
	case "no context":
		return "", nil
	case "wrong aud":
		p := c.payload(0)
		p.Aud = "zoomdbgAnotherAppId001"
		b, err = c.sealBytes(c.zoomKey(), p)
	case "wrong iss":
		p := c.payload(0)
		p.Iss = "attacker.example"
		b, err = c.sealBytes(c.zoomKey(), p)
	default:
		return "", fmt.Errorf("check: no recipe for case %q", name)
	}
	return enc(b), err
}

// send makes the case's context, sends it and records the answer. A backend that does not
// answer is recorded in the case (Error, and the *UnreachableError returned); any other error
// stops the check.
func (c *checker) send(ctx context.Context, cs *Case) error {
	tok, err := c.token(cs.Name)
	if err != nil {
		return err
	}
	return c.sendToken(ctx, cs, tok)
}

func (c *checker) sendToken(ctx context.Context, cs *Case, tok string) error {
	cs.Token = tok
	j := c.verdict(tok)
	cs.Verdict, cs.Reason = j.Verdict, j.Reason
	method, u, h, body := c.request(tok)
	ex, err := c.do(ctx, method, u, h, body)
	var ue *UnreachableError
	if errors.As(err, &ue) {
		cs.Error, cs.Curl = ue.Error(), ue.curl
		return err
	}
	if err != nil {
		return err
	}
	cs.Status, cs.Curl, cs.Response, cs.body, cs.header, cs.redirects, cs.Error, cs.Leaked = ex.status, ex.curl(), ex.response(), ex.respBody, ex.header, ex.redirects, ex.loop, ex.leaked
	return nil
}

// verdict judges a context the way every face of zoomdbg does; "" is an absent header.
func (c *checker) verdict(tok string) appctx.Judgement {
	keys, err := appctx.ZoomKeys([]appctx.Secret{{Label: "check", Value: c.o.Secret}})
	if err != nil {
		return appctx.Judgement{Verdict: appctx.VerdictNoSecret, Reason: appctx.ReasonNoSecret, Detail: err.Error()}
	}
	return appctx.Judge(tok, tok != "", keys, c.o.ClientID, c.o.Now())
}

// decide judges the case's answer, once the judge has learned what refused looks like.
func (c *checker) decide(cs *Case) {
	if cs.Status == 0 {
		cs.Tested, cs.NotTested = false, "no answer: "+cs.Error
		return
	}
	acc, unknown := c.judge.verdict(cs.Status, cs.body)
	if unknown != "" {
		cs.Tested, cs.NotTested = false, unknown
		return
	}
	cs.Accepted, cs.Tested = acc, true
	cs.Pass = cs.Accepted == (cs.Expect == Accept)
}

// Diagnosis says why the backend refuses Zoom's contexts: from its answers first (a 405, a 404, a
// login redirect say it without guessing), else by sending contexts made the wrong ways and
// seeing which one it accepts.
type Diagnosis struct {
	Found bool   `json:"found"`
	Bug   string `json:"bug"` // the cause, or why none was found
	Fix   string `json:"fix"`
	Tried []Case `json:"tried"` // the probes sent, none when the answers already told
}

// variant is a context made the way a buggy backend expects it.
type variant struct {
	name, bug, fix string
	make           func(c *checker) (string, bool, error) // ok false: the variant does not apply
}

const fixKey = "derive the key as SHA-256 of the client secret's bytes (32 raw bytes, not hex) and use it directly as the AES-256 key"

var variants = []variant{
	{name: "sealed with HKDF", bug: "your backend derives the key with HKDF-SHA256 (info \"handshake data\"), as the seed thread's Python did; Zoom uses SHA-256 of the secret", fix: fixKey,
		make: derived(appctx.DeriveHKDF)},
	{name: "sealed with PBKDF2", bug: "your backend derives the key with PBKDF2-HMAC-SHA256; Zoom uses SHA-256 of the secret", fix: fixKey,
		make: derived(appctx.DerivePBKDF2)},
	{name: "secret padded or cut to 32 bytes", fix: fixKey,
		bug: "your backend uses the secret's own bytes as the key, zero-padded or cut to 32 bytes (Java's Arrays.copyOf(secret.getBytes(), 32), or PHP's openssl_decrypt handed the secret, which pads a short key with zeros and cuts a long one); Zoom hashes the secret with SHA-256 first",
		make: func(c *checker) (string, bool, error) {
			k := make([]byte, 32)
			copy(k, c.o.Secret)
			return c.sealWith(k)
		}},
	{name: "SHA-256 hex cut to 32 bytes", fix: fixKey,
		bug: "your backend hashes the secret to 64 hex characters (PHP's hash('sha256', $secret) without its binary argument, a hexdigest) and the cipher keeps the first 32 of them; Zoom's key is the 32 raw bytes of the hash",
		make: func(c *checker) (string, bool, error) {
			return c.sealWith([]byte(hex.EncodeToString(c.zoomKey())[:32]))
		}},
	{name: "secret with a trailing newline", bug: "your backend's secret has a trailing newline (read from a file or an env file with one); the key is SHA-256 of the secret without it",
		fix: "trim the secret where the backend reads it",
		make: func(c *checker) (string, bool, error) {
			return c.sealWith(appctx.ZoomKey(append(bytes.Clone(c.o.Secret), '\n')))
		}},
	{name: "secret trimmed", bug: "your backend trims the secret, but the secret you gave zoomdbg has whitespace around it: one of the two is not the app's secret as Zoom holds it",
		fix: "compare the secret in the backend's configuration with the Marketplace's, character for character",
		make: func(c *checker) (string, bool, error) {
			t := bytes.TrimSpace(c.o.Secret)
			if len(t) == len(c.o.Secret) {
				return "", false, nil
			}
			return c.sealWith(appctx.ZoomKey(t))
		}},
	{name: "standard base64", bug: "your backend decodes the context as standard base64; Zoom sends base64url, whose '-' and '_' a plain decoder rejects or silently drops (Python's base64.b64decode drops them)",
		fix: "decode with a base64url decoder (Python base64.urlsafe_b64decode with the padding restored, Node Buffer.from(s, 'base64url'), PHP strtr($s, '-_', '+/') before base64_decode)",
		make: func(c *checker) (string, bool, error) {
			b, err := c.sealBytes(c.zoomKey(), c.payload(0))
			return base64.StdEncoding.EncodeToString(b), true, err
		}},
	{name: "tag inside the ciphertext", bug: "your backend hands the cipher the ciphertext field without the tag after it (Web Crypto's decrypt wants ciphertext and tag as one buffer: 'OperationError' / 'unable to authenticate data')",
		fix: "pass ciphertext||tag to crypto.subtle.decrypt with tagLength 128, or set the tag with setAuthTag in Node",
		make: func(c *checker) (string, bool, error) {
			b, err := c.sealBytes(c.zoomKey(), c.payload(0))
			if err != nil {
				return "", false, err
			}
			return appctx.Encode(tagInside(b)), true, nil
		}},
}

// sealWith seals a fresh valid payload under key.
func (c *checker) sealWith(key []byte) (string, bool, error) {
	b, err := c.sealBytes(key, c.payload(0))
	return appctx.Encode(b), true, err
}

// tagInside rewrites a token so its ciphertext field holds ciphertext||tag, followed by the tag
// again: a backend that decrypts only the ciphertext field then gets what Web Crypto needs.
func tagInside(b []byte) []byte {
	ivLen := int(b[0])
	aadOff := 1 + ivLen
	aadLen := int(binary.LittleEndian.Uint16(b[aadOff:]))
	lenOff := aadOff + 2 + aadLen
	ctLen := binary.LittleEndian.Uint32(b[lenOff:])
	out := bytes.Clone(b)
	binary.LittleEndian.PutUint32(out[lenOff:], ctLen+appctx.TagSize)
	return append(out, b[len(b)-appctx.TagSize:]...)
}

func derived(d appctx.Derivation) func(c *checker) (string, bool, error) {
	return func(c *checker) (string, bool, error) {
		k := appctx.Derive(d, appctx.Secret{Value: c.o.Secret})
		if k.Err != nil {
			return "", false, nil
		}
		return c.sealWith(k.Bytes)
	}
}

// weigh reads what the answer to the valid context already says, before any secret is guessed:
// a method, a route or a content type the endpoint does not take, a login page, a redirect loop.
func (c *checker) weigh(valid *Case) (bug, fix string) {
	allow := valid.header.Get("Allow")
	switch {
	case strings.HasPrefix(valid.Error, "redirect loop"):
		return "the backend answered the valid context with a " + valid.Error + ": it sets a session cookie the client does not keep (a Domain or Path that does not match, Secure on plain http to another host than localhost), or it redirects every request that carries a context (check sends the context again on a redirect to the same host, as a browser keeps a request's headers)",
			"open the endpoint in a browser with the network panel open and follow the Set-Cookie and Location headers"
	case valid.Status == http.StatusMethodNotAllowed:
		bug = fmt.Sprintf("the endpoint answered %s to a %s: it does not take the method check sent", statusText(valid.Status), c.method())
		if allow != "" {
			bug += " (Allow: " + allow + ")"
		}
		fix = "point --endpoint at the route that reads the context, or send the context the way the frontend does"
		if strings.Contains(strings.ToUpper(allow), "POST") && c.o.Via.Kind != ViaJSON {
			fix = "the endpoint takes POST: send the context in a JSON body as the frontend posts getAppContext(), with --via json:FIELD"
		}
		return bug, fix
	case valid.Status == http.StatusNotFound:
		return "the endpoint answered " + statusText(valid.Status) + ": there is no route at " + c.o.Endpoint,
			"point --endpoint at the route that reads the context"
	case valid.Status == http.StatusUnsupportedMediaType:
		return fmt.Sprintf("the endpoint answered %s: it wants another Content-Type than check sent (%s)", statusText(valid.Status), orNone(c.contentType())),
			"send the context where and how the endpoint reads it (--via header, query:NAME or json:FIELD)"
	}
	for _, hop := range append(valid.redirects, valid.header.Get("Location")) {
		if loginPath.MatchString(hop) {
			return "the backend sent the valid context to a login page (" + hop + "): this route wants a login session of its own, not the app context",
				"inside Zoom, authenticate the user from the app context (or zoomSdk.authorize) on this route instead of a login form"
		}
	}
	if valid.Status >= 300 && valid.Status < 400 {
		return fmt.Sprintf("the backend redirects the valid context to %s on another host, which check does not follow", valid.header.Get("Location")),
			"point --endpoint at the route that reads the context itself"
	}
	return "", ""
}

func (c *checker) method() string {
	if c.o.Via.Kind == ViaJSON {
		return http.MethodPost
	}
	return http.MethodGet
}

func (c *checker) contentType() string {
	if c.o.Via.Kind == ViaJSON {
		return "application/json"
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (c *checker) diagnose(ctx context.Context, r *Report) (*Diagnosis, error) {
	d := &Diagnosis{Tried: []Case{}}
	valid := &r.Cases[0]
	if bug, fix := c.weigh(valid); bug != "" {
		d.Found, d.Bug, d.Fix = true, bug, fix
		return d, nil
	}
	for _, v := range variants {
		tok, ok, err := v.make(c)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		cs := Case{Name: v.name, Expect: Reject, Why: v.bug, Severity: Note}
		err = c.sendToken(ctx, &cs, tok)
		var ue *UnreachableError
		if err != nil && !errors.As(err, &ue) {
			return nil, err
		}
		c.decideProbe(&cs)
		c.progress(Event{Case: &cs, Probe: true})
		d.Tried = append(d.Tried, cs)
		if cs.Accepted && !d.Found {
			d.Found, d.Bug, d.Fix = true, v.bug, v.fix
		}
		if ue != nil && c.lastDial {
			r.Stopped = &Stop{Case: cs.Name, Error: cs.Error, Previous: d.Tried[max(len(d.Tried)-2, 0)].Name, Culprit: cs.Name}
			break
		}
	}
	if d.Found && c.judge.by == JudgedByNothing {
		c.resolve(r)
	}
	if !d.Found {
		d.Bug, d.Fix = c.unexplained(r, d.Tried)
	}
	return d, nil
}

// decideProbe: a probe is accepted when the backend answers it with a 2xx that is not what it
// answered the valid context (refused) and the reference refusals.
func (c *checker) decideProbe(cs *Case) {
	if c.judge.by != JudgedByNothing {
		c.decide(cs)
		return
	}
	cs.Tested = cs.Status != 0
	cs.Accepted = is2xx(cs.Status) && !c.judge.seen(answerOf(cs))
}

// resolve: the answers looked alike, but a probe got another one, so the valid context was
// refused like the others. Judge every row again on that footing.
func (c *checker) resolve(r *Report) {
	c.judge.by = JudgedByValidRefused
	r.JudgedBy = JudgedByValidRefused
	r.Judged += "; a diagnosis probe got another answer, so that common answer is a refusal"
	for k := range r.Cases {
		cs := &r.Cases[k]
		if cs.Status == 0 {
			continue
		}
		cs.NotTested = ""
		cs.Tested = true
		cs.Accepted = is2xx(cs.Status) && !c.judge.seen(answerOf(cs))
		cs.Pass = cs.Accepted == (cs.Expect == Accept)
	}
}

// unexplained says why no probe opened: the probes sent, by name, and what the answers suggest.
func (c *checker) unexplained(r *Report, tried []Case) (bug, fix string) {
	var names []string
	for _, t := range tried {
		names = append(names, t.Name)
	}
	sent := "none of the probes sent (" + strings.Join(names, ", ") + ") opens it"
	fix = "compare the backend's secret with the one given here, and check where it reads the context (--via); zoomdbg snippet LANG has working code"
	if c.judge.by == JudgedByNothing {
		return sent + ", and every answer looks alike: check cannot tell accepted from refused here",
			"pass --refused-body REGEX with a phrase of the backend's error page, or point --endpoint at a route whose answer shows whether the context opened"
	}
	if none := caseIn(r.Cases, caseNone); none != nil && none.Status != 0 && alike(answerOf(none), answerOf(&r.Cases[0])) {
		return sent + ": the valid context gets the same answer as no context at all, so the backend most likely does not find it in " + c.o.Via.String(),
			"check where the backend reads the context and say so with --via (header:NAME, query:NAME or json:FIELD)"
	}
	return sent + ": the backend most likely holds another secret (the app's Development and Production secrets differ; a regenerated secret changes too), or it does not read the context from " + c.o.Via.String(), fix
}

func caseIn(cs []Case, name string) *Case {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}
