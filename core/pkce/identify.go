package pkce

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Shape describes a challenge seen without its verifier: what it is made of and which method
// could have produced it.
type Shape struct {
	Length   int
	Alphabet string // "base64url", "base64", "unreserved" or "other"
	Padded   bool
	// Decoded is what the base64 decodes to, when it does: "32-byte digest" or
	// "64 lowercase hex characters", or "" when it decodes to neither.
	Decoded string
	Likely  []Method // the methods whose output has this shape
	Summary string   // one sentence for people
}

const (
	s256Len       = 43 // base64url of 32 bytes, no padding
	s256StdLen    = 44 // base64 of 32 bytes, padded
	zoomLegacyLen = 88 // base64 of 64 hex characters, padded
)

// Identify describes a challenge's shape and names the methods that produce that shape.
func Identify(challenge string) Shape {
	c := strings.TrimSpace(challenge)
	s := Shape{Length: len(c), Alphabet: alphabet(c), Padded: strings.HasSuffix(c, "=")}
	body := strings.TrimRight(c, "=")

	switch b, err := decodeAny(body); {
	case err != nil:
	case len(b) == 32:
		s.Decoded = "32-byte digest"
	case len(b) == 64 && isLowerHex(b):
		s.Decoded = "64 lowercase hex characters"
	}

	switch {
	case s.Decoded == "64 lowercase hex characters" && s.Length == zoomLegacyLen && s.Padded:
		s.Likely = []Method{ZoomLegacy}
	case s.Decoded == "32-byte digest" && s.Length == s256Len && s.Alphabet != "base64":
		s.Likely = []Method{S256}
	case s.Decoded == "32-byte digest" && s.Length == s256Len+1 && s.Padded && s.Alphabet != "base64":
		s.Likely = []Method{S256Padded}
	case s.Decoded == "32-byte digest" && s.Length == s256StdLen && s.Padded:
		s.Likely = []Method{S256Std}
	}
	if meetsGrammar(c) {
		s.Likely = appendUnique(s.Likely, Plain)
	}
	s.Summary = s.summary()
	return s
}

func (s Shape) summary() string {
	what := fmt.Sprintf("%d characters, %s alphabet", s.Length, s.Alphabet)
	if s.Padded {
		what += ", padded"
	}
	switch s.Decoded {
	case "":
	case "32-byte digest":
		what += ", decodes to a 32-byte digest"
	default:
		what += ", decodes to " + s.Decoded
	}
	if len(s.Likely) == 0 {
		return what + ": no known method produces this shape"
	}
	names := make([]string, len(s.Likely))
	for i, m := range s.Likely {
		names[i] = string(m)
	}
	return what + ": the shape of " + strings.Join(names, " or ")
}

// alphabet names the smallest alphabet that holds s without its padding.
func alphabet(s string) string {
	var url, std, unreserved bool
	for _, r := range strings.TrimRight(s, "=") {
		switch {
		case r == '-' || r == '_':
			url = true
		case r == '.' || r == '~':
			unreserved = true
		case r == '+' || r == '/':
			std = true
		case !isUnreserved(r):
			return "other"
		}
	}
	switch {
	case std && (url || unreserved):
		return "other"
	case std:
		return "base64"
	case unreserved:
		return "unreserved"
	}
	return "base64url"
}

func decodeAny(s string) ([]byte, error) {
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

func isLowerHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func appendUnique(ms []Method, m Method) []Method {
	for _, x := range ms {
		if x == m {
			return ms
		}
	}
	return append(ms, m)
}
