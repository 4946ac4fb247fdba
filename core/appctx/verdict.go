package appctx

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Verdict is the one-word verdict on an app context. The values are part of every face's JSON
// (context --json "verdict", scan "status") and of fixtures/contexts/verdicts.json, the table that
// specifies them.
type Verdict string

// Verdicts, from best to worst. When several apply the worst wins, in this order:
// no_token > malformed > tag_mismatch > bad_payload > wrong_aud > expired > ok.
const (
	VerdictOK          Verdict = "ok"
	VerdictExpired     Verdict = "expired"
	VerdictWrongAud    Verdict = "wrong_aud"
	VerdictBadPayload  Verdict = "bad_payload"
	VerdictTagMismatch Verdict = "tag_mismatch"
	VerdictMalformed   Verdict = "malformed"
	VerdictNoToken     Verdict = "no_token"
	// VerdictNoSecret is a debugger's verdict, never a backend's: the token is well formed and no
	// secret was given to open it.
	VerdictNoSecret Verdict = "no_secret"
)

// Words says the verdict in words, for human text in every face.
func (v Verdict) Words() string {
	switch v {
	case VerdictOK:
		return "ok"
	case VerdictExpired:
		return "expired"
	case VerdictWrongAud:
		return "wrong audience"
	case VerdictBadPayload:
		return "bad payload"
	case VerdictTagMismatch:
		return "tag mismatch"
	case VerdictMalformed:
		return "malformed"
	case VerdictNoToken:
		return "no token"
	case VerdictNoSecret:
		return "no secret"
	}
	return string(v)
}

// Reason is the code that says which check gave the verdict.
type Reason string

// Reason codes, in the order the checks run.
const (
	ReasonNone          Reason = ""
	ReasonMissing       Reason = "missing"        // no header, or an empty one
	ReasonTooLong       Reason = "too_long"       // more than MaxHeader bytes
	ReasonStdBase64     Reason = "std_base64"     // '+' or '/': standard base64, not base64url
	ReasonBadChar       Reason = "bad_char"       // a byte outside base64url and trailing '='
	ReasonBadPadding    Reason = "bad_padding"    // three or more trailing '='
	ReasonBadLength     Reason = "bad_length"     // 4k+1 characters
	ReasonIVLength      Reason = "iv_length"      // the IV length byte is not 12
	ReasonTruncated     Reason = "truncated"      // the bytes end inside a field
	ReasonShortTag      Reason = "short_tag"      // fewer than 16 bytes after the ciphertext
	ReasonTrailingBytes Reason = "trailing_bytes" // more than 16 bytes after the ciphertext
	ReasonTag           Reason = "tag"            // AES-GCM does not open it with SHA-256(secret)
	ReasonNotUTF8       Reason = "not_utf8"
	ReasonBOM           Reason = "bom"
	ReasonTooDeep       Reason = "too_deep"
	ReasonNotJSON       Reason = "not_json"
	ReasonNotObject     Reason = "not_object"
	ReasonTrailingData  Reason = "trailing_data"
	ReasonExpMissing    Reason = "exp_missing"
	ReasonExpType       Reason = "exp_type"
	ReasonExpSeconds    Reason = "exp_seconds"
	ReasonTSType        Reason = "ts_type"
	ReasonTSSeconds     Reason = "ts_seconds"
	ReasonAud           Reason = "aud"
	ReasonExpired       Reason = "expired"
	ReasonNoSecret      Reason = "no_secret"
)

// reasonWords are the words for each reason code, written once for every face.
var reasonWords = map[Reason]string{
	ReasonMissing:       "no header value",
	ReasonTooLong:       "too long",
	ReasonStdBase64:     "standard base64, not base64url",
	ReasonBadChar:       "a character outside base64url",
	ReasonBadPadding:    "too much padding",
	ReasonBadLength:     "impossible base64 length",
	ReasonIVLength:      "IV length is not 12",
	ReasonTruncated:     "truncated",
	ReasonShortTag:      "tag shorter than 16 bytes",
	ReasonTrailingBytes: "bytes after the tag",
	ReasonTag:           "tag mismatch",
	ReasonNotUTF8:       "payload is not UTF-8",
	ReasonBOM:           "payload starts with a byte order mark",
	ReasonTooDeep:       "payload nested too deeply",
	ReasonNotJSON:       "payload is not JSON",
	ReasonNotObject:     "payload is not a JSON object",
	ReasonTrailingData:  "data after the JSON object",
	ReasonExpMissing:    "no exp claim",
	ReasonExpType:       "exp is not a time in milliseconds",
	ReasonExpSeconds:    "exp is in seconds, not milliseconds",
	ReasonTSType:        "ts is not a time in milliseconds",
	ReasonTSSeconds:     "ts is in seconds, not milliseconds",
	ReasonAud:           "aud is not the client ID",
	ReasonExpired:       "expired",
	ReasonNoSecret:      "no secret given",
}

// Words says the reason code in words.
func (r Reason) Words() string {
	if w, ok := reasonWords[r]; ok {
		return w
	}
	return string(r)
}

// Limits of the verdict.
const (
	// MaxHeader is the longest header value judged: checked first, so every later check is linear
	// in at most this much. A real context is about 400 characters.
	MaxHeader = 8192
	// maxPadding is how many trailing '=' are accepted (and ignored).
	maxPadding = 2
	// Claim times are epoch milliseconds: below secondsCutoff they look like seconds, at or above
	// maxMillis (the year 33658) they are not a time.
	maxMillis = 1e15
)

// Where says what a Judgement's Offset counts.
type Where string

// Offsets count bytes of the header, of the decoded token, or of the plaintext.
const (
	InHeader  Where = "header"
	InToken   Where = "token"
	InPayload Where = "payload"
)

// Judgement is the verdict on one header value, with the reason code and where the fault is.
type Judgement struct {
	Verdict Verdict
	Reason  Reason
	Where   Where  // what Offset counts; "" when no offset applies
	Offset  int    // byte offset of the fault in Where
	Field   string // the layout field or claim at fault
	Char    string // the offending character, quoted so it cannot drive a terminal
	Detail  string // what was found and what was expected, in words

	// What the checks read on the way, as far as they got.
	Bytes       []byte // the decoded token
	IV, AAD     []byte
	Sealed      []byte // ciphertext and tag
	SecretLabel string // the secret whose SHA-256 opened it
	Payload     []byte // the plaintext
	Claims      PayloadClaims
	ExpMS, TSMS float64 // the claim times, once read
}

// OK reports whether the verdict is ok.
func (j Judgement) OK() bool { return j.Verdict == VerdictOK }

// Text is the verdict in one line of words: the words for the verdict, then the detail.
func (j Judgement) Text() string {
	if j.Detail == "" {
		return j.Verdict.Words()
	}
	return j.Verdict.Words() + ": " + j.Detail
}

// ErrEmptySecret is a caller's error, not a verdict: an empty client secret derives a key
// anyone can compute.
var ErrEmptySecret = errors.New("empty client secret: refusing to judge with a key anyone can derive")

// Judge gives the verdict on an x-zoom-app-context header value exactly as a framework hands it
// over (present false for an absent header), following README "The verdict on a context":
// keys are tried in order (only Zoom's SHA-256 derivation counts; see ZoomKeys), clientID when
// not empty must equal aud, and now, when not zero, is the instant exp is judged at. It runs in
// time linear in the header, capped at MaxHeader.
func Judge(header string, present bool, keys []Key, clientID string, now time.Time) Judgement {
	if !present || header == "" {
		return Judgement{Verdict: VerdictNoToken, Reason: ReasonMissing, Detail: "no " + HeaderName + " header value"}
	}
	if len(header) > MaxHeader { // before anything copies or reads it
		return tooLong(len(header))
	}
	j, dec := JudgeText([]byte(header))
	if j.Verdict != "" {
		return j
	}
	return JudgeBytes(dec, keys, clientID, now)
}

// ZoomKeys derives Zoom's key, SHA-256(secret), for each secret, refusing an empty one.
func ZoomKeys(secrets []Secret) ([]Key, error) {
	keys := make([]Key, 0, len(secrets))
	for _, s := range secrets {
		if len(s.Value) == 0 {
			return nil, fmt.Errorf("secret %q: %w", s.Label, ErrEmptySecret)
		}
		keys = append(keys, Derive(DeriveSHA256, s))
	}
	return keys, nil
}

// JudgeText runs the checks on the header's characters (CheckText) and decodes it. A non-empty
// Verdict is the fault; otherwise dec holds the bytes.
func JudgeText(h []byte) (j Judgement, dec []byte) {
	if j := CheckText(h); j.Verdict != "" {
		return j, nil
	}
	body := h[:len(h)-trailingEq(h)]
	dec, err := base64.RawURLEncoding.Strict().DecodeString(string(body))
	if err != nil {
		// Non-zero unused bits in the last character: accepted, as every common decoder does.
		dec, _ = base64.RawURLEncoding.DecodeString(string(body))
	}
	return Judgement{}, dec
}

func trailingEq(h []byte) int {
	end := len(h)
	for end > 0 && h[end-1] == '=' { // a loop, never a regex: linear on 8192 '='
		end--
	}
	return len(h) - end
}

// CheckText runs the checks on the header's characters: length, alphabet, padding, length modulo
// 4. A non-empty Verdict is the fault; an empty one means the text decodes as base64url (after at
// most two '=' are dropped). It reads each byte once and allocates nothing on success.
func CheckText(h []byte) Judgement {
	if len(h) == 0 {
		return Judgement{Verdict: VerdictNoToken, Reason: ReasonMissing, Detail: "no " + HeaderName + " header value"}
	}
	if len(h) > MaxHeader {
		return tooLong(len(h))
	}
	end := len(h) - trailingEq(h)
	body := h[:end]
	firstStd, firstBad := -1, -1
	for i, c := range body { // one pass: this runs on every token a scan meets
		if k := alphabet[c]; k != urlChar {
			if k == stdChar && firstStd < 0 {
				firstStd = i
			} else if k == otherChar && firstBad < 0 {
				firstBad = i
			}
		}
	}
	if i := firstStd; i >= 0 {
		j := malformed(ReasonStdBase64, InHeader, i, "",
			fmt.Sprintf("%q at byte %d is standard base64: Zoom sends base64url (- and _ for + and /); "+
				"something re-encoded the token or decoded it as base64", h[i], i))
		j.Char = strconv.QuoteRune(rune(h[i]))
		return j
	}
	if firstBad >= 0 {
		return badCharAt(h, firstBad)
	}
	if pad := len(h) - end; pad > maxPadding {
		return malformed(ReasonBadPadding, InHeader, end, "",
			fmt.Sprintf("%d trailing '=': base64 padding is at most 2", pad))
	}
	if len(body)%4 == 1 {
		return malformed(ReasonBadLength, InHeader, len(body)-1, "",
			fmt.Sprintf("%d characters without padding: base64 is never 4k+1 characters long%s", len(body), lengthFault(body, false)))
	}
	return Judgement{}
}

func tooLong(n int) Judgement {
	return malformed(ReasonTooLong, InHeader, MaxHeader, "",
		fmt.Sprintf("%d bytes: longer than %d, far beyond any app context (about 400)", n, MaxHeader))
}

// Classes of a header's bytes.
const (
	urlChar   = iota // A-Z a-z 0-9 - _
	stdChar          // + /
	otherChar        // anything else, '=' included (trailing '=' are cut before)
)

var alphabet = func() (t [256]uint8) {
	for c := range t {
		switch {
		case isAlnum(byte(c)) || c == '-' || c == '_':
			t[c] = urlChar
		case c == '+' || c == '/':
			t[c] = stdChar
		default:
			t[c] = otherChar
		}
	}
	return t
}()

// badCharAt names the character at byte i of h, decoding it as UTF-8 where it is.
func badCharAt(h []byte, i int) Judgement {
	r, n := utf8.DecodeRune(h[i:])
	name := quoteRune(r)
	if r == 0xFFFD && n == 1 {
		name = fmt.Sprintf("byte 0x%02x (not UTF-8)", h[i])
	}
	what := "expected only A-Z a-z 0-9 - _ (base64url) and at most two '=' at the end"
	if h[i] == '=' {
		what = "'=' may only end the token"
	}
	j := malformed(ReasonBadChar, InHeader, i, "", fmt.Sprintf("%s at byte %d: %s", name, i, what))
	j.Char = name
	return j
}

func malformed(r Reason, w Where, off int, field, detail string) Judgement {
	return Judgement{Verdict: VerdictMalformed, Reason: r, Where: w, Offset: off, Field: field, Detail: detail}
}

// JudgeBytes runs the checks after decoding on a token's bytes: the layout, the tag under each
// key, the payload and its claims.
func JudgeBytes(dec []byte, keys []Key, clientID string, now time.Time) Judgement {
	j := JudgeLayout(dec)
	if j.Verdict != "" {
		return j
	}
	if len(keys) == 0 {
		j.Verdict, j.Reason, j.Detail = VerdictNoSecret, ReasonNoSecret, "the layout is well formed; no secret was given to open it"
		return j
	}
	for i := range keys {
		k := &keys[i]
		if k.Derivation != DeriveSHA256 || k.Err != nil {
			continue
		}
		aead, err := k.cipher(len(j.IV))
		if err != nil {
			continue
		}
		pt, err := aead.Open(nil, j.IV, j.Sealed, j.AAD)
		if err != nil {
			continue
		}
		j.SecretLabel = k.SecretLabel
		return JudgePayload(j, pt, clientID, now)
	}
	j.Verdict, j.Reason, j.Field = VerdictTagMismatch, ReasonTag, FieldTag
	j.Detail = "AES-GCM does not open it with SHA-256 of the secret given: another app's or environment's secret, " +
		"or a token changed in transit"
	return j
}

// JudgeLayout checks ivLen | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag. An
// empty Verdict means the layout holds; IV, AAD and Sealed are then set.
func JudgeLayout(b []byte) Judgement {
	var j Judgement
	JudgeLayoutTo(&j, b)
	return j
}

// JudgeLayoutTo is JudgeLayout into j, whatever it held: a scan judges each token in one
// Judgement of its own, with no copy of one returned.
func JudgeLayoutTo(j *Judgement, b []byte) {
	*j = Judgement{Bytes: b}
	fail := func(r Reason, off int, field, detail string) {
		// Joined, not formatted by fmt, here and in every fault below: a scan writes one for every
		// truncated token it finds.
		*j = malformed(r, InToken, off, field, field+" at byte "+strconv.Itoa(off)+": "+detail+" (the token is "+strconv.Itoa(len(b))+" bytes)")
		j.Bytes = b
	}
	if len(b) < ivLengthSize {
		fail(ReasonTruncated, 0, FieldIVLength, "no bytes: expected the 1-byte IV length")
		return
	}
	if n := int(b[0]); n != IVSize {
		fail(ReasonIVLength, 0, FieldIVLength, "IV length "+strconv.Itoa(n)+": Zoom uses a "+strconv.Itoa(IVSize)+"-byte IV")
		return
	}
	off := ivLengthSize + IVSize
	if len(b) < off+aadLengthSize {
		fail(ReasonTruncated, min(len(b), off), fieldAt(len(b), off, FieldIV, FieldAADLength),
			"the bytes end before the aad length at byte "+strconv.Itoa(off))
		return
	}
	j.IV = b[ivLengthSize:off]
	aadLen := int(binary.LittleEndian.Uint16(b[off:]))
	off += aadLengthSize
	if len(b)-off < aadLen+cipherLengthSize {
		fail(ReasonTruncated, off, fieldAt(len(b)-off, aadLen, FieldAAD, FieldCipherLength),
			strconv.Itoa(len(b)-off)+" bytes remain after the aad length: the "+strconv.Itoa(aadLen)+"-byte aad and the 4-byte cipher length do not fit")
		return
	}
	j.AAD = b[off : off+aadLen]
	off += aadLen
	cipherLen := uint64(binary.LittleEndian.Uint32(b[off:]))
	off += cipherLengthSize
	rest := uint64(len(b) - off) // compared as uint64: cipherLen + 16 cannot overflow
	switch {
	case rest < cipherLen:
		fail(ReasonTruncated, off, FieldCiphertext,
			"the cipher length says "+strconv.FormatUint(cipherLen, 10)+" bytes, only "+strconv.FormatUint(rest, 10)+" remain")
	case rest < cipherLen+TagSize:
		fail(ReasonShortTag, off+int(cipherLen), FieldTag,
			strconv.FormatUint(rest-cipherLen, 10)+" bytes follow the ciphertext: the GCM tag is "+strconv.Itoa(TagSize))
	case rest > cipherLen+TagSize:
		fail(ReasonTrailingBytes, off+int(cipherLen)+TagSize, FieldTag,
			strconv.FormatUint(rest-cipherLen-TagSize, 10)+" bytes after the "+strconv.Itoa(TagSize)+"-byte tag")
	default:
		j.Sealed = b[off:]
	}
}

func fieldAt(have, need int, inside, next string) string {
	if have < need {
		return inside
	}
	return next
}

// JudgePayload runs the payload and claim checks on the plaintext of an opened token. j carries
// what the earlier checks read; it is returned with the verdict set.
func JudgePayload(j Judgement, pt []byte, clientID string, now time.Time) Judgement {
	JudgePayloadTo(&j, pt, clientID, now)
	return j
}

// JudgePayloadTo is JudgePayload on j in place: scan judges every token of a log with it, and a
// Judgement copied in and out of each check cost it a memmove of half a kilobyte a time.
func JudgePayloadTo(j *Judgement, pt []byte, clientID string, now time.Time) {
	judgePayloadTo(j, pt, clientID, now, nil)
}

// judgePayloadTo is JudgePayloadTo, reading the plaintext by shapes when not nil.
func judgePayloadTo(j *Judgement, pt []byte, clientID string, now time.Time, shapes *PayloadShapes) {
	j.Payload = pt
	j.Claims = PayloadClaims{}
	if f := readPayload(pt, &j.Claims, shapes); f != nil {
		j.Claims = PayloadClaims{}
		j.Verdict, j.Reason, j.Where, j.Offset, j.Field = VerdictBadPayload, f.reason, InPayload, f.at, "payload"
		j.Detail = f.reason.Words() + ": " + f.msg + ", at byte " + strconv.Itoa(f.at) + " of the plaintext" // joined: see JudgeLayoutTo
		return
	}
	JudgeClaimsTo(j, clientID, now)
}

// JudgeClaims runs the claim checks (exp, ts, aud, expiry) on j.Claims.
func JudgeClaims(j Judgement, clientID string, now time.Time) Judgement {
	JudgeClaimsTo(&j, clientID, now)
	return j
}

// JudgeClaimsTo is JudgeClaims on j in place (see JudgePayloadTo).
func JudgeClaimsTo(j *Judgement, clientID string, now time.Time) {
	bad := func(r Reason, field, detail string) {
		j.Verdict, j.Reason, j.Field, j.Detail = VerdictBadPayload, r, field, detail
	}
	c := &j.Claims
	if c.Exp == nil {
		bad(ReasonExpMissing, "exp", "no exp claim: a context always carries its expiry")
		return
	}
	exp, r := Millis(c.Exp, "exp")
	if r != ReasonNone {
		bad(r, "exp", timeFault(r, "exp", c.Exp))
		return
	}
	j.ExpMS = exp
	if c.TS != nil {
		ts, r := Millis(c.TS, "ts")
		if r != ReasonNone {
			bad(r, "ts", timeFault(r, "ts", c.TS))
			return
		}
		j.TSMS = ts
	}
	if clientID != "" {
		if !stringIs(c.Aud, clientID) {
			j.Verdict, j.Reason, j.Field = VerdictWrongAud, ReasonAud, "aud"
			j.Detail = fmt.Sprintf("aud %s is not the client ID %q: this context is for another app", rawOrAbsent(c.Aud), clientID)
			return
		}
	}
	if !now.IsZero() && float64(now.UnixMilli()) >= exp {
		ago := time.Duration(float64(now.UnixMilli())-exp) * time.Millisecond
		j.Verdict, j.Reason, j.Field = VerdictExpired, ReasonExpired, "exp"
		// Appended, not formatted by fmt: a scan writes this for every expired token it finds.
		b := make([]byte, 0, 64)
		b = time.UnixMilli(int64(exp)).UTC().AppendFormat(append(b, "exp "...), "2006-01-02 15:04:05.000 UTC")
		j.Detail = string(append(appendHuman(append(b, " passed "...), ago), " ago"...))
		return
	}
	j.Verdict, j.Reason = VerdictOK, ReasonNone
}

// Millis reads a claim time in epoch milliseconds: a finite JSON number in (0, 1e15); below 1e11
// it is epoch seconds. name is "exp" or "ts" and picks the reason codes.
func Millis(raw []byte, name string) (float64, Reason) {
	typ, secs := ReasonExpType, ReasonExpSeconds
	if name == "ts" {
		typ, secs = ReasonTSType, ReasonTSSeconds
	}
	if len(raw) == 0 || !(raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
		return 0, typ
	}
	f, ok := plainMillis(raw)
	if ok {
		return judgeMillis(f, typ, secs)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	var ne *strconv.NumError
	if err != nil && !(errors.As(err, &ne) && ne.Err == strconv.ErrRange) {
		return 0, typ
	}
	return judgeMillis(f, typ, secs)
}

func judgeMillis(f float64, typ, secs Reason) (float64, Reason) {
	switch {
	case math.IsInf(f, 0) || math.IsNaN(f) || f <= 0 || f >= maxMillis:
		return 0, typ
	case f < secondsCutoff:
		return f, secs
	}
	return f, ReasonNone
}

// plainMillis reads the common case without allocating: up to 15 digits, an integer below 1e15
// that a float64 holds exactly. The JSON grammar was checked before (no leading zeros).
func plainMillis(raw []byte) (float64, bool) {
	n, ok := decimal15(raw)
	return float64(n), ok
}

func timeFault(r Reason, name string, raw []byte) string {
	v := clipRaw(raw)
	switch r {
	case ReasonExpSeconds, ReasonTSSeconds:
		f, _ := strconv.ParseFloat(string(raw), 64)
		return fmt.Sprintf("%s %s looks like epoch seconds (%s); Zoom sends milliseconds", name, v,
			time.Unix(int64(f), 0).UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("%s %s is not a time: expected epoch milliseconds, a finite JSON number between 1e11 and 1e15", name, v)
}

// clipRaw shows a claim's JSON value as written, cut to 40 bytes, quoted only when it holds
// anything but printable ASCII.
func clipRaw(raw []byte) string {
	const n = 40
	s, more := string(raw), ""
	if len(s) > n {
		s, more = s[:n], "…"
	}
	for _, c := range []byte(s) {
		if c < 0x20 || c >= 0x7f {
			return strconv.QuoteToASCII(s) + more
		}
	}
	return s + more
}

func rawOrAbsent(raw []byte) string {
	if raw == nil {
		return "(absent)"
	}
	return clipRaw(raw)
}
