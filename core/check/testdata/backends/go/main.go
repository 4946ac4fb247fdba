// A Go backend that opens the context correctly (SHA-256 key, cipher.NewGCM, base64url, exp in
// milliseconds, iss checked) but answers every error with http.Error(w, err.Error(), 500), as
// handlers written in a hurry do: a 500 to input anyone can send.
// Usage: ZOOM_CLIENT_SECRET=... go run main.go  (prints its port)
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
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

type appContext struct {
	UID string `json:"uid"`
	Exp int64  `json:"exp"`
	Iss string `json:"iss"`
}

func decrypt(token, secret string) (*appContext, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(token, "="))
	if err != nil {
		return nil, err
	}
	if len(raw) < 1 || len(raw) < 1+int(raw[0])+2 {
		return nil, errors.New("context too short")
	}
	iv := raw[1 : 1+int(raw[0])]
	rest := raw[1+len(iv):]
	aadLen := int(binary.LittleEndian.Uint16(rest))
	if len(rest) < 2+aadLen+4 {
		return nil, errors.New("context too short")
	}
	aad := rest[2 : 2+aadLen]
	rest = rest[2+aadLen:]
	ctLen := int(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if len(rest) != ctLen+16 {
		return nil, errors.New("bad ciphertext length")
	}
	key := sha256.Sum256([]byte(secret))
	block, _ := aes.NewCipher(key[:])
	gcm, err := cipher.NewGCMWithNonceSize(block, len(iv))
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, iv, rest, aad)
	if err != nil {
		return nil, err
	}
	var c appContext
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, err
	}
	if c.Exp < time.Now().UnixMilli() || c.Iss != "marketplace.zoom.us" {
		return nil, errors.New("context expired")
	}
	return &c, nil
}

func main() {
	secret := os.Getenv("ZOOM_CLIENT_SECRET")
	http.HandleFunc("/app", func(w http.ResponseWriter, r *http.Request) {
		c, err := decrypt(r.Header.Get("X-Zoom-App-Context"), secret)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"uid": c.UID})
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	http.Serve(l, nil)
}
