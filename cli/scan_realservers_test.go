package cli_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/scan"
)

// TestScanRealServers runs scan over logs that real servers and loggers wrote (nginx in three
// formats, Apache, lighttpd, PHP's built-in server, WEBrick under IST and JST, Python's
// http.server and logging, morgan, pino with a 1 MB line, winston, bunyan, curl --trace-ascii,
// util-linux logger cutting bare tokens short at its --size, Go's slog with lmittmann/tint writing
// colour codes right before values),
// frozen by testdata/realservers/gen.py with tokens sealed at send time by Python's cryptography,
// and compares every result with the per-line truth: the token found once on its line, its
// status, and whether its expiry was judged by the line's own time (not for an ambiguous zone,
// IST, nor for curl's trace, which has no time).
func TestScanRealServers(t *testing.T) {
	f := load(t)
	dir := filepath.Join("testdata", "realservers")
	var truth []struct {
		File, Status, Judged string
		Line                 int64
	}
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil || json.Unmarshal(b, &truth) != nil {
		t.Fatalf("truth.json: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "frozen", "*"))
	r := run(t, "", map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}, append([]string{"scan", "--json", "--tz", "UTC"}, files...)...)
	if r.code != 0 {
		t.Fatalf("scan exit %d: %s", r.code, r.stderr)
	}
	want := map[string]string{}
	for _, e := range truth {
		k := fmt.Sprintf("%s:%d", e.File, e.Line)
		want[k] += e.Status + "/" + e.Judged + " "
	}
	got := map[string]string{}
	byFile := map[string]map[string]int{} // from --json, for the text summary below
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var res struct {
			File, Status string
			Line         int64
			JudgedBy     string `json:"judged_by"`
			NotJudged    string `json:"not_judged"`
		}
		json.Unmarshal(sc.Bytes(), &res)
		if res.File == "" {
			continue
		}
		judged := "line"
		switch {
		case res.NotJudged != "":
			judged = "zone"
		case res.JudgedBy == "none":
			judged = "no time"
		case res.Status == "tag_mismatch" || res.Status == "malformed": // not opened: never judged
			judged = ""
		}
		k := fmt.Sprintf("%s:%d", filepath.Base(res.File), res.Line)
		got[k] += res.Status + "/" + judged + " "
		if byFile[res.File] == nil {
			byFile[res.File] = map[string]int{}
		}
		byFile[res.File][res.Status]++
	}
	for k, w := range want {
		g := got[k]
		for _, st := range []string{"tag_mismatch", "malformed"} { // a token that does not open is not judged at all
			w = strings.ReplaceAll(w, st+"/line", st+"/")
			w = strings.ReplaceAll(w, st+"/no time", st+"/")
			w = strings.ReplaceAll(w, st+"/zone", st+"/")
		}
		if g != w {
			t.Errorf("%s: got %q, want %q", k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %q found where the logs hold no token", k, g)
		}
	}
	// The text summary counts ok tokens without keeping their results: its line for each file
	// says what --json's results add up to.
	text := run(t, "", map[string]string{"ZOOM_CLIENT_SECRET": f.Secrets["dev"]}, append([]string{"scan", "--tz", "UTC"}, files...)...)
	if text.code != 0 {
		t.Fatalf("scan exit %d: %s", text.code, text.stderr)
	}
	for file, counts := range byFile {
		n, parts := 0, []string{}
		for _, st := range scan.Statuses {
			if c := counts[string(st)]; c > 0 {
				n += c
				parts = append(parts, fmt.Sprintf("%d %s", c, st))
			}
		}
		want := fmt.Sprintf("%d tokens: %s", n, strings.Join(parts, ", "))
		found := false
		for _, l := range strings.Split(text.stdout, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == file {
				found = true
				if got := strings.Join(f[1:], " "); got != want {
					t.Errorf("text summary for %s: %q, --json adds up to %q", file, got, want)
				}
			}
		}
		if !found {
			t.Errorf("text summary has no line for %s:\n%s", file, text.stdout)
		}
	}
}
