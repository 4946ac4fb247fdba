package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/snippet"
)

func newSnippetCmd(env *Env) *cobra.Command {
	var (
		list, withPKCE, withCLI, withWebhook, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "snippet LANG [--pkce | --webhook] [--cli] | --list",
		Short: "Print proven app-context decryption (or PKCE, or webhook) code for your backend's language",
		Long: `Print a short program for LANG whose heart is one function to copy into your backend: it opens
an app context the way a correct backend must (base64url, every length checked against the bytes
that remain, the tag exactly 16 bytes, key = SHA-256(client secret), AES-256-GCM with the AAD,
exp compared in milliseconds, aud checked when ZOOM_CLIENT_ID is set). It also runs on its own:

  ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] <run> TOKEN

prints the payload JSON and exits 0, or prints one line saying why it refused the token and exits 1.

It refuses every token with one AppContextError-style error carrying the verdict and reason
code zoomdbg's context command gives (no_token/missing, malformed/std_base64, tag_mismatch/tag,
expired/expired, ...), in linear time on any input, and each header shows it in the framework
that language's developers use (Express, Flask, net/http, HttpServer, Sinatra, a Worker, PHP).

--pkce prints the PKCE program instead: a verifier from a CSPRNG and its S256 challenge, with
Zoom's legacy challenge as a labelled helper; a verifier given to it is checked against RFC 7636
section 4.1. --webhook prints the webhook program instead: x-zm-signature checked over the raw
body in constant time, and the url_validation answer once it verifies:

  ZOOM_WEBHOOK_SECRET_TOKEN=... <run> TIMESTAMP SIGNATURE < body.json

--cli prints the command-line companion of a module that only exports (webcrypto).
Every program is run by zoomdbg's test suite on every runtime --list names.`,
		Example: `  zoomdbg snippet python > zoom_app_context.py
  zoomdbg snippet node --pkce
  zoomdbg snippet webcrypto > zoom-app-context.mjs; zoomdbg snippet webcrypto --cli > zoom-app-context-cli.mjs
  zoomdbg snippet --list`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				if len(args) > 0 {
					return usagef("--list takes no language")
				}
				return writeSnippetList(env, asJSON)
			}
			if len(args) == 0 {
				return usagef("which language? want one of %s (or --list)", strings.Join(snippet.Names(), ", "))
			}
			l, err := snippet.Lookup(args[0])
			if err != nil {
				return usageError{err: err}
			}
			k := snippet.AppContext
			if withPKCE {
				k = snippet.PKCE
			}
			if withWebhook {
				if withPKCE {
					return usagef("give --pkce or --webhook, not both")
				}
				k = snippet.Webhook
			}
			p := l.Program(k)
			if p.File == "" {
				return usagef("%s; zoomdbg snippet %s --pkce prints its PKCE program", l.NoAppContext, l.Name)
			}
			if withCLI && p.CLI == "" {
				return usagef("the %s program runs on its own: it has no --cli companion", l.Name)
			}
			if asJSON {
				return writeJSON(env.Stdout, snippetJSON{Language: l.Name, Title: l.Title, File: p.File,
					Run: l.Command(k), Source: l.Source(k), CLIFile: p.CLI, CLISource: l.CLISource(k)})
			}
			src := l.Source(k)
			if withCLI {
				src = l.CLISource(k)
			}
			_, err = fmt.Fprint(env.Stdout, src)
			return err
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the languages, their files and how to run each")
	cmd.Flags().BoolVar(&withPKCE, "pkce", false, "print the PKCE verifier and challenge program instead")
	cmd.Flags().BoolVar(&withCLI, "cli", false, "print the command-line companion of a module that only exports (webcrypto)")
	cmd.Flags().BoolVar(&withWebhook, "webhook", false, "print the webhook program instead: x-zm-signature over the raw body, constant-time, and the url_validation answer once verified ("+snippet.WebhookEnv+")")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: the program with its file name and run command, or the list")
	return cmd
}

type snippetJSON struct {
	Language string `json:"language"`
	Title    string `json:"title,omitempty"`
	File     string `json:"file"`
	Run      string `json:"run"`
	Source   string `json:"source,omitempty"`
	// CLIFile and CLISource are the command-line companion of a module that only exports.
	CLIFile   string `json:"cli_file,omitempty"`
	CLISource string `json:"cli_source,omitempty"`
}

type snippetListJSON struct {
	Language   string       `json:"language"`
	Aliases    []string     `json:"aliases"`
	Title      string       `json:"title"`
	Runtime    string       `json:"runtime"`
	Framework  string       `json:"framework"`
	AppContext *snippetJSON `json:"app_context"` // null when the language has only PKCE
	// NoAppContext says why a language has no app-context program.
	NoAppContext string      `json:"no_app_context,omitempty"`
	PKCE         snippetJSON `json:"pkce"`
}

func writeSnippetList(env *Env, asJSON bool) error {
	if asJSON {
		out := make([]snippetListJSON, 0, len(snippet.Languages)+len(snippet.PKCEOnly))
		for _, l := range append(append([]snippet.Language(nil), snippet.Languages...), snippet.PKCEOnly...) {
			prog := func(k snippet.Kind) snippetJSON {
				return snippetJSON{Language: l.Name, File: l.Program(k).File, Run: l.Command(k), CLIFile: l.Program(k).CLI}
			}
			e := snippetListJSON{Language: l.Name, Aliases: l.Aliases, Title: l.Title, Runtime: l.Runtime, Framework: l.Framework,
				PKCE: prog(snippet.PKCE), NoAppContext: l.NoAppContext}
			if l.NoAppContext == "" {
				ac := prog(snippet.AppContext)
				e.AppContext = &ac
			}
			out = append(out, e)
		}
		return writeJSON(env.Stdout, out)
	}
	var b bytes.Buffer
	for _, l := range snippet.Languages {
		fmt.Fprintf(&b, "%-10s %s\n", l.Name, l.Title)
		fmt.Fprintf(&b, "%-10s run        %s TOKEN   (the --pkce program runs the same way)\n", "", l.Command(snippet.AppContext))
		fmt.Fprintf(&b, "%-10s needs      %s\n", "", l.Runtime)
		fmt.Fprintf(&b, "%-10s shown in   %s\n", "", l.Framework)
	}
	b.WriteString("\nzoomdbg snippet LANG > FILE writes one; ZOOM_CLIENT_SECRET (and ZOOM_CLIENT_ID to check aud) come from the environment.\n")
	for _, l := range snippet.PKCEOnly {
		fmt.Fprintf(&b, "\n%-10s %s: only --pkce\n", l.Name, l.Title)
		fmt.Fprintf(&b, "%-10s run        %s [VERIFIER]\n", "", l.Command(snippet.PKCE))
		fmt.Fprintf(&b, "%-10s needs      %s\n", "", l.Runtime)
		fmt.Fprintf(&b, "%-10s why        %s\n", "", l.NoAppContext)
	}
	_, err := env.Stdout.Write(b.Bytes())
	return err
}
