package appctx_test

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// nodeSample runs testdata/zoom_sample.js, an implementation of Zoom's published Node sample, and
// answers requests over its stdin and stdout.
type nodeSample struct {
	in  *json.Encoder
	out *bufio.Scanner
}

func startNode(t *testing.T) *nodeSample {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed: .ci/run must install it")
		}
		t.Skip("node is not installed; the cross-check needs it (CI installs it)")
	}
	cmd := exec.Command(node, "testdata/zoom_sample.js")
	w, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); cmd.Wait() })
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &nodeSample{in: json.NewEncoder(w), out: sc}
}

func (n *nodeSample) do(t *testing.T, req map[string]string) map[string]any {
	t.Helper()
	if err := n.in.Encode(req); err != nil {
		t.Fatal(err)
	}
	if !n.out.Scan() {
		t.Fatalf("node sample gave no answer: %v", n.out.Err())
	}
	var res map[string]any
	if err := json.Unmarshal(n.out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	return res
}

var crossPayloads = []string{
	`{"typ":"panel","uid":"u1"}`,
	`{"typ":"meeting","uid":"MPjq6UmhQWWBP4Yuf-FARg","name":"Zoë 李雷 🎥"}`,
	strings.Repeat("x", 5000),
	"",
}

// TestCrossCheckNodeOpensOurs: tokens zoomdbg seals open in Node as Zoom's sample opens them.
func TestCrossCheckNodeOpensOurs(t *testing.T) {
	node := startNode(t)
	for i, pt := range crossPayloads {
		secret := fmt.Sprintf("secret-%d-%s", i, strings.Repeat("s", i*7))
		aad := []string{"", "aad", "", strings.Repeat("a", 300)}[i]
		tok, err := appctx.Seal(appctx.ZoomKey([]byte(secret)), []byte(pt), []byte(aad), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		res := node.do(t, map[string]string{"op": "open", "secret": secret, "token": tok})
		if res["ok"] != true || res["plaintext"] != pt {
			t.Errorf("payload %d: node says %v", i, res)
		}
		res = node.do(t, map[string]string{"op": "open", "secret": secret + "x", "token": tok})
		if res["ok"] != false {
			t.Errorf("payload %d: node opened it with the wrong secret", i)
		}
	}
}

// TestCrossCheckWeOpenNodes: tokens Node seals open in zoomdbg, and fail with another secret.
func TestCrossCheckWeOpenNodes(t *testing.T) {
	node := startNode(t)
	for i, pt := range crossPayloads {
		secret := fmt.Sprintf("node-secret-%d", i)
		aad := []string{"", "aad", "", strings.Repeat("a", 300)}[i]
		res := node.do(t, map[string]string{"op": "seal", "secret": secret, "plaintext": pt, "aad": aad})
		tok, _ := res["token"].(string)
		parsed, err := appctx.Parse(tok)
		if err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
		got, err := appctx.Open(parsed, appctx.ZoomKey([]byte(secret)))
		if err != nil || string(got) != pt || string(parsed.AAD) != aad {
			t.Errorf("payload %d: open = %q, %v", i, got, err)
		}
		if _, err := appctx.Open(parsed, appctx.ZoomKey([]byte(secret+"x"))); err == nil {
			t.Errorf("payload %d: opened with the wrong secret", i)
		}
	}
}

// TestCrossCheckFixtureVerdicts: on every fixture Zoom's sample can read as given, Node and
// zoomdbg agree on whether the dev secret opens it, and on the plaintext.
func TestCrossCheckFixtureVerdicts(t *testing.T) {
	node := startNode(t)
	f := load(t)
	for _, v := range f.Vectors {
		if v.WantStatus != "ok" && v.WantStatus != "tag_mismatch" && v.WantStatus != "bad_payload" || v.WantRepairs > 0 {
			continue
		}
		secret := f.Secrets[v.SecretLabel]
		r := appctx.Inspect(v.Token, appctx.DeriveAll([]appctx.Secret{{Label: "dev", Value: []byte(secret)}}))
		res := node.do(t, map[string]string{"op": "open", "secret": secret, "token": v.Token})
		zoomOpened := r.Opened != nil && r.Opened.Key.Derivation == appctx.DeriveSHA256
		if (res["ok"] == true) != zoomOpened {
			t.Errorf("%s: node ok=%v, zoomdbg opened=%v", v.Name, res["ok"], zoomOpened)
		}
		if zoomOpened && res["plaintext"] != string(r.Payload) {
			t.Errorf("%s: plaintexts differ", v.Name)
		}
	}
}
