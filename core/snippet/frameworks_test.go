package snippet

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// example returns the framework code a program's header shows, dedented: the comment lines
// indented past the comment's own text (a tab in Go's doc comment, four spaces in Python's
// docstring). TestFrameworks runs exactly this code, so the header cannot drift from what works.
func example(t *testing.T, l Language) string {
	t.Helper()
	var out []string
	indent := ""
	for i, line := range strings.Split(l.Source(AppContext), "\n") {
		var body string
		switch l.Name {
		case "python":
			if i > 0 && strings.HasPrefix(line, `"""`) {
				return strings.Join(out, "\n") + "\n"
			}
			body = line
		case "ruby":
			if !strings.HasPrefix(line, "#") {
				return strings.Join(out, "\n") + "\n"
			}
			body = strings.TrimPrefix(line, "#")
		default:
			if !strings.HasPrefix(line, "//") && !strings.HasPrefix(line, "<?php") {
				return strings.Join(out, "\n") + "\n"
			}
			body = strings.TrimPrefix(line, "//")
		}
		if l.Name == "go" {
			if strings.HasPrefix(body, "\t") {
				out = append(out, body[1:])
			}
			continue
		}
		if !strings.HasPrefix(body, "   ") && !(l.Name == "python" && strings.HasPrefix(body, "    ")) {
			continue
		}
		if indent == "" {
			indent = body[:len(body)-len(strings.TrimLeft(body, " "))]
		}
		out = append(out, strings.TrimPrefix(body, indent))
	}
	t.Fatalf("%s: no end to the header", l.Name)
	return ""
}

// framework runs one language's header example in the framework it names and returns its base URL.
type framework struct {
	name, lang string
	serve      func(t *testing.T, l Language, dir, code string, env []string) string
}

var frameworks = []framework{
	{name: "Express 5 (npm)", lang: "node", serve: func(t *testing.T, l Language, dir, code string, env []string) string {
		writeTemplate(t, l, dir, "express.js", "app.js", "// EXAMPLE", code)
		return startServer(t, dir, env, false, runtime(t, "node"), "app.js")
	}},
	{name: "Flask (Debian's python3-flask)", lang: "python", serve: func(t *testing.T, l Language, dir, code string, env []string) string {
		writeTemplate(t, l, dir, "flask_app.py", "app.py", "# EXAMPLE", code)
		return startServer(t, dir, env, false, flaskPython(t), "app.py")
	}},
	{name: "net/http", lang: "go", serve: func(t *testing.T, l Language, dir, code string, env []string) string {
		writeTemplate(t, l, dir, "serve.go", "serve.go", "// EXAMPLE", code)
		build(t, dir, "go", "build", "-o", "server", l.Program(AppContext).File, "serve.go")
		return startServer(t, dir, append(env, "ZOOMDBG_SERVE=1"), false, filepath.Join(dir, "server"))
	}},
	{name: "com.sun.net.httpserver (JDK)", lang: "java", serve: func(t *testing.T, l Language, dir, code string, env []string) string {
		return startServer(t, dir, env, false, runtime(t, "java"), "-cp", javaClasses(t), "Server")
	}},
	{name: "PHP built-in server", lang: "php", serve: func(t *testing.T, l Language, dir, code string, env []string) string {
		writeTemplate(t, l, dir, "index.php", "index.php", "// EXAMPLE", strings.TrimPrefix(code, "<?php\n"))
		return startServer(t, dir, env, true, runtime(t, "php"), "-S", "127.0.0.1:0", "index.php")
	}},
	{name: "Sinatra 3 on Rack's WEBrick (Debian's ruby-sinatra)", lang: "ruby", serve: func(t *testing.T, l Language, dir, code string, env []string) string {
		writeTemplate(t, l, dir, "sinatra_app.rb", "app.rb", "  # EXAMPLE", indent(code, "  "))
		return startServer(t, dir, env, false, runtime(t, "ruby"), "app.rb")
	}},
	{name: "Cloudflare Worker in workerd (npm)", lang: "webcrypto", serve: serveWorker},
}

func indent(s, by string) string {
	return by + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+by) + "\n"
}

// writeTemplate saves the program and testdata/frameworks/tmpl as name in dir, with the header's
// example where marker stands.
func writeTemplate(t *testing.T, l Language, dir, tmpl, name, marker, code string) {
	t.Helper()
	writeProgram(t, l, AppContext, dir)
	b, err := os.ReadFile(filepath.Join("testdata", "frameworks", tmpl))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(marker)) {
		t.Fatalf("%s has no %q", tmpl, marker)
	}
	b = bytes.Replace(b, []byte(marker), []byte(code), 1)
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// flaskPython is a python3 that imports both flask and cryptography (.ci/run installs Debian's).
func flaskPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import flask, cryptography").Run() == nil {
			return p
		}
	}
	t.Fatal("no python3 with flask and cryptography: .ci/run installs python3-flask and python3-cryptography")
	return ""
}

// startServer starts a server that prints the port the kernel gave it (PHP's says it on stderr)
// and returns its base URL; the server is killed when the test ends.
func startServer(t *testing.T, dir string, env []string, portOnStderr bool, argv ...string) string {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	runtimes, _ := filepath.Abs(filepath.Join("testdata", "runtimes"))
	cmd.Env = append(os.Environ(), append(env, "ZOOMDBG_RUNTIMES="+runtimes)...)
	var other bytes.Buffer
	var pipe io.ReadCloser
	var err error
	if portOnStderr {
		cmd.Stdout = &other
		pipe, err = cmd.StderrPipe()
	} else {
		cmd.Stderr = &other
		pipe, err = cmd.StdoutPipe()
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "127.0.0.1:"); portOnStderr && i >= 0 {
				line = strings.TrimRight(line[i+len("127.0.0.1:"):], ") started")
			}
			if _, err := strconv.Atoi(line); err == nil {
				port <- line
				io.Copy(io.Discard, pipe)
				return
			}
		}
		close(port)
	}()
	select {
	case p, ok := <-port:
		if !ok {
			t.Fatalf("%s exited without a port: %s", argv[0], tail(other.String()))
		}
		return "http://127.0.0.1:" + p
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s printed no port in 2 minutes: %s", argv[0], tail(other.String()))
	}
	return ""
}

// serveWorker runs the Worker the Web Crypto module's header shows in workerd, with the secret
// and client ID as the Worker's bindings.
func serveWorker(t *testing.T, l Language, dir, code string, env []string) string {
	t.Helper()
	writeProgram(t, l, AppContext, dir)
	if err := os.WriteFile(filepath.Join(dir, "worker.mjs"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	var bindings []string
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		bindings = append(bindings, fmt.Sprintf("(name = %q, text = %q)", k, v))
	}
	config := fmt.Sprintf(`using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "zoom-app-context.mjs", esModule = embed "zoom-app-context.mjs"),
  ],
  compatibilityDate = "2024-09-23",
  bindings = [%s],
);
`, strings.Join(bindings, ", "))
	if err := os.WriteFile(filepath.Join(dir, "config.capnp"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(runtime(t, runtimeWorkerd), "serve", "config.capnp", "--socket-fd", "http=3")
	cmd.Dir = dir
	cmd.ExtraFiles = []*os.File{f}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		ln.Close()
	})
	return "http://" + ln.Addr().String()
}

// httpCase is one request: the header's bytes (absent when nil and absent is set) and the
// statuses a correct server answers.
type httpCase struct {
	name   string
	header []byte
	absent bool
	want   []int
}

// tooBig is what a server may answer a header past its own limit, before any code runs (Node's
// is 16 KiB, werkzeug's 64 KiB): 431 or 413, or 400 from the program when the server lets it
// through. A status 0 stands for a server that closes the connection instead (PHP's built-in
// server does past 64 KiB): not a 500, and the program never sees the header.
var tooBig = []int{400, 413, 431, 0}

// sendable reports whether a header value crosses HTTP unchanged: no control bytes (servers
// refuse them or cut there) and no leading or trailing whitespace (servers trim it).
func sendable(h []byte) bool {
	if len(h) > 0 && (h[0] == ' ' || h[0] == '\t' || h[len(h)-1] == ' ' || h[len(h)-1] == '\t') {
		return false
	}
	for _, c := range h {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// send makes one request; a connection the server closes without an answer is status 0.
func send(client *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, body, nil
}

// TestFrameworks runs each language's header example in its real framework and sends it, over
// real HTTP, a context sealed now (2xx), every table row that is refused whatever the time and
// crosses HTTP unchanged (400 for malformed, 401 for the rest), and a few more: never a 500.
func TestFrameworks(t *testing.T) {
	tb, rows := loadTable(t)
	key := sha256.Sum256([]byte(tb.Secret))
	block, _ := aes.NewCipher(key[:])
	gcm, _ := cipher.NewGCM(block)
	iv := []byte("frameworks!!")
	pt := fmt.Appendf(nil, `{"uid":"frameworkUser","aud":%q,"exp":%d,"ts":%d}`, tb.ClientID, time.Now().UnixMilli()+10*60000, time.Now().UnixMilli())
	sealed := gcm.Seal(nil, iv, pt, nil)
	raw := append([]byte{12}, iv...)
	raw = append(raw, 0, 0, byte(len(pt)), byte(len(pt)>>8), 0, 0)
	fresh := []byte(base64.RawURLEncoding.EncodeToString(append(raw, sealed...)))

	cs := []httpCase{
		{name: "fresh valid context", header: fresh, want: []int{200, 204}},
		{name: "9,000 'A'", header: bytes.Repeat([]byte("A"), 9000), want: []int{400}},
		{name: "100,000 '='", header: bytes.Repeat([]byte("="), 100000), want: tooBig},
		{name: "non-UTF-8 bytes then a valid context", header: append([]byte{0xff, 0xfe}, fresh...), want: []int{400}},
	}
	skipped := 0
	for _, r := range rows {
		if r.verdict == "ok" || (!r.absent && !sendable(r.header)) {
			skipped++
			continue
		}
		want := []int{401}
		if r.verdict == "malformed" {
			want = []int{400}
		}
		if len(r.header) > 16*1024 {
			want = tooBig
		}
		cs = append(cs, httpCase{name: "row " + r.name, header: r.header, absent: r.absent, want: want})
	}
	env := []string{"ZOOM_CLIENT_SECRET=" + tb.Secret, "ZOOM_CLIENT_ID=" + tb.ClientID}
	for _, f := range frameworks {
		t.Run(strings.Fields(f.name)[0], func(t *testing.T) {
			t.Parallel()
			l, err := Lookup(f.lang)
			if err != nil {
				t.Fatal(err)
			}
			base := f.serve(t, l, t.TempDir(), example(t, l), env)
			client := &http.Client{Timeout: 30 * time.Second}
			pass, seen := 0, map[int]int{}
			for _, c := range cs {
				req, _ := http.NewRequest("GET", base+"/app", nil)
				if !c.absent {
					req.Header["X-Zoom-App-Context"] = []string{string(c.header)}
				}
				status, body, err := send(client, req)
				seen[status]++
				ok := false
				for _, w := range c.want {
					ok = ok || status == w
				}
				if !ok {
					t.Errorf("%s: %s: HTTP %d %q (%v), want %v", f.name, c.name, status, body, err, c.want)
					continue
				}
				if status == 200 && !bytes.Contains(body, []byte("frameworkUser")) {
					t.Errorf("%s: %s: 200 without the uid: %q", f.name, c.name, body)
					continue
				}
				pass++
			}
			t.Logf("%s: %d/%d requests answered right (statuses %v; %d table rows are ok-in-time or cannot cross HTTP unchanged)", f.name, pass, len(cs), seen, skipped)
		})
	}
}
