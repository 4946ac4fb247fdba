// Command gen writes a benchmark file of app-context tokens, one per line, sealed the way Zoom
// seals them, with realistic payloads and a mix of failures:
//
//	go run ./bench/gen -n 200000 -secret-file s.txt > tokens.txt
//
// Mix: 88% good, 4% expired, 4% sealed with another secret, 2% truncated, 2% not JSON; -mix valid
// and -mix failing give all good or all sealed with another secret; -shape log writes each token
// in an nginx access-log line. It is deterministic for a given -seed, so runs compare like with
// like.
package main

import (
	"bufio"
	"crypto/rand"
	"flag"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strings"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

func main() {
	n := flag.Int("n", 200000, "tokens to write")
	secretFile := flag.String("secret-file", "", "file holding the client secret to seal with")
	seed := flag.Uint64("seed", 1, "seed for the payloads and the mix")
	now := flag.Int64("now", 1795167000000, "epoch ms the good tokens are issued at")
	mix := flag.String("mix", "mixed", "mixed (the mix above), valid (all good) or failing (all sealed with another secret)")
	shape := flag.String("shape", "bare", "bare (a token a line) or log (each in an nginx access-log line, as ?context=)")
	flag.Parse()
	secret, err := os.ReadFile(*secretFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	key := appctx.ZoomKey([]byte(strings.TrimSuffix(string(secret), "\n")))
	other := appctx.ZoomKey([]byte("another-apps-secret-0000000000000"))
	r := mrand.New(mrand.NewPCG(*seed, 2))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	for i := 0; i < *n; i++ {
		roll := r.IntN(100)
		switch *mix {
		case "valid":
			roll = 50
		case "failing":
			roll = 90
		}
		ts := *now + int64(r.IntN(3600_000))
		if roll < 4 { // expired a day ago
			ts -= 86400_000
		}
		pt := payload(r, ts)
		k := key
		switch {
		case roll >= 88 && roll < 92:
			k = other
		case roll >= 96:
			pt = []byte(fmt.Sprintf("not json %d", i))
		}
		tok, err := appctx.Seal(k, pt, nil, rand.Reader)
		if err != nil {
			panic(err)
		}
		if roll >= 92 && roll < 94 {
			tok = tok[:len(tok)-30]
		}
		if *shape == "log" {
			w.WriteString(`127.0.0.1 - - [20/Nov/2026:09:30:05 +0000] "GET /app/home?context=`)
			w.WriteString(tok)
			w.WriteString(` HTTP/1.1" 200 5120 "https://zoom.us/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ZoomApps/5.17.0"`)
		} else {
			w.WriteString(tok)
		}
		w.WriteByte('\n')
	}
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func id(r *mrand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = idChars[r.IntN(len(idChars))]
	}
	return string(b)
}

func payload(r *mrand.Rand, ts int64) []byte {
	typ := []string{"meeting", "panel", "webinar", "meeting"}[r.IntN(4)]
	role := []string{"host", "attendee", "cohost", "attendee"}[r.IntN(4)]
	return []byte(fmt.Sprintf(`{"typ":%q,"uid":%q,"mid":"%s==","ts":%d,"exp":%d,"iss":"marketplace.zoom.us",`+
		`"aud":"zoomdbgBenchClientId01","attendrole":%q,"theme":"dark","entitlements":[]}`,
		typ, id(r, 22), id(r, 22), ts, ts+120000, role))
}
