package cli

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/explain"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// nearestShown is how many known messages an unknown one is shown beside.
const nearestShown = 3

func newExplainCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain ERROR | -",
		Short: "Explain an error your backend printed (InvalidTag, Incorrect padding, invalid_grant, ...)",
		Long: `Name the library behind an error message, a stack trace or an exception name ('-' reads
it from standard input), say what it means, and list the likely causes, most likely first.

It knows the AES-GCM, base64 and JSON errors of Python, Node.js, Web Crypto and browsers, Java,
.NET, PHP, Ruby and Go (InvalidTag, "unable to authenticate data", "Invalid authentication tag
length", "Invalid key length", ERR_OUT_OF_RANGE, "Incorrect padding", InvalidCharacterError,
"Unexpected token ... in JSON", "illegal base64 data", ...), OAuth's and Zoom's (invalid_grant,
"Invalid authorization code", invalid_client, "Missing OWASP Secure Headers", ...) and zoomdbg's
own verdict reason codes. A message it does not know is shown with the nearest ones it does.

Exit status: 0 when the message is recognised, 1 when it is not, 2 on a usage error.`,
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
			m, ok := explain.Lookup(msg)
			var near []explain.Match
			if !ok {
				near = explain.Nearest(msg, nearestShown)
			}
			if asJSON {
				err = writeJSON(env.Stdout, explainJSON(m, ok, near))
			} else {
				err = writeExplainText(env, m, ok, near)
			}
			if err != nil {
				return err
			}
			if !ok {
				return exitError{ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object: recognised, language, message, means, causes, nearest")
	return cmd
}

type explainOutput struct {
	Recognised bool          `json:"recognised"`
	Language   *string       `json:"language"`
	Message    *string       `json:"message"`
	Means      *string       `json:"means"`
	Causes     []string      `json:"causes"`
	Nearest    []nearestJSON `json:"nearest"` // for a message not recognised: the known ones nearest it
}

type nearestJSON struct {
	Language string   `json:"language"`
	Message  string   `json:"message"`
	Means    string   `json:"means"`
	Causes   []string `json:"causes"`
	Score    float64  `json:"score"`
}

func explainJSON(m explain.Message, ok bool, near []explain.Match) explainOutput {
	out := explainOutput{Causes: []string{}, Nearest: []nearestJSON{}}
	if ok {
		out = explainOutput{Recognised: true, Language: &m.Language, Message: &m.Message, Means: &m.Means, Causes: m.Causes, Nearest: out.Nearest}
	}
	for _, n := range near {
		out.Nearest = append(out.Nearest, nearestJSON{Language: n.Known.Language, Message: n.Known.Message, Means: n.Known.Means,
			Causes: n.Known.Causes, Score: float64(int(n.Score*1000)) / 1000})
	}
	return out
}

func writeExplainText(env *Env, m explain.Message, ok bool, near []explain.Match) error {
	var b bytes.Buffer
	if !ok {
		b.WriteString("not a message zoomdbg knows.\n")
		if len(near) > 0 {
			b.WriteString("\nthe nearest it knows, nearest first\n")
			for i, n := range near {
				fmt.Fprintf(&b, "  %d. %s: %s\n     %s\n", i+1, n.Known.Language, termsafe.Escape(n.Known.Message), n.Known.Means)
				if len(n.Known.Causes) > 0 {
					fmt.Fprintf(&b, "     most likely: %s\n", n.Known.Causes[0])
				}
			}
		}
		b.WriteString("\nIt recognises:\n")
		for _, k := range explain.All() {
			fmt.Fprintf(&b, "  %-38s %s\n", k.Language, k.Message)
		}
		_, err := env.Stdout.Write(b.Bytes())
		return err
	}
	fmt.Fprintf(&b, "%s: %s\n", m.Language, m.Message)
	fmt.Fprintf(&b, "means     %s\n", m.Means)
	writeList(&b, "likely causes, most likely first", m.Causes, true)
	next := m.Next
	if next == "" {
		next = "zoomdbg context TOKEN --secret-file dev=PATH shows which of these it is for one token;\n" +
			"      zoomdbg snippet LANG prints decryption code that is run against Zoom's format by zoomdbg's tests."
	}
	b.WriteString("\nnext: " + next + "\n")
	_, err := env.Stdout.Write(b.Bytes())
	return err
}
