package oauth_test

import (
	"context"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/oauth/oauthtest"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// TestCompareVerifier: the compare verifier makes five different challenges, whatever the seed;
// a source that never gives one is said to be broken.
func TestCompareVerifier(t *testing.T) {
	for seed := range uint64(200) {
		v, err := oauth.CompareVerifier(oauthtest.Seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]pkce.Method{}
		for _, m := range pkce.Methods {
			c := pkce.Value(m, v)
			if other, dup := seen[c]; dup {
				t.Fatalf("seed %d: %s and %s both send %q", seed, m, other, c)
			}
			seen[c] = m
		}
		if again, _ := oauth.CompareVerifier(oauthtest.Seeded(seed)); again != v {
			t.Fatalf("seed %d: not pinned: %q then %q", seed, v, again)
		}
	}
	// A constant source gives the same verifier every draw: one whose S256 has no '-' or '_' never
	// qualifies, and the error says why.
	for b := range 256 {
		v, _ := pkce.Generate(pkce.DefaultVerifierLen, constReader(b))
		if strings.ContainsAny(pkce.Value(pkce.S256, v), "-_") {
			continue
		}
		if _, err := oauth.CompareVerifier(constReader(b)); err == nil || !strings.Contains(err.Error(), "not random") {
			t.Fatalf("constant %d: %v", b, err)
		}
		return
	}
	t.Fatal("no constant byte makes a verifier without '-' or '_' in its S256")
}

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func compareMock(t *testing.T, p mockzoom.Policy, secret string) oauth.Config {
	t.Helper()
	s := &mockzoom.Server{ClientID: clientID, ClientSecret: []byte(secret), Policy: &p, AutoApprove: true,
		User: mockzoom.User{ID: "u1", Email: "dev@example.com", AccountID: "a1"}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return config(srv, pkce.S256)
}

// matrix is a comparison as outcome per method, the way the README's matrices read.
func matrix(c *oauth.Comparison) map[pkce.Method]oauth.Outcome {
	m := map[pkce.Method]oauth.Outcome{}
	for _, l := range c.Lanes {
		m[l.Method] = oauth.LaneOutcome(l.Result)
	}
	return m
}

// TestCompareVerdictIsAFact runs every method against servers whose behaviour is known, with many
// seeds: the matrix and the verdict are the same on every run, and they say what the server does.
// The padding-ignoring server enforces PKCE (zoom-legacy, another digest, is refused) and takes
// S256-padded only because it trims '=' before comparing: that is said as lenience.
func TestCompareVerdictIsAFact(t *testing.T) {
	tests := []struct {
		name     string
		policy   mockzoom.Policy
		want     map[pkce.Method]oauth.Outcome
		enforced string
		ignores  []string
		text     []string
	}{
		{"enforces, ignores padding", mockzoom.Policy{Require: true, AllowS256: true, S256: pkce.S256, IgnorePadding: true},
			map[pkce.Method]oauth.Outcome{pkce.S256: oauth.Took, pkce.ZoomLegacy: oauth.RefusedToken, pkce.Plain: oauth.RefusedAuthorize,
				pkce.S256Padded: oauth.Took, pkce.S256Std: oauth.RefusedToken},
			"yes", []string{oauth.IgnoresPadding}, []string{"this server takes S256, S256-padded; it refuses plain at authorize, zoom-legacy, S256-std at token.",
				"PKCE is enforced: the S256 challenge of one verifier, exchanged with another verifier, was refused with invalid_grant.",
				"It ignores '=' padding when it compares challenges"}},
		{"strict RFC", mockzoom.ModeS256.Policy(),
			map[pkce.Method]oauth.Outcome{pkce.S256: oauth.Took, pkce.ZoomLegacy: oauth.RefusedToken, pkce.Plain: oauth.RefusedAuthorize,
				pkce.S256Padded: oauth.RefusedToken, pkce.S256Std: oauth.RefusedToken},
			"yes", nil, []string{"this server takes S256; it refuses plain at authorize, zoom-legacy, S256-padded, S256-std at token."}},
		{"not enforced", mockzoom.ModeOff.Policy(),
			map[pkce.Method]oauth.Outcome{pkce.S256: oauth.Took, pkce.ZoomLegacy: oauth.Took, pkce.Plain: oauth.Took,
				pkce.S256Padded: oauth.Took, pkce.S256Std: oauth.Took},
			"no", nil, []string{"PKCE is not enforced: the S256 challenge of one verifier, exchanged with another verifier, was taken"}},
		{"tries every method", mockzoom.ModeAny.Policy(),
			map[pkce.Method]oauth.Outcome{pkce.S256: oauth.Took, pkce.ZoomLegacy: oauth.Took, pkce.Plain: oauth.Took,
				pkce.S256Padded: oauth.Took, pkce.S256Std: oauth.Took},
			"yes", nil, []string{"PKCE is enforced", "it tries more than one method"}},
		{"legacy server", mockzoom.ModeZoomLegacy.Policy(),
			map[pkce.Method]oauth.Outcome{pkce.S256: oauth.RefusedToken, pkce.ZoomLegacy: oauth.Took, pkce.Plain: oauth.RefusedAuthorize,
				pkce.S256Padded: oauth.RefusedToken, pkce.S256Std: oauth.RefusedToken},
			"yes", nil, []string{"this server takes zoom-legacy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := compareMock(t, tc.policy, secret)
			var first string
			for seed := range uint64(6) {
				cmp, err := oauth.Compare(context.Background(), c, pkce.Methods, false, oauthtest.Seeded(seed))
				if err != nil {
					t.Fatal(err)
				}
				if got := matrix(cmp); !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("seed %d: matrix %v, want %v", seed, got, tc.want)
				}
				v := cmp.Verdict
				if v.Enforced != tc.enforced || !slices.Equal(v.Ignores, tc.ignores) {
					t.Fatalf("seed %d: enforced %q ignores %q: %s", seed, v.Enforced, v.Ignores, v.Text)
				}
				for _, want := range tc.text {
					if !strings.Contains(v.Text, want) {
						t.Errorf("verdict lacks %q: %s", want, v.Text)
					}
				}
				if first == "" {
					first = v.Text
				} else if v.Text != first {
					t.Fatalf("seed %d: the verdict changed:\n%s\n%s", seed, first, v.Text)
				}
			}
		})
	}
}

// TestCompareSameBytesRunOnce: two lanes that would send the same challenge are one challenge.
func TestCompareSameBytesRunOnce(t *testing.T) {
	c := compareMock(t, mockzoom.ModeS256.Policy(), secret)
	cmp, err := oauth.Compare(context.Background(), c, []pkce.Method{pkce.S256, pkce.S256}, false, oauthtest.Seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Lanes[1].SameAs != pkce.S256 || cmp.Lanes[1].Result != cmp.Lanes[0].Result ||
		!strings.Contains(cmp.Verdict.Text, "S256 sent the same bytes as S256: one challenge, run once") {
		t.Fatalf("%+v %s", cmp.Lanes, cmp.Verdict.Text)
	}
}

// TestCompareBlamesNotPKCEForClientAuth: when every lane fails at client authentication, the
// verdict says the comparison says nothing about PKCE.
func TestCompareBlamesNotPKCEForClientAuth(t *testing.T) {
	c := compareMock(t, mockzoom.ModeS256.Policy(), "another-secret-entirely")
	cmp, err := oauth.Compare(context.Background(), c, []pkce.Method{pkce.S256, pkce.ZoomLegacy}, false, oauthtest.Seeded(2))
	if err != nil {
		t.Fatal(err)
	}
	v := cmp.Verdict
	if len(v.Took) != 0 || len(v.Refused) != 0 || len(v.Inconclusive) != 2 || v.Enforced != "unknown" ||
		!strings.Contains(v.Text, "says nothing about PKCE") {
		t.Fatalf("%+v", v)
	}
	if causes := cmp.Lanes[0].Result.Steps[oauth.StepToken].Causes; len(causes) == 0 || !strings.Contains(causes[0], "HTTP Basic (client_secret_basic)") {
		t.Fatalf("the invalid_client causes do not say how the credentials were sent: %q", causes)
	}
}

// TestCompareInClient: the in-client flow's lanes and probe, as the Zoom client plays them: plain
// is what the server compares, and a wrong verifier is refused.
func TestCompareInClient(t *testing.T) {
	c := compareMock(t, mockzoom.ModeZoom.Policy(), secret)
	c.InClient = true
	cmp, err := oauth.Compare(context.Background(), c, []pkce.Method{pkce.Plain, pkce.S256}, false, oauthtest.Seeded(3))
	if err != nil {
		t.Fatal(err)
	}
	got := matrix(cmp)
	if got[pkce.Plain] != oauth.Took || got[pkce.S256] != oauth.RefusedToken || cmp.Verdict.Enforced != "yes" ||
		cmp.Probe == nil || cmp.Probe.Attempt.Verifier == cmp.Verifier {
		t.Fatalf("%v %+v", got, cmp.Verdict)
	}
}

// TestCompareSaysWhatIsAdvertised: the verdict puts what discovery found beside what the server
// did: agreement, a method taken though not advertised, and metadata without the list.
func TestCompareSaysWhatIsAdvertised(t *testing.T) {
	tests := []struct {
		advertised []string
		want       string
	}{
		{[]string{"S256"}, "It advertises code_challenge_methods_supported [S256], which agrees with what it did."},
		{[]string{"plain"}, "S256 took S256 though it is not advertised"},
		{nil, "Its metadata does not list code_challenge_methods_supported"},
	}
	for _, tc := range tests {
		c := compareMock(t, mockzoom.ModeS256.Policy(), secret)
		c.Metadata = &oauth.Metadata{CodeChallengeMethodsSupported: tc.advertised}
		cmp, err := oauth.Compare(context.Background(), c, []pkce.Method{pkce.S256, pkce.ZoomLegacy}, false, oauthtest.Seeded(4))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(cmp.Verdict.Text, tc.want) {
			t.Errorf("%v: %s", tc.advertised, cmp.Verdict.Text)
		}
	}
}
