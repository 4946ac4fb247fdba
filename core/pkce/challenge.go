package pkce

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Method names a way of turning a verifier into a challenge.
type Method string

// The methods zoomdbg computes. S256 and plain are RFC 7636's; the others are what real
// implementations, Zoom's documentation among them, have produced.
const (
	// S256 is BASE64URL-NOPAD(SHA256(ASCII(verifier))), rfc7636#section-4.2.
	S256 Method = "S256"
	// Plain is the verifier itself, rfc7636#section-4.2; zoomSdk.authorize documents only this one.
	Plain Method = "plain"
	// ZoomLegacy is standard base64, padded, of the lowercase hex SHA-256 digest: what Zoom's
	// documented btoa(sha256(verifier)) produced, 88 characters ending in "==".
	ZoomLegacy Method = "zoom-legacy"
	// S256Padded is the RFC value with "=" appended, as the script in Zoom's forum post prints it.
	S256Padded Method = "S256-padded"
	// S256Std is standard base64 with padding of the digest: Convert.ToBase64String, the common C# mistake.
	S256Std Method = "S256-std"
)

// Methods lists every method in the order they are shown.
var Methods = []Method{S256, ZoomLegacy, Plain, S256Padded, S256Std}

// Describe says in one line how the method builds its challenge.
func (m Method) Describe() string {
	switch m {
	case S256:
		return "BASE64URL-NOPAD(SHA-256(verifier)), RFC 7636"
	case Plain:
		return "the verifier itself, RFC 7636 plain"
	case ZoomLegacy:
		return "BASE64(lowercase hex of SHA-256(verifier)), Zoom's old docs"
	case S256Padded:
		return `the S256 value with "=" appended, Zoom's forum script`
	case S256Std:
		return "BASE64(SHA-256(verifier)) with + / =, the C# mistake"
	}
	return string(m)
}

// Step is one intermediate value on the way from verifier to challenge.
type Step struct {
	Label string
	Value string
}

// Challenge is one method's result with the steps that produced it.
type Challenge struct {
	Method Method
	Steps  []Step
	// Digest is SHA-256(verifier) in hex when the method hashes, "" for plain. Encodes says what
	// is base64-encoded and Encoding how: the two places the methods differ.
	Digest, Encodes, Encoding string
	Value                     string
	Problems                  []Problem // where Value breaks the challenge grammar of rfc7636#section-4.2
}

// Valid reports whether the challenge meets the grammar a conforming server accepts.
func (c Challenge) Valid() bool { return len(c.Problems) == 0 }

// Value is the challenge for verifier under m, without the steps and checks Compute records.
func Value(m Method, verifier string) string {
	digest := sha256.Sum256([]byte(verifier))
	switch m {
	case S256:
		return base64.RawURLEncoding.EncodeToString(digest[:])
	case Plain:
		return verifier
	case ZoomLegacy:
		return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(digest[:])))
	case S256Padded:
		return base64.RawURLEncoding.EncodeToString(digest[:]) + "="
	case S256Std:
		return base64.StdEncoding.EncodeToString(digest[:])
	}
	return ""
}

// Compute derives the challenge for verifier under m. An unknown method yields an empty Value.
func Compute(m Method, verifier string) Challenge {
	c := Challenge{Method: m}
	digest := sha256.Sum256([]byte(verifier))
	digestHex := hex.EncodeToString(digest[:])
	hashStep := Step{"SHA-256(ASCII(verifier)), hex", digestHex}
	switch m {
	case S256:
		c.Value = base64.RawURLEncoding.EncodeToString(digest[:])
		c.Steps = []Step{hashStep, {"encode the 32 digest bytes", "base64url, no padding"}}
	case Plain:
		c.Value = verifier
		c.Steps = []Step{{"no transformation", "challenge = verifier"}}
		c.Encodes, c.Encoding = "nothing: the verifier is the challenge", "none"
	case ZoomLegacy:
		c.Value = base64.StdEncoding.EncodeToString([]byte(digestHex))
		c.Steps = []Step{hashStep,
			{"encode the hex text, not the digest", digestHex},
			{"encoding", "standard base64, padded"}}
	case S256Padded:
		c.Value = base64.RawURLEncoding.EncodeToString(digest[:]) + "="
		c.Steps = []Step{hashStep, {"encode the 32 digest bytes", `base64url, no padding, then "=" appended`}}
	case S256Std:
		c.Value = base64.StdEncoding.EncodeToString(digest[:])
		c.Steps = []Step{hashStep, {"encode the 32 digest bytes", "standard base64, padded"}}
	default:
		return c
	}
	if m != Plain {
		c.Digest, c.Encodes, c.Encoding = digestHex, "the 32 digest bytes", c.Steps[len(c.Steps)-1].Value
		if m == ZoomLegacy {
			c.Encodes = "the 64 hex characters, as text"
		}
	}
	c.Problems = ValidChallenge(c.Value)
	return c
}

// ComputeAll derives the challenge under every method, in Methods order.
func ComputeAll(verifier string) []Challenge {
	cs := make([]Challenge, len(Methods))
	for i, m := range Methods {
		cs[i] = Compute(m, verifier)
	}
	return cs
}

// Match returns the methods whose challenge for verifier equals challenge. Surrounding whitespace
// on the challenge is ignored, as a pasted value often carries it.
func Match(verifier, challenge string) []Method {
	challenge = strings.TrimSpace(challenge)
	var ms []Method
	for _, m := range Methods {
		if Value(m, verifier) == challenge {
			ms = append(ms, m)
		}
	}
	return ms
}

// Join lists methods for people: "S256, zoom-legacy".
func Join(ms []Method) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

// ParseMethod maps a user's spelling of a method to a Method.
func ParseMethod(s string) (Method, bool) {
	for _, m := range Methods {
		if strings.EqualFold(s, string(m)) {
			return m, true
		}
	}
	return "", false
}
