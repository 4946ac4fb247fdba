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
		list, withPKCE, asJSON bool
		withWebhook            bool // issue 24
	)
	cmd := &cobra.Command{
		Use:   "snippet LANG [--pkce] | --list",
		Short: "Print proven app-context decryption (or PKCE) code for your backend's language",
		Long: `Print a short program for LANG whose heart is one function to copy into your backend: it opens
an app context the way a correct backend must (base64url, every length checked against the bytes
that remain, the tag exactly 16 bytes, key = SHA-256(client secret), AES-256-GCM with the AAD,
exp compared in milliseconds, aud checked when ZOOM_CLIENT_ID is set). It also runs on its own:

  ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] <run> TOKEN

prints the payload JSON and exits 0, or prints one line saying why it refused the token and exits 1.

--pkce prints the PKCE program instead: a verifier from a CSPRNG and its S256 challenge, with
Zoom's legacy challenge as a labelled helper. Every program is run by zoomdbg's test suite.`,
		Example: `  zoomdbg snippet python > zoom_app_context.py
  zoomdbg snippet node --pkce
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
			if withWebhook { // issue 24
				if withPKCE {
					return usagef("give --pkce or --webhook, not both")
				}
				k = snippet.Webhook
			}
			if asJSON {
				return writeJSON(env.Stdout, snippetJSON{Language: l.Name, Title: l.Title, File: l.Program(k).File,
					Run: l.Command(k), Source: l.Source(k)})
			}
			_, err = fmt.Fprint(env.Stdout, l.Source(k))
			return err
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the languages, their files and how to run each")
	cmd.Flags().BoolVar(&withPKCE, "pkce", false, "print the PKCE verifier and challenge program instead")
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
}

type snippetListJSON struct {
	Language   string      `json:"language"`
	Aliases    []string    `json:"aliases"`
	Title      string      `json:"title"`
	Runtime    string      `json:"runtime"`
	AppContext snippetJSON `json:"app_context"`
	PKCE       snippetJSON `json:"pkce"`
}

func writeSnippetList(env *Env, asJSON bool) error {
	if asJSON {
		out := make([]snippetListJSON, 0, len(snippet.Languages))
		for _, l := range snippet.Languages {
			prog := func(k snippet.Kind) snippetJSON {
				return snippetJSON{Language: l.Name, File: l.Program(k).File, Run: l.Command(k)}
			}
			out = append(out, snippetListJSON{Language: l.Name, Aliases: l.Aliases, Title: l.Title, Runtime: l.Runtime,
				AppContext: prog(snippet.AppContext), PKCE: prog(snippet.PKCE)})
		}
		return writeJSON(env.Stdout, out)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%-10s %-58s %s\n", "language", "library", "run (the --pkce program runs the same way)")
	for _, l := range snippet.Languages {
		fmt.Fprintf(&b, "%-10s %-58s %s TOKEN\n", l.Name, l.Title, l.Command(snippet.AppContext))
	}
	b.WriteString("\nzoomdbg snippet LANG > FILE writes one; ZOOM_CLIENT_SECRET (and ZOOM_CLIENT_ID to check aud) come from the environment.\n")
	b.WriteString("C# is not offered: .NET cannot be run on zoomdbg's test machines, and no snippet ships unrun.\n")
	_, err := env.Stdout.Write(b.Bytes())
	return err
}

func newExplainCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain ERROR | -",
		Short: "Explain a decryption error your backend printed (InvalidTag, unable to authenticate data, ...)",
		Long: `Name the library behind a decryption error message, a stack trace or an exception name
('-' reads it from standard input), say what it means, and list the likely causes, most likely
first. Knows Python's InvalidTag, Node's "Unsupported state or unable to authenticate data",
Web Crypto's OperationError, Java's AEADBadTagException, .NET's AuthenticationTagMismatchException,
PHP's openssl_decrypt returning false, Ruby's CipherError and Go's "message authentication failed".

Exit status: 0 when the error is recognised, 1 when it is not, 2 on a usage error.`,
		Example: `  zoomdbg explain InvalidTag
  pbpaste | zoomdbg explain -`,
		Args: cobra.MatchAll(maxArgs(1), func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("explain needs the error message, or '-' to read it from standard input")
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			msg, err := tokenArg(env, args, true)
			if err != nil {
				return err
			}
			if wf, ok := snippet.ExplainWebhook(msg); ok { // issue 24: webhook failures, cli/webhook.go
				return writeWebhookExplain(env, wf, asJSON)
			}
			f, ok := snippet.Explain(msg)
			if asJSON {
				if err := writeJSON(env.Stdout, explainJSON(f, ok)); err != nil {
					return err
				}
			} else if err := writeExplainText(env, f, ok); err != nil {
				return err
			}
			if !ok {
				return exitError{ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object: recognised, language, message, means, causes")
	return cmd
}

type explainOutput struct {
	Recognised bool     `json:"recognised"`
	Language   *string  `json:"language"`
	Message    *string  `json:"message"`
	Means      *string  `json:"means"`
	Causes     []string `json:"causes"`
}

func explainJSON(f snippet.Failure, ok bool) explainOutput {
	if !ok {
		return explainOutput{Causes: []string{}}
	}
	return explainOutput{Recognised: true, Language: &f.Language, Message: &f.Message, Means: &f.Means, Causes: f.Causes}
}

func writeExplainText(env *Env, f snippet.Failure, ok bool) error {
	var b bytes.Buffer
	if !ok {
		b.WriteString("not a decryption failure zoomdbg knows. It recognises:\n")
		for _, k := range snippet.Failures() {
			fmt.Fprintf(&b, "  %-38s %s\n", k.Language, k.Message)
		}
		_, err := env.Stdout.Write(b.Bytes())
		return err
	}
	fmt.Fprintf(&b, "%s: %s\n", f.Language, f.Message)
	fmt.Fprintf(&b, "means     %s\n", f.Means)
	writeList(&b, "likely causes, most likely first", f.Causes, true)
	b.WriteString("\nnext: zoomdbg context TOKEN --secret-file dev=PATH shows which of these it is for one token;\n" +
		"      zoomdbg snippet LANG prints decryption code that is run against Zoom's format by zoomdbg's tests.\n")
	_, err := env.Stdout.Write(b.Bytes())
	return err
}
