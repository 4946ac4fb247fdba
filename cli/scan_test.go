package cli_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

// mixedLog is a log with every kind of token, in the contexts scan reads, and look-alikes.
func mixedLog(f fixtures.File) string {
	lines := []string{
		"2026-11-20T09:30:01Z INFO GET /app x-zoom-app-context: " + f.Get("valid").Token,
		`{"level":"info","appContext":"` + f.Get("valid-aad").Token + `"}`,
		"GET /launch?context=" + f.Get("wrong-secret").Token + "&lang=en",
		"X-Zoom-App-Context: " + f.Get("truncated").Token,
		"decrypt failed for " + f.Get("hkdf-key").Token,
		"x-zoom-app-context: " + f.Get("non-json").Token,
		"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
		"bare, cut short " + cut4k1(f.Get("valid").Token),
		"x-zoom-app-context: " + f.Get("guest").Token,
	}
	return strings.Join(lines, "\n") + "\n"
}

// cut4k1 is tok cut to a length of 4k+1 characters, the way a line-length limit cuts a token, so
// that it does not decode as it stands.
func cut4k1(tok string) string {
	n := len(tok)/4*4 - 3
	return tok[:n]
}

func TestScanText(t *testing.T) {
	f := load(t)
	dev := secretFile(t, f.Secrets["dev"], 0o600)
	r := run(t, mixedLog(f), nil, "scan", "--secret-file", "dev="+dev)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden.RequireEqual(t, r.stdout)
}

func TestScanJSON(t *testing.T) {
	f := load(t)
	dev := secretFile(t, f.Secrets["dev"], 0o600)
	r := run(t, mixedLog(f), nil, "scan", "--json", "--secret-file", "dev="+dev, "--fail-on", "mismatch")
	if r.code != 1 {
		t.Errorf("--fail-on mismatch with mismatches: exit %d, want 1", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	want := []struct {
		line   int64
		status string
	}{{1, "ok"}, {2, "ok"}, {3, "tag_mismatch"}, {4, "malformed"}, {5, "tag_mismatch"}, {6, "bad_payload"}, {8, "malformed"}, {9, "ok"}}
	if len(lines) != len(want)+1 {
		t.Fatalf("%d lines, want %d tokens and a summary:\n%s", len(lines), len(want), r.stdout)
	}
	for i, w := range want {
		var got struct {
			File   string `json:"file"`
			Line   int64  `json:"line"`
			Status string `json:"status"`
			UID    string `json:"uid"`
			Error  string `json:"error"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatal(err)
		}
		if got.Line != w.line || got.Status != w.status || got.File != "-" {
			t.Errorf("token %d: %+v, want line %d %s", i, got, w.line, w.status)
		}
	}
	var sum struct {
		Summary struct {
			Tokens   int              `json:"tokens"`
			ByStatus map[string]int64 `json:"by_status"`
			BySecret map[string]int64 `json:"by_secret"`
			UIDs     int              `json:"distinct_uids"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatal(err)
	}
	s := sum.Summary
	if s.Tokens != 8 || s.ByStatus["ok"] != 3 || s.ByStatus["tag_mismatch"] != 2 || s.ByStatus["malformed"] != 2 ||
		s.ByStatus["bad_payload"] != 1 || s.BySecret["dev"] != 4 || s.UIDs != 1 {
		t.Errorf("summary %+v", s)
	}
	if r := run(t, mixedLog(f), nil, "scan", "--secret-file", "dev="+dev, "--fail-on", "expired"); r.code != 0 {
		t.Errorf("--fail-on expired with live tokens: exit %d", r.code)
	}
	if r := run(t, "", nil, "scan", "--fail-on", "nope"); r.code != 2 {
		t.Errorf("--fail-on nope: exit %d, want 2", r.code)
	}
}

func TestScanFilesAndGzip(t *testing.T) {
	f := load(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.log")
	os.WriteFile(plain, []byte(mixedLog(f)), 0o600)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(mixedLog(f)))
	w.Close()
	zipped := filepath.Join(dir, "b.log.gz")
	os.WriteFile(zipped, gz.Bytes(), 0o600)

	r := run(t, "", map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}, "scan", "--json", plain, zipped)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 17 || !strings.Contains(lines[0], `"file":"`+plain+`"`) || !strings.Contains(lines[8], `"file":"`+zipped+`","line":1,`) {
		t.Fatalf("exit %d, %d lines:\n%s", r.code, len(lines), r.stdout)
	}
	if r := run(t, "", nil, "scan", filepath.Join(dir, "missing.log")); r.code != 2 {
		t.Errorf("missing file: exit %d, want 2", r.code)
	}
}

func TestScanNoSecret(t *testing.T) {
	f := load(t)
	r := run(t, mixedLog(f), nil, "scan")
	if r.code != 0 || !strings.Contains(r.stdout, "no_secret") || !strings.Contains(r.stdout, "give --secret-file") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

// TestScanManyFiles: a missing file and a directory are reported on stderr and skipped, the other
// files are scanned and reported, and the exit status says something went wrong.
func TestScanManyFiles(t *testing.T) {
	f := load(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.log")
	os.WriteFile(good, []byte(mixedLog(f)), 0o600)
	other := filepath.Join(dir, "other.log")
	os.WriteFile(other, []byte("2026-11-20T09:30:05Z x-zoom-app-context: "+f.Get("valid").Token+"\n"), 0o600)
	missing := filepath.Join(dir, "missing.log")
	env := map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}

	r := run(t, "", env, "scan", good, missing, dir, other)
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for _, want := range []string{missing + ": no such file or directory", dir + ": is a directory"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "--help") {
		t.Errorf("an I/O error is not a usage error:\n%s", r.stderr)
	}
	for _, want := range []string{
		"tokens     9 found, 8 distinct",
		"per file\n  " + good + "   8 tokens: 3 ok, 2 tag_mismatch, 2 malformed, 1 bad_payload\n  " + other + "  1 token: 1 ok\n",
		"problems   5\n  " + good + ":3  tag_mismatch  no secret opens it",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}

	r = run(t, "", env, "scan", "--json", missing)
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "no input could be read") {
		t.Errorf("only a missing file: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestScanBrokenCompressed: a gzip file cut part way is an error naming the file and how far it
// got, never a silent partial count; the tokens before the cut are still reported.
func TestScanBrokenCompressed(t *testing.T) {
	f := load(t)
	var log strings.Builder
	for i := 0; i < 2000; i++ {
		log.WriteString("2026-11-20T09:30:05Z x-zoom-app-context: " + f.Get("valid").Token + "\n")
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(log.String()))
	w.Close()
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.log.gz")
	os.WriteFile(cut, gz.Bytes()[:gz.Len()*2/3], 0o600)
	corrupt := filepath.Join(dir, "corrupt.log.gz")
	bad := bytes.Clone(gz.Bytes())
	for i := 100; i < 140; i++ {
		bad[i] ^= 0xff
	}
	os.WriteFile(corrupt, bad, 0o600)
	env := map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}

	for _, name := range []string{cut, corrupt} {
		r := run(t, "", env, "scan", "--json", name)
		if r.code != 3 {
			t.Errorf("%s: exit %d, want 3", name, r.code)
		}
		if !strings.Contains(r.stderr, name+": ") || !strings.Contains(r.stderr, "bytes of the file") {
			t.Errorf("%s: stderr does not say which file and how far:\n%s", name, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) < 1 || !strings.HasPrefix(lines[len(lines)-1], `{"summary":`) {
			t.Errorf("%s: no summary line:\n%.300s", name, r.stdout)
		}
		if len(lines)-1 >= 2000 {
			t.Errorf("%s: %d tokens from a file cut short", name, len(lines)-1)
		}
	}
}

func TestScanFailOn(t *testing.T) {
	f := load(t)
	dev := secretFile(t, f.Secrets["dev"], 0o600)
	valid := "2026-11-20T09:30:05Z x-zoom-app-context: " + f.Get("valid").Token + "\n"
	late := "2026-11-20T10:30:05Z x-zoom-app-context: " + f.Get("valid").Token + "\n"
	tests := []struct {
		name, log string
		args      []string
		want      int
	}{
		{"tag_mismatch as the JSON spells it", mixedLog(f), []string{"--secret-file", "dev=" + dev, "--fail-on", "tag_mismatch"}, 1},
		{"malformed", mixedLog(f), []string{"--secret-file", "dev=" + dev, "--fail-on", "malformed"}, 1},
		{"bad_payload", mixedLog(f), []string{"--secret-file", "dev=" + dev, "--fail-on", "bad_payload"}, 1},
		{"clean log", valid, []string{"--secret-file", "dev=" + dev, "--fail-on", "any"}, 0},
		{"no secret with any", valid, []string{"--fail-on", "any"}, 1},
		{"no secret named", valid, []string{"--fail-on", "no_secret"}, 1},
		{"no secret, other kinds: refused, they could never be found", valid, []string{"--fail-on", "expired,tag_mismatch"}, 2},
		{"expired at the line's time", late, []string{"--secret-file", "dev=" + dev, "--fail-on", "expired"}, 1},
		{"live at the line's time", valid, []string{"--secret-file", "dev=" + dev, "--fail-on", "expired"}, 0},
		{"--at overrides the line", valid, []string{"--secret-file", "dev=" + dev, "--fail-on", "expired", "--at", "2026-11-21T00:00:00Z"}, 1},
		{"--at epoch ms", late, []string{"--secret-file", "dev=" + dev, "--fail-on", "expired", "--at", "1795167030000"}, 0},
		{"wrong aud", valid, []string{"--secret-file", "dev=" + dev, "--client-id", "another-app", "--fail-on", "wrong_aud"}, 1},
		{"right aud", valid, []string{"--secret-file", "dev=" + dev, "--client-id", f.ClientID, "--fail-on", "wrong_aud"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.log, nil, append([]string{"scan"}, tt.args...)...)
			if r.code != tt.want {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
	if r := run(t, "", nil, "scan", "--at", "yesterday"); r.code != 2 || !strings.Contains(r.stderr, `--at "yesterday"`) {
		t.Errorf("--at yesterday: exit %d\n%s", r.code, r.stderr)
	}
}

// TestScanJudgedAt: each token's expiry is judged at its line's time, and the JSON says which.
func TestScanJudgedAt(t *testing.T) {
	f := load(t)
	tok := f.Get("valid").Token
	log := strings.Join([]string{
		"2026-11-20T09:30:05Z x-zoom-app-context: " + tok,
		`127.0.0.1 - - [20/Nov/2026:10:30:05 +0000] "GET /app?context=` + tok + ` HTTP/1.1" 200 512`,
		`{"time":1795167010,"appContext":"` + tok + `"}`,
		"x-zoom-app-context: " + tok,
		"Nov 20 09:30:10 host app[12]: x-zoom-app-context=" + tok,
	}, "\n")
	r := run(t, log, map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"], "ZOOM_CLIENT_ID": f.ClientID}, "scan", "--json", "--tz", "UTC", "--client-id", f.ClientID)
	want := []struct{ status, by, at string }{
		{"ok", "line", "2026-11-20T09:30:05Z"},
		{"expired", "line", "2026-11-20T10:30:05Z"},
		{"ok", "line", "2026-11-20T09:30:10Z"},
		{"ok", "none", ""},
		{"ok", "line", "2026-11-20T09:30:10Z"},
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(want)+1 {
		t.Fatalf("%d lines:\n%s%s", len(lines), r.stdout, r.stderr)
	}
	for i, w := range want {
		var got struct {
			Status   string `json:"status"`
			JudgedBy string `json:"judged_by"`
			JudgedAt string `json:"judged_at"`
		}
		json.Unmarshal([]byte(lines[i]), &got)
		if got.Status != w.status || !strings.HasPrefix(got.JudgedBy, w.by) || !strings.HasPrefix(got.JudgedAt, strings.TrimSuffix(w.at, "Z")) {
			t.Errorf("line %d: %+v, want %+v", i+1, got, w)
		}
	}
	if !strings.Contains(lines[len(want)], `"expiry_not_judged":1`) {
		t.Errorf("summary: %s", lines[len(want)])
	}
}

// TestScanOnTerminalSaysSo: scan with no FILE and standard input on a terminal says it is reading
// it and how to end, instead of waiting without a word; the pasted lines are still scanned.
func TestScanOnTerminalSaysSo(t *testing.T) {
	f := load(t)
	var out, errb bytes.Buffer
	e := cli.Env{Stdin: strings.NewReader("x-zoom-app-context: " + f.Get("valid").Token + "\n"), Stdout: &out, Stderr: &errb,
		StdinIsTTY: true, Getenv: func(string) string { return "" }, Now: func() time.Time { return fixtureNow }}
	if code := cli.Main([]string{"scan"}, e, cli.Debugger{}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "scan reads standard input: paste log lines, then ctrl+d") || !strings.Contains(out.String(), "1 found") {
		t.Errorf("stderr %q, stdout %q", errb.String(), out.String())
	}
}
