package appctx_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

func load(t testing.TB) fixtures.File {
	t.Helper()
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func secrets(f fixtures.File, label string) []appctx.Secret {
	return []appctx.Secret{{Label: label, Value: []byte(f.Secrets[label])}}
}

// TestVectors holds zoomdbg to the verdict recorded for every fixture.
func TestVectors(t *testing.T) {
	f := load(t)
	for _, v := range f.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			keys := appctx.DeriveAll(secrets(f, v.SecretLabel))
			r := appctx.Inspect(v.Token, keys)
			if got := string(r.Status()); got != v.WantStatus {
				t.Fatalf("status = %s, want %s (parse error: %v)", got, v.WantStatus, r.ParseErr)
			}
			checkError(t, r.ParseErr, v)
			if v.WantDerivation != "" {
				if r.Opened == nil {
					t.Fatalf("nothing opened it, want %s", v.WantDerivation)
				}
				if got := string(r.Opened.Key.Derivation); got != v.WantDerivation {
					t.Errorf("opened with %s, want %s", got, v.WantDerivation)
				}
			}
			if v.WantUID != "" {
				var uid string
				if err := json.Unmarshal(r.Object["uid"], &uid); err != nil || uid != v.WantUID {
					t.Errorf("uid = %q (%v), want %q", uid, err, v.WantUID)
				}
			}
			if v.WantRepairs != 0 && len(r.Token.Input.Repairs) != v.WantRepairs {
				t.Errorf("repairs = %q, want %d of them", r.Token.Input.Repairs, v.WantRepairs)
			}
		})
	}
}

func checkError(t *testing.T, err error, v fixtures.Vector) {
	t.Helper()
	if v.WantError == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var fe *appctx.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want a *FormatError %s", err, v.WantError)
	}
	if string(fe.Code) != v.WantError {
		t.Errorf("code = %s, want %s (%v)", fe.Code, v.WantError, err)
	}
	if v.WantErrorField != "" && fe.Field != v.WantErrorField {
		t.Errorf("field = %s, want %s", fe.Field, v.WantErrorField)
	}
	if v.WantOffset != 0 && fe.Offset != v.WantOffset {
		t.Errorf("offset = %d, want %d", fe.Offset, v.WantOffset)
	}
}

// TestFixturesReproduce fails when vectors.json no longer matches the recipes that claim to make it.
func TestFixturesReproduce(t *testing.T) {
	b, err := fixtures.Marshal(fixtures.Build())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, fixtures.Raw()) {
		t.Fatal("fixtures/vectors.json differs from fixtures.Build(): run `go run ./fixtures/gen`")
	}
}

func TestLayoutOffsets(t *testing.T) {
	f := load(t)
	tok, err := appctx.Parse(f.Get("valid-aad").Token)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name        string
		offset, len int
		value       int
	}{
		{appctx.FieldIVLength, 0, 1, 12},
		{appctx.FieldIV, 1, 12, 0},
		{appctx.FieldAADLength, 13, 2, 16},
		{appctx.FieldAAD, 15, 16, 0},
		{appctx.FieldCipherLength, 31, 4, len(tok.Ciphertext)},
		{appctx.FieldCiphertext, 35, len(tok.Ciphertext), 0},
		{appctx.FieldTag, 35 + len(tok.Ciphertext), 16, 0},
	}
	if len(tok.Fields) != len(want) {
		t.Fatalf("got %d fields, want %d", len(tok.Fields), len(want))
	}
	for i, w := range want {
		got := tok.Fields[i]
		if got.Name != w.name || got.Offset != w.offset || got.Length() != w.len || got.Value != w.value {
			t.Errorf("field %d = %s@%d len %d value %d, want %s@%d len %d value %d",
				i, got.Name, got.Offset, got.Length(), got.Value, w.name, w.offset, w.len, w.value)
		}
	}
	if string(tok.AAD) != "zoomdbg-test-aad" {
		t.Errorf("aad = %q", tok.AAD)
	}
}

// TestCharSpans checks that each field's span of characters decodes to bytes containing the field.
func TestCharSpans(t *testing.T) {
	f := load(t)
	for _, name := range []string{"valid", "valid-aad", "valid-iv16", "valid-std"} {
		tok, err := appctx.Parse(f.Get(name).Token)
		if err != nil {
			t.Fatal(err)
		}
		text := tok.Input.Text
		for _, fd := range tok.Fields {
			// Decode from the 4-character group holding Start to the group holding End.
			g0, g1 := fd.Chars.Start/4*4, min((fd.Chars.End+3)/4*4, len(text))
			enc := base64.RawURLEncoding
			if tok.Input.Encoding == appctx.Base64Std {
				enc = base64.RawStdEncoding
			}
			b, err := enc.DecodeString(text[g0:g1])
			if err != nil {
				t.Fatalf("%s/%s: %v", name, fd.Name, err)
			}
			rel := fd.Offset - g0/4*3
			if !bytes.Equal(b[rel:rel+fd.Length()], fd.Bytes) {
				t.Errorf("%s/%s: span %v does not carry the field", name, fd.Name, fd.Chars)
			}
			// The span is tight: a narrower span would miss a bit of the field.
			if fd.Length() > 0 && (fd.Chars.Start != fd.Offset*8/6 || fd.Chars.End != min(((fd.Offset+fd.Length())*8+5)/6, len(text))) {
				t.Errorf("%s/%s: span %v not tight", name, fd.Name, fd.Chars)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	valid := load(t).Get("valid").Token
	tests := []struct {
		name        string
		in          string
		wantRepairs []string
		wantEnc     appctx.Encoding
		wantPadded  bool
		wantErr     appctx.ErrorCode
		wantOffset  int
	}{
		{name: "as sent", in: valid, wantEnc: appctx.Base64URL},
		{name: "newline", in: valid + "\n", wantRepairs: []string{"trimmed surrounding whitespace"}, wantEnc: appctx.Base64URL},
		{name: "header", in: "X-Zoom-App-Context: " + valid,
			wantRepairs: []string{`stripped header name "X-Zoom-App-Context"`}, wantEnc: appctx.Base64URL},
		{name: "single quotes", in: "'" + valid + "'", wantRepairs: []string{"removed surrounding ' quotes"}, wantEnc: appctx.Base64URL},
		{name: "wrapped", in: valid[:60] + "\n" + valid[60:120] + "\r\n" + valid[120:],
			wantRepairs: []string{"removed 3 line breaks or tabs inside the token"}, wantEnc: appctx.Base64URL},
		{name: "percent", in: "ab%2Bcd%2F", wantRepairs: []string{"percent-decoded 2 escapes"}, wantEnc: appctx.Base64Std},
		{name: "space in base64url", in: "ab-c d", wantErr: appctx.ErrBadChar, wantOffset: 4},
		{name: "empty", in: "  \n ", wantRepairs: []string{"trimmed surrounding whitespace"}, wantErr: appctx.ErrEmpty},
		{name: "only quotes", in: `""`, wantRepairs: []string{`removed surrounding " quotes`}, wantErr: appctx.ErrEmpty},
		{name: "bad char", in: "abcd$efg", wantErr: appctx.ErrBadChar, wantOffset: 4},
		{name: "inner padding", in: "ab=cd=", wantErr: appctx.ErrBadChar, wantOffset: 2},
		{name: "wrong padding", in: "abcdef=", wantPadded: true, wantEnc: appctx.Base64URL,
			wantRepairs: []string{"ignored 1 '=' of padding (a 6-character token takes 2)"}},
		{name: "5 chars", in: "abcde", wantErr: appctx.ErrBadLength, wantOffset: 4},
		// No count of '=' pads 4k+1 characters: the repair does not name one.
		{name: "5 chars padded", in: "abcde===", wantErr: appctx.ErrBadLength, wantOffset: 4, wantPadded: true,
			wantRepairs: []string{"ignored 3 '=' of padding"}},
		{name: "mixed", in: "ab-d+fgh", wantErr: appctx.ErrMixedAlphabet, wantOffset: 4},
		{name: "std", in: "ab+/", wantEnc: appctx.Base64Std},
		// Prose is not repaired: spaces become '+' only when that gives a token's layout.
		{name: "spaces were not plus", in: "ab c/", wantErr: appctx.ErrBadChar, wantOffset: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := appctx.Normalize(tc.in)
			if strings.Join(in.Repairs, "|") != strings.Join(tc.wantRepairs, "|") {
				t.Errorf("repairs = %q, want %q", in.Repairs, tc.wantRepairs)
			}
			if tc.wantErr != "" {
				var fe *appctx.FormatError
				if !errors.As(err, &fe) || fe.Code != tc.wantErr || fe.Offset != tc.wantOffset || fe.Unit != appctx.UnitChar {
					t.Fatalf("err = %#v, want %s at char %d", err, tc.wantErr, tc.wantOffset)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if in.Encoding != tc.wantEnc || in.Padded != tc.wantPadded {
				t.Errorf("encoding %s padded %v, want %s %v", in.Encoding, in.Padded, tc.wantEnc, tc.wantPadded)
			}
		})
	}
}

func TestMalformedKeepsParsedFields(t *testing.T) {
	f := load(t)
	tok, err := appctx.Parse(f.Get("truncated").Token)
	if err == nil {
		t.Fatal("truncated token parsed")
	}
	var names []string
	for _, fd := range tok.Fields {
		names = append(names, fd.Name)
	}
	if got := strings.Join(names, ","); got != "iv_length,iv,aad_length,aad,cipher_length" {
		t.Errorf("fields before the fault = %s", got)
	}
	if !strings.Contains(err.Error(), "ciphertext at byte 19") {
		t.Errorf("error does not name field and offset: %v", err)
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	key := appctx.ZoomKey([]byte("secret"))
	for _, aad := range [][]byte{nil, []byte("a"), bytes.Repeat([]byte{7}, 300)} {
		for _, pt := range [][]byte{{}, []byte(`{"uid":"x"}`), bytes.Repeat([]byte("z"), 70000)} {
			tok, err := appctx.Seal(key, pt, aad, strings.NewReader("0123456789ab"))
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := appctx.Parse(tok)
			if err != nil {
				t.Fatal(err)
			}
			got, err := appctx.Open(parsed, key)
			if err != nil || !bytes.Equal(got, pt) || !bytes.Equal(parsed.AAD, aad) {
				t.Fatalf("round trip failed: %v", err)
			}
			if _, err := appctx.Open(parsed, appctx.ZoomKey([]byte("other"))); !errors.Is(err, appctx.ErrTagMismatch) {
				t.Fatalf("wrong key: err = %v, want tag mismatch", err)
			}
		}
	}
}

func TestSealRejects(t *testing.T) {
	key := appctx.ZoomKey([]byte("s"))
	if _, err := appctx.SealBytes(key, nil, nil, nil); err == nil {
		t.Error("empty IV accepted")
	}
	if _, err := appctx.SealBytes(key, make([]byte, 12), nil, make([]byte, 0x10000)); err == nil {
		t.Error("65536-byte AAD accepted")
	}
	if _, err := appctx.SealBytes([]byte("short"), make([]byte, 12), nil, nil); err == nil {
		t.Error("5-byte key accepted")
	}
	if _, err := appctx.Seal(key, nil, nil, strings.NewReader("short")); err == nil {
		t.Error("short random source accepted")
	}
}

func TestDerivations(t *testing.T) {
	s := appctx.Secret{Label: "x", Value: []byte("Zd3vS3cretF0rZoomdbgTestV3ctors1")}
	zoom := sha256.Sum256(s.Value)
	keys := map[appctx.Derivation]appctx.Key{}
	for _, k := range appctx.DeriveAll([]appctx.Secret{s}) {
		keys[k.Derivation] = k
	}
	if !bytes.Equal(keys[appctx.DeriveSHA256].Bytes, zoom[:]) {
		t.Error("sha256 derivation is not SHA-256(secret)")
	}
	if !bytes.Equal(keys[appctx.DeriveRaw].Bytes, s.Value) || keys[appctx.DeriveRaw].Err != nil {
		t.Error("raw derivation of a 32-byte secret should be the secret")
	}
	if keys[appctx.DeriveTrimmed].Note == "" {
		t.Error("trimmed derivation of an untrimmed-equal secret should say it is the same key")
	}
	for _, d := range []appctx.Derivation{appctx.DeriveHKDF, appctx.DerivePBKDF2} {
		if len(keys[d].Bytes) != 32 || bytes.Equal(keys[d].Bytes, zoom[:]) {
			t.Errorf("%s: key %x", d, keys[d].Bytes)
		}
	}
	short := appctx.Derive(appctx.DeriveRaw, appctx.Secret{Value: []byte("abc")})
	if short.Err == nil {
		t.Error("a 3-byte raw key has no error")
	}
}

func TestDiagnosis(t *testing.T) {
	f := load(t)
	tests := []struct {
		name      string
		vector    string
		secrets   []appctx.Secret
		wantLabel string
		wantCause string // a substring of the first cause
	}{
		{name: "dev and prod, prod opens", vector: "wrong-secret",
			secrets:   []appctx.Secret{{"dev", []byte(f.Secrets["dev"])}, {"prod", []byte(f.Secrets["prod"])}},
			wantLabel: "prod"},
		{name: "wrong secret", vector: "wrong-secret", secrets: secrets(f, "dev"),
			wantCause: "Development and Production"},
		{name: "hkdf", vector: "hkdf-key", secrets: secrets(f, "dev"), wantCause: "HKDF-SHA256"},
		{name: "trailing newline", vector: "valid", secrets: []appctx.Secret{{"env", []byte(f.Secrets["dev"] + "\n")}},
			wantCause: "whitespace around it"},
		{name: "client id", vector: "valid", secrets: []appctx.Secret{{"id", []byte(f.ClientID)}}, wantCause: "client ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := appctx.Inspect(f.Get(tc.vector).Token, appctx.DeriveAll(tc.secrets))
			if len(r.Attempts) != len(tc.secrets)*len(appctx.Derivations) {
				t.Fatalf("%d attempts, want every derivation for every secret", len(r.Attempts))
			}
			if tc.wantLabel != "" {
				if !r.OK() || r.Opened.Key.SecretLabel != tc.wantLabel {
					t.Fatalf("status %s, want ok with %s", r.Status(), tc.wantLabel)
				}
				if len(r.Causes) != 0 {
					t.Errorf("causes on success: %q", r.Causes)
				}
				return
			}
			if len(r.Causes) == 0 || !strings.Contains(r.Causes[0], tc.wantCause) {
				t.Fatalf("causes = %q, want the first to mention %q", r.Causes, tc.wantCause)
			}
		})
	}
}

func TestHints(t *testing.T) {
	f := load(t)
	r := appctx.Inspect(f.Get("valid-aad").Token, nil)
	all := strings.Join(r.Hints, "\n")
	for _, want := range []string{"base64url", "Web Crypto", "16-byte AAD"} {
		if !strings.Contains(all, want) {
			t.Errorf("hints lack %q:\n%s", want, all)
		}
	}
}

func TestClaims(t *testing.T) {
	obj := map[string]json.RawMessage{
		"typ":    json.RawMessage(`"meeting"`),
		"ts":     json.RawMessage(`1795167000000`),
		"exp":    json.RawMessage(`1795167120000`),
		"aud":    json.RawMessage(`"abc"`),
		"custom": json.RawMessage(`{"a": 1}`),
	}
	at := func(d time.Duration) time.Time { return time.UnixMilli(1795167000000).Add(d) }
	tests := []struct {
		name     string
		now      time.Time
		clientID string
		claim    string
		want     string
		warn     bool
	}{
		{"issued", at(12 * time.Second), "", "ts", "2026-11-20 09:30:00.000 UTC, issued 12s ago", false},
		{"live", at(12 * time.Second), "", "exp", "2026-11-20 09:32:00.000 UTC, expires in 1m48s (lives 2m00s)", false},
		{"expired", at(6*time.Minute + 12*time.Second), "", "exp", "2026-11-20 09:32:00.000 UTC, expired 4m12s ago", true},
		{"future", at(-time.Hour), "", "ts", "2026-11-20 09:30:00.000 UTC, 1h00m in the future: check this machine's clock", true},
		{"aud ok", at(0), "abc", "aud", "matches the client ID given", false},
		{"aud wrong", at(0), "xyz", "aud", `does not match client ID "xyz": this context is for another app`, true},
		{"guest", at(0), "", "uid", "no uid: the user has not authorized the app, so the context is anonymous (guest mode)", false},
		{"unknown kept", at(0), "", "custom", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got *appctx.Claim
			cs := appctx.Claims(obj, tc.now, tc.clientID)
			for i := range cs {
				if cs[i].Name == tc.claim {
					got = &cs[i]
				}
			}
			if got == nil {
				t.Fatalf("no claim %s in %+v", tc.claim, cs)
			}
			if got.Note != tc.want || got.Warn != tc.warn {
				t.Errorf("note = %q warn %v, want %q warn %v", got.Note, got.Warn, tc.want, tc.warn)
			}
			if tc.claim == "custom" && (got.Known || got.Value != `{"a":1}`) {
				t.Errorf("unknown claim = %+v", got)
			}
		})
	}
	secs := appctx.Claims(map[string]json.RawMessage{"exp": json.RawMessage(`1795167120`)}, at(0), "")
	for _, c := range secs {
		if c.Name == "exp" && (!c.Warn || !strings.Contains(c.Note, "epoch seconds")) {
			t.Errorf("seconds not flagged: %+v", c)
		}
	}
}

func ExampleInspect() {
	f, _ := fixtures.Load()
	keys := appctx.DeriveAll([]appctx.Secret{{Label: "dev", Value: []byte(f.Secrets["dev"])}})
	r := appctx.Inspect(f.Get("valid").Token, keys)
	fmt.Println(r.Status(), r.Opened.Key.Derivation, string(r.Object["uid"]))
	for _, fd := range r.Token.Fields {
		fmt.Printf("%-13s offset %3d length %3d\n", fd.Name, fd.Offset, fd.Length())
	}
	// Output:
	// ok sha256 "MPjq6UmhQWWBP4Yuf-FARg"
	// iv_length     offset   0 length   1
	// iv            offset   1 length  12
	// aad_length    offset  13 length   2
	// aad           offset  15 length   0
	// cipher_length offset  15 length   4
	// ciphertext    offset  19 length 214
	// tag           offset 233 length  16
}
