package scan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones with daylight saving time the lines are read in, on any machine
)

// TestFixedDate: the instant reckoned for a fixed-offset zone is time.Date's, the same Time to the
// bit (==: the same wall clock, seconds and Location), on every day of years either side of every
// leap rule, with days and seconds past the end of their unit, and months time.Date normalises.
func TestFixedDate(t *testing.T) {
	zones := []zone{{loc: time.UTC}, namedZones["JST"], namedZones["NST"], namedZones["PDT"]}
	for _, off := range []int{-(23*3600 + 59*60), -5 * 3600, 19800, 20700, 14 * 3600} {
		zones = append(zones, zone{loc: fixedZone(off), off: off})
	}
	years := []int{-401, -400, -1, 0, 1, 4, 100, 399, 400, 1600, 1900, 1969, 1970, 1971, 2000, 2024, 2026, 2100, 2400, 9999}
	n := 0
	for _, y := range years {
		for mon := time.Month(0); mon <= 13; mon++ {
			for d := 0; d <= 99; d++ {
				for i, z := range zones {
					hh, mm, ss, ns := (d+i)%24, (d*7)%60, (d*13+i)%61, (d*104729)%1e9
					got, want := z.fixedDate(y, mon, d, hh, mm, ss, ns), time.Date(y, mon, d, hh, mm, ss, ns, z.loc)
					if got != want {
						t.Fatalf("%04d-%02d-%02d %02d:%02d:%02d.%09d %+d: %v, want time.Date's %v", y, mon, d, hh, mm, ss, ns, z.off, got, want)
					}
					n++
				}
			}
		}
	}
	if n < 100000 {
		t.Fatalf("only %d dates compared", n)
	}
}

// lineShapes are the lines of every format lineTime reads, with the date, time, fraction and
// zone left as verbs: %[1]s the year (4 digits), %[2]s the month number, %[3]s its name, %[4]s
// the day, %[5]s hh:mm:ss, %[6]s the fraction (with its point, or nothing), %[7]s the zone (with
// the space before it where the format has one, or nothing).
var lineShapes = []string{
	`time=%[1]s-%[2]s-%[4]sT%[5]s%[6]s%[7]s level=INFO`,
	`%[1]s-%[2]s-%[4]s %[5]s%[6]s%[7]s ERROR django.request`,
	`%[1]s/%[2]s/%[4]s %[5]s%[6]s%[7]s [error] 12#12: *1 open()`,
	`127.0.0.1 - - [%[4]s/%[3]s/%[1]s:%[5]s%[6]s%[7]s] "GET /?context=x HTTP/1.1" 200 2`,
	`[%[4]s/%[3]s/%[1]s %[5]s%[6]s%[7]s] "GET /home HTTP/1.1" 200 12`,
	`[%[4]s-%[3]s-%[1]s %[5]s%[6]s%[7]s] PHP Warning:  openssl_decrypt`,
	`[Thu %[3]s %[4]s %[5]s%[6]s%[7]s %[1]s] [core:error] [pid 1] AH00037`,
	`{"date":"Thu, %[4]s %[3]s %[1]s %[5]s%[6]s%[7]s","msg":"x"}`,
	`%[3]s %[4]s %[5]s%[6]s%[7]s host app[12]: ctx`,
	`{"level":"info","timestamp":"%[1]s-%[2]s-%[4]sT%[5]s%[6]s%[7]s","msg":"x"}`,
	`{"headers":{"if-modified-since":"%[1]s-%[2]s-%[4]sT%[5]s%[6]s%[7]s"},"level":"info"}`,
}

// lineZones are what the lines write after the time: nothing (read in local), offsets, Z, names
// of one offset, UTC with an offset, names of more than one, and words that are not zones.
var lineZones = []string{"", "Z", " +0000", "+00:00", "-0500", " -05:00", "+0530", " +05:30", "+14", "-23:59",
	" UTC", " GMT", " GMT+0530", " JST", " NST", " CEST", " IST", " CST", " INFO", "X", " +05:3", "+123"}

// lineLocals are the zones zone-less times are read in: UTC, fixed ones, and ones with daylight
// saving time (which must keep going through time.Date).
func lineLocals(t testing.TB) []*time.Location {
	locals := []*time.Location{time.UTC, time.FixedZone("far", -11*3600), fixedZone(3600)}
	for _, name := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		locals = append(locals, loc)
	}
	return locals
}

// fastPathLines are lines of every shape, zone and many dates, with the fields at and past their
// ranges (day 00 and 31 Feb, ss 60, month 00 and 13, years 0000 and 9999, DST changes).
func fastPathLines(r *rand.Rand) []string {
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dates := [][3]int{{2026, 11, 20}, {2026, 3, 8}, {2026, 3, 29}, {2026, 10, 25}, {2026, 11, 1}, {2024, 2, 29}, {2026, 2, 31},
		{2026, 1, 0}, {1970, 1, 1}, {1969, 12, 31}, {2000, 2, 29}, {2100, 2, 29}, {0, 1, 1}, {0, 2, 29}, {9999, 12, 31}, {1, 3, 1}}
	for range 40 {
		dates = append(dates, [3]int{r.IntN(10000), 1 + r.IntN(12), r.IntN(100)})
	}
	clocks := []string{"00:00:00", "02:30:00", "01:30:00", "09:30:05", "23:59:60", "12:00:59", "24:00:00", "23:60:00"}
	fracs := []string{"", ".5", ",123", ".000000001", ".1234567891", "."}
	var lines []string
	for _, shape := range lineShapes {
		for i, d := range dates {
			for j, z := range lineZones {
				clock, frac := clocks[(i+j)%len(clocks)], fracs[(i*3+j)%len(fracs)]
				lines = append(lines, fmt.Sprintf(shape, fmt.Sprintf("%04d", d[0]), fmt.Sprintf("%02d", d[1]), months[d[1]-1],
					fmt.Sprintf("%02d", d[2]), clock, frac, z))
			}
		}
		// the months an ISO date may write that time.Date normalises
		for _, m := range []string{"00", "13", "99"} {
			lines = append(lines, fmt.Sprintf(shape, "2026", m, "Nov", "15", "10:00:00", "", " +0100"))
		}
	}
	return lines
}

// TestLineTimeFastPaths: lineTime reads every line of every shape, zone and date to the same
// stamp as lineTimeRef, the parser before the fast paths (the same Time to the bit, format and
// ambiguity), in every local zone; and so it does on the lines with a random byte changed.
func TestLineTimeFastPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 1))
	lines := fastPathLines(r)
	found, ambiguous, fixed := 0, 0, 0
	for _, local := range lineLocals(t) {
		for _, line := range lines {
			s, ok := agreeLineTime(t, []byte(line), local)
			if ok {
				found++
			}
			if s.ambiguous != "" {
				ambiguous++
			}
			if ok && s.t.Location() != local && s.ambiguous == "" {
				fixed++
			}
			b := []byte(line)
			b[r.IntN(len(b))] = "0123456789:/- T+Z.,"[r.IntN(19)]
			agreeLineTime(t, b, local)
		}
	}
	// The lines must reach every path: a zone read, none (local), an ambiguous one.
	if found < len(lines) || ambiguous == 0 || fixed == 0 || fixed == found {
		t.Fatalf("%d lines, %d times found, %d ambiguous, %d in a written zone: the lines miss a path", len(lines), found, ambiguous, fixed)
	}
}

// agreeLineTime fails t when lineTime and lineTimeRef read line differently.
func agreeLineTime(t testing.TB, line []byte, local *time.Location) (stamp, bool) {
	t.Helper()
	got, gotOK := lineTime(line, local)
	want, wantOK := lineTimeRef(line, local)
	if !sameStamp(got, want) || gotOK != wantOK {
		t.Fatalf("%q in %v:\n got %v %q %q %v\nwant %v %q %q %v", line, local, got.t, got.format, got.ambiguous, gotOK,
			want.t, want.format, want.ambiguous, wantOK)
	}
	return got, gotOK
}

// sameStamp reports whether two stamps are the same: == (the same Time to the bit, in the same
// Location), but for an offset of a day or more, whose Location fixedZone makes anew each time:
// there the same instant, zone name and offset in two Locations.
func sameStamp(a, b stamp) bool {
	if a == b {
		return true
	}
	an, ao := a.t.Zone()
	bn, bo := b.t.Zone()
	_, shared := fixedZoneIndex(ao)
	return !shared && a.format == b.format && a.ambiguous == b.ambiguous && a.t.In(b.t.Location()) == b.t && an == bn && ao == bo
}

// FuzzLineTime holds lineTime to lineTimeRef on any line, in a fixed zone and one with DST.
func FuzzLineTime(f *testing.F) {
	r := rand.New(rand.NewPCG(21, 2))
	for i, line := range fastPathLines(r) {
		if i%7 == 0 {
			f.Add(line)
		}
	}
	f.Add(strings.Repeat("1:", 100))
	locals := lineLocals(f)
	f.Fuzz(func(t *testing.T, line string) {
		for _, local := range []*time.Location{time.UTC, locals[len(locals)-4]} {
			agreeLineTime(t, []byte(line), local)
		}
	})
}

// timeCacheLines are streams of log lines as loggers write them: runs of the same time text
// behind other prefixes and before other requests, then the next second, another zone, an
// ambiguous one, and lines made to fool a memory of the last one: an earlier time or ':' before
// the same text, the same text in a JSON line, shifted by a byte, cut short after it, a zone
// changed eight bytes past it.
func timeCacheLines(r *rand.Rand) []string {
	day := "20"
	clf := func(prefix, clock, zone, rest string) string {
		return prefix + ` - - [` + day + `/Nov/2026:` + clock + zone + `] "` + rest
	}
	var lines []string
	for i, clock := range []string{"09:30:05", "09:30:05", "09:30:06", "23:59:60", "09:30:06", "09:30:06"} {
		if i == 5 {
			day = "21" // the next day, at the same time
		}
		for _, zone := range []string{" +0000", " +0100", " UTC", " IST", " JST", " CST"} {
			for _, prefix := range []string{"127.0.0.1", "10.0.0.12", "127.0.0.1", "::1", "host:8080", "2026-11-20T10:00:00Z 127.0.0.1"} {
				for _, rest := range []string{"GET /app?context=x HTTP/1.1\" 200 2", "GET /a", "POST /app HTTP/1.1\" 200 2", "GET /app?context=y"} {
					lines = append(lines, clf(prefix, clock, zone, rest))
				}
			}
			lines = append(lines, clf("127.0.0.1", clock, zone, "")[:len(clf("127.0.0.1", clock, zone, ""))-1], // cut after the ']'
				clf("127.0.0.1", clock, zone, `GET /", "time": 1772704800000}`), `{ `+clf("127.0.0.1", clock, zone, `GET /", "time": 1772704800000}`),
				clf("127.0.0.1", clock, zone, "GET /a")[1:],
				clf("127.0.0.1", clock, zone, "GET /a\"")+` "Mozilla/5.0 (X11; Linux x86_64)"`)
		}
	}
	// Lines whose time starts them (the memory's window cut at the line's start), in local time,
	// and shifted by a byte; the fraction and the word after the time changing.
	for _, l := range []string{"2026-11-23 20:18:57,494 INFO django.request: GET /", "2026-11-23 20:18:57,494 INFO django.request: POST /",
		" 2026-11-23 20:18:57,494 INFO django.request: GET /", "2026-11-23 20:18:57,495 INFO django.request: GET /",
		"2026-11-23 20:18:57 INFO django.request: GET /", "2026-11-23 20:18:57 INFOS django.request: GET /",
		"2026-11-23 20:18:57 CEST django.request: GET /", "Nov 23 20:18:57 host app[1]: ctx=x", "Nov 23 20:18:57 host app[2]: ctx=x",
		" Nov 23 20:18:57 host app[1]: ctx=x", "Mon Nov 23 20:18:57 2026 started", "Mon Nov 23 20:18:57 2027 started",
		"Mon Nov 23 20:18:57.5 2026 started", "a:b 2026-11-23 20:18:57 x y z w", "a:b 2026-11-23 20:18:57 x y z w",
		"a :b 2026-11-23 20:18:57 x y z w", "2026-11-23 20:18:57 CE", "2026-11-23 20:18:57 CEST x", `{"time":"2026-11-23 20:18:57 x"} a b c d e f`, "no time here", "12:34:56 x y z w v",
		// the same bytes after a ':' that a JSON-like member name before it makes a time field
		`"tx" : 1772704800 2026-11-23 20:18:57 abcdefgh`, `"ts" : 1772704800 2026-11-23 20:18:57 abcdefgh`,
		`"Xts":1772704800 2026-11-23 20:18:57 abcdefgh`, `"ts":1772704800 2026-11-23 20:18:57 abcdefgh`,
		`"tx"` + strings.Repeat(" ", 20) + `: 1772704800 2026-11-23 20:18:57 abcdefgh`, `"ts"` + strings.Repeat(" ", 20) + `: 1772704800 2026-11-23 20:18:57 abcdefgh`,
		// a window cut at the line's start, found again further on in a line with a time before it
		// (FuzzTimeCache found it)
		`:00:00Z 127.0.0.1 - - [20/Nov/2026:09:30:06 IST] "GET /`, `2026-11-20T10:00:00Z 127.0.0.1 - - [20/Nov/2026:09:30:06 IST] "GET /`} {
		lines = append(lines, l, l)
	}
	for _, l := range fastPathLines(r) {
		lines = append(lines, l, l)
	}
	return lines
}

// TestTimeCache: a timeCache read through streams of lines gives each line what lineTimeRef, the
// parser before any fast path, gives it, in every local zone; and it answers from its memory for
// many of them (else it would be tested for nothing).
func TestTimeCache(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 3))
	lines := timeCacheLines(r)
	hits := 0
	for _, local := range lineLocals(t) {
		var tc timeCache
		for _, line := range lines {
			if c := strings.IndexByte(line, ':'); c >= 0 && tc.holds([]byte(line), c, local) {
				hits++
			}
			got, gotOK := tc.lineTime([]byte(line), local)
			want, wantOK := lineTimeRef([]byte(line), local)
			if !sameStamp(got, want) || gotOK != wantOK {
				t.Fatalf("%q in %v after a timeCache kept %q:\n got %v %q %q %v\nwant %v %q %q %v", line, local, tc.win,
					got.t, got.format, got.ambiguous, gotOK, want.t, want.format, want.ambiguous, wantOK)
			}
		}
	}
	if n := len(lines) * len(lineLocals(t)); hits < n/4 || hits > n*3/4 {
		t.Fatalf("%d of %d lines answered from memory: the lines do not test both ways", hits, n)
	}
	// The zone of times written without one changing from line to line (a timeCache is kept by an
	// Opener, whose zone is set once, but its answer must not depend on that).
	var tc timeCache
	locals := lineLocals(t)
	for i, line := range lines {
		local := locals[i%len(locals)]
		got, gotOK := tc.lineTime([]byte(line), local)
		want, wantOK := lineTimeRef([]byte(line), local)
		if !sameStamp(got, want) || gotOK != wantOK {
			t.Fatalf("%q in %v after a timeCache kept %q in %v: got %v, want %v", line, local, tc.win, tc.local, got.t, want.t)
		}
	}
}

// FuzzTimeCache holds a timeCache that has read one line to lineTimeRef on the next.
func FuzzTimeCache(f *testing.F) {
	r := rand.New(rand.NewPCG(21, 4))
	lines := timeCacheLines(r)
	for i := 1; i < len(lines); i += 5 {
		f.Add(lines[i-1], lines[i])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var tc timeCache
		for _, line := range []string{a, b, a} {
			got, gotOK := tc.lineTime([]byte(line), time.UTC)
			want, wantOK := lineTimeRef([]byte(line), time.UTC)
			if !sameStamp(got, want) || gotOK != wantOK {
				t.Fatalf("%q after %q: got %v %q %v, want %v %q %v", line, a, got.t, got.ambiguous, gotOK, want.t, want.ambiguous, wantOK)
			}
		}
	})
}
