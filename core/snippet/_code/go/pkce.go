// Command pkce prints a PKCE code verifier and its S256 challenge for Zoom OAuth (RFC 7636).
//
// Run: go run pkce.go [VERIFIER]
package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

// NewVerifier returns 43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128
// unreserved characters.
func NewVerifier() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// S256Challenge is RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send
// code_challenge_method=S256 with it.
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
	v := NewVerifier()
	if len(os.Args) > 1 {
		v = os.Args[1]
	}
	out, _ := json.Marshal(map[string]string{"code_verifier": v, "code_challenge": S256Challenge(v),
		"code_challenge_method": "S256", "zoom_legacy_challenge": ZoomLegacyChallenge(v)})
	fmt.Println(string(out))
}
