package pkce_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// Known answers: rfc7636 Appendix B, and the forum thread's verifier with the two challenges it
// reports (Zoom's then-documented one and OAuth.com's).
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

	forumVerifier   = "OoRepCjjX8P4perVeWHK-5TKSfyZLPuCjirkjY3hh7I"
	forumS256       = "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg"
	forumZoomLegacy = "YWRmMTUyNGZkODZlMDFiMTI4ZTQ1M2Y0NzExYWNkNWJjZDc2NWU2ZTRjMDYxMWVjYmJiZmZhMmNkYzRhOWYyOA=="
)

func TestKnownAnswers(t *testing.T) {
	tests := []struct {
		name      string
		method    pkce.Method
		verifier  string
		want      string
		wantValid bool
	}{
		{"rfc7636 appendix B", pkce.S256, rfcVerifier, rfcChallenge, true},
		{"forum S256", pkce.S256, forumVerifier, forumS256, true},
		{"forum zoom-legacy", pkce.ZoomLegacy, forumVerifier, forumZoomLegacy, false},
		{"forum script output", pkce.S256Padded, forumVerifier, forumS256 + "=", false},
		{"C# Convert.ToBase64String", pkce.S256Std, forumVerifier, "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7/6LNxKnyg=", false},
		{"plain", pkce.Plain, rfcVerifier, rfcVerifier, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := pkce.Compute(tc.method, tc.verifier)
			if c.Value != tc.want {
				t.Fatalf("challenge = %s, want %s", c.Value, tc.want)
			}
			if c.Valid() != tc.wantValid {
				t.Errorf("valid = %v (%v), want %v", c.Valid(), c.Problems, tc.wantValid)
			}
			if len(c.Steps) == 0 {
				t.Error("no intermediate steps")
			}
		})
	}
}

func TestIntermediates(t *testing.T) {
	c := pkce.Compute(pkce.ZoomLegacy, forumVerifier)
	hexDigest := "adf1524fd86e01b128e453f4711acd5bcd765e6e4c0611ecbbbffa2cdc4a9f28"
	if c.Steps[0].Value != hexDigest {
		t.Errorf("digest step = %s", c.Steps[0].Value)
	}
	if c.Steps[1].Value != hexDigest {
		t.Errorf("zoom-legacy encodes %s, want the hex text", c.Steps[1].Value)
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name      string
		verifier  string
		challenge string
		want      []pkce.Method
	}{
		{"s256", forumVerifier, forumS256, []pkce.Method{pkce.S256}},
		{"legacy with newline", forumVerifier, forumZoomLegacy + "\n", []pkce.Method{pkce.ZoomLegacy}},
		{"plain", forumVerifier, forumVerifier, []pkce.Method{pkce.Plain}},
		{"none", forumVerifier, rfcChallenge, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pkce.Match(tc.verifier, tc.challenge); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		verifier string
		want     []pkce.Problem
	}{
		{"rfc", rfcVerifier, nil},
		{"max length", strings.Repeat("a", 128), nil},
		{"too short", "abc", []pkce.Problem{{-1, "verifier is 3 characters: RFC 7636 requires 43-128"}}},
		{"too long", strings.Repeat("~", 129), []pkce.Problem{{-1, "verifier is 129 characters: RFC 7636 requires 43-128"}}},
		{"plus and space", strings.Repeat("a", 43) + "+ ", []pkce.Problem{
			{43, `'+' at position 43 is not allowed: only A-Z a-z 0-9 - . _ ~`},
			{44, `a space at position 44 is not allowed: only A-Z a-z 0-9 - . _ ~`},
		}},
		{"unicode counts characters", "é" + strings.Repeat("a", 42), []pkce.Problem{
			{0, `'é' (U+00E9) at position 0 is not allowed: only A-Z a-z 0-9 - . _ ~`},
		}},
		{"control", strings.Repeat("a", 42) + "\x1b", []pkce.Problem{
			{42, `control character U+001B at position 42 is not allowed: only A-Z a-z 0-9 - . _ ~`},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pkce.Validate(tc.verifier); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate =\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}

// TestProblemsBounded: a pasted megabyte of bad characters names the first 32 and counts the rest,
// so validation costs no more than a few problems whatever the input.
func TestProblemsBounded(t *testing.T) {
	ps := pkce.Validate(strings.Repeat("+", 1<<20))
	if len(ps) != 1+32+1 {
		t.Fatalf("%d problems, want the length, 32 characters and a count", len(ps))
	}
	if last := ps[len(ps)-1]; last.Position != 32 || last.Message != "and 1048544 more characters from position 32 on are not allowed" {
		t.Errorf("last problem %+v", last)
	}
	if got := pkce.Identify(strings.Repeat("+", 1<<20)); len(got.Likely) != 0 {
		t.Errorf("Identify: %+v", got.Likely)
	}
}

func TestValueMatchesCompute(t *testing.T) {
	for _, m := range pkce.Methods {
		if pkce.Value(m, forumVerifier) != pkce.Compute(m, forumVerifier).Value {
			t.Errorf("%s: Value and Compute disagree", m)
		}
	}
}

func TestGenerate(t *testing.T) {
	for _, n := range []int{43, 44, 64, 100, 128} {
		v, err := pkce.Generate(n, bytes.NewReader(bytes.Repeat([]byte{0xfb}, 96)))
		if err != nil {
			t.Fatal(err)
		}
		if len(v) != n || len(pkce.Validate(v)) != 0 {
			t.Errorf("n=%d: %q (%d chars) problems %v", n, v, len(v), pkce.Validate(v))
		}
	}
	// 32 bytes of 0xfb encode as "-_v7..." : the default is exactly base64url(32 bytes).
	v, _ := pkce.Generate(pkce.DefaultVerifierLen, bytes.NewReader(bytes.Repeat([]byte{0xfb}, 32)))
	if v != strings.Repeat("-_v7", 10)+"-_s" {
		t.Errorf("default verifier = %s", v)
	}
	for _, n := range []int{0, 42, 129} {
		if _, err := pkce.Generate(n, bytes.NewReader(make([]byte, 200))); err == nil {
			t.Errorf("length %d accepted", n)
		}
	}
	if _, err := pkce.Generate(43, strings.NewReader("short")); err == nil {
		t.Error("short random source accepted")
	}
}

func TestIdentify(t *testing.T) {
	tests := []struct {
		name      string
		challenge string
		want      []pkce.Method
		decoded   string
		alphabet  string
	}{
		{"s256", forumS256, []pkce.Method{pkce.S256, pkce.Plain}, "32-byte digest", "base64url"},
		{"legacy", forumZoomLegacy, []pkce.Method{pkce.ZoomLegacy}, "64 lowercase hex characters", "base64url"},
		{"padded", forumS256 + "=", []pkce.Method{pkce.S256Padded}, "32-byte digest", "base64url"},
		{"std", "rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7/6LNxKnyg=", []pkce.Method{pkce.S256Std}, "32-byte digest", "base64"},
		{"plain-ish", strings.Repeat("a.b~", 12), []pkce.Method{pkce.Plain}, "", "unreserved"},
		{"garbage", "hello world", nil, "", "other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := pkce.Identify(tc.challenge)
			if !reflect.DeepEqual(s.Likely, tc.want) || s.Decoded != tc.decoded || s.Alphabet != tc.alphabet {
				t.Errorf("Identify = %+v, want likely %v decoded %q alphabet %s", s, tc.want, tc.decoded, tc.alphabet)
			}
			if s.Summary == "" {
				t.Error("no summary")
			}
		})
	}
}

// FuzzValidate: validation never panics, reports each bad character once at its rune position, and
// agrees with Compute(plain) on whether the string is a valid challenge.
func FuzzValidate(f *testing.F) {
	f.Add(rfcVerifier)
	f.Add(forumZoomLegacy)
	f.Add("é\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		ps := pkce.Validate(s)
		n := utf8.RuneCountInString(s)
		for _, p := range ps {
			if p.Position < -1 || p.Position >= n {
				t.Fatalf("position %d outside %d characters", p.Position, n)
			}
		}
		if (len(ps) == 0) != pkce.Compute(pkce.Plain, s).Valid() {
			t.Fatal("Validate and the plain challenge disagree")
		}
		if len(ps) > 1+32+1 {
			t.Fatalf("%d problems: not bounded", len(ps))
		}
		_ = pkce.Identify(s)
		_ = pkce.Match(s, s)
	})
}

func ExampleCompute() {
	for _, m := range []pkce.Method{pkce.S256, pkce.ZoomLegacy} {
		c := pkce.Compute(m, "OoRepCjjX8P4perVeWHK-5TKSfyZLPuCjirkjY3hh7I")
		fmt.Printf("%-11s %-5v %s\n", m, c.Valid(), c.Value)
	}
	// Output:
	// S256        true  rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg
	// zoom-legacy false YWRmMTUyNGZkODZlMDFiMTI4ZTQ1M2Y0NzExYWNkNWJjZDc2NWU2ZTRjMDYxMWVjYmJiZmZhMmNkYzRhOWYyOA==
}
