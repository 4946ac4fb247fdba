// Command appcontext decrypts and checks a Zoom Apps app context (the x-zoom-app-context header,
// or zoomSdk.getAppContext() sent by your front end).
//
// Needs: Go 1.21 or later, standard library only.
// Run:   ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] go run appcontext.go TOKEN
//
// In a net/http server, copy DecryptAppContext and AppContextError (and the helpers below them), and
// call it from a middleware; appContextKey is your own `type appContextKey struct{}`:
//
//	func requireAppContext(next http.Handler) http.Handler {
//		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//			payload, err := DecryptAppContext(r.Header.Get("X-Zoom-App-Context"), secret, clientID, 0)
//			var refused *AppContextError
//			if errors.As(err, &refused) {
//				http.Error(w, refused.Error(), refused.HTTPStatus()) // 401, or 400 for a malformed token
//				return
//			}
//			if err != nil { // an empty secret: the server is misconfigured
//				http.Error(w, "server misconfigured", http.StatusInternalServerError)
//				return
//			}
//			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), appContextKey{}, payload)))
//		})
//	}
package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"strconv"
	"time"
	"unicode/utf8"
)

const (
	maxTokenLen  = 8192 // far above a real context (~500 bytes); checked first, so all else is linear
	ivSize       = 12   // Zoom seals with a 12-byte IV
	tagSize      = 16   // AES-GCM's full 128-bit tag
	maxDepth     = 64   // JSON nesting accepted in the payload
	secondsBelow = 1e11 // an exp or ts below this is epoch seconds, not milliseconds
	numbersBelow = 1e15
)

// AppContextError is the one error DecryptAppContext returns for a token it refuses. Verdict is
// one of no_token, malformed, tag_mismatch, bad_payload, wrong_aud, expired; Reason is the code
// zoomdbg uses for the same refusal (zoomdbg explain REASON says more).
type AppContextError struct {
	Verdict string
	Reason  string
	Detail  string // human words, safe to log: never the secret, never the payload
}

func (e *AppContextError) Error() string { return e.Verdict + "/" + e.Reason + ": " + e.Detail }

// HTTPStatus is the answer a server gives for the refusal: 400 for a token that is not an app
// context at all, 401 for one that is not valid for this app now.
func (e *AppContextError) HTTPStatus() int {
	if e.Verdict == "malformed" {
		return http.StatusBadRequest
	}
	return http.StatusUnauthorized
}

func refuse(verdict, reason, format string, args ...any) error {
	return &AppContextError{Verdict: verdict, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// DecryptAppContext returns the payload of a Zoom app context, or an *AppContextError saying why
// it was refused. header is the value as net/http hands it over ("" when absent). clientID, when
// not "", must equal the payload's aud. nowMs is the current time in epoch milliseconds (0: now).
// An empty clientSecret is the server's fault, not the token's: it returns a plain error.
func DecryptAppContext(header, clientSecret, clientID string, nowMs int64) (map[string]any, error) {
	if clientSecret == "" {
		return nil, errors.New("client secret is empty: set ZOOM_CLIENT_SECRET")
	}
	b, err := decodeToken(header)
	if err != nil {
		return nil, err
	}
	iv, aad, sealed, err := splitLayout(b)
	if err != nil {
		return nil, err
	}
	// Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
	key := sha256.Sum256([]byte(clientSecret))
	block, _ := aes.NewCipher(key[:]) // a 32-byte key never fails
	gcm, _ := cipher.NewGCM(block)    // 12-byte IV, 16-byte tag
	plaintext, err := gcm.Open(nil, iv, sealed, aad)
	if err != nil {
		return nil, refuse("tag_mismatch", "tag", "tag mismatch: wrong client secret, or the token was altered")
	}
	payload, err := parsePayload(plaintext)
	if err != nil {
		return nil, err
	}
	return payload, checkClaims(payload, clientID, nowMs)
}

// decodeToken checks the header's length and alphabet, then decodes it as base64url.
func decodeToken(h string) ([]byte, error) {
	if h == "" {
		return nil, refuse("no_token", "missing", "no app context: the header is absent or empty")
	}
	if len(h) > maxTokenLen {
		return nil, refuse("malformed", "too_long", "token is %d bytes, more than %d", len(h), maxTokenLen)
	}
	end := len(h) // h[end:] is the trailing '=' padding, counted with a loop
	for end > 0 && h[end-1] == '=' {
		end--
	}
	std, bad := -1, -1
	for i := 0; i < end; i++ {
		c := h[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '+' || c == '/':
			if std < 0 {
				std = i
			}
		default:
			if bad < 0 {
				bad = i
			}
		}
	}
	switch {
	case std >= 0:
		return nil, refuse("malformed", "std_base64", "%q at offset %d: standard base64, Zoom sends base64url ('-' and '_')", h[std], std)
	case bad >= 0:
		return nil, refuse("malformed", "bad_char", "byte 0x%02x at offset %d is not base64url", h[bad], bad)
	case len(h)-end > 2:
		return nil, refuse("malformed", "bad_padding", "%d '=' at the end: at most 2", len(h)-end)
	case end%4 == 1:
		return nil, refuse("malformed", "bad_length", "%d characters is not a base64url length", end)
	}
	b, err := base64.RawURLEncoding.DecodeString(h[:end])
	if err != nil { // unreachable after the checks above; kept so no error is ever dropped
		return nil, refuse("malformed", "bad_char", "not base64url: %v", err)
	}
	return b, nil
}

// splitLayout reads ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag.
func splitLayout(b []byte) (iv, aad, sealed []byte, err error) {
	if len(b) < 1 {
		return nil, nil, nil, refuse("malformed", "truncated", "no bytes: the token ends before the IV length")
	}
	if b[0] != ivSize {
		return nil, nil, nil, refuse("malformed", "iv_length", "IV length %d, Zoom uses %d", b[0], ivSize)
	}
	off := 1 + ivSize
	if len(b) < off+2 {
		return nil, nil, nil, refuse("malformed", "truncated", "the token ends at byte %d, before the AAD length", len(b))
	}
	iv = b[1:off]
	aadLen := int(binary.LittleEndian.Uint16(b[off:]))
	off += 2
	if len(b)-off < aadLen+4 {
		return nil, nil, nil, refuse("malformed", "truncated", "the token ends at byte %d, before the AAD and ciphertext length", len(b))
	}
	aad = b[off : off+aadLen]
	off += aadLen
	cipherLen := uint64(binary.LittleEndian.Uint32(b[off:]))
	off += 4
	rest := uint64(len(b) - off)
	switch {
	case rest < cipherLen:
		return nil, nil, nil, refuse("malformed", "truncated", "ciphertext length %d, only %d bytes remain", cipherLen, rest)
	case rest < cipherLen+tagSize:
		return nil, nil, nil, refuse("malformed", "short_tag", "tag is %d bytes, AES-GCM needs %d", rest-cipherLen, tagSize)
	case rest > cipherLen+tagSize:
		return nil, nil, nil, refuse("malformed", "trailing_bytes", "%d bytes after the tag", rest-cipherLen-tagSize)
	}
	return iv, aad, b[off:], nil // ciphertext then tag, as gcm.Open wants them
}

// parsePayload reads the plaintext as one strict JSON object (RFC 8259).
func parsePayload(p []byte) (map[string]any, error) {
	if !utf8.Valid(p) {
		return nil, refuse("bad_payload", "not_utf8", "payload is not UTF-8")
	}
	if bytes.HasPrefix(p, []byte("\xef\xbb\xbf")) {
		return nil, refuse("bad_payload", "bom", "payload starts with a UTF-8 byte order mark")
	}
	depth, objectEnd := scanJSON(p)
	if depth > maxDepth {
		return nil, refuse("bad_payload", "too_deep", "payload nests deeper than %d", maxDepth)
	}
	if objectEnd > 0 && len(bytes.TrimLeft(p[objectEnd:], " \t\r\n")) > 0 {
		if json.Valid(p[:objectEnd]) {
			return nil, refuse("bad_payload", "trailing_data", "payload has data after its JSON object")
		}
		return nil, refuse("bad_payload", "not_json", "payload is not JSON")
	}
	if !json.Valid(p) {
		return nil, refuse("bad_payload", "not_json", "payload is not JSON")
	}
	if t := bytes.TrimLeft(p, " \t\r\n"); t[0] != '{' {
		return nil, refuse("bad_payload", "not_object", "payload is JSON but not an object")
	}
	d := json.NewDecoder(bytes.NewReader(p))
	d.UseNumber() // so 1e400 reaches the exp check instead of failing the decode
	var payload map[string]any
	if err := d.Decode(&payload); err != nil {
		return nil, refuse("bad_payload", "not_json", "payload is not JSON: %v", err)
	}
	return payload, nil
}

// scanJSON returns the deepest nesting of brackets outside strings, and, when the text starts
// (after whitespace) with '{', the index just past the bracket that closes it (else 0). Linear.
func scanJSON(p []byte) (maxSeen, objectEnd int) {
	lead := len(p) - len(bytes.TrimLeft(p, " \t\r\n"))
	isObject := lead < len(p) && p[lead] == '{'
	depth, inString, escaped := 0, false, false
	for i, c := range p {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			maxSeen = max(maxSeen, depth)
		case c == '}' || c == ']':
			depth--
			if depth == 0 && isObject && objectEnd == 0 {
				objectEnd = i + 1
			}
		}
	}
	return maxSeen, objectEnd
}

// checkClaims checks exp and ts (epoch milliseconds), aud when clientID is given, then expiry.
func checkClaims(payload map[string]any, clientID string, nowMs int64) error {
	raw, ok := payload["exp"]
	if !ok {
		return refuse("bad_payload", "exp_missing", "payload has no exp")
	}
	exp, err := claimTime("exp", raw)
	if err != nil {
		return err
	}
	if raw, ok := payload["ts"]; ok {
		if _, err := claimTime("ts", raw); err != nil {
			return err
		}
	}
	if clientID != "" {
		if aud, ok := payload["aud"].(string); !ok || aud != clientID {
			return refuse("wrong_aud", "aud", "aud is not this app's client ID")
		}
	}
	if nowMs == 0 {
		nowMs = time.Now().UnixMilli()
	}
	if float64(nowMs) >= exp {
		return refuse("expired", "expired", "expired %d ms ago (a context lives about 2 minutes)", int64(float64(nowMs)-exp))
	}
	return nil
}

// claimTime reads exp or ts: a finite JSON number of epoch milliseconds.
func claimTime(name string, raw any) (float64, error) {
	n, ok := raw.(json.Number)
	if !ok {
		return 0, refuse("bad_payload", name+"_type", "%s is not a number", name)
	}
	v, _ := strconv.ParseFloat(string(n), 64) // out of range gives ±Inf or 0, refused below
	if math.IsInf(v, 0) || math.IsNaN(v) || v <= 0 || v >= numbersBelow {
		return 0, refuse("bad_payload", name+"_type", "%s %s is not epoch milliseconds", name, n)
	}
	if v < secondsBelow {
		return 0, refuse("bad_payload", name+"_seconds", "%s %s is in seconds; Zoom sends milliseconds", name, n)
	}
	return v, nil
}

func main() {
	secret := os.Getenv("ZOOM_CLIENT_SECRET")
	if len(os.Args) != 2 || secret == "" {
		fmt.Fprintln(os.Stderr, "usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] go run appcontext.go TOKEN")
		os.Exit(2)
	}
	payload, err := DecryptAppContext(os.Args[1], secret, os.Getenv("ZOOM_CLIENT_ID"), 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refused:", err)
		os.Exit(1)
	}
	out, _ := json.Marshal(payload)
	fmt.Println(string(out))
}
