package appctx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// Claim is one member of a decrypted payload, explained.
type Claim struct {
	Name    string
	Value   string // the JSON value as sent, compact; unescaped only by the caller's renderer
	Meaning string // what the claim is; empty for claims zoomdbg does not know
	Note    string // what this value means here: a time and age, a mismatch, guest mode
	Warn    bool   // Note reports a problem (expired, wrong audience, seconds not milliseconds)
	Known   bool
}

// ContextLifetime is roughly how long Zoom makes an app context valid (exp - ts).
const ContextLifetime = 2 * time.Minute

// knownClaims maps claim names to their meanings, in the order they are shown.
var knownClaims = []struct{ name, meaning string }{
	{"typ", "where the app is running: panel (main client), meeting, webinar, chat, ..."},
	{"uid", "Zoom user ID of the user running the app"},
	{"mid", "meeting UUID, when the app runs in a meeting or webinar"},
	{"bmid", "breakout room meeting UUID, when the user is in a breakout room"},
	{"ts", "when Zoom issued this context, epoch milliseconds"},
	{"exp", "when this context expires, epoch milliseconds (about 2 minutes after ts)"},
	{"iss", "issuer: the Zoom service that sealed the context"},
	{"aud", "audience: the client ID of the app the context is for"},
	{"attendrole", "the user's role in the meeting: host, cohost, attendee, panelist, ..."},
	{"theme", "the Zoom client's theme: light or dark"},
	{"entitlements", "the app entitlements (plan IDs) the user holds"},
	{"cid", "chat channel or conversation ID, when the app runs in Team Chat"},
	{"iid", "app instance ID, shared by the participants of one collaborate or meeting session"},
	{"act", "action data passed when the app was opened from a deep link, invitation or chat action"},
}

// Claims explains every member of the payload object, known claims first in their usual order,
// then unknown ones by name. now dates ts and exp; clientID, when not empty, is checked against aud.
func Claims(obj map[string]json.RawMessage, now time.Time, clientID string) []Claim {
	claims := make([]Claim, 0, len(obj)+1)
	seen := make(map[string]bool, len(knownClaims))
	for _, k := range knownClaims {
		seen[k.name] = true
		raw, ok := obj[k.name]
		if !ok {
			if k.name == "uid" {
				claims = append(claims, Claim{Name: "uid", Meaning: k.meaning, Known: true, Value: "(absent)",
					Note: "no uid: the user has not authorized the app, so the context is anonymous (guest mode)"})
			}
			continue
		}
		c := Claim{Name: k.name, Value: compact(raw), Meaning: k.meaning, Known: true}
		explain(&c, raw, obj, now, clientID)
		claims = append(claims, c)
	}
	var unknown []string
	for name := range obj {
		if !seen[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		claims = append(claims, Claim{Name: name, Value: compact(obj[name])})
	}
	return claims
}

func explain(c *Claim, raw json.RawMessage, obj map[string]json.RawMessage, now time.Time, clientID string) {
	switch c.Name {
	case "ts":
		c.Note, c.Warn = timeNote(raw, now, false)
	case "exp":
		c.Note, c.Warn = timeNote(raw, now, true)
		if lt, ok := lifetime(obj); ok && c.Note != "" && !c.Warn {
			c.Note += fmt.Sprintf(" (lives %s)", human(lt))
		}
	case "aud":
		if clientID == "" {
			return
		}
		if aud, ok := StringValue(raw); ok && aud == clientID {
			c.Note = "matches the client ID given"
		} else {
			c.Note, c.Warn = fmt.Sprintf("does not match client ID %q: this context is for another app", clientID), true
		}
	}
}

// secondsCutoff separates epoch seconds from epoch milliseconds: 1e11 seconds is the year 5138,
// 1e11 milliseconds is March 1973.
const secondsCutoff = 1e11

// timeNote explains a ts or exp claim with the verdict's reading of it (Millis).
func timeNote(raw json.RawMessage, now time.Time, isExp bool) (string, bool) {
	name := "ts"
	if isExp {
		name = "exp"
	}
	f, r := Millis(raw, name)
	switch r {
	case ReasonNone:
	case ReasonExpSeconds, ReasonTSSeconds:
		return fmt.Sprintf("looks like epoch seconds (%s); Zoom sends milliseconds", time.Unix(int64(f), 0).UTC().Format(time.RFC3339)), true
	default:
		return "not a time: expected epoch milliseconds, a finite JSON number between 1e11 and 1e15", true
	}
	ms := int64(f)
	t := time.UnixMilli(ms).UTC()
	d := now.Sub(t)
	stamp := t.Format("2006-01-02 15:04:05.000 UTC")
	switch {
	case isExp && float64(now.UnixMilli()) >= f:
		return fmt.Sprintf("%s, expired %s ago", stamp, human(d)), true
	case isExp:
		return fmt.Sprintf("%s, expires in %s", stamp, human(-d)), false
	case d < 0:
		return fmt.Sprintf("%s, %s in the future: check this machine's clock", stamp, human(-d)), true
	}
	return fmt.Sprintf("%s, issued %s ago", stamp, human(d)), false
}

func lifetime(obj map[string]json.RawMessage) (time.Duration, bool) {
	ts, r1 := Millis(obj["ts"], "ts")
	exp, r2 := Millis(obj["exp"], "exp")
	if r1 != ReasonNone || r2 != ReasonNone {
		return 0, false
	}
	// Millis caps each at 1e17, so exp-ts fits an int64, but in nanoseconds it may not: a span
	// longer than time.Duration holds is no lifetime worth saying (it printed "lives -8446744074s").
	if d := exp - ts; d < 0 || d > float64(math.MaxInt64/time.Millisecond) {
		return 0, false
	}
	return time.Duration(exp-ts) * time.Millisecond, true
}

// human writes a duration the way people read ages: "4m12s", "3h05m", "12d4h".
func human(d time.Duration) string { return string(appendHuman(nil, d)) }

// appendHuman appends human(d) to b, without fmt: an expired token's reason is written for every
// expired token a scan finds.
func appendHuman(b []byte, d time.Duration) []byte {
	d = d.Round(time.Second)
	two := func(b []byte, n int) []byte { // %02d
		if n < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(n), 10)
	}
	switch {
	case d < time.Minute:
		return append(strconv.AppendInt(b, int64(d.Seconds()), 10), 's')
	case d < time.Hour:
		b = append(strconv.AppendInt(b, int64(d.Minutes()), 10), 'm')
		return append(two(b, int(d.Seconds())%60), 's')
	case d < 48*time.Hour:
		b = append(strconv.AppendInt(b, int64(d.Hours()), 10), 'h')
		return append(two(b, int(d.Minutes())%60), 'm')
	}
	b = append(strconv.AppendInt(b, int64(d.Hours())/24, 10), 'd')
	return append(strconv.AppendInt(b, int64(d.Hours())%24, 10), 'h')
}

// Expired reports whether the payload's exp claim, read as the verdict reads it, is at or before
// now.
func Expired(obj map[string]json.RawMessage, now time.Time) bool {
	exp, r := Millis(obj["exp"], "exp")
	return r == ReasonNone && float64(now.UnixMilli()) >= exp
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}
