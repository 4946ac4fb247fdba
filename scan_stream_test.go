package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/fixtures"
)

// streamScan starts `zoomdbg scan ARGS` with the dev secret, its stdin a pipe the test writes.
func streamScan(t *testing.T, args ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(buildBinary(t), append([]string{"scan"}, args...)...)
	cmd.Env = append(os.Environ(), "ZOOM_CLIENT_SECRET="+f.Secrets["dev"])
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, stdin, bufio.NewReader(stdout), &stderr
}

func validLine(t *testing.T) string {
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	return "2026-11-20T09:30:05Z x-zoom-app-context: " + f.Get("valid").Token + "\n"
}

// readLine reads one line of output, failing when none comes within d.
func readLine(t *testing.T, r *bufio.Reader, d time.Duration, what string) string {
	t.Helper()
	got := make(chan string, 1)
	go func() { l, _ := r.ReadString('\n'); got <- l }()
	select {
	case l := <-got:
		return l
	case <-time.After(d):
		t.Fatalf("%s: no output within %v", what, d)
	}
	return ""
}

// TestScanStreamFlushesEachLine: `tail -f app.log | zoomdbg scan`: each line written to the pipe,
// one at a time with the pipe left open, has its result printed before the next is written, in
// JSON and in text.
func TestScanStreamFlushesEachLine(t *testing.T) {
	for _, mode := range [][]string{{"--json"}, nil} {
		_, stdin, out, _ := streamScan(t, mode...)
		for i := 1; i <= 3; i++ {
			stdin.Write([]byte("noise without a token\n" + validLine(t)))
			l := readLine(t, out, 5*time.Second, "line written to a pipe left open")
			want := `"line":` + itoa(2*i)
			if mode == nil {
				want = "-:" + itoa(2*i) + "  ok"
			}
			if !strings.Contains(l, want) {
				t.Fatalf("%v: result %q, want it to hold %q", mode, l, want)
			}
		}
		stdin.Close()
	}
}

// TestScanStreamInterruptCountsEveryLine: Ctrl+C on a scan of a pipe fed slowly reports every line
// read before it: 500 tokens written, 500 counted, none dropped with a block in progress.
func TestScanStreamInterruptCountsEveryLine(t *testing.T) {
	cmd, stdin, out, _ := streamScan(t, "--json")
	const n = 500
	line := validLine(t)
	go func() { // slowly, in bursts, the pipe left open
		for i := 0; i < n; i++ {
			stdin.Write([]byte(line))
			if i%50 == 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	for i := 0; i < n; i++ { // each result printed while the pipe is still open
		readLine(t, out, 10*time.Second, "result of a line written")
	}
	cmd.Process.Signal(syscall.SIGINT)
	sum := readLine(t, out, 10*time.Second, "summary after SIGINT")
	var s struct {
		Summary     struct{ Tokens int } `json:"summary"`
		Interrupted bool                 `json:"interrupted"`
	}
	if json.Unmarshal([]byte(sum), &s) != nil || s.Summary.Tokens != n || !s.Interrupted {
		t.Errorf("summary %q: want %d tokens, interrupted", sum, n)
	}
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130", err)
	}
}

// TestScanFIFO: a FIFO is read when the scan reaches it, after the files before it are scanned
// and printed; a FIFO no writer ever opens gives way to Ctrl+C at once.
func TestScanFIFO(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.log")
	os.WriteFile(file, []byte(validLine(t)), 0o600)
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, _, out, _ := streamScan(t, "--json", file, fifo)
	l := readLine(t, out, 5*time.Second, "the file before a FIFO with no writer")
	if !strings.Contains(l, `"file":"`+file+`"`) {
		t.Fatalf("first result %q, want the file's", l)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(validLine(t)))
	if l := readLine(t, out, 5*time.Second, "a line written to the FIFO"); !strings.Contains(l, `"file":"`+fifo+`"`) {
		t.Fatalf("result %q, want the FIFO's", l)
	}
	w.Close()
	cmd.Wait()

	// No writer at all: the scan waits in open; SIGINT ends it.
	cmd, _, out, _ = streamScan(t, "--json", fifo)
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	sum := readLine(t, out, 5*time.Second, "summary after SIGINT while a FIFO waits for a writer")
	if !strings.Contains(sum, `"interrupted":true`) {
		t.Errorf("summary %q", sum)
	}
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130", err)
	}
}

// TestScanTruncatedArchives: a gzip file cut short gives every token on the complete lines
// decompressed before the cut (counted here with Go's own gzip reader), and each file's error
// gives its own byte offsets.
func TestScanTruncatedArchives(t *testing.T) {
	dir := t.TempDir()
	var files []string
	want := 0
	for i, n := range []int{3000, 5000} {
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		for k := 0; k < n; k++ {
			w.Write([]byte(validLine(t)))
		}
		w.Close()
		cut := gz.Bytes()[:gz.Len()/2]
		name := filepath.Join(dir, "cut"+itoa(i)+".log.gz")
		os.WriteFile(name, cut, 0o600)
		files = append(files, name)
		zr, _ := gzip.NewReader(bytes.NewReader(cut))
		text, _ := io.ReadAll(zr)
		want += bytes.Count(text, []byte("\n")) // every complete line holds a token
		if want == 0 {
			t.Fatal("nothing decompresses from half the file")
		}
	}
	cmd, stdin, out, stderr := streamScan(t, append([]string{"--json"}, files...)...)
	stdin.Close()
	rest, _ := io.ReadAll(out)
	cmd.Wait()
	lines := strings.Split(strings.TrimSpace(string(rest)), "\n")
	if got := len(lines) - 1; got != want {
		t.Errorf("%d tokens, want %d: every complete line decompressed before the cut", got, want)
	}
	for _, name := range files {
		fi, _ := os.Stat(name)
		var read int64
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.HasPrefix(l, "zoomdbg: scan: "+name+": ") {
				k := strings.Index(l, " after ")
				read = atoi(l[k+len(" after "):])
			}
		}
		if read <= 0 || read > fi.Size() {
			t.Errorf("%s: error says %d bytes read of a %d-byte file:\n%s", name, read, fi.Size(), stderr)
		}
	}
}

// TestScanBinaryNamed: random bytes are named as not text, not passed off as a log with no token.
func TestScanBinaryNamed(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "random.bin")
	b := make([]byte, 1<<20)
	rand.Read(b)
	os.WriteFile(name, b, 0o600)
	cmd, stdin, out, stderr := streamScan(t, name)
	stdin.Close()
	io.ReadAll(out)
	cmd.Wait()
	if !strings.Contains(stderr.String(), name+" is not text") {
		t.Errorf("stderr %q: want the input named as not text", stderr)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int64 {
	k := 0
	for k < len(s) && '0' <= s[k] && s[k] <= '9' {
		k++
	}
	n, _ := strconv.ParseInt(s[:k], 10, 64)
	return n
}

// TestScanDistinctRunToRun: two processes give the same distinct count, estimate included, never
// more than the tokens counted.
func TestScanDistinctRunToRun(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "many.log")
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		b.WriteString("x-zoom-app-context: DAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + strconv.Itoa(100000000+i) + "\n")
	}
	os.WriteFile(name, []byte(b.String()), 0o600)
	var counts []string
	for run := 0; run < 2; run++ {
		cmd, stdin, out, _ := streamScan(t, "--json", name)
		stdin.Close()
		all, _ := io.ReadAll(out)
		cmd.Wait()
		lines := strings.Split(strings.TrimSpace(string(all)), "\n")
		var s struct {
			Summary struct {
				Tokens    int  `json:"tokens"`
				Distinct  int  `json:"distinct_tokens"`
				Estimated bool `json:"distinct_estimated"`
			} `json:"summary"`
		}
		json.Unmarshal([]byte(lines[len(lines)-1]), &s)
		if s.Summary.Tokens != 20000 || !s.Summary.Estimated || s.Summary.Distinct > s.Summary.Tokens {
			t.Fatalf("summary %+v", s.Summary)
		}
		counts = append(counts, strconv.Itoa(s.Summary.Distinct))
	}
	if counts[0] != counts[1] {
		t.Errorf("distinct tokens %s then %s: not stable run to run", counts[0], counts[1])
	}
}
