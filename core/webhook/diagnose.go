package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// Part is one field of the signed message with its byte range in it.
type Part struct {
	Name       string `json:"name"`
	Start, End int    `json:"-"`
}

// MarshalJSON writes the part with its offsets.
func (p Part) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name   string `json:"name"`
		Offset int    `json:"offset"`
		Length int    `json:"length"`
	}{p.Name, p.Start, p.End - p.Start})
}

// Expected is the signature a given secret makes for the delivery as captured.
type Expected struct {
	Label     string `json:"label"`
	Signature string `json:"signature"`
	Verifies  bool   `json:"verifies"`
}

// Variant is one way of computing the signature that developers get wrong, tried with a secret.
type Variant struct {
	Name      string `json:"name"`      // what was hashed and how, as code people write it
	Secret    string `json:"secret"`    // the label of the secret, or how it was altered
	Signature string `json:"signature"` // what that computation gives, as Zoom writes signatures
	Matches   bool   `json:"matches"`   // it reproduces the received signature
}

// Report is the verdict on one delivery.
type Report struct {
	Delivery  *Delivery `json:"-"`
	Event     string    `json:"event"`
	Timestamp string    `json:"timestamp"` // the x-zm-request-timestamp header, "" when missing
	Received  string    `json:"received"`  // the x-zm-signature header, "" when missing
	Message   []byte    `json:"-"`         // "v0:" + timestamp + ":" + body
	Parts     []Part    `json:"parts"`

	Expected []Expected `json:"expected"`
	OK       bool       `json:"ok"`
	Label    string     `json:"label"` // the secret that verified
	Cause    string     `json:"cause"` // why it does not verify, in words; "" when it does
	Fix      string     `json:"fix"`
	Variants []Variant  `json:"variants"` // the secrets as given with one mistake each, and every match
	Tried    int        `json:"tried"`    // how many combinations of mistakes were computed

	Age      *time.Duration `json:"-"`        // now minus the timestamp, when it is a number of seconds
	AgeNote  string         `json:"age_note"` // what the age says, in words
	Problems []string       `json:"problems"` // missing or malformed headers, a body that is not JSON

	// Handshake is the answer to an endpoint.url_validation event, computed only when its
	// signature verified.
	Handshake *ValidationResponse `json:"handshake"`
}

// maxVariantBody is the body size up to which two mistakes at once are tried; above it, one at a
// time, which keeps the search's constant small.
const maxVariantBody = 64 << 10

// Diagnose verifies d with each secret and, when none verifies, finds the mistake that reproduces
// the received signature.
func Diagnose(d *Delivery, secrets []Secret, now time.Time) *Report {
	r := &Report{Delivery: d, Expected: []Expected{}, Variants: []Variant{}, Problems: []string{}}
	ts, hasTS := d.Get(HeaderTimestamp)
	sig, hasSig := d.Get(HeaderSignature)
	r.Timestamp, r.Received = ts, sig
	r.problems(d, hasTS, hasSig)
	r.Message = Message(ts, d.Body)
	r.Parts = []Part{{"version", 0, 2}, {"timestamp", 3, 3 + len(ts)}, {"body", 4 + len(ts), len(r.Message)}}

	tree, jerr := parseJSON(d.Body)
	if jerr == nil {
		r.Event = eventName(tree)
	} else if d.HasBody {
		r.Problems = append(r.Problems, "the body is not JSON ("+jerr.Error()+"): Zoom's bodies are; was it cut or re-encoded?")
	}
	r.age(ts, tree, now)
	for _, s := range secrets {
		e := Expected{Label: s.Label, Signature: Sign(s.Value, ts, d.Body)}
		e.Verifies = hasSig && hasTS && Verify(s.Value, ts, sig, d.Body) == nil
		if e.Verifies && !r.OK {
			r.OK, r.Label = true, s.Label
		}
		r.Expected = append(r.Expected, e)
	}
	switch {
	case r.OK:
		r.handshake(tree, secrets)
		return r
	case len(secrets) == 0:
		r.Cause = "no secret token given: zoomdbg needs the app's Secret Token to verify"
		r.Fix = "give it with --secret-token-file LABEL=PATH or $ZOOM_WEBHOOK_SECRET_TOKEN (Marketplace → your app → Features → Access → Secret Token)"
		return r
	case !hasSig || !hasTS:
		r.Cause = "the delivery lacks its signature headers, so nothing can verify it"
		r.Fix = "capture the request as it reaches your code; a proxy or load balancer that drops x-zm-* headers must pass them on"
		return r
	}
	r.search(d.Body, tree, ts, sig, secrets)
	return r
}

func (r *Report) problems(d *Delivery, hasTS, hasSig bool) {
	if !hasSig {
		r.Problems = append(r.Problems, "no "+HeaderSignature+" header: a proxy that strips x- headers, or a request that is not from Zoom")
	}
	if !hasTS {
		r.Problems = append(r.Problems, "no "+HeaderTimestamp+" header: without it the signed message cannot be rebuilt")
	}
	if !d.HasBody {
		r.Problems = append(r.Problems, "the capture holds no body: the signature covers the body, so it cannot be checked")
	}
}

func eventName(v *jvalue) string {
	if f := field(v, "event"); f != nil && f.kind == jString {
		return string(f.str)
	}
	return ""
}

func field(v *jvalue, name string) *jvalue {
	if v == nil || v.kind != jObject {
		return nil
	}
	for i, k := range v.keys {
		if string(k) == name {
			return v.vals[i]
		}
	}
	return nil
}

// eventTS is the body's event_ts (milliseconds), as text.
func eventTS(tree *jvalue) (string, bool) {
	f := field(tree, "event_ts")
	if f == nil || f.kind != jNumber || strings.ContainsAny(f.num, ".eE-") {
		return "", false
	}
	return f.num, true
}

// age reads the timestamp and says how old it is; Zoom documents no tolerance, so none is applied.
func (r *Report) age(ts string, tree *jvalue, now time.Time) {
	if ts == "" {
		return
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n < 0 {
		r.Problems = append(r.Problems, fmt.Sprintf("%s %q is not a whole number of seconds", HeaderTimestamp, ts))
		return
	}
	if len(ts) >= 13 {
		r.Problems = append(r.Problems, fmt.Sprintf("%s is %s: that is milliseconds; Zoom sends seconds (the body's event_ts is the one in milliseconds)", HeaderTimestamp, ts))
		n /= 1000
	}
	age := now.Sub(time.Unix(n, 0))
	r.Age = &age
	switch {
	case age < -time.Minute:
		r.AgeNote = fmt.Sprintf("signed %s in the future of %s: a clock is off", (-age).Round(time.Second), now.UTC().Format(time.RFC3339))
	case age < time.Minute:
		r.AgeNote = fmt.Sprintf("signed %s before %s", age.Round(time.Second), now.UTC().Format(time.RFC3339))
	default:
		r.AgeNote = fmt.Sprintf("signed %s before %s; Zoom documents no maximum age, so a verifier that refuses old timestamps chose its own", age.Round(time.Second), now.UTC().Format(time.RFC3339))
	}
	if et, ok := eventTS(tree); ok {
		if ms, err := strconv.ParseInt(et, 10, 64); err == nil {
			if gap := time.UnixMilli(ms).Sub(time.Unix(n, 0)); gap > time.Hour || gap < -time.Hour {
				r.AgeNote += fmt.Sprintf("; the body's event_ts is %s from it (a retry re-signs an old event)", gap.Round(time.Second))
			}
		}
	}
}

// handshake computes the url_validation answer with the secret that verified.
func (r *Report) handshake(tree *jvalue, secrets []Secret) {
	if r.Event != EventURLValidation {
		return
	}
	for _, s := range secrets {
		if s.Label != r.Label {
			continue
		}
		if v, ok := handshakeFor(tree, s.Value); ok {
			r.Handshake = &v
		} else {
			r.Problems = append(r.Problems, "an endpoint.url_validation event without payload.plainToken")
		}
	}
}

// Handshake is the answer to body when it is an endpoint.url_validation event; ok is false for
// any other body. Call it only once the request's signature has verified.
func Handshake(body, secret []byte) (v ValidationResponse, ok bool) {
	tree, err := parseJSON(body)
	if err != nil || eventName(tree) != EventURLValidation {
		return v, false
	}
	return handshakeFor(tree, secret)
}

func handshakeFor(tree *jvalue, secret []byte) (ValidationResponse, bool) {
	pt := field(field(tree, "payload"), "plainToken")
	if pt == nil || pt.kind != jString {
		return ValidationResponse{}, false
	}
	return Validate(secret, string(pt.str)), true
}

// received is the received signature decoded, with how it is written.
type received struct {
	mac       []byte
	prefix    bool   // it starts with v0=
	encoding  string // "hex", "HEX" or "base64"
	decodable bool
}

func decodeReceived(sig string) received {
	rv := received{}
	s := sig
	if rest, ok := strings.CutPrefix(s, SignaturePrefix); ok {
		s, rv.prefix = rest, true
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		rv.mac, rv.decodable, rv.encoding = b, true, "hex"
		if strings.ToLower(s) != s {
			rv.encoding = "HEX"
		}
		return rv
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			rv.mac, rv.decodable, rv.encoding = b, true, "base64"
			return rv
		}
	}
	return rv
}

// mistake is one dimension's alternative: what it is called, and the cause and fix it stands for.
type mistake struct {
	name, cause, fix string
	value            []byte
}

// bodyMistakes are the bodies verifiers hash instead of the raw one.
func bodyMistakes(body []byte, tree *jvalue) []mistake {
	ms := []mistake{{name: "raw body", value: body}}
	add := func(name, cause, fix string, b []byte) {
		if !bytes.Equal(b, body) {
			for _, m := range ms {
				if bytes.Equal(m.value, b) {
					return // the same bytes as a variant already tried: the first name stands
				}
			}
			ms = append(ms, mistake{name, cause, fix, b})
		}
	}
	const jsFix = "hash the raw request bytes: express.raw({type: 'application/json'}) on the route, or express.json({verify: (req, res, buf) => { req.rawBody = buf }})"
	const pyFix = "hash the raw request bytes: request.body (Django), request.get_data() (Flask), await request.body() (FastAPI/Starlette)"
	if tree != nil {
		add("JSON.stringify(JSON.parse(body))", "the signature was computed over JSON.stringify(req.body) (a re-serialised body, as Zoom's sample does), not the raw body", jsFix,
			dialect{lang: "js", itemSep: ",", keySep: ":"}.encode(tree))
		add("json.dumps(body)", "the signature was computed over Python's json.dumps(body), whose default separators \", \" and \": \" and \\u escapes change the bytes, not the raw body", pyFix,
			dialect{lang: "py", itemSep: ", ", keySep: ": ", ascii: true}.encode(tree))
		add("json.dumps(body, ensure_ascii=False)", "the signature was computed over json.dumps(body, ensure_ascii=False), which still spaces the separators, not the raw body", pyFix,
			dialect{lang: "py", itemSep: ", ", keySep: ": "}.encode(tree))
		add("json.dumps(body, separators=(',', ':'))", "the signature was computed over json.dumps(body, separators=(',', ':')), whose ensure_ascii escapes every non-ASCII character as \\uXXXX, not the raw body", pyFix,
			dialect{lang: "py", itemSep: ",", keySep: ":", ascii: true}.encode(tree))
		add("json.dumps(body, sort_keys=True)", "the signature was computed over json.dumps(body, sort_keys=True): keys reordered, not the raw body", pyFix,
			dialect{lang: "py", itemSep: ", ", keySep: ": ", ascii: true, sortKeys: true}.encode(tree))
		add("json.dumps(body, indent=2)", "the signature was computed over a pretty-printed json.dumps(body, indent=2), not the raw body", pyFix,
			dialect{lang: "py", itemSep: ",", keySep: ": ", ascii: true, indent: "  "}.encode(tree))
		add("json.dumps(body, indent=4)", "the signature was computed over a pretty-printed json.dumps(body, indent=4), not the raw body", pyFix,
			dialect{lang: "py", itemSep: ",", keySep: ": ", ascii: true, indent: "    "}.encode(tree))
		add("JSON.stringify(body, null, 2)", "the signature was computed over a pretty-printed JSON.stringify(body, null, 2), not the raw body", jsFix,
			dialect{lang: "js", keySep: ": ", indent: "  "}.encode(tree))
		add("str(body)", "the signature was computed over str(body), Python's repr of the parsed dict (single quotes, True/None), not the raw body", pyFix,
			dialect{lang: "pyrepr", itemSep: ", ", keySep: ": "}.encode(tree))
		add("json_encode(body)", "the signature was computed over PHP's json_encode($request->all()), which escapes '/' and non-ASCII, not the raw body",
			"hash the raw request bytes: $request->getContent() (Laravel) or file_get_contents('php://input')",
			dialect{lang: "php", itemSep: ",", keySep: ":", ascii: true}.encode(tree))
		add("json.Marshal(map)", "the signature was computed over Go's json.Marshal of the decoded map (keys sorted, <>& escaped), not the raw body",
			"hash the bytes io.ReadAll(r.Body) returned, before decoding them",
			dialect{lang: "go", itemSep: ",", keySep: ":", sortKeys: true}.encode(tree))
	}
	add("body + \"\\n\"", "the signature was computed over the body with a newline added after it", "hash exactly the bytes received, adding nothing", append(append([]byte{}, body...), '\n'))
	if t := bytes.TrimRight(body, " \t\r\n"); len(t) != len(body) {
		add("body without its trailing whitespace", "the signature was computed over the body with its trailing whitespace trimmed", "hash exactly the bytes received, trimming nothing", t)
	}
	return ms
}

// timestampMistakes are the timestamps verifiers sign instead of the header's.
func timestampMistakes(ts string, tree *jvalue) []mistake {
	ms := []mistake{{name: "x-zm-request-timestamp", value: []byte(ts)}}
	add := func(name, cause, fix, v string) {
		for _, m := range ms {
			if string(m.value) == v {
				return
			}
		}
		ms = append(ms, mistake{name, cause, fix, []byte(v)})
	}
	const fix = "sign the x-zm-request-timestamp header's value (epoch seconds) exactly as received"
	if et, ok := eventTS(tree); ok {
		add("event_ts (ms)", "the timestamp header is in seconds; this signature was computed over the body's event_ts, in milliseconds", fix, et)
		if len(et) > 3 {
			add("event_ts / 1000 (s)", "this signature was computed over the body's event_ts converted to seconds, not over the x-zm-request-timestamp header", fix, et[:len(et)-3])
		}
	}
	if n, err := strconv.ParseInt(ts, 10, 64); err == nil && len(ts) < 13 {
		add("timestamp × 1000 (ms)", "this signature was computed over the timestamp in milliseconds; the header is in seconds and is signed as it is", fix, strconv.FormatInt(n*1000, 10))
	}
	return ms
}

// form is how the message is put together: a prefix, then the body.
type form struct {
	name, cause, fix string
	prefix           func(ts []byte) []byte
}

var forms = []form{
	{name: "v0:ts:body", prefix: func(ts []byte) []byte { return Message(string(ts), nil) }},
	{name: "ts:body (no v0: prefix)", cause: "the signed message lacks its \"v0:\" prefix", fix: "sign \"v0:\" + timestamp + \":\" + raw body",
		prefix: func(ts []byte) []byte { return append(append([]byte{}, ts...), ':') }},
	{name: "body only", cause: "the signature was computed over the body alone, without \"v0:<timestamp>:\"", fix: "sign \"v0:\" + timestamp + \":\" + raw body",
		prefix: func([]byte) []byte { return nil }},
}

// secretMistakes are the keys verifiers use instead of the secret token as given.
func secretMistakes(secrets []Secret) []mistake {
	var ms []mistake
	for _, s := range secrets {
		if len(s.Value) == 0 {
			continue
		}
		ms = append(ms, mistake{name: s.Label, value: s.Value})
	}
	for _, s := range secrets {
		if len(s.Value) == 0 {
			continue
		}
		for _, nl := range []string{"\n", "\r\n"} {
			esc := strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(nl)
			ms = append(ms, mistake{name: s.Label + " + " + esc,
				cause: fmt.Sprintf("the secret token %s was used with a trailing %s (read from a file, or echo without -n)", s.Label, esc),
				fix:   "strip the line ending from the secret token when you read it", value: append(append([]byte{}, s.Value...), nl...)})
		}
	}
	return append(ms, mistake{name: "empty secret", cause: "the signature was made with an EMPTY secret token: a forgery, or a signer or verifier whose secret is unset (fail-open)",
		fix: "set the secret token, and refuse every delivery when it is empty", value: []byte{}})
}

// search names the mistake that reproduces the received signature. First one mistake at a time:
// each key (the secrets as given, with a trailing newline, and empty) alone, and the secrets as
// given with each other mistake; then, when none matched and the body is at most maxVariantBody,
// the given secrets with two mistakes at once.
// Each try is one streaming HMAC pass over the body, so the search is linear in its size.
func (r *Report) search(body []byte, tree *jvalue, ts, sig string, secrets []Secret) {
	rv := decodeReceived(sig)
	bodies, stamps, keys := bodyMistakes(body, tree), timestampMistakes(ts, tree), secretMistakes(secrets)
	given := 0
	for _, s := range secrets {
		if len(s.Value) > 0 {
			given++
		}
	}
	macs := make([]hash.Hash, len(keys))
	for i, k := range keys {
		macs[i] = hmac.New(sha256.New, k.value)
	}
	var found *combo
	sum := make([]byte, 0, sha256.Size)
	try := func(ki, bi, ti, fi int, list bool) {
		h := macs[ki]
		h.Reset()
		h.Write(forms[fi].prefix(stamps[ti].value))
		h.Write(bodies[bi].value)
		mac := h.Sum(sum[:0])
		r.Tried++
		match := rv.decodable && hmac.Equal(mac, rv.mac)
		c := combo{key: keys[ki], keyIndex: ki, body: bodies[bi], stamp: stamps[ti], form: forms[fi]}
		if match || list {
			r.Variants = append(r.Variants, Variant{Name: c.name(), Secret: keys[ki].name, Signature: SignaturePrefix + hex.EncodeToString(mac), Matches: match})
		}
		if match && (found == nil || c.changed() < found.changed()) {
			found = &c
		}
	}
	for ki := range keys {
		try(ki, 0, 0, 0, true)
		if ki >= given {
			continue // a key mistake is tried alone: with another mistake too it is two
		}
		for bi := 1; bi < len(bodies); bi++ {
			try(ki, bi, 0, 0, true)
		}
		for ti := 1; ti < len(stamps); ti++ {
			try(ki, 0, ti, 0, true)
		}
		for fi := 1; fi < len(forms); fi++ {
			try(ki, 0, 0, fi, true)
		}
	}
	if found == nil && len(body) <= maxVariantBody {
		for ki := 0; ki < given; ki++ {
			for bi := range bodies {
				for ti := range stamps {
					for fi := range forms {
						if btoi(bi > 0)+btoi(ti > 0)+btoi(fi > 0) == 2 {
							try(ki, bi, ti, fi, false)
						}
					}
				}
			}
		}
	}
	r.explain(found, rv, secrets)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

type combo struct {
	key      mistake
	keyIndex int
	body     mistake
	stamp    mistake
	form     form
}

func (c combo) changed() int {
	return btoi(c.body.cause != "") + btoi(c.stamp.cause != "") + btoi(c.form.cause != "") + btoi(c.key.cause != "")
}

func (c combo) name() string {
	var parts []string
	if c.form.cause != "" {
		parts = append(parts, c.form.name)
	}
	if c.stamp.cause != "" {
		parts = append(parts, "timestamp = "+c.stamp.name)
	}
	if c.body.cause != "" {
		parts = append(parts, "body = "+c.body.name)
	}
	if len(parts) == 0 {
		return "as Zoom signs (v0:timestamp:raw body)"
	}
	return strings.Join(parts, "; ")
}

// explain turns the reproducing combination into the cause and its fix.
func (r *Report) explain(c *combo, rv received, secrets []Secret) {
	if c == nil {
		r.Cause = "no secret given verifies this signature, and none of the usual mistakes reproduces it"
		labels := make([]string, len(secrets))
		for i, s := range secrets {
			labels[i] = s.Label
		}
		r.Fix = fmt.Sprintf("the signer's secret token is not %s: use the app's Secret Token (Features → Access), "+
			"not its client secret or the old verification token, and the right app and environment; or the body changed on its way (a proxy, a logger, a framework that re-encoded it)",
			strings.Join(labels, " or "))
		if !rv.decodable {
			r.Cause = fmt.Sprintf("the received signature %q is not v0= followed by 64 hex digits", clipText(r.Received, 80))
			r.Fix = "compare against the x-zm-signature header exactly as received"
		}
		return
	}
	var causes, fixes []string
	addC := func(cause, fix string) {
		if cause != "" {
			causes, fixes = append(causes, cause), append(fixes, fix)
		}
	}
	if c.key.cause == "" && c.keyIndex > 0 {
		causes = append(causes, fmt.Sprintf("it was signed with %s's secret token", c.key.name))
		fixes = append(fixes, "use "+c.key.name+"'s secret token where this delivery is verified, or deliver to the endpoint of the app it belongs to")
	}
	addC(c.key.cause, c.key.fix)
	addC(c.form.cause, c.form.fix)
	addC(c.stamp.cause, c.stamp.fix)
	addC(c.body.cause, c.body.fix)
	switch {
	case !rv.prefix:
		addC("the signature lacks its \"v0=\" prefix, so a comparison with Zoom's \"v0=\" + hex fails", "compare the whole header value with \"v0=\" + hex HMAC")
	case rv.encoding == "HEX":
		addC("the signature is upper-case hex; Zoom's is lower-case, and the comparison is case-sensitive", "write the HMAC as lower-case hex (digest('hex'), hexdigest())")
	case rv.encoding == "base64":
		addC("the signature is base64; Zoom's is hex", "write the HMAC as lower-case hex (digest('hex'), hexdigest()), not base64")
	}
	if len(causes) == 0 { // cannot happen: a clean match would have verified
		causes = append(causes, "it verifies only when read loosely")
	}
	r.Cause = strings.Join(causes, "; and ")
	r.Fix = strings.Join(fixes, "; ")
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
