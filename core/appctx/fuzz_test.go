package appctx_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// FuzzParse: Normalize+Parse never panics, every field lies inside the decoded bytes, the fields
// tile the bytes from offset 0 without gaps, a successful parse covers every byte, and character
// spans stay inside the text.
func FuzzParse(f *testing.F) {
	for _, v := range load(f).Vectors {
		f.Add(v.Token)
	}
	f.Add("")
	f.Add("x-zoom-app-context: 'AAAA'")
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := appctx.Parse(raw)
		if tok == nil {
			t.Fatal("nil token")
		}
		if err != nil {
			var fe *appctx.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
		}
		b := tok.Input.Bytes
		next := 0
		for _, fd := range tok.Fields {
			if fd.Offset != next {
				t.Fatalf("%s at %d, want %d: fields do not tile", fd.Name, fd.Offset, next)
			}
			if fd.Offset+fd.Length() > len(b) || !bytes.Equal(b[fd.Offset:fd.Offset+fd.Length()], fd.Bytes) {
				t.Fatalf("%s escapes the buffer", fd.Name)
			}
			if fd.Chars.Start < 0 || fd.Chars.End > len(tok.Input.Text) || fd.Chars.Start > fd.Chars.End {
				t.Fatalf("%s: span %v outside text of %d", fd.Name, fd.Chars, len(tok.Input.Text))
			}
			next += fd.Length()
		}
		if err == nil && next != len(b) {
			t.Fatalf("parsed token covers %d of %d bytes", next, len(b))
		}
	})
}

// FuzzSealOpen: whatever is sealed opens to the same bytes, and any single flipped bit fails.
func FuzzSealOpen(f *testing.F) {
	f.Add([]byte("secret"), []byte(`{"uid":"x"}`), []byte(""), uint16(0))
	f.Add([]byte(""), []byte(""), []byte("aad"), uint16(100))
	f.Fuzz(func(t *testing.T, secret, pt, aad []byte, flip uint16) {
		if len(aad) > 0xffff {
			return
		}
		key := appctx.ZoomKey(secret)
		b, err := appctx.SealBytes(key, make([]byte, appctx.IVSize), pt, aad)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := appctx.Parse(appctx.Encode(b))
		if err != nil {
			t.Fatal(err)
		}
		got, err := appctx.Open(tok, key)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round trip: %v", err)
		}
		// Flip one bit outside the length prefixes, so the layout still parses.
		i := int(flip) % len(b)
		if i < 1 || (i >= 1+appctx.IVSize && i < 1+appctx.IVSize+2) || (i >= 15+len(aad) && i < 19+len(aad)) {
			return
		}
		b[i] ^= 1
		tok, err = appctx.ParseBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := appctx.Open(tok, key); !errors.Is(err, appctx.ErrTagMismatch) {
			t.Fatalf("bit %d flipped: err = %v, want tag mismatch", i, err)
		}
	})
}
