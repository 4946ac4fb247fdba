package webhook

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"
)

// need fails the test when a runtime the tests run is missing: CI installs every one (.ci/run).
func need(t *testing.T, prog string) {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Fatalf("%s is not installed: core/webhook's tests run it as an independent implementation (.ci/run installs it)", prog)
	}
}

func runJSON(t *testing.T, out any, argv ...string) {
	t.Helper()
	need(t, argv[0])
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(argv[:2], " "), err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %v\n%s", argv[1], err, b)
	}
}

// testBody does not survive re-serialisation in any runtime: "\/" and "\u00e9" escapes and 1.0
// change under JSON.stringify, the emoji and "ë" under ensure_ascii, and the separators under json.dumps.
const testBody = `{"event":"meeting.started","payload":{"account_id":"AbC_123xyz","object":{"id":"85012345678","uuid":"4444AAAiAAAAAiAiAiiAii==",` +
	`"topic":"Zoë's \/ caf\u00e9 standup 🎉","type":2,"duration":60,"rating":1.0,"host_id":"z8yAAAAA8bbbQ"}},"event_ts":1764500000123}`

const (
	testSecret = "dGVzdC1zZWNyZXQtdG9rZW4tZGV2"   // made up, the shape of a Secret Token
	testProd   = "cHJvZC1zZWNyZXQtdG9rZW4tb3Rocg" // another app's or environment's
	testTS     = "1764500001"
)

// wantCause is the fragment of the cause each broken signature must be diagnosed with.
var wantCause = map[string]string{
	"js_stringify":      "JSON.stringify(req.body)",
	"js_pretty":         "JSON.stringify(body, null, 2)",
	"py_dumps":          "json.dumps(body), whose default separators",
	"py_dumps_nonascii": "ensure_ascii=False",
	"py_compact":        "separators=(',', ':'))",
	"py_sorted":         "sort_keys=True",
	"py_indent2":        "indent=2",
	"py_str":            "str(body)",
	"event_ts_ms":       "event_ts, in milliseconds",
	"event_ts_s":        "event_ts converted to seconds",
	"no_v0_colon":       `lacks its "v0:" prefix`,
	"no_v0_eq":          `lacks its "v0=" prefix`,
	"upper":             "upper-case hex",
	"base64":            "the signature is base64",
	"secret_nl":         `trailing \n`,
	"empty_secret":      "EMPTY secret token",
	"no_headers":        "lacks its signature headers",
}

// TestIndependentDeliveries: deliveries signed by Python's hmac and Node's crypto, right and
// broken the usual ways, in every captured shape, each read and diagnosed with its known cause.
func TestIndependentDeliveries(t *testing.T) {
	spec := map[string]any{"secret": testSecret, "ts": testTS, "body": testBody}
	var js map[string]string
	runJSON(t, &js, "node", "testdata/sign_js.js", mustJSON(spec))
	if js["js_stringify_text"] == testBody {
		t.Fatal("the test body survives JSON.stringify: it must not")
	}
	spec["prod"] = testProd
	spec["extra"] = map[string]string{"js_stringify": js["js_stringify"], "js_pretty": js["js_pretty"]}
	var cases map[string]struct {
		Signature string
		Shapes    map[string]string
	}
	runJSON(t, &cases, "python3", "testdata/sign.py", mustJSON(spec))
	secrets := []Secret{{Label: "dev", Value: []byte(testSecret)}, {Label: "prod", Value: []byte(testProd)}}
	now := time.Unix(1764500061, 0)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	shapes := 0
	for _, name := range names {
		c := cases[name]
		for shape, b64 := range c.Shapes {
			shapes++
			t.Run(name+"/"+shape, func(t *testing.T) {
				capture, _ := base64.StdEncoding.DecodeString(b64)
				d, err := Parse(capture)
				if err != nil {
					t.Fatalf("Parse: %v\n%s", err, capture)
				}
				if string(d.Body) != testBody {
					t.Fatalf("body read as\n%q\nwant\n%q", d.Body, testBody)
				}
				r := Diagnose(d, secrets, now)
				switch name {
				case "correct", "prod":
					want := map[string]string{"correct": "dev", "prod": "prod"}[name]
					if !r.OK || r.Label != want {
						t.Fatalf("ok=%v label=%q cause=%q; want verified with %s", r.OK, r.Label, r.Cause, want)
					}
					return
				}
				if r.OK {
					t.Fatalf("verified with %s: a %s signature must not", r.Label, name)
				}
				if !strings.Contains(r.Cause, wantCause[name]) {
					t.Fatalf("cause %q\nwant it to say %q", r.Cause, wantCause[name])
				}
				if name != "no_headers" && countMatches(r) == 0 {
					t.Fatalf("no variant listed as matching for %s", name)
				}
			})
		}
	}
	// The body alone, with the headers given apart (zoomdbg webhook --timestamp --signature).
	for _, name := range names {
		if name == "no_headers" {
			continue
		}
		d, err := Parse([]byte(testBody))
		if err != nil || d.Format != FormatBody {
			t.Fatalf("body alone: %v %v", d, err)
		}
		d.Set(HeaderTimestamp, testTS)
		d.Set(HeaderSignature, cases[name].Signature)
		r := Diagnose(d, secrets, now)
		shapes++
		if verified := name == "correct" || name == "prod"; r.OK != verified || !verified && !strings.Contains(r.Cause, wantCause[name]) {
			t.Errorf("body alone, %s: ok %v cause %q", name, r.OK, r.Cause)
		}
	}
	if shapes < 150 {
		t.Fatalf("only %d captures were tried", shapes)
	}
}

func countMatches(r *Report) int {
	n := 0
	for _, v := range r.Variants {
		if v.Matches {
			n++
		}
	}
	return n
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
