package scan

import (
	"strconv"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// The verdict on each token is appctx's: scan runs Judge's checks piece by piece (CheckText,
// JudgeLayout, JudgePayload, JudgeClaims) so that it decodes into its own buffers and reads the
// claims in the same allocation-free pass, and maps the verdict to its statuses here. No rule
// about what makes a context valid is written in this package.

// rawClaims are the payload's claims as appctx read them: raw JSON values aliasing the plaintext.
type rawClaims = appctx.PayloadClaims

// statusOf maps a verdict to scan's status: the same words.
func statusOf(v appctx.Verdict) Status { return Status(v) }

// stringValue decodes a JSON string value, or returns "" for a value of another type.
func stringValue(raw []byte) string {
	s, _ := appctx.StringValue(raw)
	return s
}

// judgeText runs the verdict's checks on a candidate's characters. A keyed run is always
// reported; a bare run only when it decodes to a token's layout in some alphabet, since most
// runs of base64 characters in a log are something else. report is false for no result.
func (o *Opener) judgeText(r *Result, c *Candidate) (failed, report bool) {
	if o.textPasses(c) {
		return false, true
	}
	dec, ok := decodeRun(o.buf[:0], c.Text, c.Std)
	o.buf = dec[:0]
	layout := ok && (c.Keyed && appctx.LayoutOK(dec) || !c.Keyed && appctx.BareToken(dec))
	if !c.Keyed && !layout && !o.cutShort(c, dec, ok) {
		// Most bare runs that fail the fast checks (a path with '/', an id of 4k+1 characters)
		// are no token: dropped before CheckText writes why.
		return true, false
	}
	j := appctx.CheckText(c.Text)
	if j.Verdict == "" {
		// In the base64url alphabet (CheckText passes no other), as check decodes it: kept.
		c.dec = dec
		return false, true
	}
	r.Status, r.Reason, r.Error = statusOf(j.Verdict), string(j.Reason), j.Detail
	if layout && j.Reason == appctx.ReasonStdBase64 {
		r.Error += o.afterRepair(dec)
	}
	return true, true
}

// cutShort reports whether a bare run that is not a token's layout is the start of one cut short
// (appctx.CutShort): dec is its decoding when ok; a run of 4k+1 characters, which does not decode,
// is read without its last character. o.buf is overwritten.
func (o *Opener) cutShort(c *Candidate, dec []byte, ok bool) bool {
	if !ok {
		body := c.Text[:len(c.Text)-trailingEq(c.Text)]
		if len(body)%4 != 1 {
			return false
		}
		dec, ok = decodeRun(o.buf[:0], body[:len(body)-1], c.Std)
		o.buf = dec[:0]
	}
	_, cut := appctx.CutShort(dec)
	return ok && cut
}

// textPasses is the fast path of CheckText for a run the finder took as it stood: the finder
// already read every character as base64url or '=' (Std says whether '+' or '/' occur) and cut
// the '=' that are not trailing padding, so only the length checks remain. Any other candidate,
// and any that fails here, goes through CheckText itself, which names the fault.
func (o *Opener) textPasses(c *Candidate) bool {
	if c.Std || len(c.Unwrapped) > 0 || len(c.Text) > appctx.MaxHeader {
		return false
	}
	pad := trailingEq(c.Text)
	return pad <= 2 && (len(c.Text)-pad)%4 != 1 && len(c.Text) > pad
}

// afterRepair says whether a token in the standard alphabet opens once converted back: the
// diagnosis of a repair, which never changes the verdict.
func (o *Opener) afterRepair(dec []byte) string {
	for i := range o.zoom {
		if _, ok := o.open(&o.zoom[i], dec); ok {
			return "; it opens once converted to base64url, with secret " + strconv.Quote(o.zoom[i].SecretLabel)
		}
	}
	return ""
}

// judgeOpened runs the payload and claim checks on a plaintext in j, expiry excepted (judge does
// that with the time the log line carries).
func (o *Opener) judgeOpened(r *Result, j *appctx.Judgement, pt []byte, at time.Time) {
	o.shapes.JudgePayloadTo(j, pt, o.clientID, at)
	r.TS, r.Exp = int64(j.TSMS), int64(j.ExpMS)
	r.Status, r.Reason = statusOf(j.Verdict), string(j.Reason)
	if j.Verdict != appctx.VerdictOK {
		r.Error = j.Detail
	}
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// sumClaims records in r the hashes distinct counts uid and mid by: of each claim's text when it
// is a non-empty JSON string, read from the payload's bytes (decoded only when escaped), so that
// the counts are the same whether or not the strings are made.
func sumClaims(r *Result, raw *rawClaims) {
	r.uidSum, r.hasUID = claimSum(raw.UID, raw.UIDPlain)
	r.midSum, r.hasMID = claimSum(raw.MID, raw.MIDPlain)
}

func claimSum(raw []byte, plain bool) (uint64, bool) {
	if plain {
		return sum64(raw[1 : len(raw)-1]), len(raw) > 2
	}
	s := stringValue(raw)
	return sum64(s), s != ""
}
