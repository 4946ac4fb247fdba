// Package redact takes secrets out of what zoomdbg keeps and shows of another program's answers:
// a backend's error page, a token endpoint's echo, a webhook endpoint's refusal. A server in a
// debug mode sends a secret back in many forms; a Redactor knows each of them, finds them all in
// one pass over the text (time linear in its length, whatever it holds) and puts a mask where
// any of them was.
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// A Secret is one value to take out, with what it is paired with on the wire.
type Secret struct {
	Value []byte
	// ClientID, when known, is the user half of the Basic credentials the secret travels in
	// (rfc6749#section-2.3.1): the whole credential is then masked, not only its secret bits.
	ClientID string
}

// Form names, as a Redactor reports what it found.
const (
	FormRaw     = "the secret"
	FormTrimmed = "the secret, trimmed"
	FormKey     = "the key SHA-256(secret)"
	FormBasic   = "the Basic credentials"
)

// MinLen is the shortest form searched for: a shorter one (a test's one-letter secret) would
// mask every occurrence of a common letter, and is no secret.
const MinLen = 4

// minFragment is the shortest base64 fragment searched for: a fragment is cut out of a longer
// value, and a short one would match ordinary text (a Zoom secret's fragments are ~40 long).
const minFragment = 8

// A Redactor masks every form of its secrets. It is safe for concurrent use.
type Redactor struct {
	mask  []byte
	names []string // the form names, by pattern number
	m     *matcher
}

// New makes a Redactor that writes mask where any form of any of secrets was. The forms, for
// the secret, its trimmed self and the key SHA-256(secret) that Zoom's app context is sealed
// with (appctx.ZoomKey): raw; hex in either case; base64 in the standard and URL alphabets,
// padded or not, alone or starting at any of the three byte offsets inside a longer value (as
// inside a Basic header, whatever the client ID); the same of its form-encoding (how RFC 6749
// puts it in a Basic header); percent-encoded, form and path style; JSON-escaped, and as PHP's
// json_encode escapes it (`\/`). With a ClientID, the whole Basic credentials too, encoded as
// RFC 6749 says and as a client that skips the form-encoding sends them.
func New(mask string, secrets ...Secret) *Redactor {
	var (
		pats  [][]byte
		names []string
	)
	add := func(name string, b []byte, min int) {
		if len(b) < min {
			return
		}
		for _, p := range pats {
			if bytes.Equal(p, b) {
				return
			}
		}
		pats, names = append(pats, b), append(names, name)
	}
	for _, s := range secrets {
		if len(s.Value) == 0 {
			continue
		}
		if s.ClientID != "" {
			add(FormBasic, []byte(basic(s.ClientID, string(s.Value))), MinLen)
			add(FormBasic, []byte(base64.StdEncoding.EncodeToString([]byte(s.ClientID+":"+string(s.Value)))), MinLen)
		}
		for _, v := range []struct {
			name string
			b    []byte
		}{{FormRaw, s.Value}, {FormTrimmed, bytes.TrimSpace(s.Value)}, {FormKey, appctx.ZoomKey(s.Value)}} {
			if len(v.b) == 0 {
				continue
			}
			for _, f := range forms(v.b) {
				add(v.name+f.suffix, f.b, f.min)
			}
		}
	}
	return &Redactor{mask: []byte(mask), names: names, m: newMatcher(pats)}
}

// basic is the Basic credentials for id and secret, rfc6749#section-2.3.1.
func basic(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

type form struct {
	suffix string
	b      []byte
	min    int
}

// forms lists the ways v can be written in a server's answer.
func forms(v []byte) []form {
	s := string(v)
	out := []form{
		{"", v, MinLen},
		{" in hex", []byte(hex.EncodeToString(v)), MinLen},
		{" in hex", []byte(strings.ToUpper(hex.EncodeToString(v))), MinLen},
		{" percent-encoded", []byte(url.QueryEscape(s)), MinLen},
		{" percent-encoded", []byte(url.PathEscape(s)), MinLen},
	}
	for _, html := range []bool{true, false} { // Go escapes <, > and & by default; others do not
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(html)
		if e.Encode(s) != nil {
			continue
		}
		j := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		j = j[1 : len(j)-1]
		out = append(out, form{" JSON-escaped", j, MinLen},
			form{" JSON-escaped", bytes.ReplaceAll(j, []byte("/"), []byte(`\/`)), MinLen}) // PHP's json_encode
	}
	for _, src := range [][]byte{v, []byte(url.QueryEscape(s))} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			out = append(out, form{" in base64", []byte(enc.EncodeToString(src)), MinLen})
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for k := 0; k < 3; k++ {
				out = append(out, form{" in base64", fragment(enc, src, k), minFragment})
			}
		}
	}
	return out
}

// fragment is the part of b's base64 that does not depend on what surrounds b, when b starts k
// bytes into a 3-byte group of a longer value.
func fragment(enc *base64.Encoding, b []byte, k int) []byte {
	src := append(make([]byte, k), b...)
	out := []byte(enc.EncodeToString(src))
	start := (8*k + 5) / 6      // the first character made of b's bits only
	end := 8 * (k + len(b)) / 6 // the characters before it hold whole bits of b
	if end <= start {
		return nil
	}
	return out[start:end]
}

// Bytes returns b with every form of the secrets replaced by the mask, and names the forms it
// found. Where forms overlap (a secret that repeats, a form inside another) the whole stretch
// they cover is one mask. b is not changed.
func (r *Redactor) Bytes(b []byte) ([]byte, []string) {
	spans, found := r.m.spans(b)
	if len(spans) == 0 {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	at := 0
	for _, s := range spans {
		out = append(append(out, b[at:s.start]...), r.mask...)
		at = s.end
	}
	out = append(out, b[at:]...)
	var names []string
	for _, p := range found {
		names = appendOnce(names, r.names[p])
	}
	return out, names
}

// String is Bytes for a string.
func (r *Redactor) String(s string) (string, []string) {
	b, found := r.Bytes([]byte(s))
	return string(b), found
}

// Header redacts every value of h in place, and names the forms it found, in the order of the
// header names.
func (r *Redactor) Header(h http.Header) []string {
	var found []string
	for _, k := range slices.Sorted(maps.Keys(h)) {
		vs := h[k]
		for i, v := range vs {
			var f []string
			vs[i], f = r.String(v)
			found = Merge(found, f)
		}
	}
	return found
}

// Merge adds to names the names in more it does not hold yet, in order.
func Merge(names, more []string) []string {
	for _, n := range more {
		names = appendOnce(names, n)
	}
	return names
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
