package scan

import (
	"bytes"
	"time"
)

// lineTimeRef is lineTime as it was before its fast paths (fixed-width digits, the instant of a
// fixed-offset zone reckoned without time.Date): each field read with the general digits and num,
// every time made by time.Date. TestLineTimeFastPaths and FuzzLineTime hold lineTime to it.
func lineTimeRef(line []byte, local *time.Location) (stamp, bool) {
	var first stamp
	found := false
	json := isJSONLine(line)
	for off := 0; ; {
		k := bytes.IndexByte(line[off:], ':')
		if k < 0 {
			break
		}
		c := off + k
		off = c + 1
		if s, ok := timeFieldRef(line, c, local); ok {
			return s, true
		}
		if found {
			continue
		}
		if s, ok := timeAtRef(line, c, local); ok {
			if !json {
				return s, true
			}
			first, found = s, true
		}
	}
	return first, found
}

func timeFieldRef(line []byte, c int, local *time.Location) (stamp, bool) {
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
		return textTimeRef(line[v+1:v+1+end], local)
	}
	t, ok := epoch(line[v:])
	return stamp{t: t, format: TimeEpoch}, ok
}

func textTimeRef(b []byte, local *time.Location) (stamp, bool) {
	for off := 0; ; {
		k := bytes.IndexByte(b[off:], ':')
		if k < 0 {
			return stamp{}, false
		}
		if s, ok := timeAtRef(b, off+k, local); ok {
			return s, true
		}
		off += k + 1
	}
}

func timeAtRef(line []byte, c int, local *time.Location) (stamp, bool) {
	if c < 2 || c+6 > len(line) || !digitsRef(line[c-2:c]) || !digitsRef(line[c+1:c+3]) || line[c+3] != ':' || !digitsRef(line[c+4:c+6]) {
		return stamp{}, false
	}
	hh, mm, ss := numRef(line[c-2:c]), numRef(line[c+1:c+3]), numRef(line[c+4:c+6])
	if hh > 23 || mm > 59 || ss > 60 {
		return stamp{}, false
	}
	h := c - 2 // where hh starts
	after := line[c+6:]
	switch {
	case h >= 11 && (line[h-1] == 'T' || line[h-1] == ' ') && isDateRef(line[h-11:h-1]):
		d := line[h-11 : h-1]
		frac, z, _ := tailRef(after)
		return z.dateRef(numRef(d[0:4]), time.Month(numRef(d[5:7])), numRef(d[8:10]), hh, mm, ss, frac, local, TimeISO)
	case h >= 12 && (line[h-1] == ':' || line[h-1] == ' ') && (line[h-10] == '/' || line[h-10] == '-') && line[h-6] == line[h-10] &&
		digitsRef(line[h-5:h-1]) && digitsRef(line[h-12:h-10]):
		// [05/Mar/2026:10:00:00 +0000] (web servers), [05/Mar/2026 10:00:00] (Django, Werkzeug),
		// [05-Mar-2026 10:00:00 UTC] (PHP's error_log)
		mon, ok := monthRef(line[h-9 : h-6])
		if !ok {
			break
		}
		frac, z, _ := tailRef(after)
		return z.dateRef(numRef(line[h-5:h-1]), mon, numRef(line[h-12:h-10]), hh, mm, ss, frac, local, TimeCLF)
	case h >= 12 && line[h-1] == ' ' && line[h-6] == ' ' && digitsRef(line[h-5:h-1]) && line[h-10] == ' ':
		// Mon, 30 Nov 2026 15:50:29 GMT (the HTTP date), 5 Mar 2026 10:00:00 +0000
		mon, ok := monthRef(line[h-9 : h-6])
		if !ok || !(digitsRef(line[h-12:h-10]) || line[h-11] != ' ' && digitsRef(line[h-11:h-10])) {
			break
		}
		day := numRef(bytes.TrimLeft(line[h-12:h-10], " ,"))
		frac, z, _ := tailRef(after)
		return z.dateRef(numRef(line[h-5:h-1]), mon, day, hh, mm, ss, frac, local, TimeHTTP)
	case h >= 7 && line[h-1] == ' ':
		d := line[h-7 : h-1] // "Mar  5" or "Mar 15"
		mon, ok := monthRef(d[0:3])
		if !ok || d[3] != ' ' || !(digitsRef(d[4:6]) || d[4] == ' ' && digitsRef(d[5:6])) {
			break
		}
		day := numRef(bytes.TrimLeft(d[4:6], " "))
		frac, z, rest := tailRef(after)
		if len(rest) >= 5 && rest[0] == ' ' && digitsRef(rest[1:5]) && (len(rest) == 5 || !isDigit(rest[5])) {
			// Mon Nov 30 15:50:29.123456 2026 (Apache's error log, PHP's built-in server), or
			// Mon Nov 30 15:50:29 UTC 2026 (date(1))
			return z.dateRef(numRef(rest[1:5]), mon, day, hh, mm, ss, frac, local, TimeCtime)
		}
		return z.dateRef(0, mon, day, hh, mm, ss, frac, local, TimeSyslog)
	}
	return stamp{}, false
}

type zoneRef struct {
	loc  *time.Location
	name string
}

func (z zoneRef) dateRef(y int, mon time.Month, d, hh, mm, ss, ns int, local *time.Location, f TimeFormat) (stamp, bool) {
	switch {
	case z.name != "":
		return stamp{format: f, ambiguous: z.name}, true
	case z.loc == nil:
		return stamp{t: time.Date(y, mon, d, hh, mm, ss, ns, local), format: f}, true
	}
	return stamp{t: time.Date(y, mon, d, hh, mm, ss, ns, z.loc), format: f}, true
}

func tailRef(b []byte) (int, zoneRef, []byte) {
	frac := 0
	if len(b) > 1 && (b[0] == '.' || b[0] == ',') {
		e := 1
		for e < len(b) && e <= 10 && isDigit(b[e]) {
			e++
		}
		frac, b = fraction(b[1:e]), b[e:]
	}
	if len(b) >= 2 && b[0] == ' ' && (b[1] == '+' || b[1] == '-' || isUpper(b[1])) {
		if z, rest, ok := zoneAtRef(b[1:]); ok {
			return frac, z, rest
		}
		return frac, zoneRef{}, b
	}
	if z, rest, ok := zoneAtRef(b); ok {
		return frac, z, rest
	}
	return frac, zoneRef{}, b
}

func zoneAtRef(b []byte) (zoneRef, []byte, bool) {
	switch {
	case len(b) == 0:
		return zoneRef{}, b, false
	case b[0] == 'Z' && (len(b) == 1 || !isLetter(b[1])):
		return zoneRef{loc: time.UTC}, b[1:], true
	case b[0] == '+' || b[0] == '-':
		return offsetAtRef(b)
	}
	n := 0
	for n < len(b) && n < 6 && isUpper(b[n]) {
		n++
	}
	if n < 2 || n < len(b) && isLetter(b[n]) {
		return zoneRef{}, b, false
	}
	name := string(b[:n])
	rest := b[n:]
	if z, ok := namedZones[name]; ok {
		if name == "UTC" || name == "GMT" || name == "UT" {
			if z, r, ok := offsetAtRef(rest); ok { // GMT+0530
				return z, r, true
			}
			return zoneRef{loc: time.UTC}, rest, true
		}
		return zoneRef{loc: z.loc}, rest, true
	}
	if _, ok := ambiguousZones[name]; ok {
		return zoneRef{name: name}, rest, true
	}
	return zoneRef{}, b, false // a log level, a host name: not a zoneRef
}

func offsetAtRef(b []byte) (zoneRef, []byte, bool) {
	if len(b) < 3 || !(b[0] == '+' || b[0] == '-') || !digitsRef(b[1:3]) {
		return zoneRef{}, b, false
	}
	m, n := 3, 3
	switch {
	case len(b) >= 6 && b[3] == ':' && digitsRef(b[4:6]):
		m, n = 4, 6
	case len(b) >= 5 && digitsRef(b[3:5]):
		n = 5
	}
	if n < len(b) && isDigit(b[n]) {
		return zoneRef{}, b, false
	}
	off := numRef(b[1:3]) * 3600
	if n > 3 {
		off += numRef(b[m:m+2]) * 60
	}
	if b[0] == '-' {
		off = -off
	}
	return zoneRef{loc: fixedZone(off)}, b[n:], true
}

func isDateRef(d []byte) bool {
	return digitsRef(d[0:4]) && (d[4] == '-' || d[4] == '/') && digitsRef(d[5:7]) && d[7] == d[4] && digitsRef(d[8:10])
}

func digitsRef(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func numRef(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func monthRef(b []byte) (time.Month, bool) {
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
