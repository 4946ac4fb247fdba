// Package appctx decodes, explains and produces Zoom Apps app-context tokens: the value of the
// x-zoom-app-context header and of zoomSdk.getAppContext().
//
// A token is base64url( ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag ),
// sealed with AES-256-GCM under SHA-256(client secret). The package is pure: it returns values and
// typed errors and never prints.
package appctx

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// HeaderName is the HTTP header that carries the token to an app's backend.
const HeaderName = "x-zoom-app-context"

// Encoding names the base64 alphabet a token was written in.
type Encoding string

// The two alphabets a pasted token can arrive in. Zoom sends base64url; a token that went through
// a plain-base64 encoder, or was re-encoded by a developer, arrives in the standard alphabet.
const (
	Base64URL Encoding = "base64url"
	Base64Std Encoding = "base64"
)

// Input is a pasted token after normalisation: the characters that carry the token, the alphabet
// they use, every repair that was made to get there, and the decoded bytes.
type Input struct {
	Raw      string   // what the user pasted
	Found    string   // the token as a backend receives it: Raw without what surrounded it, before any repair
	Text     string   // the base64 characters that carry the token, padding removed
	Encoding Encoding // alphabet of Text
	Padded   bool     // the input carried '=' padding
	Repairs  []string // each change made to Raw, in words: first the FindSteps that found the token, then the repairs
	// FindSteps counts the leading Repairs that only found the token (unwrapping what surrounded
	// it); the rest changed the token's own characters, which the verdict does not take.
	FindSteps int
	Bytes     []byte // the decoded token
}

// Normalize turns whatever a developer pasted into the token's bytes, saying in Repairs what it
// changed. It first finds the token, undoing what copying and pasting wrapped around it
// (surrounding whitespace, a byte order mark, zero-width characters chat apps insert, straight or
// curly quotes, a leading "x-zoom-app-context:" header name, percent-encoding once or twice, line
// wraps): the result is Found, the token as a backend receives it, which the verdict judges. It
// then repairs what a backend would refuse (spaces that were '+' before a form decoder, the
// standard base64 alphabet, extra padding) so the diagnosis can say whether the token opens once
// repaired.
//
// It returns a *FormatError (Unit "char") for input that is not a token, with the offset of the
// offending character in the repaired text. The returned Input is filled as far as it got.
func Normalize(raw string) (Input, error) {
	in := Input{Raw: raw}
	s := raw

	s = in.invisible(s)
	s = in.trim(s)
	s = in.stripHeader(s)
	s = in.unquote(s)
	if s == "" {
		return in, &FormatError{Code: ErrEmpty, Field: "input", Unit: UnitChar,
			Message: "no token: the input is empty"}
	}
	s = in.percentDecode(s)
	s = in.unwrap(s)
	in.Found, in.FindSteps = s, len(in.Repairs)
	s = in.restorePlus(s)
	s, err := in.stripPadding(s)
	if err != nil {
		return in, err
	}
	in.Text = s
	if err := in.detectAlphabet(); err != nil {
		return in, err
	}
	if err := in.decode(); err != nil {
		return in, err
	}
	return in, nil
}

func (in *Input) repair(format string, args ...any) {
	in.Repairs = append(in.Repairs, fmt.Sprintf(format, args...))
}

func (in *Input) trim(s string) string {
	t := strings.TrimSpace(s)
	if t != s {
		in.repair("trimmed surrounding whitespace")
	}
	return t
}

func (in *Input) stripHeader(s string) string {
	if len(s) < len(HeaderName) || !strings.EqualFold(s[:len(HeaderName)], HeaderName) {
		return s
	}
	rest := strings.TrimLeft(s[len(HeaderName):], " \t")
	if !strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, "=") {
		return s
	}
	in.repair("stripped header name %q", s[:len(HeaderName)])
	return strings.TrimSpace(rest[1:])
}

// invisible removes the characters nobody sees and no token holds: a byte order mark an editor
// saved, zero-width spaces and joiners and word joiners that chat apps and rich-text editors
// insert inside long words.
func (in *Input) invisible(s string) string {
	if !strings.ContainsAny(s, invisibleChars) {
		return s
	}
	n := 0
	t := strings.Map(func(r rune) rune {
		if strings.ContainsRune(invisibleChars, r) {
			n++
			return -1
		}
		return r
	}, s)
	in.repair("removed %d invisible characters (byte order mark, zero-width space or joiner, word joiner)", n)
	return t
}

const invisibleChars = "\ufeff\u200b\u200c\u200d\u2060\u00ad"

// quotePairs are the quotes a token arrives in: straight ones from code and JSON, curly ones from
// chat apps and word processors.
var quotePairs = [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"\u201c", "\u201d"}, {"\u2018", "\u2019"}, {"\u201d", "\u201d"}, {"\u00ab", "\u00bb"}}

func (in *Input) unquote(s string) string {
	for _, q := range quotePairs {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			if q[0] == q[1] {
				in.repair("removed surrounding %s quotes", q[0])
			} else {
				in.repair("removed surrounding %s%s quotes", q[0], q[1])
			}
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// maxPercentRounds is how many layers of percent-encoding are undone: a value encoded into a
// query string that was itself encoded into another URL (%253D) is common; three is not.
const maxPercentRounds = 2

// percentDecode undoes URL encoding (%2B, %2F, %3D), once or twice (%253D), when the token was
// copied from a query string.
func (in *Input) percentDecode(s string) string {
	for round := 0; round < maxPercentRounds && strings.Contains(s, "%"); round++ {
		d, err := url.PathUnescape(s)
		if err != nil {
			return s // left for detectAlphabet to name the bad '%'
		}
		if round == 0 {
			in.repair("percent-decoded %d escapes", strings.Count(s, "%"))
		} else {
			in.repair("percent-decoded again: the value was encoded twice")
		}
		s = d
	}
	return s
}

// unwrap removes line breaks and tabs inside the token, left by terminals and log viewers.
func (in *Input) unwrap(s string) string {
	n := 0
	t := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			n++
			return -1
		}
		return r
	}, s)
	if n > 0 {
		in.repair("removed %d line breaks or tabs inside the token", n)
	}
	return t
}

// restorePlus turns spaces back into '+': a form or query decoder reads '+' as a space, so a
// standard-base64 token that went through one arrives with spaces where '+' was.
//
// It is made only when the spaces joined with '+' give a token's layout: prose, whose spaces were
// never '+', is left for the verdict to call what it is.
func (in *Input) restorePlus(s string) string {
	n := strings.Count(s, " ")
	if n == 0 || strings.ContainsAny(s, "-_") {
		return s // a base64url token never held '+': its spaces are reported as bad characters
	}
	joined := strings.TrimRight(strings.ReplaceAll(s, " ", "+"), "=")
	if b, err := base64.RawStdEncoding.DecodeString(joined); err != nil || !LayoutOK(b) {
		return s
	}
	in.repair("restored %d '+' from spaces", n)
	return strings.ReplaceAll(s, " ", "+")
}

func (in *Input) stripPadding(s string) (string, error) {
	t := strings.TrimRight(s, "=")
	pad := len(s) - len(t)
	if pad == 0 {
		return s, nil
	}
	in.Padded = true
	if i := strings.IndexByte(t, '='); i >= 0 {
		return t, &FormatError{Code: ErrBadChar, Field: "input", Offset: i, Unit: UnitChar,
			Message: fmt.Sprintf("'=' at character %d: padding may only end the token", i)}
	}
	switch want := (4 - len(t)%4) % 4; {
	case len(t)%4 == 1:
		// No base64 text is 4k+1 characters long: the length's own error says so, and no
		// count of '=' would be right.
		in.repair("ignored %d '=' of padding", pad)
	case pad != want:
		in.repair("ignored %d '=' of padding (a %d-character token takes %d)", pad, len(t), want)
	}
	return t, nil
}

// detectAlphabet decides between base64url and standard base64 and rejects any other character,
// or a mix of both alphabets, which no encoder produces.
func (in *Input) detectAlphabet() error {
	firstURL, firstStd := -1, -1
	for i := 0; i < len(in.Text); i++ {
		c := in.Text[i]
		switch {
		case isAlnum(c):
		case c == '-' || c == '_':
			if firstURL < 0 {
				firstURL = i
			}
		case c == '+' || c == '/':
			if firstStd < 0 {
				firstStd = i
			}
		default:
			return badChar(in.Text, i)
		}
	}
	if firstURL >= 0 && firstStd >= 0 {
		at := max(firstURL, firstStd)
		return &FormatError{Code: ErrMixedAlphabet, Field: "input", Offset: at, Unit: UnitChar,
			Message: fmt.Sprintf("mixed base64 alphabets: %q at character %d is base64url, %q at character %d is standard base64",
				in.Text[firstURL], firstURL, in.Text[firstStd], firstStd)}
	}
	in.Encoding = Base64URL
	if firstStd >= 0 {
		in.Encoding = Base64Std
	}
	return nil
}

func (in *Input) decode() error {
	if len(in.Text)%4 == 1 {
		return &FormatError{Code: ErrBadLength, Field: "input", Offset: len(in.Text) - 1, Unit: UnitChar,
			Message: fmt.Sprintf("%d characters: base64 text is never 4k+1 characters long%s", len(in.Text), lengthFault([]byte(in.Text), in.Encoding == Base64Std))}
	}
	enc := base64.RawURLEncoding
	if in.Encoding == Base64Std {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(in.Text)
	if err != nil {
		// Unreachable after detectAlphabet and the length check, kept so a future change cannot
		// turn a decoder error into a panic or a silent truncation.
		return &FormatError{Code: ErrBadChar, Field: "input", Unit: UnitChar, Message: err.Error()}
	}
	in.Bytes = b
	return nil
}

func isAlnum(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}

func badChar(s string, i int) error {
	r := []rune(s[i:])[0]
	return &FormatError{Code: ErrBadChar, Field: "input", Offset: i, Unit: UnitChar,
		Message: fmt.Sprintf("%s at character %d is not base64: expected A-Z a-z 0-9 and - _ (or + /)", quoteRune(r), i)}
}

// quoteRune names a character so that it is readable and can never drive a terminal.
func quoteRune(r rune) string {
	if r >= 0x20 && r < 0x7f {
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("%+q (%U)", r, r)
}
