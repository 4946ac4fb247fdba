package oauth_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/zoomdbg/zoomdbg/core/oauth"
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

// FuzzParseToken: a token endpoint's body, whatever it holds, is read without a panic, and what
// zoomdbg says of it never holds a token value longer than the masked prefix.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{`{"access_token":"abcdefghijklmnopqrstuvwxyz","expires_in":"3599"}`, `{"access_token":12}`,
		`{"error":"invalid_grant","reason":"Invalid Token!"}`, `{"refresh_token":"abcdefghijklmnopqrstu`, `[]`, ``, `null`} {
		f.Add(200, s)
		f.Add(400, s)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		tok, err := oauth.ParseToken(&oauth.Response{Status: status, Body: []byte(body)})
		if err == nil && (tok == nil || tok.AccessToken == "") {
			t.Fatal("a token without an access token")
		}
		if err != nil && strings.Contains(body, `"access_token":"abcdefghijklmnopqrstuvwxyz"`) && strings.Contains(err.Error(), "abcdefghijklmnopqrstuvwxyz") {
			t.Fatalf("the access token is in the error: %v", err)
		}
	})
}
