// Package pkce makes and checks OAuth PKCE verifiers and challenges (RFC 7636), including the
// variants Zoom's documentation and sample code have produced over time, with every intermediate
// value so a developer can see where two implementations part ways.
package pkce

import (
	"encoding/base64"
	"fmt"
	"io"
	"unicode/utf8"
)

// Length limits of a code verifier, rfc7636#section-4.1.
const (
	MinVerifierLen     = 43
	MaxVerifierLen     = 128
	DefaultVerifierLen = 43 // 32 random bytes, base64url without padding
)

// Generate makes a verifier of n characters (43-128) from the random bytes read from rand: the
// base64url text of the fewest random bytes that yield n characters, cut to n. The default n, 43,
// is exactly 32 bytes, as rfc7636#section-4.1 recommends.
func Generate(n int, rand io.Reader) (string, error) {
	if n < MinVerifierLen || n > MaxVerifierLen {
		return "", fmt.Errorf("verifier length %d: must be %d-%d characters", n, MinVerifierLen, MaxVerifierLen)
	}
	size := n * 3 / 4
	if (4*size+2)/3 < n { // base64 of size bytes is ceil(4*size/3) characters
		size++
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)[:n], nil
}

// Problem is one way a verifier or challenge breaks the grammar of rfc7636#section-4.1.
// Position is the 0-based character index, or -1 for the length.
type Problem struct {
	Position int
	Message  string
}

func (p Problem) String() string { return p.Message }

// Validate checks a verifier against rfc7636#section-4.1:
//
//	code-verifier = 43*128unreserved
//	unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
//
// and reports every problem: the length, and each character outside the set with its position.
func Validate(verifier string) []Problem { return grammar("verifier", verifier) }

// ValidChallenge reports the problems of a challenge under the same grammar (rfc7636#section-4.2).
func ValidChallenge(challenge string) []Problem { return grammar("challenge", challenge) }

// maxReported bounds how many bad characters are named one by one; the rest are counted in one
// more problem. A verifier is at most 128 characters, so all of a real one's are named, while a
// pasted megabyte costs microseconds, not a problem per byte.
const maxReported = 32

func grammar(what, s string) []Problem {
	var ps []Problem
	n := utf8.RuneCountInString(s)
	if n < MinVerifierLen || n > MaxVerifierLen {
		ps = append(ps, Problem{Position: -1,
			Message: fmt.Sprintf("%s is %d characters: RFC 7636 requires %d-%d", what, n, MinVerifierLen, MaxVerifierLen)})
	}
	pos, named, more, firstMore := 0, 0, 0, -1
	for i, r := range s {
		switch {
		case isUnreserved(r):
		case named < maxReported:
			named++
			ps = append(ps, Problem{Position: pos, Message: fmt.Sprintf("%s at position %d is not allowed: "+
				"only A-Z a-z 0-9 - . _ ~", describeRune(s, i, r), pos)})
		default:
			if more == 0 {
				firstMore = pos
			}
			more++
		}
		pos++
	}
	if more > 0 {
		ps = append(ps, Problem{Position: firstMore, Message: fmt.Sprintf("and %d more characters from position %d on are not allowed", more, firstMore)})
	}
	return ps
}

// meetsGrammar reports whether s is a valid verifier or challenge, without describing why not.
func meetsGrammar(s string) bool {
	n := 0
	for _, r := range s {
		if !isUnreserved(r) {
			return false
		}
		n++
	}
	return n >= MinVerifierLen && n <= MaxVerifierLen
}

func isUnreserved(r rune) bool {
	return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' ||
		r == '-' || r == '.' || r == '_' || r == '~'
}

func describeRune(s string, i int, r rune) string {
	switch {
	case r == utf8.RuneError && len(s) > i && s[i] >= 0x80:
		return fmt.Sprintf("invalid UTF-8 byte 0x%02x", s[i])
	case r == ' ':
		return "a space"
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return fmt.Sprintf("control character %U", r)
	case r > 0x7f:
		return fmt.Sprintf("%q (%U)", r, r)
	}
	return fmt.Sprintf("%q", r)
}
