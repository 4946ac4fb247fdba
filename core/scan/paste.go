package scan

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// Paste is what FromPaste found in text pasted where one token goes.
type Paste struct {
	// Token is the token's text for appctx to decode, with what wrapped it in the paste decoded;
	// "" when the paste holds no app context.
	Token string
	// Repairs say how the token was found, in words, before appctx's own repairs.
	Repairs []string
	// JWT is a JSON Web Token found where no app context was: an access or ID token.
	JWT string
	// Tokens counts the distinct app contexts in the paste.
	Tokens int

	parsed   *appctx.Token // the paste parsed as one token, when it is read as one
	parseErr error
}

// ErrNoToken and ErrJWT are the codes of a paste that holds no app context.
const (
	ErrNoToken = appctx.ErrNoToken
	ErrJWT     = appctx.ErrJWT
)

// FromPaste finds the app context in whatever a developer pasted: the token itself (appctx
// repairs quotes, a header name, line wraps and the like), or a longer text that holds one, such
// as getAppContext()'s {"context": "..."}, a URL with ?context=, a log line, a curl command, a HAR
// entry or a Django debug page. It uses the finder scan uses, so a paste is read the way a log is.
func FromPaste(text string) Paste {
	t, err := appctx.Parse(text)
	switch {
	case strings.TrimSpace(text) == "":
		return Paste{Token: text, parsed: t, parseErr: err} // appctx says it is empty
	case err == nil || alone(text, t):
		return Paste{Token: text, Tokens: 1, parsed: t, parseErr: err}
	}
	var found []Candidate
	seen := map[string]bool{}
	Find(strings.NewReader(text), "paste", func(c Candidate) error {
		if !c.Keyed && !layoutOK(c.Text) {
			return nil
		}
		if k := string(c.Text); !seen[k] {
			seen[k] = true
			c.Text = bytes.Clone(c.Text)
			found = append(found, c)
		}
		return nil
	})
	if len(found) == 0 {
		if jwt := jwtPattern.FindString(text); jwt != "" {
			return Paste{JWT: jwt}
		}
		return Paste{}
	}
	c := found[0]
	p := Paste{Token: string(c.Text), Tokens: len(found)}
	p.Repairs = append(p.Repairs, whereFound(text, c))
	for _, u := range c.Unwrapped {
		p.Repairs = append(p.Repairs, u)
	}
	if len(found) > 1 {
		p.Repairs = append(p.Repairs, fmt.Sprintf("%d tokens in the paste, showing the first", len(found)))
	}
	return p
}

// alone reports whether a paste that failed to parse is still best read as one token: a single
// word (the error then names the character or byte at fault), or words that '+' joins into one
// plausible token, as a form decoder leaves a standard-base64 token. Anything else is searched.
func alone(text string, t *appctx.Token) bool {
	s := strings.TrimSpace(text)
	if !strings.ContainsAny(strings.TrimRight(s, "="), " \t\r\n{}[]()<>?&=:\"',;.") {
		return true
	}
	if t != nil && len(t.Input.Text) > 0 && strings.Contains(s, " ") && !strings.ContainsAny(s, "\r\n{}?&:\"',;") {
		joined := []byte(strings.ReplaceAll(s, " ", "+"))
		// Prose is words; a token whose '+' became spaces is long runs between rare spaces ('+'
		// is one character in 64). Its layout parsing settles it; a cut one needs long runs.
		words := strings.Count(s, " ") + 1
		return layoutOK(joined) || plausible(joined) && (len(s)-words+1)/words >= minProseRun
	}
	return false
}

// minProseRun is the shortest average run between spaces read as a token whose '+' became
// spaces rather than as prose, whose words average five or six letters.
const minProseRun = 16

// jwtPattern is a JWS compact serialisation whose header starts as JSON does ({"): eyJ.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)

// whereFound says where in the paste the candidate was, as a repair.
func whereFound(text string, c Candidate) string {
	if !c.Keyed {
		return "taken from the pasted text: a token's layout among other characters"
	}
	key := string(c.Key)
	norm := strings.ReplaceAll(strings.ToLower(key), "_", "-")
	if strings.HasSuffix(norm, appctx.HeaderName) {
		if strings.EqualFold(key, appctx.HeaderName) {
			return fmt.Sprintf("taken from the %s header", appctx.HeaderName)
		}
		return fmt.Sprintf("taken from %q, the %s header", key, appctx.HeaderName)
	}
	at := strings.Index(text, key)
	for at >= 0 {
		before, after := text[:at], text[at+len(key):]
		switch {
		case strings.HasSuffix(before, `"`) && strings.HasPrefix(strings.TrimLeft(after, `" `), ":"):
			return fmt.Sprintf("taken from the JSON field %q", key)
		case strings.HasSuffix(before, "'") || strings.HasSuffix(before, `"`) || strings.HasPrefix(after, ":"):
			return fmt.Sprintf("taken from the field %q", key)
		case strings.HasSuffix(before, "?") || strings.HasSuffix(before, "&") || strings.HasSuffix(strings.ToUpper(before), "%3F") ||
			strings.HasSuffix(strings.ToUpper(before), "%26"):
			return fmt.Sprintf("taken from the query parameter %q", key)
		}
		next := strings.Index(after, key)
		if next < 0 {
			break
		}
		at += len(key) + next
	}
	return fmt.Sprintf("taken from the value named %q", key)
}

// InspectPaste finds the token in a paste and inspects it with keys (see appctx.Inspect). The
// report's repairs begin with how the token was found; its offsets refer to the token itself.
// A paste with no app context gives a report whose ParseErr says so: code ErrJWT for a JWT, with
// the JWT in Paste, or ErrNoToken.
func InspectPaste(text string, keys []appctx.Key) (*appctx.Report, Paste) {
	p := FromPaste(text)
	if p.Token != "" || strings.TrimSpace(text) == "" {
		var r *appctx.Report
		if p.parsed != nil { // the paste is the token: it was parsed once already
			r = appctx.InspectParsed(p.parsed, p.parseErr, keys)
		} else {
			r = appctx.Inspect(p.Token, keys)
		}
		r.Token.Input.Repairs = append(slices.Clip(p.Repairs), r.Token.Input.Repairs...)
		r.Token.Input.FindSteps += len(p.Repairs)
		return r, p
	}
	err := &appctx.FormatError{Code: ErrNoToken, Field: "input", Unit: appctx.UnitChar,
		Message: "no app context in the paste: looked for an x-zoom-app-context header, a context field or query parameter, " +
			"and a run of base64 with a token's layout"}
	if p.JWT != "" {
		err = &appctx.FormatError{Code: ErrJWT, Field: "input", Unit: appctx.UnitChar,
			Message: "this is a JWT (three dot-separated parts): an OAuth access or ID token, not an app context"}
	}
	return &appctx.Report{Token: &appctx.Token{Input: appctx.Input{Raw: text}}, ParseErr: err}, p
}
