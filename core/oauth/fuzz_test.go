package oauth_test

import (
	"net/url"
	"strings"
	"testing"

	"zoomdbg/core/oauth"
)

// FuzzParseCallback: a pasted URL never panics the parser, and a callback is accepted only with
// the expected state and a code.
func FuzzParseCallback(f *testing.F) {
	f.Add("http://127.0.0.1:8765/callback?code=abc&state=s1", "s1")
	f.Add("http://x/cb#code=a&state=s1", "s1")
	f.Add("http://x/cb?error=access_denied&state=s1", "s1")
	f.Add("%zz://\x00", "")
	f.Fuzz(func(t *testing.T, raw, state string) {
		cb, err := oauth.ParseCallback(raw, state)
		if err != nil {
			return
		}
		if cb.State != state || cb.Code == "" || cb.Error != "" {
			t.Fatalf("accepted %+v for state %q from %q", cb, state, raw)
		}
		// Pasted text is trimmed first, so the URL that must parse is the trimmed one.
		if _, perr := url.Parse(strings.TrimSpace(raw)); perr != nil {
			t.Fatalf("accepted an unparsable URL %q", raw)
		}
	})
}
