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
	"path/filepath"
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
	Webhook                // verify a webhook delivery and answer the url_validation handshake (webhook.go)
)

// Program is one runnable file.
type Program struct {
	File string // the file name the program expects to be saved as
	// CLI, when set, is a second file that runs File from a terminal: File itself only exports
	// (a Web Crypto module imported by a Worker or a page must not act on being imported).
	CLI string
	Run []string // the command that runs it, {file} and {cli} standing for their paths; arguments follow
	// Build, when set, compiles File first (C# on Mono: mcs), run in the folder File is saved in.
	Build []string
}

// Language is one stack zoomdbg hands code for.
type Language struct {
	Name    string   // the name given on the command line
	Aliases []string // other names accepted for it
	Title   string   // how people call it
	Runtime string   // the runtime versions it needs, and which of them zoomdbg's CI runs it on
	// Framework names where developers paste it: the framework whose handler the program's header
	// shows, and which the tests run it in over real HTTP.
	Framework string
	// NoAppContext, when set, says why the language has only the PKCE program.
	NoAppContext string
	dir          string
	progs        [2]Program
}

// Program returns the language's program of kind k.
func (l Language) Program(k Kind) Program {
	if k == Webhook {
		return webhookPrograms[l.dir]
	}
	return l.progs[k]
}

// Source returns the program's text.
func (l Language) Source(k Kind) string { return l.read(l.Program(k).File) }

// CLISource returns the text of the program's command-line companion, or "" when it has none.
func (l Language) CLISource(k Kind) string {
	if l.Program(k).CLI == "" {
		return ""
	}
	return l.read(l.Program(k).CLI)
}

func (l Language) read(file string) string {
	b, err := code.ReadFile("_code/" + l.dir + "/" + file)
	if err != nil {
		panic(fmt.Sprintf("snippet: %s is not embedded: %v", file, err)) // a build fault, caught by every test
	}
	return string(b)
}

// Command is the program's run command with its file names in place, as a person types it.
func (l Language) Command(k Kind) string {
	run := strings.Join(l.Argv(k, ""), " ")
	if b := l.Program(k).Build; len(b) > 0 {
		build := make([]string, len(b))
		for i, a := range b {
			build[i] = strings.ReplaceAll(a, "{file}", l.Program(k).File)
		}
		return strings.Join(build, " ") + " && " + run
	}
	return run
}

// Argv is the program's run command for its files saved in dir ("" for the current directory).
func (l Language) Argv(k Kind, dir string) []string {
	p := l.Program(k)
	argv := make([]string, len(p.Run))
	for i, a := range p.Run {
		a = strings.ReplaceAll(a, "{file}", filepath.Join(dir, p.File))
		argv[i] = strings.ReplaceAll(a, "{cli}", filepath.Join(dir, p.CLI))
	}
	return argv
}

// Languages lists every shipped language, in the order `snippet --list` shows them.
var Languages = []Language{
	{Name: "python", Aliases: []string{"py", "django", "flask"}, Title: "Python (cryptography)",
		Runtime:   "Python 3.8+ with cryptography 3.1+ (CI: Debian 12's Python 3.11 with cryptography 38, the oldest installable here)",
		Framework: "Flask view (Django the same way)",
		dir:       "python", progs: [2]Program{
			{File: "zoom_app_context.py", Run: []string{"python3", "{file}"}},
			{File: "zoom_pkce.py", Run: []string{"python3", "{file}"}}}},
	{Name: "node", Aliases: []string{"js", "javascript", "express"}, Title: "Node.js (crypto module)",
		Runtime:   "Node.js 18+ (CI: Node.js 18.20 and the machine's Node.js)",
		Framework: "Express middleware",
		dir:       "node", progs: [2]Program{
			{File: "zoom-app-context.js", Run: []string{"node", "{file}"}},
			{File: "zoom-pkce.js", Run: []string{"node", "{file}"}}}},
	{Name: "webcrypto", Aliases: []string{"browser", "deno", "bun", "workers", "cloudflare"},
		Title:     "Web Crypto (Node.js 20+, Deno, Bun, Workers, browsers)",
		Runtime:   "Node.js 20+, Deno 2, Bun 1, Cloudflare workerd, Chromium (CI: Node.js 20.0 and the machine's, Deno 2.9, Bun 1.4, workerd 2026-11, Debian 12's Chromium)",
		Framework: "Cloudflare Worker fetch handler (Deno.serve and Bun.serve take the same)",
		dir:       "webcrypto", progs: [2]Program{
			{File: "zoom-app-context.mjs", CLI: "zoom-app-context-cli.mjs", Run: []string{"node", "{cli}"}},
			{File: "zoom-pkce.mjs", CLI: "zoom-pkce-cli.mjs", Run: []string{"node", "{cli}"}}}},
	{Name: "go", Aliases: []string{"golang"}, Title: "Go (standard library)",
		Runtime:   "Go 1.21+ (CI: go1.21.0 from the Go module proxy, and the machine's Go)",
		Framework: "net/http middleware",
		dir:       "go", progs: [2]Program{
			{File: "appcontext.go", Run: []string{"go", "run", "{file}"}},
			{File: "pkce.go", Run: []string{"go", "run", "{file}"}}}},
	{Name: "java", Aliases: []string{"kotlin", "spring"}, Title: "Java (javax.crypto, single source file)",
		Runtime:   "Java 11+ (CI: compiled with javac --release 11, run on Debian 12's Java 17, the oldest installable here)",
		Framework: "com.sun.net.httpserver handler (a servlet filter reads getHeader the same way)",
		dir:       "java", progs: [2]Program{
			{File: "ZoomAppContext.java", Run: []string{"java", "{file}"}},
			{File: "ZoomPkce.java", Run: []string{"java", "{file}"}}}},
	{Name: "php", Aliases: []string{"laravel"}, Title: "PHP (openssl)",
		Runtime:   "PHP 7.4+ with openssl (CI: Debian 12's PHP 8.2, the oldest installable here)",
		Framework: "plain PHP page under PHP's built-in server (Laravel: $request->header the same way)",
		dir:       "php", progs: [2]Program{
			{File: "zoom_app_context.php", Run: []string{"php", "{file}"}},
			{File: "zoom_pkce.php", Run: []string{"php", "{file}"}}}},
	{Name: "ruby", Aliases: []string{"rb", "rails", "sinatra", "rack"}, Title: "Ruby (openssl)",
		Runtime:   "Ruby 3.0+, no gems (CI: Debian 12's Ruby 3.1, the oldest installable here)",
		Framework: "Sinatra route (Rack env, Rails the same way)",
		dir:       "ruby", progs: [2]Program{
			{File: "zoom_app_context.rb", Run: []string{"ruby", "{file}"}},
			{File: "zoom_pkce.rb", Run: []string{"ruby", "{file}"}}}},
}

// PKCEOnly lists the languages zoomdbg hands only the PKCE program for; NoAppContext says why.
var PKCEOnly = []Language{
	{Name: "csharp", Aliases: []string{"c#", "cs", "dotnet", ".net"}, Title: "C# (System.Security.Cryptography)",
		Runtime:      "Mono 6.8+ (CI: Debian 12's Mono 6.8; .NET is not installable here, so it is not claimed)",
		NoAppContext: CSharpNote,
		dir:          "csharp", progs: [2]Program{{}, {File: "ZoomPkce.cs", Build: []string{"mcs", "-out:ZoomPkce.exe", "{file}"},
			Run: []string{"mono", "ZoomPkce.exe"}}}},
}

// CSharpNote says why no C# app-context program ships: zoomdbg ships no code it has not run.
const CSharpNote = "no C# app-context program: no runtime that runs AesGcm installs on zoomdbg's test machines " +
	"(Debian's Mono throws PlatformNotSupportedException from AesGcm, .NET is not in Debian, and no .NET BouncyCastle is packaged); " +
	"the java snippet is the closest in shape (AesGcm.Decrypt takes nonce, ciphertext, tag and AAD the same way)"

// Lookup finds a language by name or alias, case-insensitively.
func Lookup(name string) (Language, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, l := range append(append([]Language(nil), Languages...), PKCEOnly...) {
		if l.Name == n {
			return l, nil
		}
		for _, a := range l.Aliases {
			if a == n {
				return l, nil
			}
		}
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
