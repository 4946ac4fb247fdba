package appctx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Status is the verdict a Report gives: a Verdict, under the name the command line's JSON has
// always used for it.
type Status = Verdict

// The statuses a Report gives without a client ID or a time (see Report.Judge for those).
const (
	StatusOK          = VerdictOK
	StatusNoSecret    = VerdictNoSecret
	StatusBadPayload  = VerdictBadPayload
	StatusTagMismatch = VerdictTagMismatch
	StatusMalformed   = VerdictMalformed
	StatusNoToken     = VerdictNoToken
)

// Attempt is one key tried against a token.
type Attempt struct {
	Key      *Key
	Verifies bool
	Err      error // ErrTagMismatch, or why the key could not be used
}

// Report is everything zoomdbg knows about one pasted token.
type Report struct {
	Token    *Token
	ParseErr error // a *FormatError, or nil

	Attempts []Attempt // every key, in the order given
	Opened   *Attempt  // the attempt that verified, Zoom's derivation preferred
	Payload  []byte    // the plaintext, when some key opened the token
	Object   map[string]json.RawMessage
	JSONErr  error // why the payload is not a JSON object

	Causes []string // when Zoom's derivation did not open it: the likely causes, most likely first
	Hints  []string // what a backend's own code must do to open this token

	keys []Key // Zoom's derivation of each secret, for the verdict
}

// Inspect parses raw and tries every key against it. keys is usually DeriveAll(secrets); Inspect
// caches ciphers in them, so reuse the slice for the next token.
func Inspect(raw string, keys []Key) *Report {
	t, err := Parse(raw)
	return InspectParsed(t, err, keys)
}

// InspectParsed is Inspect for a token already parsed, with the error Parse gave.
func InspectParsed(t *Token, err error, keys []Key) *Report {
	r := &Report{Token: t, ParseErr: err}
	for _, k := range keys {
		if k.Derivation == DeriveSHA256 && k.Err == nil {
			r.keys = append(r.keys, k.Clone())
		}
	}
	if err != nil {
		return r
	}
	r.try(keys)
	r.readPayload()
	r.Causes = r.causes(keys)
	r.Hints = r.hints()
	return r
}

// Judge gives the verdict on the token as a backend receives it (Input.Found: what surrounded it
// in the paste removed, nothing repaired) with the one judgement every face uses, Judge. A paste
// with no token is no_token. clientID and now are as for Judge.
func (r *Report) Judge(clientID string, now time.Time) Judgement {
	var fe *FormatError
	if errors.As(r.ParseErr, &fe) && fe.Field == "input" && (fe.Code == ErrEmpty || fe.Code == ErrNoToken || fe.Code == ErrJWT) {
		return Judgement{Verdict: VerdictNoToken, Reason: ReasonMissing, Detail: fe.Message}
	}
	in := r.Token.Input
	if in.Found == "" && in.Raw == "" && in.Bytes != nil {
		return JudgeBytes(in.Bytes, r.keys, clientID, now) // ParseBytes: no text to judge
	}
	return Judge(in.Found, true, r.keys, clientID, now)
}

// Status is the verdict without a client ID or a time: Judge("", time.Time{}).
func (r *Report) Status() Status { return r.Judge("", time.Time{}).Verdict }

// OK reports whether the token, as a backend receives it, opens with Zoom's derivation and holds
// a payload that passes the verdict's checks.
func (r *Report) OK() bool { return r.Status() == StatusOK }

// Repaired reports whether the token fails as a backend receives it but opens with Zoom's
// derivation once repaired (std alphabet, spaces back to '+'): the diagnosis then names the repair.
func (r *Report) Repaired() bool {
	return r.Status() == StatusMalformed && r.Opened != nil && r.Opened.Key.Derivation == DeriveSHA256
}

func (r *Report) try(keys []Key) {
	r.Attempts = make([]Attempt, len(keys))
	opened := -1
	for i := range keys {
		k := &keys[i]
		pt, err := k.Open(r.Token)
		r.Attempts[i] = Attempt{Key: k, Verifies: err == nil, Err: err}
		if err != nil {
			continue
		}
		if opened < 0 || (k.Derivation == DeriveSHA256 && keys[opened].Derivation != DeriveSHA256) {
			opened, r.Payload = i, pt
		}
	}
	if opened >= 0 {
		r.Opened = &r.Attempts[opened]
	}
}

// readPayload reads the plaintext with the verdict's payload checks (JudgePayload), so the object
// shown is the one judged; JSONErr says why there is none.
func (r *Report) readPayload() {
	if r.Payload == nil {
		return
	}
	j := JudgePayload(Judgement{}, r.Payload, "", time.Time{})
	if j.Verdict == VerdictBadPayload && j.Where == InPayload {
		r.JSONErr = errors.New(j.Detail)
		return
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(r.Payload, &obj); err != nil {
		r.JSONErr = fmt.Errorf("payload: %w", err) // unreachable: JudgePayload read one object
		return
	}
	r.Object = obj
}

// causes explains, most likely first, why Zoom's derivation did not open the token.
func (r *Report) causes(keys []Key) []string {
	if len(keys) == 0 {
		return nil
	}
	if r.Opened != nil && r.Opened.Key.Derivation == DeriveSHA256 {
		if c := r.repairCause(); c != "" {
			return []string{c}
		}
		return nil
	}
	var c []string
	if r.Opened != nil {
		c = append(c, openedOtherwise(r.Opened.Key))
	}
	for _, sc := range secretShapeCauses(keys) {
		// The trimmed secret opening it already says the secret has whitespace: say it once.
		if r.Opened != nil && r.Opened.Key.Derivation == DeriveTrimmed && strings.HasSuffix(sc, "has whitespace around it") {
			continue
		}
		c = append(c, sc)
	}
	if r.Opened == nil {
		c = append(c, "the secret is not the one that sealed this token: a Zoom app has separate Development and "+
			"Production client secrets and the client uses whichever the app was launched with; another app's "+
			"secret, or a secret regenerated since, fails the same way")
	}
	if n := len(r.Token.Input.Repairs); n > 0 {
		c = append(c, fmt.Sprintf("the token was altered on its way here (zoomdbg repaired it: %s); "+
			"a repair that guessed wrong, or damage it could not see, fails the tag", strings.Join(r.Token.Input.Repairs, "; ")))
	}
	if r.Opened == nil {
		c = append(c, "the token was changed in transit: truncated, re-encoded or with a character altered; "+
			"GCM fails on any changed bit, so compare it with what the client sent")
	}
	return c
}

// repairCause says, for a token that opens only once repaired, what a backend gets and what
// mangled it; "" when the token opens as sent.
func (r *Report) repairCause() string {
	f := r.Token.Input.Found
	switch {
	case strings.Contains(f, " "):
		return "as sent, a backend refuses it: it has spaces where '+' was (a form or URL decoder read '+' as a space), " +
			"and it opens once they are '+' again; decode the raw header, not a form-decoded value"
	case strings.ContainsAny(f, "+/"):
		return "as sent, a backend refuses it: it is in standard base64 ('+' '/'), not the base64url Zoom sends, and it " +
			"opens once converted back; something re-encoded it (btoa, base64.b64encode, Buffer toString('base64'))"
	}
	return ""
}

// MismatchReason says in one line why a token whose tag does not verify with Zoom's derivation
// fails, naming the cause when another derivation opens it: the verdict's words.
func (r *Report) MismatchReason() string {
	switch {
	case r.Opened == nil:
		return "no secret opens it with Zoom's derivation"
	case r.Opened.Key.Derivation == DeriveTrimmed:
		return fmt.Sprintf("it opens with secret %q trimmed: the secret has whitespace around it (a trailing newline?)", r.Opened.Key.SecretLabel)
	}
	return fmt.Sprintf("it opens only with %s of secret %q: whoever sealed it derived the key that way, not with Zoom's SHA-256(secret)",
		r.Opened.Key.Derivation, r.Opened.Key.SecretLabel)
}

func openedOtherwise(k *Key) string {
	if k.Derivation == DeriveTrimmed {
		return fmt.Sprintf("secret %q has whitespace around it (a trailing newline in an env or secret file?): "+
			"it opens with the trimmed secret; trim it where your backend reads it", k.SecretLabel)
	}
	return fmt.Sprintf("this token opens with %s and secret %q, not with Zoom's SHA-256(secret): "+
		"whoever sealed it used that derivation, and Zoom's own tokens never open that way", k.Derivation.Describe(), k.SecretLabel)
}

// Zoom client secrets are 32 characters, client IDs 22: a secret of the wrong shape is the most
// specific evidence there is.
const (
	zoomSecretLen   = 32
	zoomClientIDLen = 22
)

func secretShapeCauses(keys []Key) []string {
	var c []string
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.SecretLabel] || k.Derivation != DeriveRaw {
			continue
		}
		seen[k.SecretLabel] = true
		s := k.Bytes
		switch {
		case len(s) == zoomClientIDLen:
			c = append(c, fmt.Sprintf("secret %q is %d characters, the length of a Zoom client ID, not a client secret (%d)",
				k.SecretLabel, len(s), zoomSecretLen))
		case len(bytes.TrimSpace(s)) != len(s):
			c = append(c, fmt.Sprintf("secret %q has whitespace around it", k.SecretLabel))
		case bytes.ContainsAny(s, "\"'`"):
			c = append(c, fmt.Sprintf("secret %q contains quote characters: were quotes copied with it?", k.SecretLabel))
		case len(s) != zoomSecretLen:
			c = append(c, fmt.Sprintf("secret %q is %d characters; Zoom client secrets are %d", k.SecretLabel, len(s), zoomSecretLen))
		}
	}
	return c
}

// hints say what a backend's own decryption code must do with this particular token: the
// mistakes behind most "unable to authenticate data" reports, made concrete with its numbers.
func (r *Report) hints() []string {
	t := r.Token
	h := []string{
		"key: SHA-256 of the client secret's bytes, used directly as the AES-256 key (no HKDF, no PBKDF2)",
	}
	if n := strings.Count(t.Input.Text, "-") + strings.Count(t.Input.Text, "_"); n > 0 {
		h = append(h, fmt.Sprintf("decode as base64url: this token has %d '-' or '_' characters, which plain base64 "+
			"decoders reject (atob) or silently drop (Python's b64decode), yielding the wrong bytes", n))
	}
	h = append(h, fmt.Sprintf("Web Crypto's AES-GCM decrypt takes ciphertext and tag as one buffer "+
		"(%d + %d = %d bytes here) with tagLength 128; the ciphertext alone fails", len(t.Ciphertext), len(t.Tag), len(t.Ciphertext)+len(t.Tag)))
	if len(t.AAD) > 0 {
		h = append(h, fmt.Sprintf("pass the %d-byte AAD as additional data (setAAD, additionalData); leaving it out fails the tag", len(t.AAD)))
	}
	if len(t.IV) != IVSize {
		h = append(h, fmt.Sprintf("the IV is %d bytes, not the usual %d: libraries that assume 12 read the wrong bytes", len(t.IV), IVSize))
	}
	return h
}
