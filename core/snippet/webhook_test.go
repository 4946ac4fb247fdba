package snippet

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/webhook"
)

// hookCase is one delivery every webhook program is run on, with what a correct endpoint does.
type hookCase struct {
	name      string
	body      string
	args      []string // timestamp and signature, as the framework hands them over; fewer when absent
	secret    string   // the environment's Secret Token
	accept    bool
	handshake string // the plainToken an accepted url_validation must be answered for
	refusal   string // a fragment of the refusal line
}

const (
	hookSecret = "d2ViaG9vay1zZWNyZXQtdG9rZW4tMDE" // made up, the shape of a Secret Token
	hookTS     = "1795167001"
)

func hookCases() []hookCase {
	sign := func(secret, body string) string { return webhook.Sign([]byte(secret), hookTS, []byte(body)) }
	event := `{"event":"meeting.started","payload":{"account_id":"x","object":{"id":"85012345678","topic":"standup"}},"event_ts":1795167000123}`
	// Does not survive JSON.stringify, json.dumps, json_encode, JSON.generate or json.Marshal.
	tricky := `{"event":"meeting.ended","payload":{"object":{"topic":"Zoë's \/ caf\u00e9 🎉","rating":1.0,"n":1e2}},"event_ts":1795167000123}`
	validation := `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1795167000123,"event":"endpoint.url_validation"}`
	mac := sign(hookSecret, event)
	return []hookCase{
		{name: "valid", body: event, args: []string{hookTS, mac}, secret: hookSecret, accept: true},
		{name: "body that does not survive re-serialisation", body: tricky, args: []string{hookTS, sign(hookSecret, tricky)}, secret: hookSecret, accept: true},
		{name: "url_validation", body: validation, args: []string{hookTS, sign(hookSecret, validation)}, secret: hookSecret, accept: true, handshake: "qgg8vlvZRS6UYooatFL8Aw"},
		{name: "url_validation with a wrong signature gets no answer", body: validation, args: []string{hookTS, sign("another", validation)}, secret: hookSecret, refusal: "signature mismatch"},
		{name: "re-serialised body's signature", body: tricky, args: []string{hookTS, sign(hookSecret, `{"event":"meeting.ended","payload":{"object":{"topic":"Zoë's / café 🎉","rating":1,"n":100}},"event_ts":1795167000123}`)}, secret: hookSecret, refusal: "signature mismatch"},
		{name: "another secret", body: event, args: []string{hookTS, sign("b3RoZXItYXBwLXNlY3JldA", event)}, secret: hookSecret, refusal: "signature mismatch"},
		{name: "empty-secret signature", body: event, args: []string{hookTS, sign("", event)}, secret: hookSecret, refusal: "signature mismatch"},
		{name: "secret unset: fail closed", body: event, args: []string{hookTS, sign("", event)}, secret: "", refusal: "secret token is empty"},
		{name: "body changed", body: strings.Replace(event, "standup", "standuP", 1), args: []string{hookTS, mac}, secret: hookSecret, refusal: "signature mismatch"},
		{name: "no v0=", body: event, args: []string{hookTS, mac[3:]}, secret: hookSecret, refusal: "signature mismatch"},
		{name: "signature header absent", body: event, args: []string{hookTS}, secret: hookSecret, refusal: "missing"},
		{name: "empty signature header", body: event, args: []string{hookTS, ""}, secret: hookSecret, refusal: "missing"},
	}
}

// hookRunner writes lang's webhook program to a fresh directory and returns how to run it; Go
// and Java are compiled once.
func hookRunner(t *testing.T, l Language) []string {
	t.Helper()
	dir := t.TempDir()
	p := l.Program(Webhook)
	path := filepath.Join(dir, p.File)
	if err := os.WriteFile(path, []byte(l.Source(Webhook)), 0o644); err != nil {
		t.Fatal(err)
	}
	argv := l.Argv(Webhook, dir)
	if _, err := exec.LookPath(argv[0]); err != nil {
		t.Fatalf("%s is not installed: every shipped snippet must be run by the tests (.ci/run installs the runtimes)", argv[0])
	}
	compile := func(args ...string) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	switch l.Name {
	case "go":
		compile("go", "build", "-o", filepath.Join(dir, "hook"), path)
		return []string{filepath.Join(dir, "hook")}
	case "java":
		compile("javac", "-d", dir, path)
		return []string{"java", "-cp", dir, strings.TrimSuffix(p.File, ".java")}
	}
	return argv
}

// TestWebhookPrograms runs every language's webhook program in its real runtime on every case.
func TestWebhookPrograms(t *testing.T) {
	for _, l := range Languages {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			argv := hookRunner(t, l)
			for _, c := range hookCases() {
				cmd := exec.Command(argv[0], append(argv[1:], c.args...)...)
				cmd.Env = append(os.Environ(), WebhookEnv+"="+c.secret)
				cmd.Stdin = strings.NewReader(c.body)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				var ee *exec.ExitError
				code := 0
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				out := strings.TrimSpace(stdout.String())
				switch {
				case c.accept && code != 0:
					t.Errorf("%s: refused (exit %d): %s", c.name, code, stderr.String())
				case !c.accept && code != 1:
					t.Errorf("%s: exit %d, want 1; stdout %q", c.name, code, out)
				case !c.accept && (!strings.Contains(stderr.String(), "refused") || !strings.Contains(stderr.String(), c.refusal)):
					t.Errorf("%s: refusal %q, want it to say %q", c.name, stderr.String(), c.refusal)
				case !c.accept && strings.Contains(out, "encryptedToken"):
					t.Errorf("%s: answered the handshake without a verified signature", c.name)
				case c.handshake != "":
					var v webhook.ValidationResponse
					if err := json.Unmarshal([]byte(out), &v); err != nil || v != webhook.Validate([]byte(c.secret), c.handshake) {
						t.Errorf("%s: handshake answer %q, want %+v", c.name, out, webhook.Validate([]byte(c.secret), c.handshake))
					}
				case c.accept && !strings.HasPrefix(out, "verified meeting."):
					t.Errorf("%s: stdout %q", c.name, out)
				}
			}
		})
	}
}

// TestWebhookSources: each program hashes the raw body, compares in constant time and refuses an
// empty secret, in words a reviewer can find.
func TestWebhookSources(t *testing.T) {
	constantTime := map[string]string{"python": "hmac.compare_digest", "node": "timingSafeEqual", "webcrypto": "subtle.verify",
		"go": "hmac.Equal", "java": "MessageDigest.isEqual", "php": "hash_equals", "ruby": "secure_compare"}
	for _, l := range Languages {
		src := l.Source(Webhook)
		if !strings.Contains(src, constantTime[l.Name]) || !strings.Contains(src, "secret token is empty") || !strings.Contains(src, WebhookEnv) {
			t.Errorf("%s: the webhook program lacks %s, the empty-secret refusal or %s", l.Name, constantTime[l.Name], WebhookEnv)
		}
	}
}
