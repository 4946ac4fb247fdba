package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/fixtures"
)

// TestScanInterrupt sends SIGINT to a scan reading a pipe whose writer is still open, as Ctrl+C
// on `tail -f app.log | zoomdbg scan --json` does: every line printed is whole JSON, a summary
// marked interrupted follows, and the exit status is 130.
func TestScanInterrupt(t *testing.T) {
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(buildBinary(t), "scan", "--json")
	cmd.Env = append(os.Environ(), "ZOOM_CLIENT_SECRET="+f.Secrets["dev"])
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// More than one 256 KiB block, so some tokens are found while the pipe stays open.
	line := "2026-11-20T09:30:05Z x-zoom-app-context: " + f.Get("valid").Token + "\n"
	go stdin.Write([]byte(strings.Repeat(line, 3000)))

	r := bufio.NewReader(stdout)
	first, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("no token before the interrupt: %v", err)
	}
	cmd.Process.Signal(syscall.SIGINT)
	rest := make(chan string, 1)
	go func() { b, _ := io.ReadAll(r); rest <- string(b) }()
	var out string
	select {
	case out = <-rest:
	case <-time.After(10 * time.Second):
		t.Fatal("scan did not end within 10 s of SIGINT while its input stayed open")
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit: %v, want status 130", err)
	}
	lines := strings.Split(strings.TrimSuffix(first+out, "\n"), "\n")
	for i, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Fatalf("line %d is not whole JSON: %.80q", i+1, l)
		}
	}
	var sum struct {
		Summary     *struct{ Tokens int } `json:"summary"`
		Interrupted bool                  `json:"interrupted"`
	}
	json.Unmarshal([]byte(lines[len(lines)-1]), &sum)
	if sum.Summary == nil || !sum.Interrupted || sum.Summary.Tokens != len(lines)-1 {
		t.Errorf("last line %q: want a summary of the %d tokens printed, marked interrupted", lines[len(lines)-1], len(lines)-1)
	}
	stdin.Close()
}
