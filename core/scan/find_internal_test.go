package scan

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/fixtures"
)

// BenchmarkFindBlock is the finder alone over 8 MiB of log lines that each carry a token.
func BenchmarkFindBlock(b *testing.B) {
	f, _ := fixtures.Load()
	line := []byte(`2026-11-20T09:30:00Z INFO req x-zoom-app-context: ` + f.Get("valid").Token + "\n")
	data := bytes.Repeat(line, (8<<20)/len(line))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		findBlock(nil, data, nil, func(Candidate, int64) {})
	}
}

// BenchmarkFindShapes is the finder with its decoding, alone, over a block of bare tokens and
// one of the same token in nginx access-log lines (bench/gen's log shape): what a log line's
// words cost the finder over the token it holds, in ns a line.
func BenchmarkFindShapes(b *testing.B) {
	f, _ := fixtures.Load()
	tok := f.Get("valid").Token
	for _, shape := range []struct{ name, line string }{
		{"bare", tok + "\n"},
		{"nginx", `127.0.0.1 - - [20/Nov/2026:09:30:05 +0000] "GET /app/home?context=` + tok +
			` HTTP/1.1" 200 5120 "https://zoom.us/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ZoomApps/5.17.0"` + "\n"},
		{"pino", `{"level":30,"time":1795167005123,"pid":4242,"hostname":"app-7d9f","req":{"id":17,"method":"GET","url":"/app/home",` +
			`"headers":{"host":"localhost:3000","user-agent":"Mozilla/5.0 ZoomApps/5.17.0","x-zoom-app-context":"` + tok +
			`","accept":"*/*"},"remoteAddress":"127.0.0.1","remotePort":51234},"msg":"request received"}` + "\n"},
		{"python", `2026-11-20 09:30:05,123 INFO app.views home: context=` + tok + ` user-agent="Mozilla/5.0 ZoomApps/5.17.0"` + "\n"},
		// lines with no token: a log around the tokens, ids and hashes included
		{"untokened", `127.0.0.1 - - [20/Nov/2026:09:30:05 +0000] "GET /static/app.3f9a1c2e7b5d4f60.js?v=20261120 HTTP/1.1" 200 48213 ` +
			`"https://example.zoom.us/app/home" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ZoomApps/5.17.0" ` +
			`rid=9b2f4c1d-77aa-4e0b-8f7e-5a1c0d9e3b21` + "\n"},
	} {
		b.Run(shape.name, func(b *testing.B) {
			data := bytes.Repeat([]byte(shape.line), blockSize/len(shape.line))
			var d runDecoder
			for b.Loop() {
				findBlock(nil, data, &d, func(Candidate, int64) {})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(blockSize/len(shape.line))), "ns/line")
		})
	}
}

// BenchmarkDecodeToken sets the finder's fused decoding of a token (finding the run's end and
// decoding it, runDecoder.end) beside encoding/base64 decoding the same token, and nothing else.
func BenchmarkDecodeToken(b *testing.B) {
	f, _ := fixtures.Load()
	tok := []byte(f.Get("valid").Token + "\n")
	line := []byte(string(tok) + "next line") // the block goes on past the token, as in a log
	b.Run("runDecoder", func(b *testing.B) {
		var d runDecoder
		for b.Loop() {
			if r := d.end(line, 0); !r.ok {
				b.Fatal("not decoded")
			}
		}
	})
	b.Run("encoding/base64", func(b *testing.B) {
		dst := make([]byte, len(tok))
		for b.Loop() {
			if _, err := base64.RawURLEncoding.Decode(dst, tok[:len(tok)-1]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRunWord: the word test agrees with the class table on every byte in every position, and on
// random words.
func TestRunWord(t *testing.T) {
	base := []byte("AZaz09-_")
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			w := bytes.Clone(base)
			w[pos] = byte(c)
			var want byte
			ok := true
			for _, b := range w {
				if classes[b] == 0 {
					ok = false
				}
				want |= classes[b]
			}
			got, gotOK := runWord(binary.LittleEndian.Uint64(w))
			if gotOK != ok || ok && got != want {
				t.Fatalf("%q: runWord %v %b, want %v %b", w, gotOK, got, ok, want)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200000; n++ {
		x := r.Uint64()
		if n%2 == 0 { // mostly run characters
			var w [8]byte
			for i := range w {
				w[i] = "ABCxyz019+/=-_@[`{:/"[r.IntN(20)]
			}
			x = binary.LittleEndian.Uint64(w[:])
		}
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], x)
		var want byte
		ok := true
		for _, b := range w {
			if classes[b] == 0 {
				ok = false
			}
			want |= classes[b]
		}
		if got, gotOK := runWord(x); gotOK != ok || ok && got != want {
			t.Fatalf("%q: runWord %v %b, want %v %b", w, gotOK, got, ok, want)
		}
	}
}

// TestRunEnd: the word-at-a-time run end agrees with the class table, byte by byte, on random
// text of run characters, word characters and bytes above 0x7f, at every start and length.
func TestRunEnd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alpha = "ABCxyz019+/=-_ .:\"@[`{\xc3\xa9\x80\xff\n"
	for n := 0; n < 20000; n++ {
		data := make([]byte, r.IntN(40))
		for k := range data {
			if r.IntN(4) == 0 {
				data[k] = byte(r.IntN(256))
			} else {
				data[k] = alpha[r.IntN(len(alpha))]
			}
		}
		for i := range data {
			want, wantCl := i, byte(0)
			for want < len(data) && classes[data[want]] != 0 {
				wantCl |= classes[data[want]]
				want++
			}
			if got, gotCl := runEnd(data, i); got != want || gotCl != wantCl {
				t.Fatalf("runEnd(%q, %d) = %d %b, want %d %b", data, i, got, gotCl, want, wantCl)
			}
		}
	}
}

// TestQueryKey: the in-place read of "?name=" and "&name=" gives keyBeforeSlow's answer, on
// random names around every separator and escape the slow look knows.
func TestQueryKey(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	parts := []string{"context", "appContext", "x-zoom-app-context", "X-ZOOM-APP-CONTEXT", "CONTEXT", "value", "a", "b.c", "-", "_", "+", "/", "=",
		"?", "&", "%3F", "%22", "\\x22", "\\u0022", "\\", "\"", " ", ":", "\n0040: ", "3D", "name", "HTTP_X_ZOOM_APP_CONTEXT", ".", "contex\n0040: ", "conte\n0040: x", "\x22", "\\\"", "%",
		"contex\n0040:", "conte\n0040:", "t", "xt", // a name curl's trace cut: "contex\n0040: t="
		strings.Repeat("_", 90)} // names longer than keyBeforeSlow looks back
	tok := []byte("AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH")
	checked := 0
	check := func(line []byte) {
		// The run is the last stretch of run characters, as findBlock cuts it.
		runStart := len(line)
		for runStart > 0 && classes[line[runStart-1]] != 0 {
			runStart--
		}
		run := line[runStart:]
		k := lastEq(run[:len(run)-trailingEq(run)])
		if k < 0 {
			return
		}
		keyEnd := runStart + k + 1
		name, ok := queryKey(line, runStart, keyEnd)
		if !ok {
			return
		}
		checked++
		want, wantOK := keyBeforeSlow(nil, line, runStart, keyEnd)
		got, gotOK := contextName(name), true
		if got != wantOK || gotOK && got && !bytes.Equal(keyBytes(name), want) {
			t.Fatalf("%q: queryKey %q (context %v), keyBeforeSlow %q %v", line, name, got, want, wantOK)
		}
	}
	// A HAR entry's "value" named by its "name" before it, however it is spelt, is keyBeforeSlow's
	// to read: queryKey must not take it.
	for _, v := range []string{"value", "Value", "VALUE"} {
		check([]byte(`{"name": "x-zoom-app-context", "q": "?` + v + "=" + string(tok)))
		check([]byte(`"name": "context", "url": "/a?` + v + "=" + string(tok)))
	}
	for n := 0; n < 200000; n++ {
		var line []byte
		for k := r.IntN(6); k >= 0; k-- {
			line = append(line, parts[r.IntN(len(parts))]...)
		}
		line = append(line, "?& \t\"',;{([|<"[r.IntN(13)])
		for k := r.IntN(4); k >= 0; k-- {
			line = append(line, parts[r.IntN(len(parts))]...)
		}
		line = append(line, '=')
		line = append(line, tok...)
		check(line)
	}
	if checked < 10000 {
		t.Fatalf("only %d lines took the fast path", checked)
	}
}

// TestLayoutFits: decoding the header's 64 characters once gives the answer of decoding each
// field's prefix alone (layoutFitsRef, the code before), on tokens, their prefixes and joins, and
// texts with a character of the other alphabet at any place.
func TestLayoutFits(t *testing.T) {
	f, _ := fixtures.Load()
	r := rand.New(rand.NewPCG(7, 8))
	var texts [][]byte
	for _, v := range f.Vectors {
		texts = append(texts, []byte(v.Token))
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/="
	for n := 0; n < 20000; n++ {
		b := []byte(texts[r.IntN(len(texts))])
		if len(b) == 0 {
			continue
		}
		b = bytes.Clone(b[:r.IntN(len(b))+1])
		for k := r.IntN(3); k > 0 && len(b) > 0; k-- {
			b[r.IntN(len(b))] = alpha[r.IntN(len(alpha))]
		}
		if r.IntN(4) == 0 {
			b = append(b, "=="[:r.IntN(3)]...)
		}
		if got, want := layoutFits(b), layoutFitsRef(b); got != want {
			t.Fatalf("%q: layoutFits %v, before %v", b, got, want)
		}
		// fits, given the decoding the finder makes of a base64url run, says what layoutFits says.
		if dec, ok := decodeRun(nil, b, false); ok && bytes.IndexAny(b, "+/") < 0 {
			if got, want := fits(b, dec), layoutFits(b); got != want {
				t.Fatalf("%q: fits %v from its decoding, layoutFits %v", b, got, want)
			}
		}
	}
}

// TestLayoutFitsLongHeaders: layouts whose header is past the first 64 characters (a long IV, a
// long AAD) are read whole, as before: they fit when they are one layout, and do not with a '='
// inside (a join across "context=a context=b"), in either alphabet; a short header is read alone,
// as before.
func TestLayoutFitsLongHeaders(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	fitted := 0
	for _, ivLen := range []int{12, 40, 60, 100, 255} {
		for _, aadLen := range []int{0, 5, 60, 300} {
			random := func(n int) []byte {
				p := make([]byte, n)
				for k := range p {
					p[k] = byte(r.IntN(256))
				}
				return p
			}
			b := append([]byte{byte(ivLen)}, random(ivLen)...)
			b = binary.LittleEndian.AppendUint16(b, uint16(aadLen))
			b = append(b, random(aadLen)...)
			b = binary.LittleEndian.AppendUint32(b, 10)
			b = append(b, random(10+16)...) // the ciphertext and the tag
			for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.RawStdEncoding} {
				text := []byte(enc.EncodeToString(b))
				if !layoutFits(text) || !layoutFitsRef(text) {
					t.Fatalf("iv %d, aad %d: %q does not fit (layoutFits %v, before %v)", ivLen, aadLen, text, layoutFits(text), layoutFitsRef(text))
				}
				fitted++
				for n := 0; n < 20; n++ {
					bad := bytes.Clone(text)
					bad[1+r.IntN(len(bad)-2)] = '='
					// A header in the first 48 bytes is read alone (the rest is for opening to
					// check); a longer one is decoded whole, and a '=' then fits nothing.
					long := 1+ivLen+2+aadLen+4 > 48
					if got, want := layoutFits(bad), layoutFitsRef(bad); got != want || long && got {
						t.Fatalf("%q: layoutFits %v, before %v", bad, got, want)
					}
				}
			}
		}
	}
	if fitted != 40 {
		t.Fatalf("%d layouts checked", fitted)
	}
}

func layoutFitsRef(text []byte) bool {
	t := text[:len(text)-trailingEq(text)]
	total := len(t) * 6 / 8
	var buf [48]byte
	// The header is in the first 64 characters; letters and digits read the same in either
	// alphabet, so only they choose it.
	std := false
	for _, c := range t[:min(len(t), 64)] {
		if classes[c] == classStd {
			std = true
			break
		}
	}
	head := func(n int) ([]byte, bool) { // the first n bytes, decoded
		chars := (n + 2) / 3 * 4
		if n > total || chars > 4*len(buf)/3 {
			return nil, false
		}
		dec, ok := decodeRun(buf[:0], t[:min(chars, len(t))], std)
		return dec, ok && len(dec) >= n
	}
	h, ok := head(1)
	if !ok || h[0] == 0 {
		return false
	}
	off := 1 + int(h[0])
	if h, ok = head(off + 2); !ok {
		return off+2 <= total && layoutOK(text) // a long IV: decode it all
	}
	aadEnd := off + 2 + (int(h[off]) | int(h[off+1])<<8)
	if h, ok = head(aadEnd + 4); !ok {
		return aadEnd+4 <= total && layoutOK(text)
	}
	ct := int(h[aadEnd]) | int(h[aadEnd+1])<<8 | int(h[aadEnd+2])<<16 | int(h[aadEnd+3])<<24
	return total == aadEnd+4+ct+16 // appctx.TagSize
}

// keyBeforeRef is keyBeforeSlow as it was, copying always: TestKeyBeforeInPlace's reference.
func keyBeforeRef(pre, data []byte, runStart, keyEnd int) ([]byte, bool) {
	var buf [2 * lookBehind]byte
	b := buf[:0]
	from := max(0, runStart-lookBehind)
	if from == 0 {
		b = append(b, pre[max(0, len(pre)-(lookBehind-runStart)):]...)
	}
	b = append(b, data[from:runStart]...)
	b = append(b, data[runStart:min(keyEnd, runStart+lookBehind)]...)
	b = untrace(unescapeQuotes(b))
	name, ok := nameBefore(b)
	if !ok {
		return nil, false
	}
	if contextName(name) {
		return keyBytes(name), true
	}
	if bytes.EqualFold(name, []byte("value")) { // HAR: {"name": "x-zoom-app-context", "value": "TOKEN"}
		if har := harName(b[:len(b)-len(name)]); har != nil && contextName(har) {
			return keyBytes(har), true
		}
	}
	return nil, false
}

// TestKeyBeforeInPlace: reading the bytes before a run in place gives the answer of the copy
// that undoes escapes and trace wraps, on random lines of names, separators, escapes, trace
// offsets and line breaks, with and without the bytes of the block before.
// TestKeyBeforeContextQuery: keyBefore's one-comparison reading of "?context=" and "&context="
// names what queryKey and keyBeforeSlow name, after every byte that may come before the run.
func TestKeyBeforeContextQuery(t *testing.T) {
	general := func(pre, data []byte, runStart, keyEnd int) ([]byte, bool) { // keyBefore without the shortcut
		if name, ok := queryKey(data, runStart, keyEnd); ok {
			if contextName(name) {
				return keyBytes(name), true
			}
			return nil, false
		}
		return keyBeforeSlow(pre, data, runStart, keyEnd)
	}
	const tok = "DBMz3eJ0xIEQ5abC9wAA6gAAAAZ_kZYo_q5X7wTm5UaWmhXA7EdYV"
	checked := 0
	for _, before := range []string{"?", "&", " ", "", ".", "app.", "app_", "x-", "%3F", "\"", "GET /a?b=1&", "a.b?", "[", ":"} {
		for _, key := range []string{"context=", "Context=", "contexts=", "xcontext="} {
			line := []byte("GET /app/home" + before + key + tok + " HTTP/1.1")
			runStart := len("GET /app/home" + before)
			for runStart > 0 && classes[line[runStart-1]] != 0 {
				runStart--
			}
			keyEnd := len("GET /app/home"+before) + len(key)
			got, gotOK := keyBefore(nil, line, runStart, keyEnd)
			want, wantOK := general(nil, line, runStart, keyEnd)
			if gotOK != wantOK || !bytes.Equal(got, want) {
				t.Fatalf("%q: keyBefore names %q %v, the general reading %q %v", line, got, gotOK, want, wantOK)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

func TestKeyBeforeInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	parts := []string{"context", "appContext", "x-zoom-app-context", "X-ZOOM-APP-CONTEXT", "CONTEXT", "value", `"name": "x-zoom-app-context", `, "a", "b.c",
		"-", "_", "+", "/", "=", "?", "&", "%3F", "%3D", "%22", "\\x22", "\\u0022", "\\", "\"", " ", ":", "=>", "\n0040: ",
		"\n", "\r\n", "09", "[", "(", strings.Repeat("filler ", 10)}
	keyed := 0
	for n := 0; n < 100000; n++ {
		var line []byte
		for k := r.IntN(30); k >= 0; k-- {
			line = append(line, parts[r.IntN(len(parts))]...)
		}
		runStart := len(line)
		line = append(line, "AAAABBBBCCCC"...)
		var pre []byte
		if r.IntN(2) == 0 {
			pre = []byte(strings.Repeat(parts[r.IntN(len(parts))], 1+r.IntN(20)))
		}
		for _, keyEnd := range []int{runStart, runStart + 4} {
			got, gotOK := keyBeforeSlow(pre, line, runStart, keyEnd)
			want, wantOK := keyBeforeRef(pre, line, runStart, keyEnd)
			if gotOK != wantOK || !bytes.Equal(got, want) {
				t.Fatalf("pre %q line %q keyEnd %d: %q %v, want %q %v", pre, line, keyEnd, got, gotOK, want, wantOK)
			}
			if gotOK {
				keyed++
			}
		}
	}
	if keyed < 1000 {
		t.Fatalf("only %d keyed", keyed)
	}
}

// TestDecodeRun: the four-at-a-time decoder gives encoding/base64's answer, bytes and success,
// in both alphabets, on random texts of every length with characters of the other alphabet,
// padding, newlines and bytes outside both.
func TestDecodeRun(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for n := 0; n < 300000; n++ {
		b := make([]byte, r.IntN(70))
		for k := range b {
			b[k] = alpha[r.IntN(len(alpha))]
		}
		for k := r.IntN(3); k > 0 && len(b) > 0; k-- {
			b[r.IntN(len(b))] = "-_+/=\n\r .\x00\xff"[r.IntN(11)]
		}
		if r.IntN(4) == 0 {
			b = append(b, "=="[:r.IntN(3)]...)
		}
		for _, std := range []bool{false, true} {
			enc := base64.RawURLEncoding
			if std {
				enc = base64.RawStdEncoding
			}
			body := b[:len(b)-trailingEq(b)]
			want, err := enc.DecodeString(string(body))
			got, ok := decodeRun(nil, b, std)
			if ok != (err == nil) || ok && !bytes.Equal(got, want) {
				t.Fatalf("%q std=%v: %x %v, want %x %v", b, std, got, ok, want, err)
			}
		}
	}
}

// TestFixedZone: the shared zones are time.FixedZone's, name and offset, at every minute of a
// day either side of UTC and past it, and the same Location each time.
func TestFixedZone(t *testing.T) {
	for off := -26 * 3600; off <= 26*3600; off += 30 {
		got, want := fixedZone(off), time.FixedZone("", off)
		at := time.Date(2026, 11, 30, 12, 0, 0, 0, got)
		if name, o := at.Zone(); name != want.String() || o != off || !at.Equal(time.Date(2026, 11, 30, 12, 0, 0, 0, want)) {
			t.Fatalf("offset %d: zone %q %d", off, name, o)
		}
		if off%60 == 0 && off >= -24*3600 && off <= 24*3600 && fixedZone(off) != got {
			t.Fatalf("offset %d: a new Location each time", off)
		}
	}
}

// separatorNearRef is separatorNear as it was, unescaping whenever a backslash or hex digits
// precede the run: TestSeparatorNear's reference.
func separatorNearRef(pre, data []byte, runStart int) bool {
	sep, escaped := separatorIn(pre, data, runStart)
	if sep || !escaped {
		return sep
	}
	var buf [escapedNear]byte
	w := buf[:0]
	if runStart < escapedNear {
		w = append(w, pre[max(0, len(pre)-(escapedNear-runStart)):]...)
	}
	w = append(w, data[max(0, runStart-escapedNear):runStart]...)
	w = unescapeQuotes(w)
	sep, _ = separatorIn(nil, w, len(w))
	return sep
}

// TestSeparatorNear: deciding without a copy when no backslash precedes the run gives the
// answer of the copy with its quotes unescaped, on random bytes of separators, hex digits,
// escapes and words, with and without the previous block's bytes.
func TestSeparatorNear(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	parts := []string{"\\x22", "\\u0022", "\\", "x", "22", "36", "537.36 ", "a", " ", ":", "=", "\"", "'", "[", "(", "%", ">", "0", "f", ".", "ZoomApps"}
	seps := 0
	for n := 0; n < 200000; n++ {
		var b []byte
		for k := r.IntN(20); k >= 0; k-- {
			b = append(b, parts[r.IntN(len(parts))]...)
		}
		runStart := len(b)
		b = append(b, "AAAABBBB"...)
		var pre []byte
		if r.IntN(3) == 0 {
			pre = []byte(parts[r.IntN(len(parts))] + parts[r.IntN(len(parts))])
		}
		got, want := separatorNear(pre, b, runStart), separatorNearRef(pre, b, runStart)
		if got != want {
			t.Fatalf("pre %q data %q: %v, want %v", pre, b[:runStart], got, want)
		}
		if got {
			seps++
		}
	}
	if seps < 1000 {
		t.Fatalf("only %d separators", seps)
	}
}

// TestRunDecoder: with the run decoder, the finder emits the same candidates as without, and a
// candidate that carries the finder's decoding carries exactly decodeRun's, on random lines of
// tokens, keys, padding, both alphabets, escapes and words, cut anywhere.
func TestRunDecoder(t *testing.T) {
	f, _ := fixtures.Load()
	r := rand.New(rand.NewPCG(15, 16))
	var toks []string
	for _, v := range f.Vectors {
		toks = append(toks, v.Token)
	}
	parts := []string{"context=", "?context=", "&context=", "x-zoom-app-context: ", `"appContext":"`, "=", "==", "a=b", " ", "\n",
		"%3D", "%2B", "\\/", "+", "/", "-", "_", "GET /app?", " HTTP/1.1", "abcdefgh", "12345678=", "ABCDEFGHIJKLMNOP==x"}
	fused := 0
	for n := 0; n < 20000; n++ {
		b := randomText(r, toks, parts, 8, 2)
		b = b[:r.IntN(len(b)+1)]
		var plain, withDec []Candidate
		findBlock(nil, b, nil, func(c Candidate, _ int64) { plain = append(plain, c) })
		var d runDecoder
		findBlock(nil, b, &d, func(c Candidate, _ int64) {
			if c.dec != nil {
				fused++
				want, _ := decodeRun(nil, c.Text, false)
				if !bytes.Equal(c.dec, want) {
					t.Fatalf("%q: candidate %q decoded %x, want %x", b, c.Text, c.dec, want)
				}
			}
			c.dec = nil
			withDec = append(withDec, c)
		})
		if len(plain) != len(withDec) {
			t.Fatalf("%q: %d candidates with the decoder, %d without", b, len(withDec), len(plain))
		}
		for k := range plain {
			if !bytes.Equal(plain[k].Text, withDec[k].Text) || plain[k].Keyed != withDec[k].Keyed || plain[k].Std != withDec[k].Std ||
				plain[k].runStop != withDec[k].runStop || plain[k].lineStart != withDec[k].lineStart {
				t.Fatalf("%q: candidate %d differs: %q vs %q", b, k, withDec[k].Text, plain[k].Text)
			}
		}
	}
	if fused < 1000 {
		t.Fatalf("only %d candidates carried the finder's decoding", fused)
	}
}

// findBlockRef is findBlock as it was before its shortcuts for short words (the byte-at-a-time
// short run, the byte before a run deciding separatorIn, the byte after it deciding goesOn): every
// run goes through runEnd, separatorIn and candidate. TestFindBlockShortcuts holds findBlock to it.
func findBlockRef(pre, data []byte, emit func(Candidate, int64)) int64 {
	var line int64
	lineStart := 0
	n := len(data)
	for i := 0; i < n; {
		for i < n && classes[data[i]] == 0 {
			if c := data[i]; c <= '\r' && (c == '\n' || c == '\r' && (i+1 == n || data[i+1] != '\n')) {
				line++
				lineStart = i + 1
			}
			i++
		}
		if i == n {
			break
		}
		if i > 0 && data[i-1] == '\\' {
			if i = pastEscape(data, i); i == n || classes[data[i]] == 0 {
				continue
			}
		}
		j, cl := runEnd(data, i)
		if j-i < minBare && cl&classEq == 0 {
			if sep, escaped := separatorIn(pre, data, i); !sep && !escaped {
				i = j
				continue
			}
		}
		var c Candidate
		if candidate(&c, pre, data, lineStart, i, j, cl, nil) {
			cline, cstart := line, lineStart
			if c.Keyed {
				j = unwrap(&c, data, j, lineStart)
				if len(c.Unwrapped) > 0 && c.Unwrapped[len(c.Unwrapped)-1] == UnwrapTrace {
					nl, ls := lineBreaks(data[i:j])
					line += nl
					if ls >= 0 {
						lineStart = i + ls
					}
				}
				if !plausible(c.Text) || dotted(data, j) {
					i = j
					continue
				}
			}
			c.block, c.lineStart, c.runStop = data, cstart, j
			emit(c, cline)
		}
		i = j
	}
	return line
}

// TestFindBlockShortcuts: findBlock, with and without the run decoder, finds exactly what
// findBlockRef finds (text, key, what was unwrapped, line, where the line starts) and counts the
// same lines, on random text of log words, separators, escapes, spaces, trace wraps and tokens
// cut anywhere, after random bytes of an earlier block.
func TestFindBlockShortcuts(t *testing.T) {
	f, _ := fixtures.Load()
	r := rand.New(rand.NewPCG(17, 18))
	var toks []string
	for _, v := range f.Vectors {
		toks = append(toks, v.Token)
	}
	parts := []string{"context=", "?context=", "&context=", "x-zoom-app-context: ", `"appContext":"`, `{\x22context\x22: \x22`,
		`\u0022`, `\"`, "\\", "\\\\", "=", "==", " ", "  ", "   ", "\t", "\n", "\r", "\r\n", "%", "%3D", "%2B", "%2F", "\\/", "+", "/",
		"-", "_", ":", ";", ".", "\"", "'", "[", "(", "{", ">", "=>", "0000: ", "0040: ", "abc", "ab", "a", "x22", "GET /app?",
		" HTTP/1.1\" 200 5120 ", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)", "[20/Nov/2026:09:30:05 +0000]",
		"abcdefg", "abcdefgh", "12345678=", "ABCDEFGHIJKLMNOP==x", "value", `"name": "x-zoom-app-context", "value": "`,
		// names a trace wraps, 'x' that ends no name, and long stretches with no 'x' at all
		"x-zoom-app-con\n0040: text: ", "CONTEX\n0040: T=", "appConte\r\n0030: xt\":\"", "app_contex_t=", "CONTEX.T: ",
		"conte-x-.t=", "Mac OS X ", "x86_64", "\\x2F", "nginx/1.25", strings.Repeat("lorem ipsum dolor sit amet 200 5120 ", 6),
		strings.Repeat("-", 50)}
	// Short values named by keys the finder must see from afar: a HAR entry whose name is far
	// before its value, names in capitals, a name whose 'x' is far from the end of its run.
	for _, v := range toks[:min(len(toks), 8)] {
		short := v[:min(len(v), 40)]
		parts = append(parts, `"name": "x-zoom-app-context", "comment": "`+strings.Repeat("y", 90)+`", "value": "`+short,
			"X-ZOOM-APP-CONTEXT: "+short, "CONTEXT="+short, "context"+strings.Repeat("_", 100)+": "+short,
			"app-conte"+strings.Repeat("-", 150)+"xt=\""+short, "context"+strings.Repeat("_", 200)+"=\""+short,
			"CONTEX\n0040: T="+short, "x-zoom-app-contex\r\n0040: t: "+short)
	}
	total := 0
	for n := 0; n < 30000; n++ {
		b := randomText(r, toks, parts, 12, 4)
		b = b[r.IntN(len(b)/4+1):]
		if len(b) > 0 && r.IntN(2) == 0 {
			b = b[:r.IntN(len(b))]
		}
		pre := []byte(parts[r.IntN(len(parts))] + parts[r.IntN(len(parts))])
		if r.IntN(3) == 0 { // a block that starts inside a stretch of no run at all
			b = append([]byte(" \t\n"[:r.IntN(4)]), b...)
		}
		total += agreesWithRef(t, pre, b)
	}
	if total < 5000 {
		t.Fatalf("only %d candidates in all: the text is not testing the finder", total)
	}
}

// TestFindBlockAlignments: a short named value is found wherever its key falls against the
// finder's probes and look-ahead, after every length of words with no 'x' in them, and with an 'x'
// a few bytes before its own (in the same eight-byte word at some length: each is checked).
func TestFindBlockAlignments(t *testing.T) {
	f, _ := fixtures.Load()
	tok := f.Get("valid").Token
	keys := []string{"context:", "x-zoom-app-context: ", "CONTEXT=", "contex\n0040: t=", `"name": "x-zoom-app-context", "value": "`,
		"?context=", "context" + strings.Repeat("_", 30) + "=", "X context: ", "ox context=", "Xx-zoom-app-context: "}
	values := []string{tok[:40], tok[:24] + "%2D" + tok[27:44], tok[:20] + `\/` + tok[22:46], tok[:9] + fmt.Sprintf("%%%02X", tok[9]) + tok[10:45], tok[:1] + fmt.Sprintf("%%%02X", tok[1]) + tok[2:40],
		tok[:8] + " " + tok[9:46], // a space a URL decoder made of a '+' (not in this token: it then does not fit)
		tok[:20] + " next=1"}      // a second trigger ("next") close after the first: the first still names its value
	const filler = "ab cd 12 34 ef-gh ij_kl [mn] (op) \"q\" "
	found := 0
	for pad := 0; pad <= 2*probeStride+8; pad++ {
		for _, k := range keys {
			for _, v := range values {
				text := []byte(strings.Repeat(filler, 4)[:pad] + k + v + " HTTP/1.1\" 200 " + filler)
				found += agreesWithRef(t, nil, text)
			}
		}
	}
	if found < 2300 { // 2,556 when written: most of the 4,560 texts hold one
		t.Fatalf("only %d candidates: the values are not found at all", found)
	}
}

// TestFindBlockWideStretches: pass stops at a stretch of words that may hold a long run (all
// bytes from '+' to 'z': dots, colons and letters with no space, as a URL, a time or an id is)
// and hands it to the probes, and a key just past such a stretch, at every alignment against the
// words pass read, still names its value: short values that go on after an escape or a space
// included, and a bare token the stretch runs into.
func TestFindBlockWideStretches(t *testing.T) {
	f, _ := fixtures.Load()
	tok := f.Get("valid").Token
	keys := []string{"context=", "x-zoom-app-context:", "?context=", ":context=", "context:", "", ":", " "} // and no key: bare runs
	values := []string{"a%2B" + tok[4:30], tok[:3] + "%2D" + tok[6:30], tok[:5] + `\/` + tok[7:30], "ab " + tok[3:49], tok[:40], tok,
		tok[:47], tok[:48], tok[:53]}
	stretches := []string{".", "a.b:", "..:;", "1.2.3", "/a/b?c", "a_b.c-d"}
	found := 0
	for lead := 0; lead < 12; lead++ {
		for n := 30; n <= 64; n++ {
			for _, st := range stretches {
				wide := []byte(strings.Repeat(st, 64/len(st)+2)[:n])
				for _, k := range keys {
					for _, v := range values {
						text := append(append([]byte(strings.Repeat("ab ", 8)[:lead]), wide...), k+v+" HTTP/1.1\" 200\n"...)
						found += agreesWithRef(t, nil, text)
					}
				}
			}
		}
	}
	if found < 20000 {
		t.Fatalf("only %d candidates: the values are not found at all", found)
	}
}

// TestFindBlockTriggerPastLookAhead: a key whose 'x' lies just past where the look for triggers
// stopped, in a run that a probe meets exactly there, still names its value. The probes before
// pass passed such a run as too short to be a token, the trigger inside it unseen (found by a
// differential test of the two finders: ".AAA...pp.context=DA%2F..." gave no candidate).
func TestFindBlockTriggerPastLookAhead(t *testing.T) {
	f, _ := fixtures.Load()
	tok := f.Get("valid").Token
	found := 0
	for a := 30; a < 48; a++ { // words of run characters between dots, each shorter than a token
		for b := 1; b < 30; b++ {
			for c := 1; c < 24; c++ {
				for _, v := range []string{tok[:2] + "%2F" + tok[5:20], "DA%2F" + strings.Repeat("A", 13)} {
					text := "." + strings.Repeat("A", a) + "." + strings.Repeat("A", b) + "." + strings.Repeat("A", c) + "pp.context=" + v
					found += agreesWithRef(t, nil, []byte(text))
				}
			}
		}
	}
	if found < 20000 { // 25,346 when written
		t.Fatalf("only %d candidates", found)
	}
	// The differential test's three smallest inputs: cut by a percent-escape, by curl's trace
	// wrap, by a JSON escape. Each holds one value that the finder before pass missed.
	for _, text := range []string{
		"." + strings.Repeat("A", 39) + "." + strings.Repeat("A", 23) + "." + strings.Repeat("A", 15) + "pp.context=DA%2F" + strings.Repeat("A", 13),
		"AAAAA." + strings.Repeat(strings.Repeat("A", 23)+".", 3) + strings.Repeat("A", 18) + "\n0000: " + strings.Repeat("A", 33) + "." +
			strings.Repeat("A", 17) + "?context=DAAA\n0040: " + strings.Repeat("A", 12),
		"." + strings.Repeat("A", 38) + "." + strings.Repeat("A", 23) + "." + strings.Repeat("A", 18) + " context=DAA\\u002b" + strings.Repeat("A", 12),
	} {
		if agreesWithRef(t, nil, []byte(text)) != 1 {
			t.Fatalf("%q: the value is not found", text)
		}
	}
}

// TestDecodeWords: the pair-table word decoder reads and writes what decodeQuads does, word by
// word, stopping at the first word holding a byte outside base64url (any of the 256), on random
// texts, and for every byte value in every position of a word.
func TestDecodeWords(t *testing.T) {
	const url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	ref := func(src []byte) (int, []byte) {
		var out []byte
		i := 0
		for ; i+8 <= len(src); i += 8 {
			w := make([]byte, 6)
			if n, ok := decodeQuads(w, src[i:i+8], &urlValues); !ok || n != 6 {
				break
			}
			out = append(out, w...)
		}
		return i, out
	}
	check := func(src []byte) {
		dst := make([]byte, len(src)+8)
		k, o := decodeWords(dst, src, pairValues())
		wk, want := ref(src)
		if k != wk || o != len(want) || !bytes.Equal(dst[:o], want) {
			t.Fatalf("%q: read %d, wrote %x; want %d, %x", src, k, dst[:o], wk, want)
		}
	}
	r := rand.New(rand.NewPCG(21, 22))
	for n := 0; n < 20000; n++ {
		src := make([]byte, r.IntN(80))
		for k := range src {
			src[k] = url[r.IntN(len(url))]
			if r.IntN(60) == 0 {
				src[k] = byte(r.IntN(256))
			}
		}
		check(src)
	}
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			src := []byte("AbCd-_09" + "ZyXw8765")
			src[pos] = byte(c)
			check(src)
		}
	}
}

// FuzzFindBlockShortcuts: on any block and any bytes before it, findBlock (with and without its
// decoder) finds what findBlockRef, the plain reading of every run, finds: the same candidates,
// keys, unwrapping and lines.
func FuzzFindBlockShortcuts(f *testing.F) {
	fx, _ := fixtures.Load()
	tok := fx.Get("valid").Token
	f.Add("", "127.0.0.1 - - [20/Nov/2026:09:30:05 +0000] \"GET /app?context="+tok+" HTTP/1.1\" 200 5120 \"Mac OS X\"\n")
	f.Add(" x-zoom-app-contex", "\r\n0040: t: "+tok[:30]+"%2D"+tok[33:60]+"\n")
	f.Add("", "ab cd conte\n0040: xt: "+tok[:9]+"%4B"+tok[10:40]+"\n")
	f.Add("app_context", "="+tok[:9]+"%4B"+tok[10:40]+" GET / "+tok)
	f.Add("", `"name": "x-zoom-app-context", "comment": "`+strings.Repeat("y", 90)+`", "value": "`+tok[:40]+`"`)
	f.Add("", "context"+strings.Repeat("_", 150)+"=\""+tok[:20]+`\/`+tok[22:46]+"\"")
	f.Fuzz(func(t *testing.T, pre, data string) {
		agreesWithRef(t, []byte(pre), []byte(data))
	})
}

// randomText joins up to maxParts+1 random pieces: a token (whole, or cut anywhere, one time in
// three) one time in tokenOneIn, else one of parts.
func randomText(r *rand.Rand, toks, parts []string, maxParts, tokenOneIn int) []byte {
	var b []byte
	for k := r.IntN(maxParts); k >= 0; k-- {
		if r.IntN(tokenOneIn) != 0 {
			b = append(b, parts[r.IntN(len(parts))]...)
			continue
		}
		tok := toks[r.IntN(len(toks))]
		if len(tok) > 0 && r.IntN(3) == 0 {
			tok = tok[:r.IntN(len(tok))]
		}
		b = append(b, tok...)
	}
	return b
}

// agreesWithRef fails t unless findBlock, with and without its decoder, finds after pre in data
// what findBlockRef finds (text, key, alphabet, what was unwrapped, line, where the line starts
// and the run ends) and counts as many line breaks, and unless every decoding the decoder hands
// on is its candidate's text decoded; it returns how many candidates there were.
func agreesWithRef(t testing.TB, pre, data []byte) int {
	t.Helper()
	type found struct {
		c    Candidate
		line int64
	}
	into := func(list *[]found) func(Candidate, int64) {
		return func(c Candidate, l int64) { c.dec = nil; *list = append(*list, found{c, l}) }
	}
	var want, plain, withDec []found
	wantLines := findBlockRef(pre, data, into(&want))
	plainLines := findBlock(pre, data, nil, into(&plain))
	var d runDecoder
	keep := into(&withDec)
	decLines := findBlock(pre, data, &d, func(c Candidate, l int64) {
		// The finder's decoding, when it hands one on, is the candidate's text decoded.
		if want, _ := decodeRun(nil, c.Text, false); c.dec != nil && !bytes.Equal(c.dec, want) {
			t.Fatalf("pre %q, %q: candidate %q carries a decoding %x, its text decodes to %x", pre, data, c.Text, c.dec, want)
		}
		keep(c, l)
	})
	if plainLines != wantLines || decLines != wantLines {
		t.Fatalf("pre %q, %q: %d and %d lines, want %d", pre, data, plainLines, decLines, wantLines)
	}
	for _, got := range [][]found{plain, withDec} {
		if len(got) != len(want) {
			t.Fatalf("pre %q, %q: %d candidates, want %d", pre, data, len(got), len(want))
		}
		for k := range want {
			g, w := got[k], want[k]
			if !bytes.Equal(g.c.Text, w.c.Text) || g.c.Keyed != w.c.Keyed || !bytes.Equal(g.c.Key, w.c.Key) || g.c.Std != w.c.Std ||
				strings.Join(g.c.Unwrapped, ",") != strings.Join(w.c.Unwrapped, ",") || g.line != w.line ||
				g.c.lineStart != w.c.lineStart || g.c.runStop != w.c.runStop {
				t.Fatalf("pre %q, %q: candidate %d is %q (line %d), want %q (line %d)", pre, data, k, g.c.Text, g.line, w.c.Text, w.line)
			}
		}
	}
	return len(want)
}

// TestLastEqRead: the last '=' before a run's padding, taken from what runDecoder.end read of the
// run, is lastEq's, on runs of every length with '=' anywhere (a key's, inside, at the end of a
// word, padding of every length, padding that begins a word early), and the decoder does read
// many of them whole (else the test would not test the shortcut).
func TestLastEqRead(t *testing.T) {
	const url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	r := rand.New(rand.NewPCG(21, 5))
	var d runDecoder
	read := 0
	for n := 0; n < 50000; n++ {
		run := make([]byte, 8+r.IntN(120))
		for k := range run {
			run[k] = url[r.IntN(len(url))]
		}
		for e := r.IntN(4); e > 0; e-- {
			run[r.IntN(len(run))] = '='
		}
		for p := r.IntN(4); p > 0; p-- {
			run = append(run, '=')
		}
		lead := r.IntN(9)
		data := append(append([]byte("?context"[:lead]), run...), " HTTP/1.1"...)
		i := lead
		fr := d.end(data, i)
		if fr.end != i+len(run) {
			continue // a run the decoder ends elsewhere: '?' is not a run character, so never
		}
		b := run[:len(run)-trailingEq(run)]
		if got, want := lastEqRead(b, i, &fr), lastEq(b); got != want {
			t.Fatalf("%q: last '=' at %d, want %d (decoder from %d, ok %v)", run, got, want, fr.from-i, fr.ok)
		}
		if fr.ok && bytes.IndexByte(b, '=') >= 0 {
			read++
		}
	}
	if read < 5000 {
		t.Fatalf("only %d runs with a '=' read whole by the decoder", read)
	}
}
