// Command pkce prints a PKCE code verifier and its S256 challenge for Zoom OAuth (RFC 7636).
//
// Needs: Go 1.21 or later, standard library only.
// Run:   go run pkce.go [VERIFIER]
// Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

const verifierChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// CheckVerifier says why verifier breaks RFC 7636 section 4.1 (43-128 unreserved characters), or
// returns nil.
func CheckVerifier(verifier string) error {
	if len(verifier) < 43 || len(verifier) > 128 {
		return fmt.Errorf("verifier is %d bytes; RFC 7636 section 4.1 wants 43 to 128 characters", len(verifier))
	}
	for i := 0; i < len(verifier); i++ {
		if strings.IndexByte(verifierChars, verifier[i]) < 0 {
			return fmt.Errorf("verifier: byte 0x%02X at offset %d is not one of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)", verifier[i], i)
		}
	}
	return nil
}

// NewVerifier returns 43 characters from a CSPRNG: 32 random bytes, base64url without padding.
func NewVerifier() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil { // only Go 1.24+ promises it never fails
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// S256Challenge is RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send
// code_challenge_method=S256 with it. Check the verifier first (CheckVerifier).
func S256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ZoomLegacyChallenge is only for a server that still expects Zoom's old documented variant:
// base64 of the lowercase hex digest.
func ZoomLegacyChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(sum[:])))
}

func main() {
	v := ""
	if len(os.Args) > 1 {
		v = os.Args[1]
	} else {
		var err error
		if v, err = NewVerifier(); err != nil {
			fmt.Fprintln(os.Stderr, "no randomness:", err)
			os.Exit(1)
		}
	}
	if err := CheckVerifier(v); err != nil {
		fmt.Fprintln(os.Stderr, "refused:", err)
		os.Exit(2)
	}
	out, _ := json.Marshal(map[string]string{"code_verifier": v, "code_challenge": S256Challenge(v),
		"code_challenge_method": "S256", "zoom_legacy_challenge": ZoomLegacyChallenge(v)})
	fmt.Println(string(out))
}
