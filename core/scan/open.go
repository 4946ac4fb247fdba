package scan

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// Status is the verdict on one token. The values are part of `zoomdbg scan --json`.
type Status string

// Verdicts. Expired is an ok token whose exp had passed when the line was logged; WrongAud one
// whose aud is not the client ID given.
const (
	OK          Status = "ok"
	Expired     Status = "expired"
	WrongAud    Status = "wrong_aud"
	TagMismatch Status = "tag_mismatch"
	Malformed   Status = "malformed"
	BadPayload  Status = "bad_payload"
	NoSecret    Status = "no_secret"
)

// Statuses lists every status in the order summaries show them.
var Statuses = slices.Clone(statusOrder[:])

var statusOrder = [...]Status{OK, Expired, WrongAud, TagMismatch, Malformed, BadPayload, NoSecret}

// Failed reports whether the token did not open with Zoom's derivation and hold a JSON object.
func (s Status) Failed() bool { return s != OK && s != Expired && s != NoSecret }

// How a token's expiry was judged, as Result.JudgedBy says it.
const (
	JudgedByFlag = "--at"
	JudgedByNone = "none" // the line carries no time and --at was not given: expiry not judged
)

// Result is what scan says about one token.
type Result struct {
	File        string `json:"file"`
	Line        int64  `json:"line"`
	Status      Status `json:"status"`
	SecretLabel string `json:"secret_label,omitempty"`
	Typ         string `json:"typ,omitempty"`
	UID         string `json:"uid,omitempty"`
	MID         string `json:"mid,omitempty"`
	TS          int64  `json:"ts,omitempty"`
	Exp         int64  `json:"exp,omitempty"`
	// JudgedAt is the time exp was compared with: the log line's own time, or --at. JudgedBy says
	// which ("line, ISO 8601", "--at"), or "none" when there was no time to judge by.
	JudgedAt  time.Time `json:"judged_at,omitzero"`
	JudgedBy  string    `json:"judged_by,omitempty"`
	Key       string    `json:"key,omitempty"`       // the name that named the token in the log
	Unwrapped []string  `json:"unwrapped,omitempty"` // what was decoded around it
	Error     string    `json:"error,omitempty"`
	// Reason is the verdict's reason code (README "The verdict on a context"); empty for ok.
	Reason string `json:"reason,omitempty"`
	// NotJudged says why expiry was not judged when the line carries a time that cannot be
	// placed: a zone name that means more than one offset.
	NotJudged string `json:"not_judged,omitempty"`

	hash   uint64 // of the token's text, for counting distinct tokens
	sealed []byte // a tag mismatch's decoded token, until Explain says why; in its block's memory until Detach
	// The hashes of uid and mid, for counting distinct ones, read from the payload whether or not
	// UID and MID are filled in; has says which claim is there (a non-empty string).
	uidSum, midSum uint64
	hasUID, hasMID bool
}

// Opener checks tokens against a fixed set of keys. Derive once with NewOpener; give each
// goroutine its own Clone.
type Opener struct {
	zoom     []appctx.Key // SHA-256(secret) for each secret
	wrong    []appctx.Key // this goroutine's copies of the mistaken derivations, once needed
	shared   *mistakes
	at       time.Time      // --at: the time every token is judged at; zero to use each line's
	local    *time.Location // the zone of line times written without one
	clientID string         // checked against aud when set
	buf      []byte         // decoded token
	work     []byte         // a copy of buf that GCM opens in place
	strs     claimStrings
	shapes   appctx.PayloadShapes // the payload shapes this goroutine has read
	lines    lineCache
	times    timeCache  // the time text of the last line timed
	runs     runDecoder // the finder's decoding of long runs
	deferWhy bool       // leave a tag mismatch's Error to Explain
	arena    *[]byte    // the block being searched keeps the decoded tokens Explain may need here
	noClaims bool       // leave Typ, UID and MID empty (see WithoutClaimText)
	noOK     bool       // count ok tokens without a Result (see WithoutOKResults)
}

// mistakes are the keys of the derivations people get wrong, tried only when Zoom's fails. They
// are derived on first need, once for all clones: PBKDF2's 100000 rounds cost more than opening
// thousands of tokens, and a clean log never needs them.
type mistakes struct {
	once    sync.Once // derive
	started sync.Once // derive's goroutine, when PrepareExplain asks early
	secrets []appctx.Secret
	keys    []appctx.Key
}

func (m *mistakes) derive() {
	for _, k := range appctx.DeriveAll(m.secrets) {
		if k.Derivation != appctx.DeriveSHA256 && k.Err == nil && k.Note == "" {
			m.keys = append(m.keys, k)
		}
	}
}

// NewOpener derives Zoom's key for each secret. A non-zero at is the time every token's exp is
// judged at (--at); zero judges each at the time its log line carries, and not at all without one.
func NewOpener(secrets []appctx.Secret, at time.Time) *Opener {
	o := &Opener{at: at, local: time.Local, shared: &mistakes{secrets: secrets}}
	for _, s := range secrets {
		o.zoom = append(o.zoom, appctx.Derive(appctx.DeriveSHA256, s))
	}
	return o
}

// WithClientID makes the Opener check each opened token's aud against id: a token for another app
// gets WrongAud.
func (o *Opener) WithClientID(id string) *Opener {
	o.clientID = id
	return o
}

// WithZone sets the zone log times written without one are read in: by default this machine's,
// as most loggers write local time.
func (o *Opener) WithZone(loc *time.Location) *Opener {
	o.local = loc
	return o
}

// WithDeferredMismatch leaves the Error of a tag mismatch empty until Explain is called on the
// result: finding which mistaken derivation opens a token costs an AES-GCM open per derivation,
// and a summary that lists only a few failing tokens needs the reason for those few.
func (o *Opener) WithDeferredMismatch() *Opener {
	o.deferWhy = true
	return o
}

// WithoutClaimText leaves the Typ, UID and MID of the results a search gives empty: a text
// summary shows none of them, and making their strings was about a thirtieth of a scan. Their
// distinct counts are kept, from the payload's bytes. Check fills them in regardless.
func (o *Opener) WithoutClaimText() *Opener {
	o.noClaims = true
	return o
}

// WithoutOKResults makes a search give no Result for an ok token: it is counted in the Summary
// (by file too) and not emitted. A text summary, which lists only the tokens that are not ok,
// sets it: building, ordering and emitting a result for every ok token, and the collector's work
// on them, was an eighth of a scan of bare tokens by callgrind's count.
func (o *Opener) WithoutOKResults() *Opener {
	o.noOK = true
	return o
}

// Detach gives r memory of its own for what it shares with the scan's buffers (a tag mismatch's
// decoded token, kept for Explain): a Result that emit keeps past its return needs it.
func (r *Result) Detach() {
	if r.sealed != nil {
		r.sealed = bytes.Clone(r.sealed)
	}
}

// Explain fills in the Error of a tag mismatch left for later by WithDeferredMismatch.
func (o *Opener) Explain(r *Result) {
	if r.sealed != nil {
		r.Error, r.sealed = o.mismatch(r.sealed), nil
	}
}

// PrepareExplain starts deriving, on a goroutine of its own, the mistaken keys Explain tries, so
// that they are ready when the failures a summary lists are explained: PBKDF2's 100000 rounds
// then overlap the scan instead of following it. Call it when a result that Explain will be
// asked about is seen; Explain waits for the derivation if it is still running.
func (o *Opener) PrepareExplain() {
	m := o.shared
	m.started.Do(func() { go m.once.Do(m.derive) })
}

// Clone gives an Opener with the same keys and caches of its own, for another goroutine.
func (o *Opener) Clone() *Opener {
	c := &Opener{at: o.at, local: o.local, clientID: o.clientID, shared: o.shared, deferWhy: o.deferWhy, noClaims: o.noClaims,
		noOK: o.noOK}
	for _, k := range o.zoom {
		c.zoom = append(c.zoom, k.Clone())
	}
	return c
}

func (o *Opener) mistakenKeys() []appctx.Key {
	if o.wrong != nil {
		return o.wrong
	}
	m := o.shared
	m.once.Do(m.derive)
	o.wrong = make([]appctx.Key, 0, len(m.keys))
	for _, k := range m.keys {
		o.wrong = append(o.wrong, k.Clone())
	}
	return o.wrong
}

// Check opens one candidate. It reports false for a bare run that is not a token (its layout does
// not parse), which is no result at all. It keeps no reference to the candidate's memory.
func (o *Opener) Check(c Candidate) (Result, bool) {
	var r Result
	var raw rawClaims
	ok := o.check(&r, &raw, &c)
	r.Typ, r.UID, r.MID = typValue(raw.Typ, raw.TypPlain), stringValue(raw.UID), stringValue(raw.MID)
	return r, ok
}

// check is Check into a zero r, in place (a Result is about 250 bytes: a search fills the one
// its block keeps, with no copy), with the claims' strings left raw in raw, aliasing the Opener's
// buffer until the next call.
func (o *Opener) check(r *Result, raw *rawClaims, c *Candidate) bool {
	r.File, r.Line, r.Unwrapped = c.File, c.Line, c.Unwrapped
	if c.Keyed {
		r.Key = keyString(c.Key)
	}
	if failed, report := o.judgeText(r, c); failed {
		r.hash = sum64(c.Text)
		return report
	}
	dec := c.dec // decoded by the finder as it read the run, when it could
	if dec == nil {
		dec, _ = decodeRun(o.buf[:0], c.Text, false)
		o.buf = dec[:0]
	}
	if !c.Keyed && (len(dec) == 0 || dec[0] != appctx.IVSize) && !appctx.BareToken(dec) {
		// A bare run that is no token (a hash, an id: most long runs of a log), told without
		// writing the reason JudgeLayout would give; a token's IV length byte spares it the test
		// until it fails to open.
		return false
	}
	var layout appctx.Judgement
	j := &layout // judged in place: no copy of the Judgement per check
	if appctx.JudgeLayoutTo(j, dec); j.Verdict != "" {
		if !c.Keyed && !appctx.LayoutOK(dec) {
			// Its first byte says 12 and its lengths do not fit: no token, unless it is the start
			// of one cut short (a line cut at a length limit), which is reported.
			if _, cut := appctx.CutShort(dec); !cut {
				return false
			}
		}
		r.hash = sum64(c.Text)
		r.Status, r.Reason, r.Error = statusOf(j.Verdict), string(j.Reason), j.Detail
		return true
	}
	// A token is told from another by its GCM tag, 16 pseudorandom bytes: 8 of them are its hash,
	// with no pass over its text, and the same token counts once however it was escaped.
	r.hash = binary.LittleEndian.Uint64(dec[len(dec)-8:])
	if len(o.zoom) == 0 {
		if !c.Keyed && !appctx.BareToken(dec) {
			return false
		}
		r.Status, r.Reason = NoSecret, string(appctx.ReasonNoSecret)
		return true
	}
	for i := range o.zoom {
		if pt, ok := o.open(&o.zoom[i], dec); ok {
			r.SecretLabel = o.zoom[i].SecretLabel
			at, by, why, syslog := o.expiryTime(c)
			if syslog { // the year of a syslog time is the one nearest the token's ts
				o.judgeOpened(r, j, pt, time.Time{})
				if r.Status == OK {
					at = withYearNear(at, r.TS)
					o.judgeAt(r, j, at, by, why)
				}
				*raw = j.Claims
				return true
			}
			// The time is known before the payload is read, so the claims are judged once.
			o.judgeOpened(r, j, pt, at)
			if r.Status == OK || r.Status == Expired {
				noteJudged(r, at, by, why)
			}
			*raw = j.Claims
			return true
		}
	}
	if !c.Keyed && !appctx.BareToken(dec) {
		// A bare run of Zoom's layout that no key opens, whose IV and sealed bytes are not
		// pseudorandom: a line of a binary file's base64, not a token.
		return false
	}
	r.Status, r.Reason = TagMismatch, string(appctx.ReasonTag)
	if o.deferWhy {
		// Kept for Explain, which a summary asks of a few: in the block's memory (Detach copies
		// it for one kept), where a copy of its own for each was a tenth of a scan of failing
		// tokens, allocating and collecting.
		if o.arena != nil {
			a := append(*o.arena, dec...)
			*o.arena, r.sealed = a, a[len(a)-len(dec):len(a):len(a)]
		} else {
			r.sealed = bytes.Clone(dec)
		}
	} else {
		r.Error = o.mismatch(dec)
	}
	return true
}

// open tries one key, decrypting into the Opener's own buffer so the token stays intact for the
// next key.
func (o *Opener) open(k *appctx.Key, dec []byte) ([]byte, bool) {
	if cap(o.work) < len(dec) {
		// Room for the plaintext before the open: GCM's Open allocates when dst has none, and
		// on a failure returns no buffer to keep, so a log of failing tokens allocated one each.
		o.work = make([]byte, 0, len(dec)+len(dec)/2)
	}
	pt, err := k.OpenLayout(o.work[:0], dec)
	return pt, err == nil
}

// expiryTime is the time a token's exp is judged at, with the rule of JudgeClaims: --at when
// given, else the time its log line carries; zero, with why it is not judged when the line names an
// ambiguous zone, when there is neither. syslog says the line's time has no year, to be taken from
// the token's ts.
func (o *Opener) expiryTime(c *Candidate) (at time.Time, by, why string, syslog bool) {
	if !o.at.IsZero() {
		return o.at, JudgedByFlag, "", false
	}
	s, ok := o.lineStamp(c)
	switch {
	case !ok:
		return time.Time{}, JudgedByNone, "", false
	case s.ambiguous != "":
		return time.Time{}, JudgedByNone, "the line's zone " + s.ambiguous + " could be " + ambiguousZones[s.ambiguous] + ": give --at to judge it", false
	}
	return s.t, judgedByLine(s.format), "", s.format == TimeSyslog
}

// noteJudged records in r the time its expiry was judged at, or why it was not.
func noteJudged(r *Result, at time.Time, by, why string) {
	if at.IsZero() {
		r.JudgedBy, r.NotJudged = JudgedByNone, why
		return
	}
	r.JudgedAt, r.JudgedBy = at.UTC(), by // formatted only if printed
}

// judgeAt judges the claims of an opened token again at a time found after its payload was read
// (a syslog time, whose year comes from ts).
func (o *Opener) judgeAt(r *Result, j *appctx.Judgement, at time.Time, by, why string) {
	noteJudged(r, at, by, why)
	if appctx.JudgeClaimsTo(j, o.clientID, at); j.Verdict != appctx.VerdictOK {
		r.Status, r.Reason, r.Error = statusOf(j.Verdict), string(j.Reason), j.Detail
	}
}

// lineStamp finds the time on the candidate's line, once per line of a block: a line holding many
// tokens is searched once. A line that began in an earlier block is timed by its head, kept from
// that block, and then by its part in this one.
func (o *Opener) lineStamp(c *Candidate) (stamp, bool) {
	if o.lines.on && o.lines.valid && o.lines.start == c.lineStart {
		return o.lines.s, o.lines.ok
	}
	var s stamp
	ok := false
	if c.lineStart == 0 && len(c.head) > 0 {
		s, ok = o.times.lineTime(c.head, o.local)
	}
	if !ok && !o.lines.noColon(c) {
		hit := false
		if k := o.lines.colon - 1; o.lines.on && c.block != nil && k >= c.lineStart && k < c.runStop {
			// The line's first ':' is before the run's end (noColon found it): the time
			// remembered is looked for in the line up to there, without finding its end.
			s, hit = o.times.before(c.block[c.lineStart:c.runStop], k-c.lineStart, o.local)
			ok = hit
		}
		if !hit {
			s, ok = o.times.lineTime(c.line(), o.local)
		}
	}
	if o.lines.on {
		o.lines.valid, o.lines.start, o.lines.s, o.lines.ok = true, c.lineStart, s, ok
	}
	return s, ok
}

// lineCache is the time of the last line timed in the block being searched, and where the
// block's next ':' is.
type lineCache struct {
	on, valid, ok bool
	start         int
	s             stamp
	colon         int // 1 + the index of the first ':' at or after start, len(block)+1 for none; 0 before the first search
}

// noColon reports whether the candidate's line holds no ':', so no time (every format lineTime
// reads has one): true when the block's next ':' from the line's start lies past the line's
// break. The block is searched for ':' once per ':' it holds, where lineTime searched each line,
// and a block of bare tokens, which has none, is searched once. False (time the line) when
// unsure: outside a block's search, or a line ending at '\r' or at the block's end.
func (l *lineCache) noColon(c *Candidate) bool {
	if !l.on || c.block == nil {
		return false
	}
	// A bare token's line, the run as it stood up to the line's break: the run's characters are
	// base64's, so only the bytes before it can hold a ':'. A block of bare tokens is not read a
	// second time for a ':' it does not hold (1.4% of a scan of them).
	if rs := c.runStop - len(c.Text); len(c.Text) > 0 && rs >= c.lineStart && c.runStop < len(c.block) &&
		c.block[c.runStop] == '\n' && &c.Text[0] == &c.block[rs] && bytes.IndexByte(c.block[c.lineStart:rs], ':') < 0 {
		return true
	}
	if l.colon-1 < c.lineStart { // the ':' found last is before this line, or none was looked for
		l.colon = len(c.block) + 1
		if k := bytes.IndexByte(c.block[c.lineStart:], ':'); k >= 0 {
			l.colon = c.lineStart + k + 1
		}
	}
	colon := l.colon - 1
	if colon < c.runStop {
		return false
	}
	if colon > c.runStop && c.block[c.runStop] == '\n' { // a bare token's line: no call to search
		return true
	}
	return bytes.IndexByte(c.block[c.runStop:colon], '\n') >= 0
}

// judgedByLine is JudgedBy for a time read from the line in format f: made once per format, not
// once per token.
func judgedByLine(f TimeFormat) string {
	for i := range lineFormats {
		if lineFormats[i].f == f {
			return lineFormats[i].by
		}
	}
	return "line, " + string(f)
}

var lineFormats = func() (l []struct {
	f  TimeFormat
	by string
}) {
	for _, f := range []TimeFormat{TimeISO, TimeCLF, TimeCtime, TimeHTTP, TimeSyslog, TimeEpoch} {
		l = append(l, struct {
			f  TimeFormat
			by string
		}{f, "line, " + string(f)})
	}
	return l
}()

// withYearNear gives a syslog time, which has no year, the year that puts it nearest ts.
func withYearNear(t time.Time, tsMS int64) time.Time {
	ref := time.UnixMilli(tsMS).UTC()
	best := t.AddDate(ref.Year(), 0, 0)
	for _, y := range []int{ref.Year() - 1, ref.Year() + 1} {
		if c := t.AddDate(y, 0, 0); c.Sub(ref).Abs() < best.Sub(ref).Abs() {
			best = c
		}
	}
	return best
}

func stringOrAbsent(raw []byte) string {
	if raw == nil {
		return "(absent)"
	}
	return string(raw)
}

// mismatch says why Zoom's derivation failed, naming a mistaken derivation that opens it.
func (o *Opener) mismatch(dec []byte) string {
	wrong := o.mistakenKeys()
	for i := range wrong {
		if _, ok := o.open(&wrong[i], dec); ok {
			return "opens with " + string(wrong[i].Derivation) + " and secret " + strconv.Quote(wrong[i].SecretLabel) +
				", not Zoom's SHA-256(secret)"
		}
	}
	return "no secret opens it: another app's or environment's secret, or a token altered in transit"
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// decodeRun decodes a run of base64url, or of standard base64 when std, padded or not, appending
// to dst. A run the finder cut holds only the alphabet's characters: decodeQuads reads it four
// characters at a time without encoding/base64's per-character checks; anything else it leaves to
// encoding/base64, which then says the same as before (newlines skipped, errors).
func decodeRun(dst, run []byte, std bool) ([]byte, bool) {
	run = run[:len(run)-trailingEq(run)]
	enc, tab := base64.RawURLEncoding, &urlValues
	if std {
		enc, tab = base64.RawStdEncoding, &stdValues
	}
	n := enc.DecodedLen(len(run))
	if cap(dst) < n {
		dst = make([]byte, 0, n)
	}
	dst = dst[:n]
	if m, ok := decodeQuads(dst, run, tab); ok {
		return dst[:m], true
	}
	m, err := enc.Decode(dst, run)
	if err != nil {
		return dst[:0], false
	}
	return dst[:m], true
}

// urlValues and stdValues are each character's six bits in base64url and standard base64, and
// badValue for a character outside the alphabet.
var urlValues, stdValues = base64Values("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
	base64Values("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

const badValue = 0xff

func base64Values(alphabet string) (t [256]uint64) {
	for i := range t {
		t[i] = badValue
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = uint64(i)
	}
	return t
}

// decodeQuads decodes unpadded base64 in tab's alphabet into dst, which holds its decoded
// length, as encoding/base64's non-strict decoder does (the unused bits of a last partial quantum
// ignored). ok is false, and dst to be discarded, for any character outside the alphabet or a
// length of 4k+1. Eight characters make one 64-bit word, stored at once; validity is the OR of
// every value read, tested once at the end, so the loop has no branch on the characters.
func decodeQuads(dst, src []byte, tab *[256]uint64) (int, bool) {
	var acc uint64 // above 63 once a badValue was read
	o := 0
	for len(src) >= 8 && len(dst)-o >= 8 {
		s := src[:8]
		a, b, c, d := tab[s[0]], tab[s[1]], tab[s[2]], tab[s[3]]
		e, f, g, h := tab[s[4]], tab[s[5]], tab[s[6]], tab[s[7]]
		acc |= a | b | c | d | e | f | g | h
		binary.BigEndian.PutUint64(dst[o:], a<<58|b<<52|c<<46|d<<40|e<<34|f<<28|g<<22|h<<16)
		o += 6
		src = src[8:]
	}
	for len(src) >= 4 {
		a, b, c, d := tab[src[0]], tab[src[1]], tab[src[2]], tab[src[3]]
		acc |= a | b | c | d
		w := a<<18 | b<<12 | c<<6 | d
		if len(dst)-o < 3 {
			return 0, false
		}
		dst[o], dst[o+1], dst[o+2] = byte(w>>16), byte(w>>8), byte(w)
		o += 3
		src = src[4:]
	}
	switch len(src) {
	case 0:
	case 2:
		a, b := tab[src[0]], tab[src[1]]
		acc |= a | b
		if len(dst)-o < 1 {
			return 0, false
		}
		dst[o] = byte((a<<18 | b<<12) >> 16)
		o++
	case 3:
		a, b, c := tab[src[0]], tab[src[1]], tab[src[2]]
		acc |= a | b | c
		w := a<<18 | b<<12 | c<<6
		if len(dst)-o < 2 {
			return 0, false
		}
		dst[o], dst[o+1] = byte(w>>16), byte(w>>8)
		o += 2
	default:
		return 0, false
	}
	return o, acc <= 63
}

// typValue reads the typ claim, without allocating for the values Zoom sends.
func typValue(raw []byte, plain bool) string {
	if !plain {
		return stringValue(raw)
	}
	b := raw[1 : len(raw)-1]
	for _, t := range knownTyps {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

var knownTyps = []string{"meeting", "panel", "webinar", "chat", "phone", "main"}

// claimStrings gathers the uid and mid of a block's results in one buffer, so their strings are
// made with one allocation per block instead of two per token.
type claimStrings struct {
	buf   []byte
	spans [][4]int32 // per result: uid start, end, mid start, end
}

func (cs *claimStrings) add(raw *rawClaims) {
	u0 := int32(len(cs.buf))
	cs.buf = appendValue(cs.buf, raw.UID, raw.UIDPlain)
	u1 := int32(len(cs.buf))
	cs.buf = appendValue(cs.buf, raw.MID, raw.MIDPlain)
	cs.spans = append(cs.spans, [4]int32{u0, u1, u1, int32(len(cs.buf))})
}

// fill sets UID and MID of results[i] from spans[i], all slicing one string.
func (cs *claimStrings) fill(results []Result) {
	all := string(cs.buf)
	for i, sp := range cs.spans {
		results[i].UID, results[i].MID = all[sp[0]:sp[1]], all[sp[2]:sp[3]]
	}
	cs.buf, cs.spans = cs.buf[:0], cs.spans[:0]
}

// appendValue appends the decoded text of a JSON string value, or nothing for another type.
func appendValue(dst, raw []byte, plain bool) []byte {
	if plain {
		return append(dst, raw[1:len(raw)-1]...)
	}
	return append(dst, stringValue(raw)...)
}
