package cli_test

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// TestScanRealLoggers: logs written by real logging code, not by a template of this project's:
// Go's log/slog (JSON and text handlers, a request's http.Header), net/http/httputil's request
// dump, Python's logging module and http.server's access log for real requests, and Node's
// console.log of a request's headers. Each token was sealed just now, so each must be found once,
// open, and, where the line carries a time, be judged at it and live.
func TestScanRealLoggers(t *testing.T) {
	f := load(t)
	dir := t.TempDir()
	key := appctx.ZoomKey([]byte(f.Secrets["dev"]))
	now := time.Now()
	seal := func() string {
		pt := fmt.Sprintf(`{"typ":"panel","uid":"u1","ts":%d,"exp":%d,"aud":%q}`, now.UnixMilli(), now.Add(2*time.Minute).UnixMilli(), f.ClientID)
		tok, err := appctx.Seal(key, []byte(pt), nil, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	want := map[string]int{} // file: tokens planted
	write := func(name string, fill func(*bytes.Buffer, string), n int) {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			fill(&b, seal())
		}
		os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o600)
		want[name] = n
	}
	header := func(tok string) http.Header {
		return http.Header{"X-Zoom-App-Context": {tok}, "User-Agent": {"ZoomApps/1.0"}}
	}
	write("slog.json", func(b *bytes.Buffer, tok string) {
		slog.New(slog.NewJSONHandler(b, nil)).Info("request", "headers", header(tok))
	}, 3)
	write("slog.txt", func(b *bytes.Buffer, tok string) {
		slog.New(slog.NewTextHandler(b, nil)).Info("app context", "appContext", tok)
	}, 3)
	write("httputil_dump.txt", func(b *bytes.Buffer, tok string) {
		req, _ := http.NewRequest(http.MethodGet, "https://app.example.com/home", nil)
		req.Header = header(tok)
		dump, _ := httputil.DumpRequest(req, false)
		b.Write(dump)
	}, 3)

	// Python writes local time with no zone; its zone here is Tokyo's, nine hours east of UTC,
	// so reading the lines in the wrong zone cannot pass unnoticed.
	py := seals(3, seal)
	pyCmd := exec.Command("python3", append([]string{filepath.Join("testdata", "real_loggers.py"), dir}, py...)...)
	pyCmd.Env = append(os.Environ(), "TZ=Asia/Tokyo")
	if out, err := pyCmd.CombinedOutput(); err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	want["python_logging.log"], want["http_server.log"] = 3, 3
	nodeToks := seals(3, seal)
	js := `for (const t of process.argv.slice(1)) console.log("request", {headers: {host: "app.example.com", "x-zoom-app-context": t}})`
	out, err := exec.Command("node", append([]string{"-e", js}, nodeToks...)...).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "node_console.log"), out, 0o600)
	want["node_console.log"] = 3

	var files []string
	for name := range want {
		files = append(files, filepath.Join(dir, name))
	}
	r := run(t, "", map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}, append([]string{"scan", "--json", "--at", "now"}, files...)...)
	got := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var res struct {
			File, Status string
			JudgedBy     string `json:"judged_by"`
			Summary      *json.RawMessage
		}
		json.Unmarshal(sc.Bytes(), &res)
		if res.Summary != nil {
			continue
		}
		got[filepath.Base(res.File)]++
		if res.Status != "ok" {
			t.Errorf("%s: %s", res.File, sc.Text())
		}
	}
	for name, n := range want {
		if got[name] != n {
			b, _ := os.ReadFile(filepath.Join(dir, name))
			t.Errorf("%s: %d tokens found, %d logged:\n%.600s", name, got[name], n, b)
		}
	}

	// Judged at the lines' own times: the loggers wrote the real clock's time, and the tokens
	// are minutes from expiring, so every token whose line carries a time is live at it, once
	// Python's zone-less times are read in the zone Python wrote them in.
	r = run(t, "", map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}, append([]string{"scan", "--json", "--tz", "Asia/Tokyo"}, files...)...)
	byLine := map[string]bool{}
	sc = bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var res struct {
			File, Status string
			JudgedBy     string `json:"judged_by"`
		}
		json.Unmarshal(sc.Bytes(), &res)
		if res.File == "" {
			continue
		}
		if strings.HasPrefix(res.JudgedBy, "line") {
			byLine[filepath.Base(res.File)] = true
		}
		if res.Status != "ok" {
			t.Errorf("at the line's time: %s", sc.Text())
		}
	}
	for _, name := range []string{"slog.json", "slog.txt", "python_logging.log", "http_server.log"} {
		if !byLine[name] {
			t.Errorf("%s: no token judged at its line's time", name)
		}
	}
	// Read in the wrong zone, Python's lines are nine hours late and every token looks expired.
	r = run(t, "", map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}, "scan", "--json", "--tz", "UTC", filepath.Join(dir, "python_logging.log"))
	if n := strings.Count(r.stdout, `"status":"expired"`); n != 3 {
		t.Errorf("python_logging.log read as UTC: %d expired, want 3 (the zone is not applied)", n)
	}
}

func seals(n int, seal func() string) []string {
	var s []string
	for i := 0; i < n; i++ {
		s = append(s, seal())
	}
	return s
}
