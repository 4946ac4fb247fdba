package webhook

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseShapes(t *testing.T) {
	body := `{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680}`
	tests := []struct {
		name      string
		in        string
		format    Format
		wantBody  string
		wantSig   string
		wantNotes string
	}{
		{name: "chrome copy as cURL with $'...'", format: FormatCurl, wantBody: "{\"a\":\"it's\\n\"}", wantSig: "v0=ab",
			in: "curl 'http://localhost:4000/hook' \\\n  -H 'x-zm-signature: v0=ab' \\\n  -H 'x-zm-request-timestamp: 1' \\\n  --data-raw $'{\"a\":\"it\\'s\\\\n\"}' \\\n  --compressed"},
		{name: "double quotes and -X", format: FormatCurl, wantBody: `{"a":"$x"}`, wantSig: "v0=cd",
			in: `curl -X POST -H "x-zm-signature: v0=cd" -d "{\"a\":\"\$x\"}" http://h/`},
		{name: "two -d joined", format: FormatCurl, wantBody: "a=1&b=2", wantNotes: "joined with '&'", in: "curl -d a=1 -d b=2 http://h/"},
		{name: "http without content-length drops the capture's newline", format: FormatHTTP, wantBody: body, wantSig: "v0=1", wantNotes: "no Content-Length",
			in: "POST / HTTP/1.1\nx-zm-signature: v0=1\n\n" + body + "\n"},
		{name: "content-length cuts trailing newline", format: FormatHTTP, wantBody: body, wantNotes: "are not part of the body",
			in: "POST / HTTP/1.1\r\nContent-Length: 110\r\n\r\n" + body + "\r\n"},
		{name: "folded header", format: FormatHTTP, wantBody: "{}", wantSig: "v0=a b",
			in: "POST / HTTP/1.1\r\nx-zm-signature: v0=a\r\n b\r\nContent-Length: 2\r\n\r\n{}"},
		{name: "body alone", format: FormatBody, wantBody: body, in: "\xef\xbb\xbf  " + body + "\n"},
		{name: "log with parsed body", format: FormatLog, wantBody: `{"a":1.0,"b":"\/"}`, wantSig: "v0=9", wantNotes: "parsed object",
			in: `{"headers":{"X-Zm-Signature":["v0=9"],"x-zm-request-timestamp":12},"body":{ "a" : 1.0, "b": "\/" }}`},
		{name: "log with header list", format: FormatLog, wantBody: "{}", wantSig: "v0=7",
			in: `{"request":{"headers":[{"name":"x-zm-signature","value":"v0=7"}],"raw_body":"{}"}}`},
		{name: "HAR entry alone", format: FormatHAR, wantBody: "{}", wantSig: "v0=5",
			in: `{"request":{"method":"POST","url":"https://x/y?z=1","headers":[{"name":"x-zm-signature","value":"v0=5"}],"postData":{"text":"{}"}}}`},
		{name: "curl -v alone has no body", format: FormatCurlVerbose, wantSig: "v0=3", wantNotes: "does not print the body",
			in: "* Trying\n> POST /h HTTP/1.1\n> x-zm-signature: v0=3\n> \n< HTTP/1.1 200 OK\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if d.Format != tt.format {
				t.Errorf("format %q, want %q", d.Format, tt.format)
			}
			if string(d.Body) != tt.wantBody {
				t.Errorf("body %q, want %q", d.Body, tt.wantBody)
			}
			if sig, _ := d.Get(HeaderSignature); sig != tt.wantSig {
				t.Errorf("signature %q, want %q", sig, tt.wantSig)
			}
			if notes := strings.Join(d.Notes, "; "); !strings.Contains(notes, tt.wantNotes) {
				t.Errorf("notes %q, want them to say %q", notes, tt.wantNotes)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		want   string
	}{
		{"not a capture", "hello world", 0, "a request line"},
		{"bad header line", "POST / HTTP/1.1\r\nx-zm-signature v0=1\r\n\r\n{}", 17, `a header line "Name: value"`},
		{"unclosed single quote", "curl -d '{\"a\":1}", 16, "a closing ' for the quote opened at byte 8"},
		{"unclosed double quote", "curl -d \"{", 10, "a closing \" for the quote opened at byte 8"},
		{"data from a file", "curl -d @body.json http://h/", 8, "reads it from a file"},
		{"bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 47, "a chunk size in hex"},
		{"chunk cut short", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{}", 53, "14 more bytes"},
		{"bad json", `{"event": tru}`, 10, "a JSON value"},
		{"text after the body", `{"event":"x"} trailing`, 14, "the end of the body"},
		{"json array", `[1,2]`, 0, "a JSON object"},
		{"curl -v bad request line", "> what\n", 0, "the request line"},
		{"-H without value", "curl -H", 7, "a value after -H"},
		{"form upload", "curl -F a=b http://h", 5, "-F changes the body"},
		{"huge", strings.Repeat("a", maxCapture+1), maxCapture, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Offset != tt.offset || !strings.Contains(pe.Want, tt.want) {
				t.Fatalf("%v\nwant offset %d and %q", pe, tt.offset, tt.want)
			}
		})
	}
	if _, err := Parse([]byte(" \r\n\t")); err != ErrEmpty {
		t.Fatalf("blank capture: %v, want ErrEmpty", err)
	}
}

// TestHostileInputs: what anyone can paste gets one clear answer, in linear time, without a panic.
func TestHostileInputs(t *testing.T) {
	ins := [][]byte{
		bytes.Repeat([]byte("{"), 100000),
		bytes.Repeat([]byte("["), 100000),
		bytes.Repeat([]byte("a"), 100000),
		bytes.Repeat([]byte("> "), 100000),
		bytes.Repeat([]byte("\n"), 100000),
		append([]byte("curl "), bytes.Repeat([]byte("'"), 100001)...),
		append([]byte("curl -d $'"), bytes.Repeat([]byte(`\x`), 50000)...),
		append([]byte("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), bytes.Repeat([]byte("1\r\na\r\n"), 20000)...),
		[]byte("POST / HTTP/1.1\r\nx-zm-signature: v0=\xff\xfe\x00\x1b[31m\r\n\r\n{\"event\":\"\xff\"}"),
		[]byte(`{"event":"x","event_ts":NaN}`),
		[]byte(`{"event":"x","event_ts":1e999}`),
	}
	for i, in := range ins {
		d, err := Parse(in)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("input %d: an empty error", i)
			}
			continue
		}
		d.Set(HeaderTimestamp, "17645000011764500001")
		d.Set(HeaderSignature, "v0="+strings.Repeat("A", 64))
		_ = Diagnose(d, []Secret{{Label: "dev", Value: []byte("s")}}, time.Unix(0, 0))
	}
	deep := append(bytes.Repeat([]byte("["), maxDepth+1), bytes.Repeat([]byte("]"), maxDepth+1)...)
	if _, err := parseJSON(deep); err == nil || !strings.Contains(err.Error(), "levels of nesting") {
		t.Fatalf("deep nesting: %v", err)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"event":"meeting.ended"}`)
	sig := Sign([]byte("k"), "1", body)
	tests := []struct {
		name, secret, ts, sig string
		want                  error
	}{
		{"valid", "k", "1", sig, nil},
		{"empty secret refused", "", "1", Sign(nil, "1", body), ErrEmptySecret},
		{"no signature", "k", "1", "", ErrNoSignature},
		{"no timestamp", "k", "", sig, ErrNoTimestamp},
		{"no prefix", "k", "1", sig[3:], ErrSignatureMissing},
		{"other timestamp", "k", "2", sig, ErrMismatch},
		{"upper case", "k", "1", "v0=" + strings.ToUpper(sig[3:]), ErrMismatch},
	}
	for _, tt := range tests {
		if err := Verify([]byte(tt.secret), tt.ts, tt.sig, body); err != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestHandshake: the answer matches Zoom's documented example and is given only after verifying.
func TestHandshake(t *testing.T) {
	body := []byte(`{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`)
	d := &Delivery{Body: body, HasBody: true, Headers: []Header{{HeaderTimestamp, "1654503849"}}}
	d.Set(HeaderSignature, Sign([]byte("secret"), "1654503849", body))
	r := Diagnose(d, []Secret{{Label: "dev", Value: []byte("secret")}}, time.Unix(1654503850, 0))
	if !r.OK || r.Handshake == nil || r.Handshake.PlainToken != "qgg8vlvZRS6UYooatFL8Aw" ||
		r.Handshake.EncryptedToken != Validate([]byte("secret"), "qgg8vlvZRS6UYooatFL8Aw").EncryptedToken {
		t.Fatalf("%+v", r)
	}
	r = Diagnose(d, []Secret{{Label: "other", Value: []byte("nope")}}, time.Unix(1654503850, 0))
	if r.OK || r.Handshake != nil {
		t.Fatalf("a handshake answered without a verified signature: %+v", r.Handshake)
	}
}
