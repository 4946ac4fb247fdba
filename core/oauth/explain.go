package oauth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// CodeLifetime is how long Zoom's authorization codes last.
const CodeLifetime = 5 * time.Minute

// why works out, from what this client holds, why the server refused a token request (err, as
// ParseToken returned it) with an opaque answer (Zoom never names the verifier): the likely
// causes, most likely first, each once; nil when the refusal is not one it can read.
func (r *Result) why(step StepName, err error) []string {
	var se *ServerError
	var ae *AuthorizeError
	switch {
	case step == StepAuthorize && errors.As(err, &ae):
		return r.authorizeCauses()
	case !errors.As(err, &se):
		return nil
	}
	switch {
	case step == StepAuthorize:
		return r.authorizeCauses()
	case step == StepRefresh && se.Err == "invalid_grant":
		return []string{"the refresh token was already used or revoked: Zoom rotates refresh tokens, answers a spent one " +
			"with \"Invalid Token!\", and revokes them all when the user removes the app; store the refresh_token of " +
			"every refresh response, and replace the old one in one write"}
	case step != StepToken:
		return nil
	case se.Err == "invalid_request" && strings.Contains(strings.ToLower(se.Words()), "redirect"):
		return []string{r.redirectCause()}
	case se.Err == "invalid_request" && mentionsPKCE(se.Words()):
		return r.grantCauses() // a server that names PKCE in an invalid_request: the same reading as invalid_grant
	case se.Err == "invalid_client":
		return r.clientCauses()
	case se.Err != "invalid_grant":
		return nil
	}
	return r.grantCauses()
}

// mentionsPKCE reports whether a server's words are about PKCE.
func mentionsPKCE(words string) bool {
	w := strings.ToLower(words)
	return strings.Contains(w, "verifier") || strings.Contains(w, "challenge") || strings.Contains(w, "pkce")
}

// authorizeCauses is the PKCE diagnosis of a refusal at the authorization endpoint: what zoomdbg
// knows about the challenge it sent (off RFC 7636's grammar, a method the server does not
// advertise or that servers commonly refuse).
func (r *Result) authorizeCauses() []string {
	a := r.Attempt
	var causes []string
	if ps := pkce.ValidChallenge(a.Challenge.Value); len(ps) > 0 && a.Challenge.Value != "" {
		causes = append(causes, fmt.Sprintf("the code_challenge (%s) breaks RFC 7636 §4.2's grammar, 43 to 128 characters of "+
			"A-Z a-z 0-9 - . _ ~: %s; a server that checks the grammar refuses it before any code is issued; "+
			"S256 is BASE64URL-NOPAD(SHA-256(verifier))", a.Challenge.Method, ps[0].Message))
	}
	declared := ChallengeMethodParam(a.Challenge.Method)
	adv := a.Config.Advertised()
	switch {
	case len(adv) > 0 && !slicesContains(adv, declared):
		causes = append(causes, fmt.Sprintf("code_challenge_method %s is not among the methods the server advertises "+
			"(code_challenge_methods_supported %v)", declared, adv))
	case declared == "plain":
		causes = append(causes, "code_challenge_method plain is optional in RFC 7636 and many servers refuse it "+
			"(OAuth 2.1 and the OpenID profiles require S256): send S256")
	}
	return causes
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// clientCauses reads an invalid_client: how the credentials were sent, and what else to check.
func (r *Result) clientCauses() []string {
	c := r.Attempt.Config
	how := "HTTP Basic (client_secret_basic), each part form-encoded first as RFC 6749 §2.3.1 says"
	switch {
	case c.ClientAuth == AuthNone || len(c.ClientSecret) == 0:
		how = "as a public client (client_id in the body, no secret): a server that registered this client as confidential refuses that"
	case c.ClientAuth == AuthBody:
		how = "in the body (client_secret_post)"
	}
	causes := []string{"the credentials were sent " + how}
	if m := c.Metadata; m != nil && len(m.TokenEndpointAuthMethodsSupported) > 0 &&
		!slicesContains(m.TokenEndpointAuthMethodsSupported, c.ClientAuth.RegisteredName()) {
		causes = append(causes, fmt.Sprintf("the server advertises token_endpoint_auth_methods_supported %v, without %s",
			m.TokenEndpointAuthMethodsSupported, c.ClientAuth.RegisteredName()))
	}
	return append(causes, "the client ID or secret is not this app's: check they come from the same app and the same "+
		"environment (development and production credentials differ), and that the secret has no whitespace")
}

func (r *Result) grantCauses() []string {
	a := r.Attempt
	var causes []string
	add := func(s string) {
		for _, c := range causes {
			if c == s {
				return
			}
		}
		causes = append(causes, s)
	}
	if r.redeemed > 1 {
		add("the code was already redeemed in this run: a code is good for one token request, and the second is refused with the same answer")
	}
	if !r.CallbackAt.IsZero() && !r.ExchangedAt.IsZero() && r.ExchangedAt.Sub(r.CallbackAt) > CodeLifetime {
		add(fmt.Sprintf("the code was %s old when it was exchanged; Zoom's codes expire after %s",
			r.ExchangedAt.Sub(r.CallbackAt).Round(time.Second), CodeLifetime))
	}
	if r.redirectDiffers() {
		add(r.redirectCause())
	}
	declared := declaredMethod(a.URL)
	switch {
	case a.Config.InClient && a.Challenge.Method != pkce.Plain:
		add(fmt.Sprintf("zoomSdk.authorize takes no code_challenge_method and Zoom documents only plain for it: the server "+
			"compares the verifier itself with the codeChallenge %q (made with %s); in-client, send the verifier as the codeChallenge",
			a.Challenge.Value, a.Challenge.Method))
	case declared == "" && a.Challenge.Method != pkce.Plain:
		add(fmt.Sprintf("no code_challenge_method was sent, so the server took the challenge as plain (RFC 7636 §4.3, and Zoom's docs): "+
			"it compares the verifier itself with %q; send code_challenge_method=S256", a.Challenge.Value))
	case declared == "S256" && a.Challenge.Method != pkce.S256:
		c := fmt.Sprintf("the challenge was made with %s but sent as code_challenge_method=S256: a server that follows RFC 7636 "+
			"computes BASE64URL-NOPAD(SHA-256(verifier)) = %q, not %q; make it with S256", a.Challenge.Method,
			pkce.Value(pkce.S256, a.Verifier), a.Challenge.Value)
		if a.Challenge.Method != pkce.ZoomLegacy {
			c += fmt.Sprintf(" (a server still on Zoom's legacy method would take %q)", pkce.Value(pkce.ZoomLegacy, a.Verifier))
		}
		add(c)
	case declared == "S256":
		add(fmt.Sprintf("the challenge is RFC 7636's S256 of the verifier; a server that computes Zoom's legacy method "+
			"(base64 of the hex digest) expects %q instead: try --method zoom-legacy to tell which it computes", pkce.Value(pkce.ZoomLegacy, a.Verifier)))
	case declared == "plain":
		add("the challenge was sent as plain: a server that allows only S256 refuses it (Zoom's in-client authorize documents plain only)")
	}
	if ps := pkce.Validate(a.Verifier); len(ps) > 0 {
		add("the verifier breaks RFC 7636 §4.1: " + ps[0].Message)
	}
	if len(causes) == 0 {
		add("the code expired, was used before, or was issued for other settings: Zoom answers all of these the same way")
	}
	return causes
}

func (r *Result) redirectDiffers() bool {
	if r.TokenRequest == nil || r.Attempt.Config.InClient {
		return false
	}
	return authorizedRedirect(r.Attempt.URL) != r.TokenRequest.Form.Get("redirect_uri")
}

func (r *Result) redirectCause() string {
	sent := ""
	if r.TokenRequest != nil {
		sent = r.TokenRequest.Form.Get("redirect_uri")
	}
	return fmt.Sprintf("the token request's redirect_uri %q must equal the authorize request's %q exactly (scheme, host, port, "+
		"path, case; localhost and 127.0.0.1 differ)", sent, authorizedRedirect(r.Attempt.URL))
}

func authorizedRedirect(authorizeURL string) string {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return ""
	}
	return u.Query().Get("redirect_uri")
}

func declaredMethod(authorizeURL string) string {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return ""
	}
	return u.Query().Get("code_challenge_method")
}
