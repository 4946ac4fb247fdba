package check

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
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

	token string // the context sent; empty for none
	body  []byte // the answer's body, as far as it was read
}

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

// battery builds the cases in the order they are sent; the valid one comes first, because every
// other answer is judged against it.
func battery(o Options) []Case {
	cs := []Case{
		{Name: "valid context", Expect: Accept, Severity: Serious,
			Why: "a fresh context sealed with SHA-256(secret), base64url without padding, exactly as Zoom sends it: every real user's request looks like this"},
		{Name: "padded base64url", Expect: Accept, Severity: Note,
			Why: "the valid context with '=' padding; Zoom sends none, so refusing it is harmless, but a tolerant decoder accepts it"},
		{Name: "expired 8 minutes ago", Expect: Reject, Severity: Serious,
			Why: "a context lives about 2 minutes; exp is epoch milliseconds, so comparing it with a time in seconds never expires anything"},
		{Name: "another app's secret", Expect: Reject, Severity: Critical,
			Why: "sealed with a different secret: accepting it means the tag is not checked, so anyone can forge a context"},
		{Name: "flipped ciphertext byte", Expect: Reject, Severity: Critical,
			Why: "one ciphertext bit changed: GCM must refuse it; accepting it means the tag is not verified"},
		{Name: "flipped tag byte", Expect: Reject, Severity: Critical,
			Why: "one tag bit changed: GCM must refuse it; accepting it means the tag is not verified"},
		{Name: "tag cut to 12 bytes", Expect: Reject, Severity: Critical,
			Why: "a truncated GCM tag verifies against a decipher that does not pin the tag length (Node without authTagLength, Zoom's published Node sample); pin it to 16 bytes"},
		{Name: "tag cut to 8 bytes", Expect: Reject, Severity: Critical,
			Why: "an 8-byte tag is forged in about 2^64 tries instead of 2^128; pin the tag length to 16 bytes"},
		{Name: "tag cut to 4 bytes", Expect: Reject, Severity: Critical,
			Why: "a forged 4-byte tag passes 1 time in 2^32, and GCM's short-tag weaknesses make forging far cheaper still; Node accepts it unless authTagLength is 16"},
		{Name: "bytes after the tag", Expect: Reject, Severity: Warning,
			Why: "4 bytes appended after the 16-byte tag: the layout says where the tag ends, and anything after it means the token was altered"},
		{Name: "no context", Expect: Reject, Severity: Warning,
			Why: "no context at all: a request without one is not from the Zoom client (if this URL serves only static HTML, point --endpoint at the route that reads the context)"},
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

// send makes the case's context, sends it and records the answer.
func (c *checker) send(ctx context.Context, cs *Case) (*exchange, error) {
	tok, err := c.token(cs.Name)
	if err != nil {
		return nil, err
	}
	return c.sendToken(ctx, cs, tok)
}

func (c *checker) sendToken(ctx context.Context, cs *Case, tok string) (*exchange, error) {
	cs.token = tok
	j := c.verdict(tok)
	cs.Verdict, cs.Reason = j.Verdict, j.Reason
	method, u, h, body := c.request(tok)
	ex, err := c.do(ctx, method, u, h, body)
	if err != nil {
		return nil, err
	}
	cs.Status, cs.Curl, cs.Response, cs.body = ex.status, ex.curl(), ex.response(), ex.respBody
	return ex, nil
}

// verdict judges a context the way every face of zoomdbg does; "" is an absent header.
func (c *checker) verdict(tok string) appctx.Judgement {
	keys, err := appctx.ZoomKeys([]appctx.Secret{{Label: "check", Value: c.o.Secret}})
	if err != nil {
		return appctx.Judgement{Verdict: appctx.VerdictNoSecret, Reason: appctx.ReasonNoSecret, Detail: err.Error()}
	}
	return appctx.Judge(tok, tok != "", keys, c.o.ClientID, c.o.Now())
}

// decide judges the case's answer, once the judge has the valid context's.
func (c *checker) decide(cs *Case) {
	cs.Accepted = c.judge.accepted(cs.Status, cs.body)
	cs.Pass = cs.Accepted == (cs.Expect == Accept)
}

// judge tells accepted from refused, from the answer to the valid context.
type judge struct {
	validStatus int
	validOK     bool
	refused     *regexp.Regexp
}

func newJudge(valid *exchange, refused *regexp.Regexp) judge {
	j := judge{validStatus: valid.status, refused: refused}
	j.validOK = valid.status >= 200 && valid.status < 300 && (refused == nil || !refused.Match(valid.respBody))
	return j
}

// accepted: a refusal pattern in the body is a refusal; otherwise, when the valid context was
// accepted, the same status as its answer; when even it was refused, any 2xx.
func (j judge) accepted(status int, body []byte) bool {
	if j.refused != nil && j.refused.Match(body) {
		return false
	}
	if j.validOK {
		return status == j.validStatus
	}
	return status >= 200 && status < 300
}

func (j judge) describe() string {
	s := fmt.Sprintf("accepted = HTTP %d, the answer to the valid context", j.validStatus)
	if !j.validOK {
		s = fmt.Sprintf("the valid context was refused (HTTP %d), so accepted = any 2xx answer", j.validStatus)
	}
	if j.refused != nil {
		s += fmt.Sprintf(", unless the body matches %q", j.refused.String())
	}
	return s
}

// Diagnosis says which common bug makes the backend refuse Zoom's contexts, found by sending
// contexts made the wrong ways and seeing which one it accepts.
type Diagnosis struct {
	Found bool   `json:"found"`
	Bug   string `json:"bug"` // which variant the backend accepted, or why none was
	Fix   string `json:"fix"`
	Tried []Case `json:"tried"`
}

// variant is a context made the way a buggy backend expects it.
type variant struct {
	name, bug, fix string
	make           func(c *checker) (string, bool, error) // ok false: the variant does not apply
}

const fixKey = "derive the key as SHA-256 of the client secret's bytes and use it directly as the AES-256 key (zoomdbg snippet LANG has the code)"

var variants = []variant{
	{name: "sealed with HKDF", bug: "your backend derives the key with HKDF-SHA256 (info \"handshake data\"), as the seed thread's Python did; Zoom uses SHA-256 of the secret", fix: fixKey,
		make: derived(appctx.DeriveHKDF)},
	{name: "sealed with PBKDF2", bug: "your backend derives the key with PBKDF2-HMAC-SHA256; Zoom uses SHA-256 of the secret", fix: fixKey,
		make: derived(appctx.DerivePBKDF2)},
	{name: "sealed with the raw secret", bug: "your backend uses the secret's bytes as the AES key; Zoom hashes it with SHA-256 first", fix: fixKey,
		make: derived(appctx.DeriveRaw)},
	{name: "secret with a trailing newline", bug: "your backend's secret has a trailing newline (read from a file or an env file with one); the key is SHA-256 of the secret without it",
		fix: "trim the secret where the backend reads it",
		make: func(c *checker) (string, bool, error) {
			b, err := c.sealBytes(appctx.ZoomKey(append(bytes.Clone(c.o.Secret), '\n')), c.payload(0))
			return appctx.Encode(b), true, err
		}},
	{name: "secret trimmed", bug: "your backend trims the secret, but the secret you gave zoomdbg has whitespace around it: one of the two is not the app's secret as Zoom holds it",
		fix: "compare the secret in the backend's configuration with the Marketplace's, character for character",
		make: func(c *checker) (string, bool, error) {
			t := bytes.TrimSpace(c.o.Secret)
			if len(t) == len(c.o.Secret) {
				return "", false, nil
			}
			b, err := c.sealBytes(appctx.ZoomKey(t), c.payload(0))
			return appctx.Encode(b), true, err
		}},
	{name: "standard base64", bug: "your backend decodes the context as standard base64; Zoom sends base64url, whose '-' and '_' a plain decoder rejects or silently drops",
		fix: "decode with a base64url decoder (Python base64.urlsafe_b64decode with padding restored, Node Buffer.from(s, 'base64url'))",
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
		b, err := c.sealBytes(k.Bytes, c.payload(0))
		return appctx.Encode(b), true, err
	}
}

func (c *checker) diagnose(ctx context.Context) (*Diagnosis, error) {
	d := &Diagnosis{Tried: []Case{}}
	for _, v := range variants {
		tok, ok, err := v.make(c)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		cs := Case{Name: v.name, Expect: Reject, Why: v.bug, Severity: Note}
		if _, err := c.sendToken(ctx, &cs, tok); err != nil {
			return nil, err
		}
		c.decide(&cs)
		c.progress(Event{Case: &cs, Probe: true})
		d.Tried = append(d.Tried, cs)
		if cs.Accepted && !d.Found {
			d.Found, d.Bug, d.Fix = true, v.bug, v.fix
		}
	}
	if !d.Found {
		d.Bug = "none of the usual mistakes (HKDF, PBKDF2, the raw secret, a trailing newline, plain base64, the tag left off) opens it: " +
			"the backend most likely holds another secret (the app's Development and Production secrets differ; a regenerated secret changes too), " +
			"or it does not read the context from " + c.o.Via.String()
		d.Fix = "compare the backend's secret with the one given here, and check where it reads the context (--via); zoomdbg snippet LANG has working code"
	}
	return d, nil
}
