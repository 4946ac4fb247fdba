// Package explain says what an error message a developer saw means and what causes it: the
// messages of each language's AES-GCM, base64 and JSON APIs, of OAuth servers and Zoom's client,
// and zoomdbg's own verdict codes. A message it does not know gets the nearest ones it does.
//
// The table is assembled from files that each register their messages (Register in an init
// function), so another area adds its messages in a file of its own.
package explain

import "strings"

// Message is what one message means and its likely causes, most likely first.
type Message struct {
	Language string   // who prints it: a library ("Node.js (crypto)"), a protocol ("OAuth 2.0"), Zoom, zoomdbg
	Message  string   // the message as it is printed
	Means    string   // what it is saying
	Causes   []string // the likely causes, most likely first
	// Patterns are lowercase fragments that identify the message in a pasted message, exception
	// name or stack trace. The earliest match in the text wins.
	Patterns []string
	// Tag adds the causes every failed GCM tag shares after the message's own.
	Tag bool
	// Next is the zoomdbg command that tells which cause applies; empty for the app context's.
	Next string
}

var table []Message

// Register adds messages to the table. Call it from an init function of the file that holds
// them; a message is recognised by its Patterns.
func Register(ms ...Message) {
	for _, m := range ms {
		if len(m.Patterns) == 0 || m.Message == "" || m.Language == "" {
			panic("explain: a message needs a language, its text and patterns: " + m.Message)
		}
		for _, p := range m.Patterns {
			if p != strings.ToLower(p) {
				panic("explain: patterns are lowercase: " + p)
			}
		}
		table = append(table, m)
	}
	indexMu.Lock()
	index = nil
	indexMu.Unlock()
}

// TagCauses are the causes a failed GCM tag has in developers' code, most common first. They are
// the same in every language; each tag failure adds its own first when it has one.
var TagCauses = []string{
	"the key is not SHA-256 of the client secret: HKDF or PBKDF2 (a widely copied page recommends HKDF with info \"handshake data\"), or the secret's raw bytes",
	"the secret is not the one that sealed the token: the app's Development and Production secrets differ, and another app's or a regenerated secret fails the same way",
	"the token was decoded as plain base64: '-' and '_' are dropped or rejected, so every byte after the first one is wrong",
	"the token was changed on its way: truncated, '+' turned into spaces by a URL decoder, or quotes and a header name left on it",
	"the AAD was not passed: the layout's aad field must be given to the cipher even when it is empty",
}

func full(m Message) Message {
	m.Causes = append([]string(nil), m.Causes...)
	if m.Tag {
		m.Causes = append(m.Causes, TagCauses...)
	}
	m.Patterns = append([]string(nil), m.Patterns...)
	return m
}

// All lists every message the table knows, each with its causes in full, in registration order.
func All() []Message {
	out := make([]Message, len(table))
	for i, m := range table {
		out[i] = full(m)
	}
	return out
}

// Lookup finds a known message in text (a message, an exception name or a whole stack trace):
// the one whose pattern occurs earliest. ok is false when none does.
func Lookup(text string) (m Message, ok bool) {
	t := strings.ToLower(text)
	best, bestAt := -1, len(t)+1
	for i, m := range table {
		for _, p := range m.Patterns {
			if at := strings.Index(t, p); at >= 0 && at < bestAt {
				best, bestAt = i, at
			}
		}
	}
	if best < 0 {
		return Message{}, false
	}
	return full(table[best]), true
}
