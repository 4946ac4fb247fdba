// Command appcontext decrypts and checks a Zoom Apps app context (x-zoom-app-context header or
// zoomSdk.getAppContext()).
//
// Run: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] go run appcontext.go TOKEN
package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

const tagSize = 16 // AES-GCM's full tag; cipher.NewGCM pins it, so a cut tag never verifies

// DecryptAppContext returns the payload of a Zoom app context, or an error saying why it was refused.
func DecryptAppContext(token, clientSecret, clientID string, now time.Time) (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(token), "="))
	if err != nil {
		return nil, fmt.Errorf("not base64url: %w", err)
	}
	off := 0
	take := func(n int, what string) ([]byte, error) {
		if n < 0 || n > len(b)-off {
			return nil, fmt.Errorf("%s at byte %d: needs %d bytes, only %d remain", what, off, n, len(b)-off)
		}
		off += n
		return b[off-n : off], nil
	}
	n, err := take(1, "iv length")
	if err != nil {
		return nil, err
	}
	iv, err := take(int(n[0]), "iv")
	if err != nil {
		return nil, err
	}
	if n, err = take(2, "aad length"); err != nil {
		return nil, err
	}
	aad, err := take(int(binary.LittleEndian.Uint16(n)), "aad")
	if err != nil {
		return nil, err
	}
	if n, err = take(4, "ciphertext length"); err != nil {
		return nil, err
	}
	ciphertext, err := take(int(binary.LittleEndian.Uint32(n)), "ciphertext")
	if err != nil {
		return nil, err
	}
	if tag := len(b) - off; tag != tagSize {
		return nil, fmt.Errorf("tag at byte %d: expected exactly %d bytes, found %d", off, tagSize, tag)
	}
	if len(iv) == 0 {
		return nil, errors.New("iv length is 0")
	}

	// Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
	key := sha256.Sum256([]byte(clientSecret))
	block, _ := aes.NewCipher(key[:])
	gcm, err := cipher.NewGCMWithNonceSize(block, len(iv))
	if err != nil {
		return nil, err
	}
	sealed := b[off-len(ciphertext):] // ciphertext then tag, as gcm.Open wants them
	plaintext, err := gcm.Open(nil, iv, sealed, aad)
	if err != nil {
		return nil, errors.New("tag mismatch: wrong client secret, or the token was altered")
	}

	var payload map[string]any
	if err := json.Unmarshal(plaintext, &payload); err != nil || payload == nil {
		return nil, errors.New("payload is not a JSON object")
	}
	exp, ok := payload["exp"].(float64)
	if !ok {
		return nil, errors.New("payload has no numeric exp")
	}
	if nowMs := float64(now.UnixMilli()); exp <= nowMs { // exp is epoch milliseconds, not seconds
		return nil, fmt.Errorf("expired %d s ago", int64(nowMs-exp)/1000)
	}
	if aud, _ := payload["aud"].(string); clientID != "" && aud != clientID {
		return nil, fmt.Errorf("aud %q is not this app's client ID", aud)
	}
	return payload, nil
}

func main() {
	secret := os.Getenv("ZOOM_CLIENT_SECRET")
	if len(os.Args) != 2 || secret == "" {
		fmt.Fprintln(os.Stderr, "usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] go run appcontext.go TOKEN")
		os.Exit(2)
	}
	payload, err := DecryptAppContext(os.Args[1], secret, os.Getenv("ZOOM_CLIENT_ID"), time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, "refused:", err)
		os.Exit(1)
	}
	out, _ := json.Marshal(payload)
	fmt.Println(string(out))
}
