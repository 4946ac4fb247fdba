package webhook

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is the shape a delivery was captured in.
type Format string

// The shapes Parse reads.
const (
	FormatHTTP        Format = "raw HTTP request"
	FormatCurlVerbose Format = "curl -v output"
	FormatCurl        Format = "curl command"
	FormatHAR         Format = "HAR entry"
	FormatLog         Format = "JSON log line"
	FormatBody        Format = "body alone"
)

// Header is one request header as captured.
type Header struct {
	Name, Value string
}

// Delivery is one webhook request as read from a capture.
type Delivery struct {
	Format         Format
	Method, Target string
	Headers        []Header
	Body           []byte
	HasBody        bool     // false when the capture holds no body (curl -v prints none)
	BodyAt         int      // the body's offset in the capture when it is a slice of it, else -1
	Notes          []string // what was assumed or repaired while reading
}

// Get returns the last value of the header name, case-insensitively, as frameworks hand it over.
func (d *Delivery) Get(name string) (string, bool) {
	v, ok := "", false
	for _, h := range d.Headers {
		if strings.EqualFold(h.Name, name) {
			v, ok = h.Value, true
		}
	}
	return v, ok
}

// Set replaces every value of the header name with value.
func (d *Delivery) Set(name, value string) {
	kept := d.Headers[:0]
	for _, h := range d.Headers {
		if !strings.EqualFold(h.Name, name) {
			kept = append(kept, h)
		}
	}
	d.Headers = append(kept, Header{Name: name, Value: value})
}

// ParseError says where a capture stops making sense and what was expected there.
type ParseError struct {
	Format Format
	Offset int    // byte offset in the capture
	Line   int    // 1-based line of Offset
	Want   string // what was expected at Offset
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s: byte %d (line %d): want %s", e.Format, e.Offset, e.Line, e.Want)
}

// maxCapture bounds what Parse reads: a Zoom delivery is a few kilobytes.
const maxCapture = 8 << 20

func perr(in []byte, f Format, off int, want string, args ...any) *ParseError {
	off = max(0, min(off, len(in)))
	return &ParseError{Format: f, Offset: off, Line: bytes.Count(in[:off], []byte("\n")) + 1, Want: fmt.Sprintf(want, args...)}
}

// ErrEmpty is Parse's error for a capture with nothing in it.
var ErrEmpty = errors.New("the capture is empty: paste a raw HTTP request, curl -v output, a curl command, a HAR entry, a JSON log line or the JSON body")

// Parse reads a delivery from a capture, whichever of the shapes of Format it is in. It runs in
// time linear in the capture's length.
func Parse(in []byte) (*Delivery, error) {
	if len(in) > maxCapture {
		return nil, perr(in, FormatBody, maxCapture, "at most %d bytes: a Zoom delivery is a few kilobytes", maxCapture)
	}
	start := 0
	if bytes.HasPrefix(in, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	for start < len(in) && isSpace(in[start]) {
		start++
	}
	if start == len(in) {
		return nil, ErrEmpty
	}
	rest := in[start:]
	switch {
	case rest[0] == '{' || rest[0] == '[':
		return parseJSONCapture(in, start)
	case hasWord(rest, "curl") || hasWord(rest, "$ curl"):
		if verboseAt(rest) >= 0 {
			return parseCurlVerbose(in, start)
		}
		return parseCurl(in, start)
	case verboseAt(rest) == 0 || rest[0] == '*' && verboseAt(rest) > 0:
		return parseCurlVerbose(in, start)
	}
	if _, _, ok := requestLine(firstLine(rest)); ok {
		return parseHTTP(in, start)
	}
	return nil, perr(in, FormatHTTP, start, "a request line such as \"POST /webhook HTTP/1.1\", curl -v output (lines starting with '> '), "+
		"a curl command, a HAR entry or a JSON log line, or the JSON body (with --timestamp and --signature)")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func hasWord(b []byte, w string) bool {
	return bytes.HasPrefix(b, []byte(w)) && (len(b) == len(w) || isSpace(b[len(w)]))
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimSuffix(b, []byte("\r"))
}

// verboseAt is the offset of the first line starting with "> " (curl -v's request lines), or -1.
func verboseAt(b []byte) int {
	for off := 0; off < len(b); {
		line := b[off:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		if bytes.HasPrefix(line, []byte("> ")) {
			return off
		}
		off += len(line)
	}
	return -1
}

// requestLine splits "METHOD TARGET HTTP/x.y".
func requestLine(l []byte) (method, target string, ok bool) {
	parts := strings.Split(string(l), " ")
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/") || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	for _, c := range parts[0] {
		if c < 'A' || c > 'Z' {
			return "", "", false
		}
	}
	return parts[0], parts[1], true
}

// lines iterates over b's lines, giving each without its line ending and the offset of the next.
type lineReader struct {
	b   []byte
	off int
}

func (r *lineReader) next() (line []byte, at int, ok bool) {
	if r.off >= len(r.b) {
		return nil, r.off, false
	}
	at = r.off
	rest := r.b[at:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		r.off = len(r.b)
		return rest, at, true
	}
	r.off = at + i + 1
	return bytes.TrimSuffix(rest[:i], []byte("\r")), at, true
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// parseHTTP reads a raw request: request line, headers, a blank line, then the body, with CRLF or
// LF line endings, Content-Length honoured and chunked transfer coding decoded.
func parseHTTP(in []byte, start int) (*Delivery, error) {
	d := &Delivery{Format: FormatHTTP, BodyAt: -1}
	r := &lineReader{b: in, off: start}
	l, _, _ := r.next()
	d.Method, d.Target, _ = requestLine(l)
	blank := false
	for {
		line, at, ok := r.next()
		if !ok {
			break
		}
		if len(line) == 0 {
			blank = true
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && len(d.Headers) > 0 { // obsolete line folding
			d.Headers[len(d.Headers)-1].Value += " " + strings.TrimSpace(string(line))
			continue
		}
		name, value, found := strings.Cut(string(line), ":")
		if !found || !validHeaderName(name) {
			return nil, perr(in, FormatHTTP, at, "a header line \"Name: value\" or the blank line before the body")
		}
		d.Headers = append(d.Headers, Header{Name: name, Value: strings.Trim(value, " \t")})
	}
	d.HasBody = true
	if !blank {
		d.Notes = append(d.Notes, "no blank line after the headers: the request has no body")
		d.Body = []byte{}
		return d, nil
	}
	body := in[r.off:]
	if te, _ := d.Get("Transfer-Encoding"); strings.Contains(strings.ToLower(te), "chunked") {
		b, err := dechunk(in, r.off)
		if err != nil {
			return nil, err
		}
		d.Body = b
		d.Notes = append(d.Notes, "body decoded from chunked transfer coding")
		return d, nil
	}
	d.BodyAt = r.off
	d.Body = fitLength(d, body)
	return d, nil
}

// fitLength cuts the body to Content-Length, saying what was cut; without one, it drops one
// trailing line ending, which a file or a terminal adds and Zoom never sends.
func fitLength(d *Delivery, body []byte) []byte {
	cl, has := d.Get("Content-Length")
	if !has {
		trimmed := bytes.TrimSuffix(bytes.TrimSuffix(body, []byte("\n")), []byte("\r"))
		if len(trimmed) != len(body) {
			d.Notes = append(d.Notes, "no Content-Length: the line ending after the body was taken as the capture's, not the body's")
		}
		return trimmed
	}
	n, err := strconv.Atoi(strings.TrimSpace(cl))
	switch {
	case err != nil || n < 0:
		d.Notes = append(d.Notes, fmt.Sprintf("Content-Length %q is not a length: the whole rest was taken as the body", cl))
	case n < len(body):
		extra := body[n:]
		what := "more bytes"
		if len(bytes.TrimLeft(extra, " \t\r\n")) == 0 {
			what = "whitespace (a line ending the capture added)"
		}
		d.Notes = append(d.Notes, fmt.Sprintf("Content-Length is %d: the %d bytes after it (%s) are not part of the body", n, len(extra), what))
		return body[:n]
	case n > len(body):
		d.Notes = append(d.Notes, fmt.Sprintf("Content-Length is %d but only %d bytes follow: the capture is cut short, or its CRLF line endings became LF", n, len(body)))
	}
	return body
}

// dechunk decodes a chunked body (RFC 9112 §7.1) starting at off in the capture.
func dechunk(in []byte, off int) ([]byte, error) {
	var out []byte
	r := &lineReader{b: in, off: off}
	for {
		line, at, ok := r.next()
		if !ok {
			return nil, perr(in, FormatHTTP, at, "a chunk size in hex, then the last chunk \"0\"")
		}
		sizeText, _, _ := strings.Cut(string(line), ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeText), 16, 32)
		if err != nil || size < 0 {
			return nil, perr(in, FormatHTTP, at, "a chunk size in hex (chunked transfer coding)")
		}
		if size == 0 {
			return append([]byte{}, out...), nil
		}
		if int64(len(in)-r.off) < size {
			return nil, perr(in, FormatHTTP, len(in), "%d more bytes of the chunk that starts at byte %d", size-int64(len(in)-r.off), r.off)
		}
		out = append(out, in[r.off:r.off+int(size)]...)
		r.off += int(size)
		end, at, _ := r.next()
		if len(end) != 0 {
			return nil, perr(in, FormatHTTP, at, "a line ending right after the %d bytes of the chunk", size)
		}
	}
}

// parseCurlVerbose reads curl -v output: "> " lines are the request line and headers. curl does
// not print the body it sends, so the body comes from the curl command pasted above the output,
// when there is one.
func parseCurlVerbose(in []byte, start int) (*Delivery, error) {
	d := &Delivery{Format: FormatCurlVerbose, BodyAt: -1}
	if vs := start + verboseAt(in[start:]); hasWord(in[start:], "curl") || hasWord(in[start:], "$ curl") {
		cmd, err := parseCurl(in[:vs], start)
		if err != nil {
			return nil, err
		}
		d.Body, d.HasBody = cmd.Body, cmd.HasBody
	}
	r := &lineReader{b: in, off: start}
	seenRequest := false
	for {
		line, at, ok := r.next()
		if !ok {
			break
		}
		if !bytes.HasPrefix(line, []byte(">")) {
			continue
		}
		text := strings.TrimPrefix(strings.TrimPrefix(string(line), ">"), " ")
		if !seenRequest {
			m, t, ok := requestLine([]byte(text))
			if !ok {
				return nil, perr(in, FormatCurlVerbose, at, "the request line \"> POST /path HTTP/1.1\"")
			}
			d.Method, d.Target, seenRequest = m, t, true
			continue
		}
		if text == "" {
			break
		}
		name, value, found := strings.Cut(text, ":")
		if !found || !validHeaderName(name) {
			return nil, perr(in, FormatCurlVerbose, at, "a header line \"> Name: value\"")
		}
		d.Headers = append(d.Headers, Header{Name: name, Value: strings.TrimSpace(value)})
	}
	if !d.HasBody {
		d.Notes = append(d.Notes, "curl -v does not print the body it sends: paste the curl command above its output, or give the body with --body")
	}
	return d, nil
}

// parseCurl reads a curl command as browsers' "Copy as cURL" (bash) writes it, and as people type
// it: -H/--header, -d/--data/--data-raw/--data-binary/--data-ascii, -X/--request, the URL.
func parseCurl(in []byte, start int) (*Delivery, error) {
	args, err := shellWords(in, start)
	if err != nil {
		return nil, err
	}
	d := &Delivery{Format: FormatCurl, BodyAt: -1}
	if len(args) > 0 && args[0].s == "$" {
		args = args[1:]
	}
	var datas []string
	takesArg := map[string]bool{"-o": true, "--output": true, "-u": true, "--user": true, "-b": true, "--cookie": true,
		"-e": true, "--referer": true, "-m": true, "--max-time": true, "--connect-timeout": true, "-w": true, "--write-out": true,
		"--cacert": true, "--cert": true, "--key": true, "--resolve": true, "-x": true, "--proxy": true, "--retry": true}
	for i := 1; i < len(args); i++ {
		a := args[i]
		next := func() (string, error) {
			if i+1 >= len(args) {
				return "", perr(in, FormatCurl, a.end, "a value after %s", a.s)
			}
			i++
			return args[i].s, nil
		}
		switch {
		case a.s == "-H" || a.s == "--header":
			v, err := next()
			if err != nil {
				return nil, err
			}
			name, value, found := strings.Cut(v, ":")
			if !found {
				if n, ok := strings.CutSuffix(v, ";"); ok { // curl's way of sending an empty header
					d.Headers = append(d.Headers, Header{Name: n})
					continue
				}
				return nil, perr(in, FormatCurl, args[i].at, "a header \"Name: value\" after %s", a.s)
			}
			d.Headers = append(d.Headers, Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
		case a.s == "-A" || a.s == "--user-agent":
			v, err := next()
			if err != nil {
				return nil, err
			}
			d.Headers = append(d.Headers, Header{Name: "User-Agent", Value: v})
		case a.s == "-d" || a.s == "--data" || a.s == "--data-raw" || a.s == "--data-binary" || a.s == "--data-ascii":
			v, err := next()
			if err != nil {
				return nil, err
			}
			if a.s != "--data-raw" && strings.HasPrefix(v, "@") {
				return nil, perr(in, FormatCurl, args[i].at, "the body itself: %s %s reads it from a file zoomdbg does not open; paste the file's content with --data-raw", a.s, v)
			}
			datas = append(datas, v)
		case a.s == "-F" || a.s == "--form" || a.s == "--data-urlencode" || a.s == "--json":
			return nil, perr(in, FormatCurl, a.at, "-d, --data-raw or --data-binary: %s changes the body curl sends", a.s)
		case a.s == "-X" || a.s == "--request":
			v, err := next()
			if err != nil {
				return nil, err
			}
			d.Method = v
		case a.s == "--url":
			v, err := next()
			if err != nil {
				return nil, err
			}
			d.Target = v
		case takesArg[a.s]:
			if _, err := next(); err != nil {
				return nil, err
			}
		case strings.HasPrefix(a.s, "-") && len(a.s) > 1:
			// a flag without a value: -v, -s, -k, --compressed, -L, ...
		default:
			d.Target = a.s
		}
	}
	if len(datas) > 0 {
		d.Body, d.HasBody = []byte(strings.Join(datas, "&")), true
		if len(datas) > 1 {
			d.Notes = append(d.Notes, fmt.Sprintf("%d data arguments joined with '&', as curl joins them", len(datas)))
		}
	}
	if d.Method == "" {
		d.Method = map[bool]string{true: "POST", false: "GET"}[d.HasBody]
	}
	if u, err := url.Parse(d.Target); err == nil && u.Host != "" {
		d.Target = u.RequestURI()
	}
	return d, nil
}

// word is one shell word with where it starts and ends in the capture.
type word struct {
	s       string
	at, end int
}

// shellWords splits a command as a POSIX shell does: quotes, $'...' (ANSI-C quoting, which
// Chrome's "Copy as cURL" uses for bodies with special characters), backslash escapes and
// backslash-newline continuations. It stops at the end of the command's last line.
func shellWords(in []byte, start int) ([]word, error) {
	var ws []word
	i := start
	for i < len(in) {
		c := in[i]
		switch {
		case c == '\\' && i+1 < len(in) && in[i+1] == '\n':
			i += 2
			continue
		case c == '\\' && i+2 < len(in) && in[i+1] == '\r' && in[i+2] == '\n':
			i += 3
			continue
		case c == '\n':
			return ws, nil
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		}
		w := word{at: i}
		var b []byte
		for i < len(in) && !isSpace(in[i]) {
			switch c := in[i]; {
			case c == '\'':
				end := bytes.IndexByte(in[i+1:], '\'')
				if end < 0 {
					return nil, perr(in, FormatCurl, len(in), "a closing ' for the quote opened at byte %d", i)
				}
				b = append(b, in[i+1:i+1+end]...)
				i += end + 2
			case c == '$' && i+1 < len(in) && in[i+1] == '\'':
				s, n, err := ansiC(in, i)
				if err != nil {
					return nil, err
				}
				b = append(b, s...)
				i = n
			case c == '"':
				s, n, err := doubleQuoted(in, i)
				if err != nil {
					return nil, err
				}
				b = append(b, s...)
				i = n
			case c == '\\' && i+1 < len(in):
				if in[i+1] != '\n' {
					b = append(b, in[i+1])
				}
				i += 2
			default:
				b = append(b, c)
				i++
			}
		}
		w.s, w.end = string(b), i
		ws = append(ws, w)
	}
	return ws, nil
}

func doubleQuoted(in []byte, i int) ([]byte, int, error) {
	open := i
	var b []byte
	for i++; i < len(in); i++ {
		switch in[i] {
		case '"':
			return b, i + 1, nil
		case '\\':
			if i+1 < len(in) && strings.IndexByte("\"\\$`\n", in[i+1]) >= 0 {
				if in[i+1] != '\n' {
					b = append(b, in[i+1])
				}
				i++
				continue
			}
		}
		b = append(b, in[i])
	}
	return nil, 0, perr(in, FormatCurl, len(in), "a closing \" for the quote opened at byte %d", open)
}

// ansiC decodes $'...' starting at in[i] == '$'.
func ansiC(in []byte, i int) ([]byte, int, error) {
	open := i
	var b []byte
	simple := map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', '\\': '\\', '\'': '\'', '"': '"', 'a': 7, 'b': 8, 'e': 27, 'E': 27, 'f': 12, 'v': 11, '?': '?'}
	for i += 2; i < len(in); {
		c := in[i]
		if c == '\'' {
			return b, i + 1, nil
		}
		if c != '\\' || i+1 >= len(in) {
			b = append(b, c)
			i++
			continue
		}
		e := in[i+1]
		if s, ok := simple[e]; ok {
			b = append(b, s)
			i += 2
			continue
		}
		digits, base, width := 0, 16, 0
		switch e {
		case 'x':
			width = 2
		case 'u':
			width = 4
		case 'U':
			width = 8
		default:
			if e >= '0' && e <= '7' {
				base, width = 8, 3
			}
		}
		if width == 0 {
			b = append(b, '\\', e)
			i += 2
			continue
		}
		j := i + 2
		if base == 8 {
			j = i + 1
		}
		v := 0
		for digits < width && j < len(in) {
			d := hexVal(in[j])
			if d < 0 || d >= base {
				break
			}
			v = v*base + d
			j++
			digits++
		}
		if digits == 0 {
			return nil, 0, perr(in, FormatCurl, i+2, "hex digits after \\%c", e)
		}
		if e == 'u' || e == 'U' {
			b = utf8.AppendRune(b, rune(v))
		} else {
			b = append(b, byte(v))
		}
		i = j
	}
	return nil, 0, perr(in, FormatCurl, len(in), "a closing ' for the $' quote opened at byte %d", open)
}

// parseJSONCapture reads a HAR file or entry, a JSON log line that holds headers and a body, or
// a JSON body alone.
func parseJSONCapture(in []byte, start int) (*Delivery, error) {
	dec := json.NewDecoder(bytes.NewReader(in[start:]))
	dec.UseNumber()
	var top json.RawMessage
	if err := dec.Decode(&top); err != nil {
		var je *jsonError
		if _, perrJSON := parseJSON(in[start:]); errors.As(perrJSON, &je) {
			return nil, perr(in, FormatBody, start+je.Offset, "%s (the capture starts as JSON)", je.Want)
		}
		return nil, perr(in, FormatBody, len(in), "valid JSON (%s)", strings.TrimPrefix(err.Error(), "json: "))
	}
	end := start + int(dec.InputOffset())
	for end < len(in) && isSpace(in[end]) {
		end++
	}
	trailing := end < len(in)
	var obj map[string]json.RawMessage
	if json.Unmarshal(top, &obj) != nil {
		return nil, perr(in, FormatBody, start, "a JSON object: a Zoom event body, a HAR entry or a log line")
	}
	if _, ok := obj["log"]; ok {
		return parseHAR(in, start, obj)
	}
	if _, ok := obj["request"]; ok && isHAREntry(obj["request"]) {
		return harRequest(in, start, obj["request"])
	}
	if d, ok, err := logLine(in, start, obj); ok || err != nil {
		if trailing && err == nil {
			d.Notes = append(d.Notes, "only the first JSON value was read; the lines after it were ignored")
		}
		return d, err
	}
	if trailing {
		return nil, perr(in, FormatBody, end, "the end of the body: more text follows the JSON value")
	}
	body := bytes.TrimRight(in[start:], " \t\r\n")
	return &Delivery{Format: FormatBody, Method: "POST", Body: body, HasBody: true, BodyAt: start}, nil
}

func isHAREntry(raw json.RawMessage) bool {
	var r struct {
		Method  string            `json:"method"`
		Headers []json.RawMessage `json:"headers"`
	}
	return json.Unmarshal(raw, &r) == nil && r.Method != ""
}

func parseHAR(in []byte, start int, obj map[string]json.RawMessage) (*Delivery, error) {
	var har struct {
		Log struct {
			Entries []struct {
				Request json.RawMessage `json:"request"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(in[start:], &har); err != nil || len(har.Log.Entries) == 0 {
		return nil, perr(in, FormatHAR, start, "log.entries with at least one request")
	}
	firstPost, signed := -1, -1
	for i, e := range har.Log.Entries {
		d, err := harRequest(in, start, e.Request)
		if err != nil || d.Method != "POST" {
			continue
		}
		if firstPost < 0 {
			firstPost = i
		}
		if _, ok := d.Get(HeaderSignature); ok && signed < 0 {
			signed = i
		}
	}
	pick := signed
	if pick < 0 {
		pick = firstPost
	}
	if pick < 0 {
		return nil, perr(in, FormatHAR, start, "a POST request among the %d entries", len(har.Log.Entries))
	}
	d, err := harRequest(in, start, har.Log.Entries[pick].Request)
	if err == nil && len(har.Log.Entries) > 1 {
		d.Notes = append(d.Notes, fmt.Sprintf("entry %d of %d was read: the first POST with an %s header, or else the first POST", pick+1, len(har.Log.Entries), HeaderSignature))
	}
	return d, err
}

func harRequest(in []byte, start int, raw json.RawMessage) (*Delivery, error) {
	var r struct {
		Method  string `json:"method"`
		URL     string `json:"url"`
		Headers []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
		PostData *struct {
			Text     *string `json:"text"`
			Encoding string  `json:"encoding"`
		} `json:"postData"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, perr(in, FormatHAR, start, "a HAR request: method, url, headers [{name, value}], postData.text (%v)", err)
	}
	d := &Delivery{Format: FormatHAR, Method: r.Method, Target: r.URL, BodyAt: -1}
	if u, err := url.Parse(r.URL); err == nil && u.Host != "" {
		d.Target = u.RequestURI()
	}
	for _, h := range r.Headers {
		d.Headers = append(d.Headers, Header{Name: h.Name, Value: h.Value})
	}
	if r.PostData != nil && r.PostData.Text != nil {
		d.Body, d.HasBody = []byte(*r.PostData.Text), true
		if r.PostData.Encoding == "base64" {
			b, err := base64.StdEncoding.DecodeString(*r.PostData.Text)
			if err != nil {
				return nil, perr(in, FormatHAR, start, "postData.text in base64, as its encoding says")
			}
			d.Body = b
		}
	} else {
		d.Notes = append(d.Notes, "the HAR request has no postData.text: the browser did not record the body")
	}
	return d, nil
}

// bodyKeys are where loggers put the request body, the raw ones first.
var bodyKeys = []string{"rawBody", "raw_body", "raw", "body", "data", "payload"}

// logLine finds headers and a body in a JSON log line: at the top or under req, request, http,
// httpRequest or context, as pino, winston, Django and Go's slog write them.
func logLine(in []byte, start int, obj map[string]json.RawMessage) (*Delivery, bool, error) {
	containers := []map[string]json.RawMessage{obj}
	for _, k := range []string{"req", "request", "http", "httpRequest", "context", "event"} {
		var sub map[string]json.RawMessage
		if raw, ok := lookupFold(obj, k); ok && json.Unmarshal(raw, &sub) == nil {
			containers = append(containers, sub)
		}
	}
	for _, c := range containers {
		hraw, ok := lookupFold(c, "headers")
		if !ok {
			continue
		}
		d := &Delivery{Format: FormatLog, Method: "POST", BodyAt: -1}
		if err := logHeaders(d, hraw); err != nil {
			return nil, false, perr(in, FormatLog, start, "headers as an object of names to values or a list of {name, value}: %v", err)
		}
		for _, scope := range []map[string]json.RawMessage{c, obj} {
			if logBody(d, scope) {
				break
			}
		}
		if m, ok := lookupFold(c, "method"); ok {
			_ = json.Unmarshal(m, &d.Method)
		}
		return d, true, nil
	}
	return nil, false, nil
}

func lookupFold(m map[string]json.RawMessage, k string) (json.RawMessage, bool) {
	if v, ok := m[k]; ok {
		return v, true
	}
	for name, v := range m {
		if strings.EqualFold(name, k) {
			return v, true
		}
	}
	return nil, false
}

func logHeaders(d *Delivery, raw json.RawMessage) error {
	var list []struct{ Name, Value string }
	if json.Unmarshal(raw, &list) == nil {
		for _, h := range list {
			d.Headers = append(d.Headers, Header{Name: h.Name, Value: h.Value})
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return err
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		switch v := m[n].(type) {
		case string:
			d.Headers = append(d.Headers, Header{Name: n, Value: v})
		case json.Number:
			d.Headers = append(d.Headers, Header{Name: n, Value: v.String()})
		case []any: // Go's http.Header, Node's rawHeaders-style arrays
			for _, x := range v {
				if s, ok := x.(string); ok {
					d.Headers = append(d.Headers, Header{Name: n, Value: s})
				}
			}
		}
	}
	return nil
}

// logBody takes the body from the first key that holds one: a string is the raw body; an object
// is what the logger wrote of a parsed body, compacted but with its escapes and numbers as written.
func logBody(d *Delivery, m map[string]json.RawMessage) bool {
	for _, k := range bodyKeys {
		raw, ok := lookupFold(m, k)
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			d.Body, d.HasBody = []byte(s), true
			return true
		}
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil && (raw[0] == '{' || raw[0] == '[') {
			d.Body, d.HasBody = buf.Bytes(), true
			d.Notes = append(d.Notes, fmt.Sprintf("the log's %q is a parsed object, not the raw body: it was taken as the logger wrote it, "+
				"without spaces; log the raw body (a string) to see the bytes Zoom signed", k))
			return true
		}
	}
	return false
}
