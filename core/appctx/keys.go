package appctx

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// Derivation names a way of turning a client secret into an AES key. Only DeriveSHA256 is Zoom's;
// the others are the mistakes that produce "InvalidTag" in developers' backends.
type Derivation string

// The derivations zoomdbg compares. The values are part of the command line's JSON contract.
const (
	DeriveSHA256  Derivation = "sha256"         // Zoom's: SHA-256(secret)
	DeriveHKDF    Derivation = "hkdf-sha256"    // HKDF-SHA256, no salt, info "handshake data" (the forum thread's code)
	DerivePBKDF2  Derivation = "pbkdf2-sha256"  // PBKDF2-HMAC-SHA256, empty salt, 100000 iterations
	DeriveRaw     Derivation = "raw"            // the secret's bytes used as the key
	DeriveTrimmed Derivation = "sha256-trimmed" // SHA-256 of the secret without surrounding whitespace
)

// Parameters of the mistaken derivations, as developers write them.
const (
	hkdfInfo         = "handshake data"
	pbkdf2Iterations = 100000
	keySize          = 32 // AES-256
)

// Derivations lists every derivation in the order they are shown: Zoom's first.
var Derivations = []Derivation{DeriveSHA256, DeriveHKDF, DerivePBKDF2, DeriveRaw, DeriveTrimmed}

// Describe says in words how a derivation makes its key.
func (d Derivation) Describe() string {
	switch d {
	case DeriveSHA256:
		return "SHA-256(secret), Zoom's derivation"
	case DeriveHKDF:
		return `HKDF-SHA256(secret, salt none, info "handshake data")`
	case DerivePBKDF2:
		return "PBKDF2-HMAC-SHA256(secret, salt empty, 100000 iterations)"
	case DeriveRaw:
		return "the secret's bytes as the key, no hashing"
	case DeriveTrimmed:
		return "SHA-256(secret without surrounding whitespace)"
	}
	return string(d)
}

// Secret is a candidate client secret with a label saying where it came from ("dev", "prod",
// "ZOOM_CLIENT_SECRET"). Its value is never printed.
type Secret struct {
	Label string
	Value []byte
}

// Key is an AES key derived from one secret by one derivation. Err says why a derivation gives no
// usable key (for example, raw secret bytes of a length AES does not take).
type Key struct {
	Derivation  Derivation
	SecretLabel string
	Bytes       []byte
	Note        string // e.g. "same key as sha256: the secret has no surrounding whitespace"
	Err         error

	aead cipher.AEAD // cached per IV size by Open; built lazily
	ivN  int
}

// SecretNotShown stands where a key is shown (--reveal, ctrl+r, a copy) when the key is the
// secret's own bytes.
const SecretNotShown = "the secret itself (not shown)"

// IsSecret reports whether the key is the client secret's own bytes (the raw derivation), so that
// showing the key would show the secret.
func (k *Key) IsSecret() bool { return k.Derivation == DeriveRaw }

// ZoomKey derives Zoom's key for an app context: SHA-256 of the client secret.
func ZoomKey(secret []byte) []byte {
	k := sha256.Sum256(secret)
	return k[:]
}

// Derive makes the key for secret under d.
func Derive(d Derivation, s Secret) Key {
	k := Key{Derivation: d, SecretLabel: s.Label}
	switch d {
	case DeriveSHA256:
		k.Bytes = ZoomKey(s.Value)
	case DeriveHKDF:
		k.Bytes, k.Err = hkdf.Key(sha256.New, s.Value, nil, hkdfInfo, keySize)
	case DerivePBKDF2:
		k.Bytes, k.Err = pbkdf2.Key(sha256.New, string(s.Value), nil, pbkdf2Iterations, keySize)
	case DeriveRaw:
		k.Bytes = bytes.Clone(s.Value)
		if n := len(s.Value); n != 16 && n != 24 && n != 32 {
			k.Err = fmt.Errorf("a %d-byte secret is not an AES key (16, 24 or 32 bytes)", n)
		}
	case DeriveTrimmed:
		t := bytes.TrimSpace(s.Value)
		k.Bytes = ZoomKey(t)
		if len(t) == len(s.Value) {
			k.Note = "same key as sha256: the secret has no surrounding whitespace"
		}
	default:
		k.Err = fmt.Errorf("unknown derivation %q", d)
	}
	return k
}

// DeriveAll derives every key for every secret, in Derivations order within each secret. It is the
// costly step (PBKDF2 runs 100000 rounds), so callers derive once and open many tokens.
func DeriveAll(secrets []Secret) []Key {
	keys := make([]Key, 0, len(secrets)*len(Derivations))
	for _, s := range secrets {
		for _, d := range Derivations {
			keys = append(keys, Derive(d, s))
		}
	}
	return keys
}

// ErrTagMismatch is returned by Open when the GCM tag does not verify: the key, the IV, the AAD,
// the ciphertext or the tag differ from what was sealed.
var ErrTagMismatch = errors.New("tag mismatch: GCM authentication failed")

// Open decrypts and authenticates the token's ciphertext with key.
func Open(t *Token, key []byte) ([]byte, error) {
	aead, err := newGCM(key, len(t.IV))
	if err != nil {
		return nil, err
	}
	return open(aead, t)
}

// Open decrypts the token with this key, reusing the cipher across tokens with the same IV size.
func (k *Key) Open(t *Token) ([]byte, error) {
	if k.Err != nil {
		return nil, k.Err
	}
	aead, err := k.cipher(len(t.IV))
	if err != nil {
		return nil, err
	}
	return open(aead, t)
}

// cipher returns the key's AES-GCM for an IV size, made once and kept while the size repeats.
func (k *Key) cipher(ivSize int) (cipher.AEAD, error) {
	if k.aead == nil || k.ivN != ivSize {
		aead, err := newGCM(k.Bytes, ivSize)
		if err != nil {
			return nil, err
		}
		k.aead, k.ivN = aead, ivSize
	}
	return k.aead, nil
}

// ErrLayout is returned by OpenLayout for bytes that are not exactly one token; Parse says why.
var ErrLayout = errors.New("not a token layout")

// OpenLayout opens a decoded token, appending the plaintext to dst, which must not overlap b. It
// builds no fields and, given a dst with room, allocates nothing once the cipher is cached: it is
// for scanning many tokens. Use Parse to explain a token that fails.
func (k *Key) OpenLayout(dst, b []byte) ([]byte, error) {
	if k.Err != nil {
		return nil, k.Err
	}
	iv, aad, sealed, ok := split(b)
	if !ok {
		return nil, ErrLayout
	}
	aead, err := k.cipher(len(iv))
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(dst, iv, sealed, aad)
	if err != nil {
		return dst, ErrTagMismatch
	}
	return pt, nil
}

func newGCM(key []byte, ivSize int) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes key: %w", err)
	}
	if ivSize == 12 {
		return cipher.NewGCM(block)
	}
	return cipher.NewGCMWithNonceSize(block, ivSize)
}

func open(aead cipher.AEAD, t *Token) ([]byte, error) {
	if t.Tag == nil {
		return nil, errors.New("token is incomplete: no tag to verify")
	}
	sealed := make([]byte, 0, len(t.Ciphertext)+len(t.Tag))
	sealed = append(append(sealed, t.Ciphertext...), t.Tag...)
	pt, err := aead.Open(sealed[:0], t.IV, sealed, t.AAD)
	if err != nil {
		return nil, ErrTagMismatch
	}
	return pt, nil
}

// IVSize is the IV length Zoom uses and Seal writes.
const IVSize = 12

// Seal makes a token Zoom's algorithm would produce: a fresh IV read from rand, plaintext sealed
// with AES-256-GCM under key, laid out and base64url-encoded without padding.
func Seal(key, plaintext, aad []byte, rand io.Reader) (string, error) {
	iv := make([]byte, IVSize)
	if _, err := io.ReadFull(rand, iv); err != nil {
		return "", fmt.Errorf("read iv: %w", err)
	}
	b, err := SealBytes(key, iv, plaintext, aad)
	if err != nil {
		return "", err
	}
	return Encode(b), nil
}

// SealBytes lays out a token with the given IV. It is exported for test vectors; real tokens need
// a fresh random IV per key, which Seal provides.
func SealBytes(key, iv, plaintext, aad []byte) ([]byte, error) {
	if len(iv) == 0 || len(iv) > 0xff {
		return nil, fmt.Errorf("iv length %d: must be 1-255 bytes", len(iv))
	}
	if len(aad) > 0xffff {
		return nil, fmt.Errorf("aad length %d: must fit in 2 bytes", len(aad))
	}
	if uint64(len(plaintext)) > 0xffffffff {
		return nil, fmt.Errorf("plaintext length %d: must fit in 4 bytes", len(plaintext))
	}
	aead, err := newGCM(key, len(iv))
	if err != nil {
		return nil, err
	}
	sealed := aead.Seal(nil, iv, plaintext, aad)
	ct, tag := sealed[:len(plaintext)], sealed[len(plaintext):]

	out := make([]byte, 0, 1+len(iv)+2+len(aad)+4+len(sealed))
	out = append(out, byte(len(iv)))
	out = append(out, iv...)
	out = append(out, byte(len(aad)), byte(len(aad)>>8))
	out = append(out, aad...)
	out = append(out, byte(len(ct)), byte(len(ct)>>8), byte(len(ct)>>16), byte(len(ct)>>24))
	out = append(out, ct...)
	return append(out, tag...), nil
}

// Encode writes token bytes the way Zoom sends them: base64url without padding.
func Encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Clone returns the key without its cached cipher, for use on another goroutine.
func (k Key) Clone() Key {
	k.aead, k.ivN = nil, 0
	return k
}
