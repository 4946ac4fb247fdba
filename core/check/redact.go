package check

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// Redacted replaces the secret, in whatever form a backend sent it back, in everything kept of
// an answer.
const Redacted = "[client secret redacted]"

// minRedact is the shortest form searched for: shorter ones would match ordinary text (a Zoom
// client secret is 32 characters).
const minRedact = 8

// redactor finds the client secret, and the key made from it, in what a backend answers: raw,
// hex, base64 (standard and URL alphabets, at each of the three alignments it can take inside a
// longer value, as in a Basic header), percent-encoded and JSON-escaped.
type redactor struct {
	forms []form
	mask  []byte
}

type form struct {
	name string
	b    []byte
}

func newRedactor(secret []byte) redactor { return newMasking(secret, Redacted) }

// RedactSecret replaces every form of secret in b (raw, hex, base64 at any alignment, as inside a
// Basic header, percent-encoded, JSON-escaped, and the same of SHA-256(secret)) with mask, and
// names the forms it found. The webhook endpoint check redacts the Secret Token from what an
// endpoint answers with it, as check does the client secret.
func RedactSecret(secret []byte, mask string, b []byte) ([]byte, []string) {
	return newMasking(secret, mask).bytes(b)
}

func newMasking(secret []byte, mask string) redactor {
	r := redactor{mask: []byte(mask)}
	add := func(name string, b []byte) {
		if len(b) < minRedact {
			return
		}
		for _, f := range r.forms {
			if bytes.Equal(f.b, b) {
				return
			}
		}
		r.forms = append(r.forms, form{name, b})
	}
	variants := []struct {
		name string
		b    []byte
	}{{"the secret", secret}, {"the secret, trimmed", bytes.TrimSpace(secret)}, {"the key SHA-256(secret)", appctx.ZoomKey(secret)}}
	for _, v := range variants {
		add(v.name, v.b)
		add(v.name+" in hex", []byte(hex.EncodeToString(v.b)))
		add(v.name+" in hex", []byte(strings.ToUpper(hex.EncodeToString(v.b))))
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for k := 0; k < 3; k++ {
				add(v.name+" in base64", base64Core(enc, v.b, k))
			}
		}
		s := string(v.b)
		add(v.name+" percent-encoded", []byte(url.QueryEscape(s)))
		add(v.name+" percent-encoded", []byte(url.PathEscape(s)))
		if j, err := json.Marshal(s); err == nil {
			add(v.name+" JSON-escaped", j[1:len(j)-1])
		}
	}
	return r
}

// base64Core is the part of b's base64 that does not depend on what surrounds b, when b starts
// k bytes into a 3-byte group of a longer value.
func base64Core(enc *base64.Encoding, b []byte, k int) []byte {
	src := append(make([]byte, k), b...)
	out := []byte(enc.EncodeToString(src))
	start := (8*k + 5) / 6      // the first character made of b's bits only
	end := 8 * (k + len(b)) / 6 // the characters before it hold whole bits of b
	if end <= start {
		return nil
	}
	return out[start:end]
}

// bytes replaces every form in b and says which forms it found.
func (r redactor) bytes(b []byte) ([]byte, []string) {
	var found []string
	for _, f := range r.forms {
		if bytes.Contains(b, f.b) {
			b = bytes.ReplaceAll(b, f.b, r.mask)
			found = appendOnce(found, f.name)
		}
	}
	return b, found
}

func (r redactor) string(s string) (string, []string) {
	b, found := r.bytes([]byte(s))
	return string(b), found
}

// header redacts every value of h in place.
func (r redactor) header(h http.Header) []string {
	var found []string
	for k, vs := range h {
		for i, v := range vs {
			var f []string
			vs[i], f = r.string(v)
			for _, n := range f {
				found = appendOnce(found, n)
			}
		}
		h[k] = vs
	}
	return found
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
