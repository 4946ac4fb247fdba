package redact

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
)

// hostile holds what each encoding changes: '+', '/', '%', '&', ':', '=', a space, a quote.
const hostile = `s3cr+t/%&:= x"Zoom`

const mask = "[masked]"

// every lists each form a secret can take in an answer, from every redactor zoomdbg had (check's:
// hex, base64 at any alignment, the key; oauth's: the Basic credentials with the client ID, PHP's
// `\/`), with whether it needs the client ID to be found whole.
func every(id, secret string) map[string]string {
	key := sha256.Sum256([]byte(secret))
	j, _ := json.Marshal(secret)
	js := strings.Trim(string(j), `"`)
	return map[string]string{
		"raw":                secret,
		"hex":                hex.EncodeToString([]byte(secret)),
		"HEX":                strings.ToUpper(hex.EncodeToString([]byte(secret))),
		"base64":             base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64 raw url":     base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"base64 offset 1":    base64.StdEncoding.EncodeToString([]byte("x" + secret)),
		"base64 offset 2":    base64.URLEncoding.EncodeToString([]byte("xy" + secret)),
		"basic, any id":      "Basic " + base64.StdEncoding.EncodeToString([]byte("someone-else:"+secret)),
		"basic, rfc 6749":    "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret))),
		"basic, unescaped":   "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret)),
		"query-escaped":      url.QueryEscape(secret),
		"path-escaped":       url.PathEscape(secret),
		"JSON-escaped":       js,
		"PHP json_encode":    strings.ReplaceAll(js, "/", `\/`),
		"JSON, & unescaped":  strings.ReplaceAll(js, `\u0026`, "&"),
		"key in hex":         hex.EncodeToString(key[:]),
		"key in base64":      base64.StdEncoding.EncodeToString(key[:]),
		"key raw":            string(key[:]),
		"secret with spaces": " " + secret + "\n",
	}
}

// TestEveryFormEveryCaller: each form is taken out, with the client ID known (oauth) and not
// (check, webhook), whatever surrounds it, and the answer around it is kept.
func TestEveryFormEveryCaller(t *testing.T) {
	const id = "my+client id"
	for _, secret := range []string{hostile, "Zm0ckS3cretF0rZoomdbgOAuthTest01", "wh-token-1234"} {
		for name, f := range every(id, secret) {
			for _, caller := range []struct {
				name string
				r    *Redactor
			}{{"oauth", New(mask, Secret{Value: []byte(secret), ClientID: id})}, {"check and webhook", New(mask, Secret{Value: []byte(secret)})}} {
				t.Run(caller.name+"/"+name, func(t *testing.T) {
					in := "before <<" + f + ">> after"
					got, found := caller.r.String(in)
					if !strings.HasPrefix(got, "before <<") || !strings.HasSuffix(got, ">> after") || !strings.Contains(got, mask) || len(found) == 0 {
						t.Fatalf("%q -> %q (found %v)", in, got, found)
					}
					for _, leak := range []string{secret, strings.TrimSpace(secret), url.QueryEscape(secret)} {
						if strings.Contains(got, leak) {
							t.Fatalf("%q still holds %q", got, leak)
						}
					}
					// What is left between the mask and the brackets is at most the two
					// characters of a base64 group that mix the secret's bits with others'.
					rest := strings.NewReplacer("before <<", "", ">> after", "", mask, "", "Basic ", "").Replace(got)
					// Without the client ID, a Basic header keeps the ID's base64.
					if len(rest) > 3 && !strings.HasPrefix(name, "basic") && !strings.HasPrefix(name, "base64 offset") {
						t.Errorf("%q left around the mask", rest)
					}
				})
			}
		}
	}
}

// TestBasicWhole: with the client ID known, the whole Basic credentials are one mask, so not a
// bit of the secret is left in the characters that mix it with the ID.
func TestBasicWhole(t *testing.T) {
	const id = "client"
	creds := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(hostile)))
	got, found := New(mask, Secret{Value: []byte(hostile), ClientID: id}).String("Authorization: Basic " + creds)
	if got != "Authorization: Basic "+mask || len(found) == 0 || found[0] != FormBasic {
		t.Fatalf("%q, found %v", got, found)
	}
}

func TestShortAndEmpty(t *testing.T) {
	tests := []struct {
		name, secret, in, want string
	}{
		{"one letter is no secret", "s", "this is a test", "this is a test"},
		{"empty secret", "", "anything", "anything"},
		{"four letters are", "abcd", "x abcd y", "x " + mask + " y"},
		{"empty text", "secret-value", "", ""},
		{"repeating secret, overlapping echo", "abab-abab", "abab-abab-abab!", mask + "!"},
		{"adjacent echoes stay two", "secret-value", "secret-valuesecret-value", mask + mask},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := New(mask, Secret{Value: []byte(tc.secret)}).String(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	h := http.Header{"X-Debug": {"secret=" + hostile, "ok"}, "Www-Authenticate": {base64.StdEncoding.EncodeToString([]byte(hostile))}}
	found := New(mask, Secret{Value: []byte(hostile)}).Header(h)
	if h.Get("X-Debug") != "secret="+mask || h.Values("X-Debug")[1] != "ok" || h.Get("Www-Authenticate") != mask {
		t.Errorf("%v", h)
	}
	if strings.Join(found, ", ") != "the secret in base64, the secret" {
		t.Errorf("found %v", found)
	}
}

// TestSeveralSecrets: oauth redacts every secret a run holds.
func TestSeveralSecrets(t *testing.T) {
	r := New(mask, Secret{Value: []byte("first-secret")}, Secret{Value: []byte("second-secret")})
	if got, _ := r.String("a first-secret b " + hex.EncodeToString([]byte("second-secret"))); got != "a "+mask+" b "+mask {
		t.Errorf("%q", got)
	}
}

// TestAgainstBruteForce: on random patterns and texts over a small alphabet (so that matches
// overlap and nest often), the automaton masks exactly what marking every occurrence of every
// pattern, one at a time, masks.
func TestAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab-"[rng.IntN(3)]
		}
		return b
	}
	for range 2000 {
		var pats [][]byte
		for range 1 + rng.IntN(6) {
			pats = append(pats, word(1+rng.IntN(5)))
		}
		text := word(rng.IntN(60))
		covered := make([]bool, len(text))
		for _, p := range pats {
			for i := 0; i+len(p) <= len(text); i++ {
				if bytes.Equal(text[i:i+len(p)], p) {
					for k := i; k < i+len(p); k++ {
						covered[k] = true
					}
				}
			}
		}
		got := make([]bool, len(text))
		spans, _ := newMatcher(pats).spans(text)
		last := -1
		for _, s := range spans {
			if s.start < last {
				t.Fatalf("spans overlap or are out of order: %v", spans)
			}
			last = s.end
			for k := s.start; k < s.end; k++ {
				got[k] = true
			}
		}
		for k := range text {
			if got[k] != covered[k] {
				t.Fatalf("patterns %q, text %q: byte %d covered %v, want %v (spans %v)", pats, text, k, got[k], covered[k], spans)
			}
		}
	}
}

// TestLinear: the work done (transitions of the automaton) on 1 MB of hostile text is at most
// twice its length and grows 16-fold for 16-fold input, and so do the bytes allocated: no input
// makes it quadratic. The inputs are those that hurt a naive search: one character repeated, the
// secret's own prefix repeated, the secret repeated, the secret cut one byte short again and again.
func TestLinear(t *testing.T) {
	secret := []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab") // every prefix is a run of a's
	r := New(mask, Secret{Value: secret, ClientID: "aaaa"})
	inputs := map[string]func(n int) []byte{
		"one letter":      func(n int) []byte { return bytes.Repeat([]byte("a"), n) },
		"the secret":      func(n int) []byte { return bytes.Repeat(secret, n/len(secret)) },
		"cut short":       func(n int) []byte { return bytes.Repeat(secret[:len(secret)-1], n/len(secret)) },
		"base64 of a run": func(n int) []byte { return bytes.Repeat([]byte("YWFh"), n/4) },
	}
	const small = 64 << 10
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			work := func(n int) (steps int, alloc float64) {
				b := in(n)
				r.m.testSteps = &steps
				defer func() { r.m.testSteps = nil }()
				alloc = testing.AllocsPerRun(1, func() { r.Bytes(b) })
				steps = 0
				r.Bytes(b)
				return steps, alloc
			}
			s1, a1 := work(small)
			s16, a16 := work(16 * small)
			if s16 > 2*16*small || s16 > 17*s1 {
				t.Errorf("steps: %d for %d bytes, %d for %d bytes", s1, small, s16, 16*small)
			}
			if a16 > 17*a1+2 {
				t.Errorf("allocations: %v for %d bytes, %v for %d bytes", a1, small, a16, 16*small)
			}
			b1, b16 := allocated(r, in(small)), allocated(r, in(16*small))
			if b16 > 20*b1+4096 { // a little slack for what the runtime allocates meanwhile
				t.Errorf("bytes allocated: %d for %d bytes, %d for %d bytes", b1, small, b16, 16*small)
			}
		})
	}
}

// allocated is the bytes allocated redacting b.
func allocated(r *Redactor, b []byte) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r.Bytes(b)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func BenchmarkNew(b *testing.B) {
	for range b.N {
		New(mask, Secret{Value: []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01"), ClientID: "zoomdbgMockClientId001"})
	}
}

// BenchmarkBytes: a 1 MB answer holding the secret now and then.
func BenchmarkBytes(b *testing.B) {
	secret := []byte("Zm0ckS3cretF0rZoomdbgOAuthTest01")
	r := New(mask, Secret{Value: secret, ClientID: "zoomdbgMockClientId001"})
	text := bytes.Repeat(append([]byte(strings.Repeat("lorem ipsum dolor sit amet ", 40)), secret...), 1<<20/1100)
	b.SetBytes(int64(len(text)))
	for range b.N {
		r.Bytes(text)
	}
}
