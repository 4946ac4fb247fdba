// Command floor is the decrypt-only floor for the scan benchmark: it reads one token per line,
// base64url-decodes it and opens it with AES-256-GCM under SHA-256(secret), and nothing else (no
// JSON, no claims, no log parsing). zoomdbg scan is measured against it.
package main

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
)

func main() {
	secret, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	key := sha256.Sum256([]byte(strings.TrimSuffix(string(secret), "\n")))
	block, _ := aes.NewCipher(key[:])
	gcm, _ := cipher.NewGCM(block)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	buf := make([]byte, 0, 4096)
	ok, fail := 0, 0
	for sc.Scan() {
		line := sc.Bytes()
		n := base64.RawURLEncoding.DecodedLen(len(line))
		buf = buf[:n]
		m, err := base64.RawURLEncoding.Decode(buf, line)
		if err != nil || m < 1 || open(gcm, buf[:m]) != nil {
			fail++
			continue
		}
		ok++
	}
	fmt.Printf("ok=%d fail=%d\n", ok, fail)
}

func open(gcm cipher.AEAD, b []byte) error {
	iv := int(b[0])
	if iv != 12 || len(b) < 1+iv+2 {
		return fmt.Errorf("layout")
	}
	off := 1 + iv
	aad := int(binary.LittleEndian.Uint16(b[off:]))
	off += 2
	if len(b) < off+aad+4 {
		return fmt.Errorf("layout")
	}
	a := b[off : off+aad]
	off += aad
	ct := int(binary.LittleEndian.Uint32(b[off:]))
	off += 4
	if len(b)-off != ct+16 {
		return fmt.Errorf("layout")
	}
	_, err := gcm.Open(b[off:off], b[1:1+iv], b[off:], a)
	return err
}
