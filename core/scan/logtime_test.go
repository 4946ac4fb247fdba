package scan

import (
	"strings"
	"testing"
	"time"
)

func TestLineTime(t *testing.T) {
	want := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, line string
		want       time.Time
		format     TimeFormat
	}{
		{"rfc3339", `time=2026-03-05T10:00:00Z level=INFO`, want, TimeISO},
		{"rfc3339 fraction offset", `2026-03-05T11:30:00.250+01:30 x`, want.Add(250 * time.Millisecond), TimeISO},
		{"go log", `2026/03/05 10:00:00 headers: map[]`, want, TimeISO},
		{"python logging", `2026-03-05 10:00:00,500 ERROR django.request`, want.Add(500 * time.Millisecond), TimeISO},
		{"rails", `Started GET "/" for ::1 at 2026-03-05 05:00:00 -0500`, want, TimeISO},
		{"clf", `127.0.0.1 - - [05/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200`, want, TimeCLF},
		{"clf offset", `[05/Mar/2026:12:00:00 +0200] "GET /"`, want, TimeCLF},
		{"django", `[05/Mar/2026 10:00:00] "GET /home HTTP/1.1" 200 12`, want, TimeCLF},
		{"php", `[05-Mar-2026 10:00:00 UTC] PHP Warning:  openssl_decrypt`, want, TimeCLF},
		{"syslog", `Mar  5 10:00:00 host app[12]: ctx`, time.Date(0, 3, 5, 10, 0, 0, 0, time.UTC), TimeSyslog},
		{"pino ms", `{"level":30,"time":1772704800000,"msg":"x"}`, want, TimeEpoch},
		{"epoch s fraction", `{"ts": 1772704800.5, "event": "x"}`, want.Add(500 * time.Millisecond), TimeEpoch},
		{"docker", `{"log":"x\n","stream":"stdout","time":"2026-03-05T10:00:00.000000001Z"}`, want.Add(1), TimeISO},
		// winston sorts its keys: the timestamp comes last, after headers holding other times.
		{"winston", `{"headers":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11","l":"12",` +
			`"if-modified-since":"2025-01-01T00:00:00Z"},"level":"info","message":"request","method":"GET","query":{},` +
			`"timestamp":"2026-03-05T10:00:00.000Z"}`, want, TimeISO},
		{"bunyan", `{"name":"app","hostname":"h","pid":1,"level":30,"msg":"x","time":"2026-03-05T10:00:00.000Z","v":0}`, want, TimeISO},
		{"webrick utc word", `127.0.0.1 - - [05/Mar/2026:10:00:00 UTC] "GET / HTTP/1.1" 200 2`, want, TimeCLF},
		{"webrick named zone", `127.0.0.1 - - [05/Mar/2026:19:00:00 JST] "GET / HTTP/1.1" 200 2`, want, TimeCLF},
		{"iso utc word", `2026-03-05 10:00:00 UTC app started`, want, TimeISO},
		{"iso gmt offset", `2026-03-05 15:30:00 GMT+0530 x`, want, TimeISO},
		{"apache error", `[Thu Mar 05 10:00:00.123456 2026] [core:error] [pid 1] AH00037`, want.Add(123456 * time.Microsecond), TimeCtime},
		{"php server", `[Thu Mar  5 10:00:00 2026] 127.0.0.1:53120 [200]: GET /?context=x`, want, TimeCtime},
		{"date(1)", `Thu Mar  5 10:00:00 UTC 2026 started`, want, TimeCtime},
		{"http date", `{"date":"Thu, 05 Mar 2026 10:00:00 GMT","msg":"x"}`, want, TimeHTTP},
		{"nginx error", `2026/03/05 10:00:00 [error] 12#12: *1 open()`, want, TimeISO},
		{"lighttpd error", `2026-03-05 10:00:00: (server.c.1513) server started`, want, TimeISO},
		{"json nested key first", `{"req":{"t":"x"},"time":1772704800000}`, want, TimeEpoch},
	}
	for _, tt := range tests {
		got, ok := lineTime([]byte(tt.line), time.UTC)
		if !ok || !got.t.Equal(tt.want) || got.format != tt.format || got.ambiguous != "" {
			t.Errorf("%s: %v %q %v; want %v %q", tt.name, got.t, got.format, ok, tt.want, tt.format)
		}
	}
	for _, line := range []string{"DAxYz-_abc", `GET /home 200 3.1 ms`, `[10:00:00 INF] Decrypting`, `a:b:c 99:99:99`, `"time":"soon"`,
		strings.Repeat(":", 100000), `{"time":` + strings.Repeat(`"a":`, 50000)} {
		if got, ok := lineTime([]byte(line), time.UTC); ok {
			t.Errorf("%q: found time %v in a line without one", line, got)
		}
	}
}

func TestContextName(t *testing.T) {
	for name, want := range map[string]bool{
		"x-zoom-app-context": true, "X-Zoom-App-Context": true, "HTTP_X_ZOOM_APP_CONTEXT": true, "appContext": true,
		"app_context": true, "context": true, "Context": true, "zoomAppContext": true,
		"traceContext": false, "tracecontext": false, "x-context": false, "ctx": false, "contexts": false, "": false,
	} {
		if got := contextName([]byte(name)); got != want {
			t.Errorf("contextName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestLineTimeZone: a time written without a zone is read in the given one; a written zone wins.
func TestLineTimeZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	for _, tt := range []struct {
		line string
		want time.Time
	}{
		{"2026-11-23 20:18:57,494 INFO x", time.Date(2026, 11, 23, 11, 18, 57, 494e6, time.UTC)},
		{`127.0.0.1 - - [23/Nov/2026 20:18:57] "GET / HTTP/1.1" 200 -`, time.Date(2026, 11, 23, 11, 18, 57, 0, time.UTC)},
		{"2026-11-23T20:18:57Z x", time.Date(2026, 11, 23, 20, 18, 57, 0, time.UTC)},
		{"[23/Nov/2026:20:18:57 +0000] x", time.Date(2026, 11, 23, 20, 18, 57, 0, time.UTC)},
	} {
		got, ok := lineTime([]byte(tt.line), tokyo)
		if !ok || !got.t.Equal(tt.want) {
			t.Errorf("%q: %v, want %v", tt.line, got.t, tt.want)
		}
	}
}

// TestLineTimeAmbiguousZone: a zone name that means more than one offset leaves the line's time
// unplaced, named, whatever zone zone-less times are read in; an unknown word after the time is a
// log level, not a zone.
func TestLineTimeAmbiguousZone(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{`127.0.0.1 - - [30/Nov/2026:15:50:29 IST] "GET /?context=x HTTP/1.1" 200 2`, "IST"},
		{`2026-11-30 15:50:29 CST request`, "CST"},
		{`Mon Nov 30 15:50:29 BST 2026`, "BST"},
		{`2026-11-30 15:50:29 INFO request`, ""},
		{`2026-11-30 15:50:29 ISTANBUL`, ""},
	} {
		got, ok := lineTime([]byte(tt.line), time.UTC)
		if !ok || got.ambiguous != tt.want || (tt.want == "") == got.t.IsZero() {
			t.Errorf("%q: ambiguous %q (time %v, found %v), want %q", tt.line, got.ambiguous, got.t, ok, tt.want)
		}
	}
}
