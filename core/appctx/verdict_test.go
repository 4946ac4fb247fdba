package appctx_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/appctx"
	"github.com/zoomdbg/zoomdbg/fixtures"
)

func verdictTable(t testing.TB) *fixtures.VerdictTable {
	t.Helper()
	tab, err := fixtures.Verdicts()
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) < 100 {
		t.Fatalf("%d rows: the table is incomplete", len(tab.Rows))
	}
	return tab
}

// TestVerdictTable: Go's one judgement gives every row of fixtures/contexts/verdicts.json, whose
// tokens Python's cryptography sealed, its verdict and reason.
func TestVerdictTable(t *testing.T) {
	tab := verdictTable(t)
	keys, err := appctx.ZoomKeys([]appctx.Secret{{Label: "test", Value: []byte(tab.Secret)}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(tab.NowMS)
	seen := map[string]bool{}
	for _, row := range tab.Rows {
		t.Run(row.Name, func(t *testing.T) {
			h, present := row.Value()
			j := appctx.Judge(h, present, keys, row.ClientID, now)
			seen[string(j.Verdict)+"/"+string(j.Reason)] = true
			if string(j.Verdict) != row.Verdict || string(j.Reason) != row.Reason {
				t.Fatalf("got %s/%s (%s), the table says %s/%s: %s", j.Verdict, j.Reason, j.Detail, row.Verdict, row.Reason, row.Note)
			}
			if j.Verdict != appctx.VerdictOK && j.Detail == "" {
				t.Error("a verdict that is not ok carries no detail")
			}
			if j.Reason == appctx.ReasonBadChar && (j.Char == "" || j.Where != appctx.InHeader) {
				t.Errorf("bad_char names no character: %+v", j)
			}
		})
	}
	// Every reason code a backend can give appears in the table.
	for _, want := range []string{"no_token/missing", "malformed/too_long", "malformed/std_base64", "malformed/bad_char",
		"malformed/bad_padding", "malformed/bad_length", "malformed/iv_length", "malformed/truncated", "malformed/short_tag",
		"malformed/trailing_bytes", "tag_mismatch/tag", "bad_payload/not_utf8", "bad_payload/bom", "bad_payload/too_deep",
		"bad_payload/not_json", "bad_payload/not_object", "bad_payload/trailing_data", "bad_payload/exp_missing",
		"bad_payload/exp_type", "bad_payload/exp_seconds", "bad_payload/ts_type", "bad_payload/ts_seconds",
		"wrong_aud/aud", "expired/expired", "ok/"} {
		if !seen[want] {
			t.Errorf("no row gives %s", want)
		}
	}
}

// TestVerdictOtherSecret: the rows sealed with the table's other secret open with it, so their
// tag_mismatch is the secret's doing, not a broken token.
func TestVerdictOtherSecret(t *testing.T) {
	tab := verdictTable(t)
	keys, _ := appctx.ZoomKeys([]appctx.Secret{{Label: "other", Value: []byte(tab.OtherSecret)}})
	for _, name := range []string{"other_secret", "other_secret_expired"} {
		for _, row := range tab.Rows {
			if row.Name != name {
				continue
			}
			h, _ := row.Value()
			j := appctx.Judge(h, true, keys, "", time.UnixMilli(tab.NowMS))
			if j.Verdict == appctx.VerdictTagMismatch || j.Verdict == appctx.VerdictMalformed {
				t.Errorf("%s does not open with the other secret: %s", name, j.Text())
			}
		}
	}
}

// TestVerdictEmptySecret: an empty secret is refused as a caller's error, never judged with.
func TestVerdictEmptySecret(t *testing.T) {
	if _, err := appctx.ZoomKeys([]appctx.Secret{{Label: "x"}}); err == nil {
		t.Fatal("an empty secret was accepted")
	}
}

// TestVerdictGenerator: gen.py, run with Python's cryptography, writes the table byte for byte.
// CI installs python3-cryptography; elsewhere the test says why it cannot run.
func TestVerdictGenerator(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import cryptography").Run()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 with cryptography is needed in CI: %v", err)
		}
		t.Skipf("python3 with cryptography not available: %v", err)
	}
	out, err := exec.Command(py, "../../fixtures/contexts/gen.py").Output()
	if err != nil {
		t.Fatalf("gen.py: %v", err)
	}
	if !bytes.Equal(out, fixtures.VerdictsJSON()) {
		t.Fatal("fixtures/contexts/verdicts.json is not gen.py's output: run python3 fixtures/contexts/gen.py > fixtures/contexts/verdicts.json")
	}
}

// TestCutShort: every start of a token from its cipher length on is a token cut short, declaring
// the token's own length; the token itself, the token with bytes after it, and starts without a
// cipher length are not. A 4k+1-character cut of a token's text says how many characters are
// missing; characters added after a token say one was lost or added, as before.
func TestCutShort(t *testing.T) {
	tab := verdictTable(t)
	var tok string
	for _, r := range tab.Rows {
		if r.Name == "valid" {
			tok, _ = r.Value()
		}
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if tok == "" || err != nil {
		t.Fatalf("no valid row (%v)", err)
	}
	for n := 0; n <= len(b)+20; n++ {
		in := append(bytes.Clone(b), make([]byte, 20)...)[:n]
		declared, ok := appctx.CutShort(in)
		if want := n >= 19 && n < len(b); ok != want || ok && declared != len(b) {
			t.Errorf("%d of %d bytes: CutShort %d %v, want %v", n, len(b), declared, ok, want)
		}
	}
	for n := 29; n < len(tok); n += 4 { // the 4k+1 lengths
		j := appctx.CheckText([]byte(tok[:n]))
		want := fmt.Sprintf("; the first %d decode to the start of a token whose layout declares %d bytes, %d characters: %d are missing",
			n-1, len(b), len(tok), len(tok)-n)
		if j.Reason != appctx.ReasonBadLength || !strings.Contains(j.Detail, want) {
			t.Errorf("%d characters: %s: %s, want %q", n, j.Reason, j.Detail, want)
		}
	}
	added := tok
	for len(added)%4 != 1 {
		added += "A"
	}
	if j := appctx.CheckText([]byte(added)); !strings.HasSuffix(j.Detail, "so a character was lost or added") {
		t.Errorf("%d characters, a token and more: %s", len(added), j.Detail)
	}
}

// TestBareTokenByChance: a bare run is reported only when its IV and sealed bytes look
// pseudorandom (BareToken, CutShort). 200,000 layouts of random bytes, with ciphertexts of 0 to
// 600 bytes, and a cut of each pass; the same layouts with the zeros of a binary file's tables
// (little-endian integers below 2^16) do not, nor does the line of an executable's base64 that
// zoomdbg once reported as a token cut short.
func TestBareTokenByChance(t *testing.T) {
	r := mrand.New(mrand.NewPCG(7, 7))
	layout := func(ct int, fill func([]byte)) []byte {
		b := make([]byte, 1+12+2+4+ct+16)
		fill(b)
		b[0] = appctx.IVSize
		b[13], b[14] = 0, 0
		binary.LittleEndian.PutUint32(b[15:], uint32(ct))
		return b
	}
	random := func(b []byte) {
		for i := range b {
			b[i] = byte(r.Uint32())
		}
	}
	table := func(b []byte) { // 8-byte little-endian integers below 2^16
		for i := range b {
			if i%8 < 2 {
				b[i] = byte(r.Uint32())
			} else {
				b[i] = 0
			}
		}
	}
	for i := range 200_000 {
		b := layout(r.IntN(601), random)
		if !appctx.BareToken(b) {
			t.Fatalf("layout %d of random bytes (%x): not a bare token", i, b)
		}
		if _, ok := appctx.CutShort(b[:19+r.IntN(len(b)-19)]); !ok {
			t.Fatalf("layout %d of random bytes, cut: not cut short", i)
		}
		if b := layout(r.IntN(601), table); appctx.BareToken(b) {
			t.Fatalf("a table's bytes (%x) taken for a bare token", b)
		}
	}
	elf, _ := base64.StdEncoding.DecodeString("DAAAAAAAAAAAIAAAAAAAAA0AAAAAAAAAjEkAAAAAAAAZAAAAAAAAABBsAAAAAAAA")
	if _, ok := appctx.CutShort(elf); ok {
		t.Errorf("%x (an executable's .dynamic section) taken for a token cut short", elf)
	}
	if appctx.BareToken(append([]byte{12}, make([]byte, 34)...)) {
		t.Error("'D' and 46 'A' (all zeros but the IV length) taken for a bare token")
	}
}
