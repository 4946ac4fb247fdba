package explain

import (
	"strings"
	"testing"
)

// TestLookup: each message, as each library prints it (with its trace around it), is recognised
// as that library's, and tag failures carry the shared causes.
func TestLookup(t *testing.T) {
	tests := []struct {
		msg, want, message string
	}{
		{`  File ".../cryptography/hazmat/backends/openssl/ciphers.py", line 229, in finalize
    raise InvalidTag
cryptography.exceptions.InvalidTag`, "Python (cryptography)", "InvalidTag"},
		{"Error: Unsupported state or unable to authenticate data\n    at Decipheriv.final (node:internal/crypto/cipher:193:29)", "Node.js (crypto)", "Unsupported state or unable to authenticate data"},
		{"DOMException [OperationError]: The operation failed for an operation-specific reason", "Web Crypto", "OperationError"},
		{"javax.crypto.AEADBadTagException: Tag mismatch!", "Java (javax.crypto)", "AEADBadTagException: Tag mismatch"},
		{"System.Security.Cryptography.AuthenticationTagMismatchException: The computed authentication tag did not match the input authentication tag.", ".NET (System.Security.Cryptography)", "AuthenticationTagMismatchException"},
		{"openssl_decrypt() returned false", "PHP (openssl)", "openssl_decrypt returned false"},
		{"OpenSSL::Cipher::CipherError ()", "Ruby (openssl)", "OpenSSL::Cipher::CipherError"},
		{"cipher: message authentication failed", "Go (crypto/cipher)", "cipher: message authentication failed"},
		// The messages issue 17 found unrecognised.
		{"TypeError: Invalid authentication tag length: 4\n    at Decipheriv.setAuthTag (node:internal/crypto/cipher:216:9)", "Node.js (crypto)", "Invalid authentication tag length: 4"},
		{"RangeError: Invalid key length\n    at Decipheriv.createCipherBase", "Node.js (crypto)", "Invalid key length"},
		{"TypeError: Invalid initialization vector", "Node.js (crypto)", "Invalid initialization vector"},
		{`RangeError [ERR_OUT_OF_RANGE]: The value of "offset" is out of range. It must be >= 0 and <= 2. Received 13`, "Node.js (Buffer)", "ERR_OUT_OF_RANGE"},
		{"binascii.Error: Incorrect padding", "Python (base64)", "binascii.Error: Incorrect padding"},
		{"ValueError: Invalid key size (272) for AES.", "Python (cryptography)", "ValueError: Invalid key size (272) for AES"},
		{"Uncaught DOMException: Failed to execute 'atob' on 'Window': The string to be decoded is not correctly encoded.", "Browser (atob)", "InvalidCharacterError: The string to be decoded is not correctly encoded"},
		{"InvalidCharacterError: String contains an invalid character", "Browser (atob)", "InvalidCharacterError: The string to be decoded is not correctly encoded"},
		{"SyntaxError: Unexpected token } in JSON at position 245", "JavaScript (JSON.parse)", "SyntaxError: Unexpected token } in JSON at position 245"},
		{`{"reason":"invalid_grant","error":"invalid_grant","error_description":"Invalid authorization code"}`, "OAuth 2.0 (Zoom's token endpoint)", "invalid_grant"},
		{"Invalid authorization code", "Zoom (OAuth)", "Invalid authorization code"},
		{"Missing OWASP Secure Headers", "Zoom client", "Missing OWASP Secure Headers"},
		// More of each language's base64, JSON and AES APIs.
		{"ValueError: Nonce must be between 8 and 128 bytes", "Python (cryptography)", "ValueError: Nonce must be between 8 and 128 bytes"},
		{"java.lang.IllegalArgumentException: Illegal base64 character 2d", "Java (java.util.Base64)", "IllegalArgumentException: Illegal base64 character 2d"},
		{"illegal base64 data at input byte 12", "Go (encoding/base64)", "illegal base64 data at input byte 12"},
		{"json.decoder.JSONDecodeError: Extra data: line 1 column 246 (char 245)", "Python (json)", "json.decoder.JSONDecodeError: Extra data"},
		{"invalid character '}' after top-level value", "Go (encoding/json)", "invalid character 'x' after top-level value"},
		{"crypto/aes: invalid key size 34", "Go (crypto/aes)", "crypto/aes: invalid key size"},
		{"System.FormatException: The input is not a valid Base-64 string as it contains a non-base 64 character", ".NET (System.Convert)", "FormatException: The input is not a valid Base-64 string"},
		{"zoomdbg: malformed (exp_seconds)", "zoomdbg verdict", `"reason": "exp_seconds"`},
		{`{"status":"wrong_aud","reason":"aud"}`, "zoomdbg verdict", `"reason": "aud"`},
	}
	for _, tt := range tests {
		m, ok := Lookup(tt.msg)
		if !ok || m.Language != tt.want || m.Message != tt.message {
			t.Errorf("Lookup(%.50q) = %q %q, %v; want %q %q", tt.msg, m.Language, m.Message, ok, tt.want, tt.message)
			continue
		}
		if len(m.Causes) == 0 || m.Means == "" {
			t.Errorf("Lookup(%.50q): no meaning or causes", tt.msg)
		}
		if m.Tag && !strings.Contains(m.Causes[len(m.Causes)-len(TagCauses)], "SHA-256") {
			t.Errorf("Lookup(%.50q): causes %q lack the shared ones", tt.msg, m.Causes)
		}
	}
	if m, ok := Lookup("connection refused"); ok {
		t.Errorf("Lookup(connection refused) = %q, want no match", m.Message)
	}
}

// TestEveryMessageFindsItself: each message in the table, pasted as printed, is recognised as
// itself or as one that occurs earlier in it, and has a meaning and causes.
func TestEveryMessageFindsItself(t *testing.T) {
	all := All()
	if len(all) < 50 {
		t.Errorf("%d messages: the table is thinner than the issue asks", len(all))
	}
	for _, m := range all {
		got, ok := Lookup(m.Message)
		if !ok {
			t.Errorf("%s %q is not recognised from its own text", m.Language, m.Message)
			continue
		}
		if got.Language != m.Language && got.Message != m.Message {
			t.Logf("%s %q is read as %s %q", m.Language, m.Message, got.Language, got.Message)
		}
		if m.Means == "" || len(m.Causes) == 0 {
			t.Errorf("%s %q has no meaning or no causes", m.Language, m.Message)
		}
	}
}

// TestNearest: a message zoomdbg does not know gets the nearest ones it does.
func TestNearest(t *testing.T) {
	tests := []struct{ msg, want string }{
		{"Error: setAuthTag rejected a tag of that size", "Node.js (crypto)"},
		{"java.security.InvalidKeyException: key length not 128/192/256 bits", "Java (javax.crypto)"},
		{"base64 decoding error: padding missing", "Python (base64)"},
		{"redirect uri does not match", "Zoom (OAuth)"},
	}
	for _, tt := range tests {
		if _, ok := Lookup(tt.msg); ok {
			t.Errorf("%q is recognised: the test wants an unknown message", tt.msg)
		}
		near := Nearest(tt.msg, 3)
		if len(near) == 0 || near[0].Known.Language != tt.want {
			t.Errorf("Nearest(%q) = %v, want %s first", tt.msg, names(near), tt.want)
		}
	}
	if n := Nearest("zzzz qqqq", 3); len(n) != 0 {
		t.Errorf("words nothing shares gave %v", names(n))
	}
}

func names(ms []Match) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Known.Language+": "+m.Known.Message)
	}
	return s
}

// TestNearestLinear: Nearest's work (postings visited) grows linearly with the text, however
// repetitive: doubling the input at most doubles the work.
func TestNearestLinear(t *testing.T) {
	measure := func(text string) int {
		work = 0
		Nearest(text, 3)
		return work
	}
	var distinct strings.Builder
	for i := 0; distinct.Len() < 60000; i++ {
		distinct.WriteString("key tag invalid base64 w")
		distinct.WriteString(strings.Repeat("x", i%7+1))
		distinct.WriteByte(' ')
	}
	for _, in := range []string{strings.Repeat("A", 100000), strings.Repeat("invalid ", 12500), distinct.String()} {
		half, whole := measure(in[:len(in)/2]), measure(in)
		if whole > 2*half+len(table) {
			t.Errorf("work %d on %d bytes, %d on half: not linear", whole, len(in), half)
		}
	}
}

// BenchmarkNearest100k: the nearest messages for 100,000 repeated characters.
func BenchmarkNearest100k(b *testing.B) {
	in := strings.Repeat("A", 100000)
	for b.Loop() {
		Nearest(in, 3)
	}
}
