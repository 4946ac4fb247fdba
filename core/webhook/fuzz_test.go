package webhook

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzParse: any capture is read or refused with a *ParseError, never a panic, and whatever is
// read can be diagnosed. The corpus in testdata/fuzz/FuzzParse holds one capture of every shape.
func FuzzParse(f *testing.F) {
	f.Add([]byte("POST / HTTP/1.1\r\nx-zm-signature: v0=00\r\nx-zm-request-timestamp: 1\r\nContent-Length: 2\r\n\r\n{}"))
	f.Add([]byte("curl -H 'x-zm-signature: v0=1' --data-raw $'{\"a\":\"\\u00e9\"}' http://h/"))
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"POST","url":"http://h/","headers":[],"postData":{"text":"{}"}}}]}}`))
	f.Add([]byte(`{"req":{"headers":{"x-zm-signature":"v0=1"},"body":{"event":"x"}}}`))
	f.Add([]byte("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := Parse(in)
		if err != nil {
			if _, ok := err.(*ParseError); !ok && err != ErrEmpty {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if d.BodyAt >= 0 && !bytes.Equal(in[d.BodyAt:d.BodyAt+len(d.Body)], d.Body) {
			t.Fatalf("BodyAt %d does not point at the body", d.BodyAt)
		}
		r := Diagnose(d, []Secret{{Label: "dev", Value: []byte("k")}}, time.Unix(1764500000, 0))
		if r.OK != (Verify([]byte("k"), r.Timestamp, r.Received, d.Body) == nil) {
			t.Fatalf("the report's verdict %v disagrees with Verify", r.OK)
		}
	})
}

// FuzzJSON: the order-keeping parser accepts exactly what encoding/json accepts (within its
// nesting limit), and every dialect's output is JSON again (str() aside) that writes back the same.
func FuzzJSON(f *testing.F) {
	for _, b := range dialectBodies {
		f.Add([]byte(b))
	}
	f.Add([]byte(`{"a":"\ud800"}`))
	f.Add([]byte(`[1e400, -0, 0.0000001]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		v, err := parseJSON(in)
		if (err == nil) != json.Valid(in) {
			if je, ok := err.(*jsonError); ok && je.Want == "at most 512 levels of nesting" {
				return
			}
			t.Fatalf("parseJSON err = %v, json.Valid = %v", err, json.Valid(in))
		}
		if err != nil {
			return
		}
		for _, d := range []dialect{{lang: "js", itemSep: ",", keySep: ":"}, {lang: "py", itemSep: ", ", keySep: ": ", ascii: true, indent: "  "}} {
			out := d.encode(v)
			v2, err := parseJSON(out)
			if err != nil && bytes.Contains(out, []byte("Infinity")) {
				continue // Python writes an out-of-range float as Infinity, which is not JSON
			}
			if err != nil {
				t.Fatalf("%s wrote invalid JSON %q: %v", d.lang, out, err)
			}
			if again := d.encode(v2); !bytes.Equal(again, out) && d.lang == "js" {
				t.Fatalf("%s is not stable: %q then %q", d.lang, out, again)
			}
		}
	})
}
