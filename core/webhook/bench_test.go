package webhook

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchBody is a Zoom-shaped body of about n bytes: a participant list, escapes and non-ASCII.
func benchBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"event":"meeting.participant_joined","payload":{"object":{"participants":[`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"user_name":"Zoë \/ %d","id":"u%d","score":1.0}`, i, i)
	}
	b.WriteString(`]}},"event_ts":1795167000123}`)
	return []byte(b.String())
}

// BenchmarkDiagnoseMismatch is the worst case: no secret verifies, so every combination of
// mistakes is hashed. ns/op divided by the size shows the cost per byte stays flat (linear time);
// above 64 KiB only single mistakes are tried.
func BenchmarkDiagnoseMismatch(b *testing.B) {
	for _, n := range []int{1 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20} {
		body := benchBody(n)
		d := &Delivery{Body: body, HasBody: true, Headers: []Header{{HeaderTimestamp, "1795167001"}, {HeaderSignature, "v0=" + strings.Repeat("ab", 32)}}}
		secrets := []Secret{{Label: "dev", Value: []byte("k1")}, {Label: "prod", Value: []byte("k2")}}
		b.Run(fmt.Sprintf("%dKiB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				Diagnose(d, secrets, time.Unix(1795167001, 0))
			}
		})
	}
}

// BenchmarkParse reads a raw HTTP capture and a curl command of each size.
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1 << 10, 64 << 10, 1 << 20} {
		body := benchBody(n)
		http := []byte(fmt.Sprintf("POST /webhook HTTP/1.1\r\nx-zm-request-timestamp: 1\r\nx-zm-signature: v0=ab\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
		curl := []byte("curl -H 'x-zm-signature: v0=ab' --data-raw " + shellQuote(string(body)) + " http://h/")
		for name, in := range map[string][]byte{"http": http, "curl": curl} {
			b.Run(fmt.Sprintf("%s/%dKiB", name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				for b.Loop() {
					if _, err := Parse(in); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
