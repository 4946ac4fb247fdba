package appctx_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

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

// FuzzJudge: the one judgement never panics on any header, gives a known verdict with a reason
// that belongs to it, points inside what it names, and calls ok only what opens with Zoom's key
// to one JSON object whose exp lies ahead. The corpus under testdata/fuzz/FuzzJudge holds the
// verdict table's rows.
func FuzzJudge(f *testing.F) {
	tab := verdictTable(f)
	keys, err := appctx.ZoomKeys([]appctx.Secret{{Label: "t", Value: []byte(tab.Secret)}})
	if err != nil {
		f.Fatal(err)
	}
	now := time.UnixMilli(tab.NowMS)
	reasons := map[appctx.Verdict][]appctx.Reason{
		appctx.VerdictNoToken: {appctx.ReasonMissing},
		appctx.VerdictMalformed: {appctx.ReasonTooLong, appctx.ReasonStdBase64, appctx.ReasonBadChar, appctx.ReasonBadPadding,
			appctx.ReasonBadLength, appctx.ReasonIVLength, appctx.ReasonTruncated, appctx.ReasonShortTag, appctx.ReasonTrailingBytes},
		appctx.VerdictTagMismatch: {appctx.ReasonTag},
		appctx.VerdictBadPayload: {appctx.ReasonNotUTF8, appctx.ReasonBOM, appctx.ReasonTooDeep, appctx.ReasonNotJSON, appctx.ReasonNotObject,
			appctx.ReasonTrailingData, appctx.ReasonExpMissing, appctx.ReasonExpType, appctx.ReasonExpSeconds, appctx.ReasonTSType, appctx.ReasonTSSeconds},
		appctx.VerdictWrongAud: {appctx.ReasonAud},
		appctx.VerdictExpired:  {appctx.ReasonExpired},
		appctx.VerdictOK:       {appctx.ReasonNone},
	}
	f.Fuzz(func(t *testing.T, h string) {
		for _, clientID := range []string{"", tab.ClientID} {
			j := appctx.Judge(h, true, keys, clientID, now)
			if !slices.Contains(reasons[j.Verdict], j.Reason) {
				t.Fatalf("verdict %q with reason %q", j.Verdict, j.Reason)
			}
			switch j.Where {
			case appctx.InHeader:
				if j.Offset < 0 || j.Offset > len(h) {
					t.Fatalf("header offset %d of %d", j.Offset, len(h))
				}
			case appctx.InToken:
				if j.Offset < 0 || j.Offset > len(j.Bytes) {
					t.Fatalf("token offset %d of %d", j.Offset, len(j.Bytes))
				}
			case appctx.InPayload:
				if j.Offset < 0 || j.Offset > len(j.Payload) {
					t.Fatalf("payload offset %d of %d", j.Offset, len(j.Payload))
				}
			}
			if j.Verdict != appctx.VerdictOK {
				continue
			}
			// ok: an independent reading agrees. Go's own base64url decoder, the layout, GCM
			// with Zoom's key, encoding/json into one object with a numeric exp ahead of now.
			b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(h, "="))
			if err != nil || len(h) > appctx.MaxHeader {
				t.Fatalf("ok, yet not base64url: %v", err)
			}
			tok, err := appctx.ParseBytes(b)
			if err != nil || len(tok.IV) != appctx.IVSize {
				t.Fatalf("ok, yet the layout: %v", err)
			}
			pt, err := appctx.Open(tok, appctx.ZoomKey([]byte(tab.Secret)))
			if err != nil {
				t.Fatalf("ok, yet GCM: %v", err)
			}
			var obj map[string]any
			if err := json.Unmarshal(pt, &obj); err != nil {
				t.Fatalf("ok, yet not JSON: %v", err)
			}
			exp, isNum := obj["exp"].(float64)
			if !isNum || exp <= float64(tab.NowMS) {
				t.Fatalf("ok, yet exp %v", obj["exp"])
			}
		}
	})
}

// TestJudgeLinear: the judgement's work does not grow with a hostile header. Work is counted as
// bytes allocated (never time): 100,000 repeated characters are refused by the length check before
// anything copies them, so they cost what 8,193 do.
func TestJudgeLinear(t *testing.T) {
	tab := verdictTable(t)
	keys, _ := appctx.ZoomKeys([]appctx.Secret{{Label: "t", Value: []byte(tab.Secret)}})
	now := time.UnixMilli(tab.NowMS)
	allocated := func(h string) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 20 {
			appctx.Judge(h, true, keys, "", now)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 20
	}
	for _, c := range []string{"A", "=", "{", "+", "\u00e9"} {
		big, capped := allocated(strings.Repeat(c, 100000)), allocated(strings.Repeat(c, appctx.MaxHeader+1))
		if big > capped+256 {
			t.Errorf("%q: 100,000 of them allocate %d bytes, %d of them %d: the work grows past the cap", c, big, appctx.MaxHeader+1, capped)
		}
	}
}

// BenchmarkJudgeHostile: the judgement on the headers that made other readers quadratic.
func BenchmarkJudgeHostile(b *testing.B) {
	tab := verdictTable(b)
	keys, _ := appctx.ZoomKeys([]appctx.Secret{{Label: "t", Value: []byte(tab.Secret)}})
	now := time.UnixMilli(tab.NowMS)
	for _, h := range []string{strings.Repeat("=", 8192), strings.Repeat("=", 100000), strings.Repeat("A", 8190) + "==", strings.Repeat("A", 100000)} {
		b.Run(fmt.Sprint(len(h)), func(b *testing.B) {
			for b.Loop() {
				appctx.Judge(h, true, keys, "", now)
			}
		})
	}
}
