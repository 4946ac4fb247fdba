package oauth

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxServerText is how much of one piece of a server's text (an error_description, a page, a
// body) is shown: enough for any real message; a server that sends a megabyte is said to have.
const maxServerText = 300

// capText cuts a server's text to maxServerText bytes, on a rune boundary, saying how long it was.
func capText(s string) string {
	if len(s) <= maxServerText {
		return s
	}
	cut := maxServerText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (cut: %d bytes in all)", s[:cut], len(s))
}

// secretForms are the ways a client secret can come back in what a server echoes: as it is,
// percent-encoded (form and path style), JSON-escaped, base64 alone, and inside the Basic
// credentials, encoded as RFC 6749 says and as a client that skips the form-encoding sends it.
func secretForms(id string, secret []byte) []string {
	if len(secret) == 0 {
		return nil
	}
	s := string(secret)
	j, _ := json.Marshal(s)
	forms := []string{
		BasicCredentials(id, s),
		base64.StdEncoding.EncodeToString([]byte(id + ":" + s)),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawStdEncoding.EncodeToString(secret),
		base64.URLEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
		url.QueryEscape(s),
		url.PathEscape(s),
		strings.Trim(string(j), `"`),
		strings.ReplaceAll(strings.Trim(string(j), `"`), "/", `\/`), // PHP's json_encode
		s,
	}
	// Longest first, so that a form containing another is replaced whole.
	for i := range forms {
		for k := i + 1; k < len(forms); k++ {
			if len(forms[k]) > len(forms[i]) {
				forms[i], forms[k] = forms[k], forms[i]
			}
		}
	}
	return forms
}

// minRedacted is the shortest form of a secret that is redacted: a shorter one (a test's "s")
// would mask every occurrence of a common letter and make the text unreadable, and is no secret.
const minRedacted = 4

// redactSecrets replaces every form of every secret in s with the mask.
func redactSecrets(s, id string, secrets ...[]byte) string {
	for _, sec := range secrets {
		for _, f := range secretForms(id, sec) {
			if len(f) >= minRedacted {
				s = strings.ReplaceAll(s, f, masked)
			}
		}
	}
	return s
}

// secrets lists every client secret the configuration holds.
func (c Config) secrets() [][]byte {
	out := [][]byte{c.ClientSecret}
	for _, o := range c.OtherSecrets {
		out = append(out, o.Value)
	}
	return out
}

// redact hides every form of every client secret of the run in s: what a server sends back
// (an echo of the request) is redacted before it is kept or shown.
func (r *Result) redact(s string) string {
	c := r.Attempt.Config
	return redactSecrets(s, c.ClientID, c.secrets()...)
}
