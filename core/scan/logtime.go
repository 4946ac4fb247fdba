package scan

import (
	"bytes"
	"time"
)

// A log line's own time, in the formats Zoom Apps backends' logs carry: ISO 8601 / RFC 3339
// (with 'T' or a space, a fraction after '.' or ',', a zone or none; Go's log package
// writes the date with '/'), the web-server
// common log format ([05/Mar/2026:10:00:00 +0000]), syslog (Mar  5 10:00:00, no year), and epoch
// seconds or milliseconds in a JSON field named time, timestamp, ts, t or @timestamp. Django's and
// PHP's day-month-year forms are read like the web-server one.

// TimeFormat names how a line's time was read, for the JSON's judged_by.
type TimeFormat string

// The formats lineTime reads.
const (
	TimeISO    TimeFormat = "ISO 8601"
	TimeCLF    TimeFormat = "web-server common log format"
	TimeSyslog TimeFormat = "syslog (year assumed from the token's ts)"
	TimeEpoch  TimeFormat = "epoch time in a JSON field"
)

// maxColons bounds how many ':' of a line are tried as the start of a time.
const maxColons = 12

// lineTime finds the time a log line carries. Every format has a ':' (base64 never does), so a
// line without one, such as a bare token, costs one vectorised search.
//
// A time written without a zone (Python's logging, http.server, syslog, most text loggers write
// local time) is read in local, the zone of the machine that wrote the log.
func lineTime(line []byte, local *time.Location) (time.Time, TimeFormat, bool) {
	off := 0
	for n := 0; n < maxColons; n++ {
		k := bytes.IndexByte(line[off:], ':')
		if k < 0 {
			break
		}
		c := off + k
		if t, f, ok := timeAt(line, c, local); ok {
			return t, f, true
		}
		off = c + 1
	}
	return time.Time{}, "", false
}

// timeAt tries each format with the ':' at c as its first.
func timeAt(line []byte, c int, local *time.Location) (time.Time, TimeFormat, bool) {
	if t, ok := epochField(line, c); ok {
		return t, TimeEpoch, true
	}
	// hh:mm:ss with the ':' between hh and mm at c.
	if c < 2 || c+6 > len(line) || !digits(line[c-2:c]) || !digits(line[c+1:c+3]) || line[c+3] != ':' || !digits(line[c+4:c+6]) {
		return time.Time{}, "", false
	}
	hh, mm, ss := num(line[c-2:c]), num(line[c+1:c+3]), num(line[c+4:c+6])
	if hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, "", false
	}
	h := c - 2 // where hh starts
	switch {
	case h >= 11 && (line[h-1] == 'T' || line[h-1] == ' ') && isDate(line[h-11:h-1]):
		d := line[h-11 : h-1]
		frac, zone := tail(line[c+6:], local)
		t := time.Date(num(d[0:4]), time.Month(num(d[5:7])), num(d[8:10]), hh, mm, ss, frac, zone)
		return t, TimeISO, true
	case h >= 12 && (line[h-1] == ':' || line[h-1] == ' ') && (line[h-10] == '/' || line[h-10] == '-') && line[h-6] == line[h-10] &&
		digits(line[h-5:h-1]) && digits(line[h-12:h-10]):
		// [05/Mar/2026:10:00:00 +0000] (web servers), [05/Mar/2026 10:00:00] (Django, Werkzeug),
		// [05-Mar-2026 10:00:00 UTC] (PHP's error_log)
		mon, ok := month(line[h-9 : h-6])
		if !ok {
			break
		}
		_, zone := tail(line[c+6:], local)
		return time.Date(num(line[h-5:h-1]), mon, num(line[h-12:h-10]), hh, mm, ss, 0, zone), TimeCLF, true
	case h >= 7 && line[h-1] == ' ':
		d := line[h-7 : h-1] // "Mar  5" or "Mar 15"
		mon, ok := month(d[0:3])
		if !ok || d[3] != ' ' || !(digits(d[4:6]) || d[4] == ' ' && digits(d[5:6])) {
			break
		}
		day := num(bytes.TrimLeft(d[4:6], " "))
		return time.Date(0, mon, day, hh, mm, ss, 0, local), TimeSyslog, true
	}
	return time.Time{}, "", false
}

// epochField reads "time":1772704800 or "ts":1772704800123 with the ':' at c.
func epochField(line []byte, c int) (time.Time, bool) {
	if c < 3 || line[c-1] != '"' {
		return time.Time{}, false
	}
	q := bytes.LastIndexByte(line[:c-1], '"')
	if q < 0 {
		return time.Time{}, false
	}
	switch string(line[q+1 : c-1]) {
	case "time", "timestamp", "ts", "t", "@timestamp", "epoch":
	default:
		return time.Time{}, false
	}
	k := c + 1
	for k < len(line) && line[k] == ' ' {
		k++
	}
	e := k
	for e < len(line) && '0' <= line[e] && line[e] <= '9' {
		e++
	}
	frac := 0
	if e < len(line) && line[e] == '.' { // seconds with a fraction, as Python's time.time()
		f := e + 1
		for f < len(line) && '0' <= line[f] && line[f] <= '9' {
			f++
		}
		frac = fraction(line[e+1 : f])
	}
	switch e - k {
	case 10:
		return time.Unix(int64(num(line[k:e])), int64(frac)).UTC(), true
	case 13:
		return time.UnixMilli(int64(num(line[k:e]))).UTC(), true
	}
	return time.Time{}, false
}

// tail reads what may follow ss: a fraction and a zone (Z, +hh:mm, +hhmm, " +0000"), local when
// absent.
func tail(b []byte, local *time.Location) (int, *time.Location) {
	frac := 0
	if len(b) > 1 && (b[0] == '.' || b[0] == ',') {
		e := 1
		for e < len(b) && e <= 10 && '0' <= b[e] && b[e] <= '9' {
			e++
		}
		frac, b = fraction(b[1:e]), b[e:]
	}
	if len(b) > 0 && b[0] == ' ' && len(b) >= 6 && (b[1] == '+' || b[1] == '-') {
		b = b[1:] // the common log format's " +0000"
	}
	switch {
	case len(b) > 0 && b[0] == 'Z':
		return frac, time.UTC
	case len(b) >= 5 && (b[0] == '+' || b[0] == '-') && digits(b[1:3]):
		m := 3
		if b[3] == ':' {
			m = 4
		}
		if len(b) < m+2 || !digits(b[m:m+2]) {
			return frac, local
		}
		off := (num(b[1:3])*60 + num(b[m:m+2])) * 60
		if b[0] == '-' {
			off = -off
		}
		return frac, time.FixedZone("", off)
	}
	return frac, local
}

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
	return digits(d[0:4]) && (d[4] == '-' || d[4] == '/') && digits(d[5:7]) && d[7] == d[4] && digits(d[8:10])
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func num(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func month(b []byte) (time.Month, bool) {
	for i, m := range months {
		if string(b) == m {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}
