package scan

import (
	"bytes"
	"sync/atomic"
	"time"
)

// A log line's own time, in the formats the loggers of Zoom Apps backends write, each seen in logs
// those loggers wrote (cli/testdata/realservers):
//
//   - ISO 8601 / RFC 3339, with 'T' or a space, a fraction after '.' or ',', a zone or none: Go's
//     slog, Python's logging, bunyan, winston, Ruby's Logger and WEBrick's own log, lighttpd's error
//     log; Go's log package and nginx's error log write the date with '/';
//   - the web servers' common log format, [30/Nov/2026:15:50:29 +0000]: nginx, Apache, lighttpd,
//     morgan; WEBrick writes a zone name there ([30/Nov/2026:15:50:29 IST]); Python's http.server
//     and Django write [30/Nov/2026 15:50:29], PHP's error_log [30-Nov-2026 15:50:29 UTC];
//   - ctime, Mon Nov 30 15:50:29[.123456] 2026: Apache's error log, PHP's built-in server;
//   - the HTTP date, Mon, 30 Nov 2026 15:50:29 GMT: morgan's :date[web], a logged Date header;
//   - syslog, Nov 30 15:50:29, with no year;
//   - epoch seconds or milliseconds, or any of the above, in a JSON member named time, timestamp,
//     ts, @timestamp (and the like), at any position in the object: pino writes "time" first,
//     winston sorts its keys and writes "timestamp" after the headers and the message.

// TimeFormat names how a line's time was read, for the JSON's judged_by.
type TimeFormat string

// The formats lineTime reads.
const (
	TimeISO    TimeFormat = "ISO 8601"
	TimeCLF    TimeFormat = "web-server common log format"
	TimeCtime  TimeFormat = "ctime"
	TimeHTTP   TimeFormat = "HTTP date"
	TimeSyslog TimeFormat = "syslog (year assumed from the token's ts)"
	TimeEpoch  TimeFormat = "epoch time in a JSON field"
)

// stamp is the time a line carries. When the line names a zone that could be more than one (IST:
// India, Ireland or Israel), the time cannot be placed: ambiguous holds the name and t is zero.
type stamp struct {
	t         time.Time
	format    TimeFormat
	ambiguous string
}

// maxKey is the longest JSON member name read as a time field.
const maxKey = len("time_iso8601")

// lineTime finds the time a log line carries, wherever it is. A JSON member named as a time field
// wins over any other time on the line, so a winston line is timed by its "timestamp" even when a
// logged header holds a date before it; otherwise the first time on the line is its time. Every
// format has a ':' (base64 never does), so a line without one, such as a bare token, costs one
// vectorised search; one with many costs one look at each, in time linear in the line.
//
// A time written without a zone (Python's logging, http.server, syslog, most text loggers write
// local time) is read in local, the zone of the machine that wrote the log.
func lineTime(line []byte, local *time.Location) (stamp, bool) {
	s, _, ok := readLineTime(line, local)
	return s, ok
}

// readLineTime is lineTime, which also says what it read of the line to find its time, when
// that tells the time alone (see timeCache).
func readLineTime(line []byte, local *time.Location) (s stamp, r read, ok bool) {
	var first stamp
	found := false
	json := isJSONLine(line)
	r = read{first: -1}
	keep := true
	for off := 0; ; {
		k := bytes.IndexByte(line[off:], ':')
		if k < 0 {
			break
		}
		c := off + k
		off = c + 1
		if r.first < 0 {
			r.first = c
		}
		if c > 0 && (line[c-1] == ' ' || line[c-1] == '"') {
			keep = false // timeField reads back past the byte before c
		}
		if s, ok := timeField(line, c, local); ok {
			return s, read{}, true
		}
		if found {
			continue
		}
		if s, end, ok := timeAt(line, c, local); ok {
			if !json {
				if keep {
					r.end = end
				}
				return s, r, true
			}
			first, found = s, true
		}
	}
	return first, read{}, found
}

// read is what readLineTime read of a line that is not JSON to find a text time: the ':' it
// looked at first (the line's first) and every byte from fourteen before it (timeAt reads back
// to the day, twelve bytes before the hh two before a ':') to end, where the time's text ends.
// end is 0 when that does not tell the time alone: when a time field was looked for behind a
// space or a quote (timeField reads back over those), or the line is JSON.
type read struct{ first, end int }

// timeCache is lineTime with a memory of the last line it read a text time from: consecutive
// lines of a log very often carry the same time text ([20/Nov/2026:09:30:05 +0000] on every line
// of a busy second), and reading it again, date and zone, costs most of what a log line costs
// over a bare token. Not safe for concurrent use: one per goroutine, as an Opener is.
//
// It keeps the stamp with every byte lineTime read to find it (win): from fourteen before the
// line's first ':' (no ':' tried reads further back than the day twelve before its hh, see timeAt)
// to eight past the end of the time's text (the most a zone's test reads past what it takes, see
// tail and zoneAt), placed by the line's first ':'. A later line that has those bytes in those
// places around its own first ':' is read by lineTime to the same stamp: it has no ':' before, so
// the same ':' are tried in the same order on the same bytes, up to the same time. That holds
// simply when the line is no JSON (whose time field may be anywhere), no ':' tried has a space or a
// quote before it (timeField reads back further over those), and the window lies inside the line
// (so no test of the line's length differs); a window cut at the line's start holds only at the
// same place in a later line. Other lines are read, not kept.
type timeCache struct {
	local *time.Location
	win   []byte // the bytes of the kept line lineTime read; nil for none
	first int    // where in win the kept line's first ':' is
	start bool   // win starts at the start of the line: so must a later line's
	s     stamp
}

// lineTime is lineTime(line, local), from the memory when line has the kept bytes.
func (tc *timeCache) lineTime(line []byte, local *time.Location) (stamp, bool) {
	c := bytes.IndexByte(line, ':')
	if c < 0 {
		return stamp{}, false // as lineTime: every time has a ':' (a bare token has none)
	}
	if tc.holds(line, c, local) {
		return tc.s, true
	}
	s, r, ok := readLineTime(line, local)
	if ok {
		tc.keep(line, r, s, local)
	}
	return s, ok
}

// before is the remembered stamp when the bytes kept are where lineTime would read them in a line
// that starts with prefix, whose first ':' is at c: then lineTime(line) gives it whatever follows
// prefix on the line. hit is false when that is not told by prefix alone.
func (tc *timeCache) before(prefix []byte, c int, local *time.Location) (s stamp, hit bool) {
	if tc.holds(prefix, c, local) {
		return tc.s, true
	}
	return stamp{}, false
}

// holds reports whether line, whose first ':' is at c, has the kept bytes around it.
func (tc *timeCache) holds(line []byte, c int, local *time.Location) bool {
	from := c - tc.first
	return tc.win != nil && local == tc.local && from >= 0 && (!tc.start || from == 0) && from+len(tc.win) <= len(line) &&
		bytes.Equal(line[from:from+len(tc.win)], tc.win) && !isJSONLine(line)
}

// keep remembers s, read from line as r says, when r tells it alone (see timeCache).
func (tc *timeCache) keep(line []byte, r read, s stamp, local *time.Location) {
	to := r.end + zoneLookAhead
	if r.end == 0 || to > len(line) {
		return
	}
	from := r.first - 14
	tc.start = from <= 0
	from = max(from, 0)
	tc.win = append(tc.win[:0], line[from:to]...)
	tc.first, tc.s, tc.local = r.first-from, s, local
}

// zoneLookAhead bounds how far past the end of a time's text timeAt reads: a zone's test that
// fails reads up to seven bytes (" INFOxy": an upper-case word and the byte after it), ctime's
// year six.
const zoneLookAhead = 8

// isJSONLine reports whether the line is a JSON object, whose time may be anywhere in it.
func isJSONLine(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// timeField reads a JSON member named as a time field whose ':' is at c: "time":1772704800123,
// "timestamp":"2026-03-05T10:00:00.000Z", "ts": 1772704800.5. The name is looked for in the few
// bytes before c only, so a line of many ':' stays linear.
func timeField(line []byte, c int, local *time.Location) (stamp, bool) {
	q := c - 1
	for q >= 0 && line[q] == ' ' {
		q--
	}
	if q < 1 || line[q] != '"' {
		return stamp{}, false
	}
	open := -1
	for k := q - 1; k >= 0 && k >= q-1-maxKey; k-- {
		if line[k] == '"' {
			open = k
			break
		}
	}
	if open < 0 || !timeKey(line[open+1:q]) {
		return stamp{}, false
	}
	v := c + 1
	for v < len(line) && line[v] == ' ' {
		v++
	}
	if v < len(line) && line[v] == '"' {
		end := bytes.IndexByte(line[v+1:min(len(line), v+1+maxTimeText)], '"')
		if end < 0 {
			return stamp{}, false
		}
		return textTime(line[v+1:v+1+end], local)
	}
	t, ok := epoch(line[v:])
	return stamp{t: t, format: TimeEpoch}, ok
}

// maxTimeText is the longest string value read as a time: "Mon, 30 Nov 2026 15:50:29.123456789 +05:30".
const maxTimeText = 64

// timeKey reports whether a JSON member name is one loggers give the time: pino, bunyan and
// Docker "time", winston "timestamp", zap and structlog "ts", Logstash and ECS "@timestamp",
// Serilog's compact "@t", nginx's $time_iso8601 and $time_local as people name them.
func timeKey(k []byte) bool {
	switch string(k) {
	case "time", "timestamp", "ts", "t", "@timestamp", "@t", "epoch", "datetime", "asctime",
		"time_iso8601", "time_local", "Timestamp", "Time":
		return true
	}
	return false
}

// textTime reads the first time in a short text, such as a JSON string value.
func textTime(b []byte, local *time.Location) (stamp, bool) {
	for off := 0; ; {
		k := bytes.IndexByte(b[off:], ':')
		if k < 0 {
			return stamp{}, false
		}
		if s, _, ok := timeAt(b, off+k, local); ok {
			return s, true
		}
		off += k + 1
	}
}

// epoch reads epoch seconds (with a fraction, as Python's time.time()) or milliseconds at the
// start of b.
func epoch(b []byte) (time.Time, bool) {
	e := 0
	for e < len(b) && e < 20 && '0' <= b[e] && b[e] <= '9' {
		e++
	}
	frac := 0
	if e < len(b) && b[e] == '.' {
		f := e + 1
		for f < len(b) && f-e <= 9 && '0' <= b[f] && b[f] <= '9' {
			f++
		}
		frac = fraction(b[e+1 : f])
	}
	switch e {
	case 10:
		return time.Unix(int64(num(b[:e])), int64(frac)).UTC(), true
	case 13:
		return time.UnixMilli(int64(num(b[:e]))).UTC(), true
	}
	return time.Time{}, false
}

// timeAt tries each text format with the ':' at c as the first of hh:mm:ss. It returns where
// the time's text ends (after its fraction and zone, before the year ctime writes after them).
func timeAt(line []byte, c int, local *time.Location) (stamp, int, bool) {
	hh, mm, ss, ok := clock(line, c)
	if !ok {
		return stamp{}, 0, false
	}
	h := c - 2 // where hh starts
	after := line[c+6:]
	switch {
	case h >= 11 && (line[h-1] == 'T' || line[h-1] == ' ') && isDate(line[h-11:h-1]):
		d := line[h-11 : h-1]
		frac, z, rest := tail(after)
		return z.date(num4(d[0:]), time.Month(num2(d[5:])), num2(d[8:]), hh, mm, ss, frac, local, TimeISO, len(line)-len(rest))
	case h >= 12 && (line[h-1] == ':' || line[h-1] == ' ') && (line[h-10] == '/' || line[h-10] == '-') && line[h-6] == line[h-10] &&
		digits4(line[h-5:]) && digits2(line[h-12:]):
		// [05/Mar/2026:10:00:00 +0000] (web servers), [05/Mar/2026 10:00:00] (Django, Werkzeug),
		// [05-Mar-2026 10:00:00 UTC] (PHP's error_log)
		mon, ok := month(line[h-9 : h-6])
		if !ok {
			break
		}
		frac, z, rest := tail(after)
		return z.date(num4(line[h-5:]), mon, num2(line[h-12:]), hh, mm, ss, frac, local, TimeCLF, len(line)-len(rest))
	case h >= 12 && line[h-1] == ' ' && line[h-6] == ' ' && digits4(line[h-5:]) && line[h-10] == ' ':
		// Mon, 30 Nov 2026 15:50:29 GMT (the HTTP date), 5 Mar 2026 10:00:00 +0000
		mon, ok := month(line[h-9 : h-6])
		if !ok || !(digits(line[h-12:h-10]) || line[h-11] != ' ' && digits(line[h-11:h-10])) {
			break
		}
		day := num(bytes.TrimLeft(line[h-12:h-10], " ,"))
		frac, z, rest := tail(after)
		return z.date(num4(line[h-5:]), mon, day, hh, mm, ss, frac, local, TimeHTTP, len(line)-len(rest))
	case h >= 7 && line[h-1] == ' ':
		d := line[h-7 : h-1] // "Mar  5" or "Mar 15"
		mon, ok := month(d[0:3])
		if !ok || d[3] != ' ' || !(digits(d[4:6]) || d[4] == ' ' && digits(d[5:6])) {
			break
		}
		day := num(bytes.TrimLeft(d[4:6], " "))
		frac, z, rest := tail(after)
		if len(rest) >= 5 && rest[0] == ' ' && digits(rest[1:5]) && (len(rest) == 5 || !isDigit(rest[5])) {
			// Mon Nov 30 15:50:29.123456 2026 (Apache's error log, PHP's built-in server), or
			// Mon Nov 30 15:50:29 UTC 2026 (date(1))
			return z.date(num4(rest[1:]), mon, day, hh, mm, ss, frac, local, TimeCtime, len(line)-len(rest))
		}
		return z.date(0, mon, day, hh, mm, ss, frac, local, TimeSyslog, len(line)-len(rest))
	}
	return stamp{}, 0, false
}

// clock reads hh:mm:ss with the ':' at c as its first.
func clock(line []byte, c int) (hh, mm, ss int, ok bool) {
	if c < 2 || c+6 > len(line) || line[c+3] != ':' {
		return 0, 0, 0, false
	}
	hh, okh := pair(line[c-2:])
	mm, okm := pair(line[c+1:])
	ss, oks := pair(line[c+4:])
	return hh, mm, ss, okh && okm && oks && hh <= 23 && mm <= 59 && ss <= 60
}

// zone is what a time says of its zone: nothing (loc nil, name ""), a fixed offset (loc, and off
// seconds east of UTC), or a name that could be more than one place (name, loc nil).
type zone struct {
	loc  *time.Location
	off  int
	name string
}

// date makes the stamp, in local when the time names no zone, for timeAt, with end, where the
// time's text ends.
func (z zone) date(y int, mon time.Month, d, hh, mm, ss, ns int, local *time.Location, f TimeFormat, end int) (stamp, int, bool) {
	switch {
	case z.name != "":
		return stamp{format: f, ambiguous: z.name}, end, true
	case z.loc == nil:
		// local may keep daylight saving time: only time.Date knows its offset at a date.
		return stamp{t: time.Date(y, mon, d, hh, mm, ss, ns, local), format: f}, end, true
	}
	return stamp{t: z.fixedDate(y, mon, d, hh, mm, ss, ns), format: f}, end, true
}

// fixedDate is time.Date(y, mon, d, hh, mm, ss, ns, z.loc), the same Time to the bit, for a zone at
// the one offset z.off: the instant is reckoned from the civil date directly, without the
// normalising and zone lookups time.Date does for any Location, which a log pays on every line.
// Days and seconds past the end of their unit (31 Feb, ss 60) carry over as time.Date's do, since
// the sum is linear in them; a month outside 1-12 (an ISO date may write 00) is left to time.Date.
func (z zone) fixedDate(y int, mon time.Month, d, hh, mm, ss, ns int) time.Time {
	if mon < time.January || mon > time.December {
		return time.Date(y, mon, d, hh, mm, ss, ns, z.loc)
	}
	sec := int64(civilDays(y, mon, d))*secondsPerDay + int64(hh*3600+mm*60+ss-z.off)
	return time.Unix(sec, int64(ns)).In(z.loc)
}

const secondsPerDay = 24 * 60 * 60

// civilDays is the number of days from 1970-01-01 to y-mon-d in the proleptic Gregorian calendar,
// negative before it, with d counted on past the month's end: Howard Hinnant's days_from_civil
// (https://howardhinnant.github.io/date_algorithms.html#days_from_civil), which counts years from
// March so that the leap day ends a year. mon is 1-12.
func civilDays(y int, mon time.Month, d int) int {
	if mon <= time.February {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era-- // floored: year 0 and -1 (a syslog time's year) are in the era before 0
	}
	yoe := y - era*400                         // [0, 399]
	doy := (153*((int(mon)+9)%12)+2)/5 + d - 1 // from 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy     // [0, 146096] for d within its month
	return era*146097 + doe - 719468           // 719468: days from 0000-03-01 to 1970-01-01
}

// tail reads what may follow ss: a fraction and a zone (Z, +hh:mm, +hhmm, +hh, " +0000", " UTC",
// " IST"). It returns the rest of b after them.
func tail(b []byte) (int, zone, []byte) {
	frac := 0
	if len(b) > 1 && (b[0] == '.' || b[0] == ',') {
		e := 1
		for e < len(b) && e <= 10 && isDigit(b[e]) {
			e++
		}
		frac, b = fraction(b[1:e]), b[e:]
	}
	if len(b) >= 2 && b[0] == ' ' && (b[1] == '+' || b[1] == '-' || isUpper(b[1])) {
		if z, rest, ok := zoneAt(b[1:]); ok {
			return frac, z, rest
		}
		return frac, zone{}, b
	}
	if z, rest, ok := zoneAt(b); ok {
		return frac, z, rest
	}
	return frac, zone{}, b
}

// zoneAt reads a zone at the start of b: Z, a numeric offset or an abbreviation.
func zoneAt(b []byte) (zone, []byte, bool) {
	switch {
	case len(b) == 0:
		return zone{}, b, false
	case b[0] == 'Z' && (len(b) == 1 || !isLetter(b[1])):
		return zone{loc: time.UTC}, b[1:], true
	case b[0] == '+' || b[0] == '-':
		return offsetAt(b)
	}
	n := 0
	for n < len(b) && n < 6 && isUpper(b[n]) {
		n++
	}
	if n < 2 || n < len(b) && isLetter(b[n]) {
		return zone{}, b, false
	}
	name := string(b[:n])
	rest := b[n:]
	if z, ok := namedZones[name]; ok {
		if name == "UTC" || name == "GMT" || name == "UT" {
			if z, r, ok := offsetAt(rest); ok { // GMT+0530
				return z, r, true
			}
			return zone{loc: time.UTC}, rest, true
		}
		return z, rest, true
	}
	if _, ok := ambiguousZones[name]; ok {
		return zone{name: name}, rest, true
	}
	return zone{}, b, false // a log level, a host name: not a zone
}

// offsetAt reads +hh:mm, +hhmm or +hh.
func offsetAt(b []byte) (zone, []byte, bool) {
	if len(b) < 3 || !(b[0] == '+' || b[0] == '-') {
		return zone{}, b, false
	}
	hh, ok := pair(b[1:])
	if !ok {
		return zone{}, b, false
	}
	off, n := hh*3600, 3 // +hh, or +hh:mm, +hhmm
	if len(b) >= 6 && b[3] == ':' {
		if mm, ok := pair(b[4:]); ok {
			off, n = off+mm*60, 6
		}
	} else if len(b) >= 5 {
		if mm, ok := pair(b[3:]); ok {
			off, n = off+mm*60, 5
		}
	}
	if n < len(b) && isDigit(b[n]) {
		return zone{}, b, false
	}
	if b[0] == '-' {
		off = -off
	}
	return zone{loc: fixedZone(off), off: off}, b[n:], true
}

// fixedZones holds the zone of each whole-minute offset within a day of UTC once made: a log
// writes the same offset on every line, and time.FixedZone allocates a Location each call.
var fixedZones [2*24*60 + 1]atomic.Pointer[time.Location]

// fixedZone is time.FixedZone("", off), shared between the lines that write off.
func fixedZone(off int) *time.Location {
	k, ok := fixedZoneIndex(off)
	if !ok {
		return time.FixedZone("", off)
	}
	if l := fixedZones[k].Load(); l != nil {
		return l
	}
	l := time.FixedZone("", off)
	fixedZones[k].Store(l)
	return l
}

// fixedZoneIndex is where fixedZones keeps the zone of off, if it keeps it.
func fixedZoneIndex(off int) (int, bool) {
	k := off/60 + 24*60
	return k, off%60 == 0 && k >= 0 && k < len(fixedZones)
}

// namedZones are the zones of zoneNames, their Locations made once.
var namedZones = func() map[string]zone {
	m := make(map[string]zone, len(zoneNames))
	for name, off := range zoneNames {
		m[name] = zone{loc: time.FixedZone(name, off), off: off}
	}
	return m
}()

// zoneNames are the zone abbreviations that name one offset wherever they are written, in
// seconds east of UTC. Ruby's Time#strftime('%Z') and C's strftime write them (WEBrick's access
// log, date(1)); so does any logger given a zone name by TZ.
var zoneNames = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "WET": 0, "WEST": 3600,
	"CET": 3600, "CEST": 7200, "MET": 3600, "MEST": 7200, "EET": 7200, "EEST": 10800, "MSK": 10800,
	"EST": -5 * 3600, "EDT": -4 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600, "NST": -12600, "NDT": -9000,
	"JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600, "AWST": 8 * 3600, "WIB": 7 * 3600,
	"ACST": 34200, "ACDT": 37800, "AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
	"SAST": 7200, "CAT": 7200, "EAT": 10800, "WAT": 3600, "PKT": 5 * 3600, "NPT": 20700, "PHT": 8 * 3600,
}

// ambiguousZones are the abbreviations written for more than one offset: a line that carries
// one is left unjudged, with the reason, rather than read in a zone it may not mean.
var ambiguousZones = map[string]string{
	"IST": "India +05:30, Ireland +01:00 or Israel +02:00",
	"CST": "US Central -06:00, China +08:00 or Cuba -05:00",
	"CDT": "US Central -05:00 or Cuba -04:00",
	"BST": "British Summer +01:00 or Bangladesh +06:00",
	"AST": "Atlantic -04:00 or Arabia +03:00",
	"ADT": "Atlantic -03:00 or Arabia +04:00",
	"GST": "Gulf +04:00 or South Georgia -02:00",
	"MST": "US Mountain -07:00 or Malaysia +08:00",
	"SST": "Samoa -11:00 or Singapore +08:00",
	"ECT": "Ecuador -05:00 or Eastern Caribbean -04:00",
	"AMT": "Amazon -04:00 or Armenia +04:00",
}

// AmbiguousZone says why a zone name cannot place a time, or "" when it is not an ambiguous one.
func AmbiguousZone(name string) string { return ambiguousZones[name] }

// fraction turns the digits after a decimal point into nanoseconds.
func fraction(d []byte) int {
	ns := 0
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(d) {
			ns += int(d[i] - '0')
		}
	}
	return ns
}

// isDate reads yyyy-mm-dd, or yyyy/mm/dd as Go's log package writes it.
func isDate(d []byte) bool {
	return digits4(d) && (d[4] == '-' || d[4] == '/') && digits2(d[5:]) && d[7] == d[4] && digits2(d[8:])
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLetter(c byte) bool { return isUpper(c) || 'a' <= c && c <= 'z' }

func digits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// pair reads two decimal digits at the start of b, and whether both are digits.
func pair(b []byte) (int, bool) {
	_ = b[1]
	hi, lo := b[0]-'0', b[1]-'0' // a byte below '0' wraps above 9
	return int(hi)*10 + int(lo), hi <= 9 && lo <= 9
}

// digits2 and digits4 are digits over the first 2 and 4 bytes of b, without a loop: the fields
// of a date have fixed widths.
func digits2(b []byte) bool {
	_, ok := pair(b)
	return ok
}

func digits4(b []byte) bool {
	_, ok1 := pair(b)
	_, ok2 := pair(b[2:])
	return ok1 && ok2
}

// num2 and num4 are num over the first 2 and 4 bytes of b, digits already checked.
func num2(b []byte) int {
	_ = b[1]
	return int(b[0]-'0')*10 + int(b[1]-'0')
}

func num4(b []byte) int { return num2(b)*100 + num2(b[2:]) }

func num(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// month reads an English month abbreviation, as every log format here writes it.
func month(b []byte) (time.Month, bool) {
	switch string(b) {
	case "Jan":
		return time.January, true
	case "Feb":
		return time.February, true
	case "Mar":
		return time.March, true
	case "Apr":
		return time.April, true
	case "May":
		return time.May, true
	case "Jun":
		return time.June, true
	case "Jul":
		return time.July, true
	case "Aug":
		return time.August, true
	case "Sep":
		return time.September, true
	case "Oct":
		return time.October, true
	case "Nov":
		return time.November, true
	case "Dec":
		return time.December, true
	}
	return 0, false
}
