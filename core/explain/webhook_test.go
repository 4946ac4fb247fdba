package explain

import (
	"os/exec"
	"strings"
	"testing"
)

// TestExplainWebhookRealErrors: the errors real runtimes print when a webhook verifier goes wrong
// are each recognised as theirs, with the webhook's causes and next step, and no other message is
// read as a webhook one.
func TestExplainWebhookRealErrors(t *testing.T) {
	tests := []struct {
		name     string
		argv     []string
		language string
	}{
		{"timingSafeEqual lengths", []string{"node", "-e", `require('crypto').timingSafeEqual(Buffer.from('v0=ab'), Buffer.from('v0=abcd'))`}, "Node.js (crypto.timingSafeEqual)"},
		{"createHmac without a key", []string{"node", "-e", `require('crypto').createHmac('sha256', process.env.ZOOMDBG_UNSET_VARIABLE)`}, "Node.js (crypto.createHmac)"},
		{"update with the parsed body", []string{"node", "-e", `require('crypto').createHmac('sha256', 'k').update({event: 'x'})`}, "Node.js (hmac.update)"},
		{"hmac.new with a str key", []string{"python3", "-c", `import hmac, hashlib; hmac.new("secret", b"v0:1:{}", hashlib.sha256)`}, "Python (hmac)"},
		{"compare_digest str and bytes", []string{"python3", "-c", `import hmac; hmac.compare_digest("v0=ab", b"v0=ab")`}, "Python (hmac.compare_digest)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := exec.LookPath(tt.argv[0]); err != nil {
				t.Fatalf("%s is not installed (.ci/run installs it)", tt.argv[0])
			}
			out, err := exec.Command(tt.argv[0], tt.argv[1:]...).CombinedOutput()
			if err == nil {
				t.Fatalf("the runtime raised nothing: %s", out)
			}
			f, ok := Lookup(string(out))
			if !ok || f.Language != tt.language {
				t.Fatalf("read as %q (ok %v), want %q:\n%s", f.Language, ok, tt.language, out)
			}
			if len(f.Causes) < 4 || f.Next != webhookNext {
				t.Fatalf("only %d causes", len(f.Causes))
			}
		})
	}
	for _, f := range All() {
		got, ok := Lookup(f.Message)
		if !ok || got.Language != f.Language {
			t.Errorf("%q is read as %q", f.Message, got.Language)
		}
		if (got.Next == webhookNext) != (f.Next == webhookNext) {
			t.Errorf("%q: a webhook message read as another, or the reverse", f.Message)
		}
	}
	if f, _ := Lookup("URL validation failed. Try again later."); !strings.Contains(f.Causes[0], "within 3 seconds") {
		t.Errorf("validation causes: %q", f.Causes)
	}
}
