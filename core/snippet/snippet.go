// Package snippet holds zoomdbg's code for developers' own backends: for each language, a short
// program whose heart is one function that opens an app context the way a correct backend must
// (base64url, every length checked, the tag pinned to 16 bytes, key = SHA-256(secret), AES-256-GCM
// with the AAD, exp in milliseconds, aud when a client ID is given), and one that makes a PKCE
// verifier and its S256 challenge. Every program here is run by this package's tests with the real
// runtime; a language that cannot be run on the project's machines is not shipped.
package snippet

import (
	"github.com/zoomdbg/zoomdbg/core/explain"

	"embed"
	"fmt"
	"strings"
)

//go:embed _code
var code embed.FS

// Kind says which program of a language is meant.
type Kind int

// The two programs every language has.
const (
	AppContext Kind = iota // decrypt and check an app context
	PKCE                   // a verifier and its S256 challenge
)

// Program is one runnable file.
type Program struct {
	File string   // the file name the program expects to be saved as
	Run  []string // the command that runs it, {file} standing for its path; arguments follow
}

// Language is one stack zoomdbg hands code for.
type Language struct {
	Name    string   // the name given on the command line
	Aliases []string // other names accepted for it
	Title   string   // how people call it
	Runtime string   // what runs it, and what it needs installed
	dir     string
	progs   [2]Program
}

// Program returns the language's program of kind k.
func (l Language) Program(k Kind) Program { return l.progs[k] }

// Source returns the program's text.
func (l Language) Source(k Kind) string {
	b, err := code.ReadFile("_code/" + l.dir + "/" + l.progs[k].File)
	if err != nil {
		panic(fmt.Sprintf("snippet: %s is not embedded: %v", l.progs[k].File, err)) // a build fault, caught by every test
	}
	return string(b)
}

// Command is the program's run command with its path in place of {file}, as a person types it.
func (l Language) Command(k Kind) string {
	return strings.Join(l.Argv(k, l.progs[k].File), " ")
}

// Argv is the program's run command for a file at path.
func (l Language) Argv(k Kind, path string) []string {
	argv := make([]string, len(l.progs[k].Run))
	for i, a := range l.progs[k].Run {
		argv[i] = strings.ReplaceAll(a, "{file}", path)
	}
	return argv
}

// Languages lists every shipped language, in the order `snippet --list` shows them.
var Languages = []Language{
	{Name: "python", Aliases: []string{"py", "django", "flask"}, Title: "Python", Runtime: "python3 with the cryptography package",
		dir: "python", progs: [2]Program{
			{File: "zoom_app_context.py", Run: []string{"python3", "{file}"}},
			{File: "zoom_pkce.py", Run: []string{"python3", "{file}"}}}},
	{Name: "node", Aliases: []string{"js", "javascript", "express"}, Title: "Node.js (crypto module)", Runtime: "node",
		dir: "node", progs: [2]Program{
			{File: "zoom-app-context.js", Run: []string{"node", "{file}"}},
			{File: "zoom-pkce.js", Run: []string{"node", "{file}"}}}},
	{Name: "webcrypto", Aliases: []string{"browser", "deno", "workers", "cloudflare"},
		Title: "Web Crypto (browsers, Deno, Cloudflare Workers, Node 20+)", Runtime: "node 20+, deno, or any Web Crypto host",
		dir: "webcrypto", progs: [2]Program{
			{File: "zoom-app-context.mjs", Run: []string{"node", "{file}"}},
			{File: "zoom-pkce.mjs", Run: []string{"node", "{file}"}}}},
	{Name: "go", Aliases: []string{"golang"}, Title: "Go (standard library)", Runtime: "go",
		dir: "go", progs: [2]Program{
			{File: "appcontext.go", Run: []string{"go", "run", "{file}"}},
			{File: "pkce.go", Run: []string{"go", "run", "{file}"}}}},
	{Name: "java", Aliases: []string{"kotlin", "spring"}, Title: "Java (javax.crypto, single source file)", Runtime: "java 11+",
		dir: "java", progs: [2]Program{
			{File: "ZoomAppContext.java", Run: []string{"java", "{file}"}},
			{File: "ZoomPkce.java", Run: []string{"java", "{file}"}}}},
	{Name: "php", Aliases: []string{"laravel"}, Title: "PHP (openssl)", Runtime: "php 8.1+ with openssl",
		dir: "php", progs: [2]Program{
			{File: "zoom_app_context.php", Run: []string{"php", "{file}"}},
			{File: "zoom_pkce.php", Run: []string{"php", "{file}"}}}},
	{Name: "ruby", Aliases: []string{"rb", "rails"}, Title: "Ruby (openssl)", Runtime: "ruby 3.1+",
		dir: "ruby", progs: [2]Program{
			{File: "zoom_app_context.rb", Run: []string{"ruby", "{file}"}},
			{File: "zoom_pkce.rb", Run: []string{"ruby", "{file}"}}}},
}

// Lookup finds a language by name or alias, case-insensitively.
func Lookup(name string) (Language, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, l := range Languages {
		if l.Name == n {
			return l, nil
		}
		for _, a := range l.Aliases {
			if a == n {
				return l, nil
			}
		}
	}
	if n == "csharp" || n == "c#" || n == "dotnet" || n == ".net" || n == "cs" {
		return Language{}, fmt.Errorf("no C# snippet: .NET's AesGcm cannot be run on zoomdbg's test machines, and zoomdbg ships no code it has not run; " +
			"the java snippet is the closest in shape (AesGcm.Decrypt takes nonce, ciphertext, tag and AAD the same way)")
	}
	return Language{}, fmt.Errorf("no snippet for %q: want one of %s", name, strings.Join(Names(), ", "))
}

// Names lists the shipped languages' names.
func Names() []string {
	ns := make([]string, len(Languages))
	for i, l := range Languages {
		ns[i] = l.Name
	}
	return ns
}

// Failure is what an error message a developer saw means: core/explain's table, which every
// face (explain, context, the TUI) reads.
type Failure = explain.Message

// Failures lists every message zoomdbg knows, each with its causes in full.
func Failures() []Failure { return explain.All() }

// Explain finds a known message in msg (a message, an exception name or a whole stack trace) and
// says what it means; ok is false when msg holds none zoomdbg knows.
func Explain(msg string) (f Failure, ok bool) { return explain.Lookup(msg) }
