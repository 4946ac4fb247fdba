package oauth

import (
	"fmt"
	"unicode/utf8"

	"github.com/zoomdbg/zoomdbg/core/redact"
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

// redactSecrets replaces every form of every secret in s with the mask (core/redact lists the
// forms), the Basic credentials with the client ID whole.
func redactSecrets(s, id string, secrets ...[]byte) string {
	list := make([]redact.Secret, 0, len(secrets))
	for _, sec := range secrets {
		list = append(list, redact.Secret{Value: sec, ClientID: id})
	}
	s, _ = redact.New(masked, list...).String(s)
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
