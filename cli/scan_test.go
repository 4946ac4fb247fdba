package cli_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"zoomdbg/fixtures"
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
		"bare truncated " + f.Get("truncated").Token,
		"x-zoom-app-context: " + f.Get("guest").Token,
	}
	return strings.Join(lines, "\n") + "\n"
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
	}{{1, "ok"}, {2, "ok"}, {3, "tag_mismatch"}, {4, "malformed"}, {5, "tag_mismatch"}, {6, "bad_payload"}, {9, "ok"}}
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
	if s.Tokens != 7 || s.ByStatus["ok"] != 3 || s.ByStatus["tag_mismatch"] != 2 || s.ByStatus["malformed"] != 1 ||
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
	if len(lines) != 15 || !strings.Contains(lines[0], `"file":"`+plain+`"`) || !strings.Contains(lines[7], `"file":"`+zipped+`","line":1,`) {
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
