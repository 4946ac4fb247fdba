package webhook

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/check"
)

// startEndpoint runs one of testdata/endpoints' servers in its real runtime and returns its URL.
func startEndpoint(t *testing.T, runtime, mode string) string {
	t.Helper()
	need(t, runtime)
	script := map[string]string{"node": "node_endpoint.js", "python3": "python_endpoint.py"}[runtime]
	cmd := exec.Command(runtime, script)
	cmd.Dir = "testdata/endpoints"
	cmd.Env = append(os.Environ(), "MODE="+mode, "ZOOM_WEBHOOK_SECRET_TOKEN="+testSecret)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	port, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("%s %s (MODE=%s) printed no port: %v", runtime, script, mode, err)
	}
	return "http://127.0.0.1:" + strings.TrimSpace(port) + "/webhook"
}

// TestEndpoints runs the battery against endpoints written as developers write them, each in its
// real runtime: each is caught exactly (the failed probes, their severity, the diagnosis), and
// the correct ones pass.
func TestEndpoints(t *testing.T) {
	if _, err := os.Stat("testdata/endpoints/node_modules/express"); err != nil {
		t.Fatal("express is not installed in core/webhook/testdata/endpoints: run npm ci there (.ci/run does)")
	}
	tests := []struct {
		name, runtime, mode string
		fails               []string // the probes that must fail, and no others
		worst               check.Severity
		diagnosis           string
		handshake           string // what the handshake probe's problem must say
		ok                  bool
	}{
		{name: "node raw body (correct)", runtime: "node", mode: "raw", ok: true,
			fails: []string{"exact replay", "timestamp 24 hours old"}, worst: check.Note},
		{name: "python raw body (correct)", runtime: "python3", mode: "raw", ok: true,
			fails: []string{"exact replay", "timestamp 24 hours old"}, worst: check.Note},
		{name: "express JSON.stringify(req.body), Zoom's sample", runtime: "node", mode: "stringify",
			fails: []string{"body with \\/, \\u00e9 and 1.0", "exact replay", "timestamp 24 hours old"}, worst: check.Serious,
			diagnosis: "hashes JSON.stringify(req.body)"},
		{name: "python json.dumps", runtime: "python3", mode: "dumps", handshake: "answered HTTP 401",
			fails: []string{"body with \\/, \\u00e9 and 1.0", "body with non-ASCII and emoji", "signed event", "url_validation handshake"},
			worst: check.Serious, diagnosis: "hashes json.dumps(body)"},
		{name: "handshake in base64", runtime: "node", mode: "base64", handshake: "in base64",
			fails: []string{"exact replay", "timestamp 24 hours old", "url_validation handshake"}, worst: check.Serious},
		{name: "slow", runtime: "python3", mode: "slow", handshake: "Zoom gives up after 3s",
			fails: []string{"exact replay", "timestamp 24 hours old", "url_validation handshake"}, worst: check.Serious},
		{name: "verifies nothing", runtime: "node", mode: "noverify",
			fails: []string{"another secret's signature", "body changed after signing", "empty-secret signature", "event signed by the handshake",
				"exact replay", "no signature headers", "timestamp 24 hours old", "unsigned url_validation", "wrong signature"}, worst: check.Critical},
		{name: "fail-open: empty secret", runtime: "python3", mode: "failopen",
			fails: []string{"body with \\/, \\u00e9 and 1.0", "body with non-ASCII and emoji", "empty-secret signature", "signed event", "url_validation handshake"},
			worst: check.Critical, diagnosis: "empty secret token"},
		{name: "handshake answered without its signature checked", runtime: "node", mode: "oracle",
			fails: []string{"event signed by the handshake", "exact replay", "timestamp 24 hours old", "unsigned url_validation"}, worst: check.Critical},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := startEndpoint(t, tt.runtime, tt.mode)
			r, err := CheckEndpoint(context.Background(), EndpointOptions{URL: url, Secret: []byte(testSecret), Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			worst := check.Note
			for _, p := range r.Probes {
				if p.Sent && !p.Pass {
					failed = append(failed, p.Name)
					worst = max(worst, p.Severity)
				}
				if strings.Contains(p.Curl, testSecret) {
					t.Fatalf("the secret is in the curl of %s", p.Name)
				}
			}
			sort.Strings(failed)
			if !slices.Equal(failed, tt.fails) {
				t.Errorf("failed probes %q\nwant %q", failed, tt.fails)
				for _, p := range r.Probes {
					t.Logf("%s pass=%v %s %s", p.Name, p.Pass, p.Problem, p.Response)
				}
			}
			if worst != tt.worst || r.OK != tt.ok {
				t.Errorf("worst %v ok %v, want %v %v", worst, r.OK, tt.worst, tt.ok)
			}
			if hs := r.Probes[0]; hs.Name != "url_validation handshake" || !strings.Contains(hs.Problem, tt.handshake) {
				t.Errorf("handshake problem %q, want it to say %q", hs.Problem, tt.handshake)
			}
			if !strings.Contains(r.Diagnosis, tt.diagnosis) {
				t.Errorf("diagnosis %q, want it to say %q", r.Diagnosis, tt.diagnosis)
			}
		})
	}
}
