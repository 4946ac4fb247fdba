package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

func newPKCECmd(env *Env) *cobra.Command {
	var (
		verifier  string
		length    int
		challenge string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "pkce [--verifier V | --length N] [--challenge C]",
		Short: "Compute every PKCE challenge method for a verifier, and say which matches a challenge",
		Long: `Generate a PKCE verifier (or take one with --verifier; '-' reads standard input), check it
against RFC 7636, and print its challenge under every method with the intermediate values:
S256 (RFC), zoom-legacy (base64 of the hex digest, Zoom's old docs), plain, S256-padded and S256-std.
With --challenge, say which methods produce that challenge from the verifier.

Exit status: 0 when the verifier is valid (and, with --challenge, a method matches); 1 otherwise;
2 on a usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, generated, err := pkceVerifier(env, cmd, verifier, length)
			if err != nil {
				return err
			}
			out := newPKCEOutput(v, generated, challenge, cmd.Flags().Changed("challenge"))
			return emit(env, asJSON, func() any { return out }, func(w io.Writer) error { return writePKCEText(w, out) },
				out.VerifierValid && (out.Challenge == nil || len(out.Match) > 0))
		},
	}
	cmd.Flags().StringVar(&verifier, "verifier", "", "the code verifier; '-' reads it from standard input")
	cmd.Flags().IntVar(&length, "length", pkce.DefaultVerifierLen, "length of a generated verifier, 43-128")
	cmd.Flags().StringVar(&challenge, "challenge", "", "a challenge seen elsewhere, to match against every method")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func pkceVerifier(env *Env, cmd *cobra.Command, v string, n int) (string, bool, error) {
	if cmd.Flags().Changed("verifier") && cmd.Flags().Changed("length") {
		return "", false, usagef("--verifier and --length: give one; --length is for generating")
	}
	if v == "-" {
		b, err := io.ReadAll(io.LimitReader(env.Stdin, maxInput))
		if err != nil {
			return "", false, fmt.Errorf("read standard input: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), false, nil
	}
	if cmd.Flags().Changed("verifier") {
		return v, false, nil
	}
	g, err := pkce.Generate(n, env.Rand)
	if err != nil {
		return "", false, usagef("--length: %v", err)
	}
	return g, true, nil
}

// pkceOutput is the JSON contract of `zoomdbg pkce --json`.
type pkceOutput struct {
	Verifier         string          `json:"verifier"`
	Generated        bool            `json:"generated"`
	VerifierValid    bool            `json:"verifier_valid"`
	VerifierProblems []problemJSON   `json:"verifier_problems"`
	Challenges       []challengeJSON `json:"challenges"`
	Challenge        *string         `json:"challenge,omitempty"`
	Match            []pkce.Method   `json:"match"`
	Shape            *shapeJSON      `json:"challenge_shape,omitempty"`
}

type problemJSON struct {
	Position int    `json:"position"`
	Message  string `json:"message"`
}

type challengeJSON struct {
	Method         pkce.Method   `json:"method"`
	Value          string        `json:"value"`
	Length         int           `json:"length"`
	ValidChallenge bool          `json:"valid_challenge"`
	Problems       []problemJSON `json:"problems"`
	Steps          []stepJSON    `json:"steps"`
	Describe       string        `json:"describe"`
}

type stepJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type shapeJSON struct {
	Length   int           `json:"length"`
	Alphabet string        `json:"alphabet"`
	Padded   bool          `json:"padded"`
	Decoded  string        `json:"decodes_to"`
	Likely   []pkce.Method `json:"likely"`
	Summary  string        `json:"summary"`
}

func problems(ps []pkce.Problem) []problemJSON {
	out := []problemJSON{}
	for _, p := range ps {
		out = append(out, problemJSON{p.Position, p.Message})
	}
	return out
}

func newPKCEOutput(v string, generated bool, challenge string, withChallenge bool) pkceOutput {
	ps := pkce.Validate(v)
	out := pkceOutput{Verifier: v, Generated: generated, VerifierValid: len(ps) == 0,
		VerifierProblems: problems(ps), Match: []pkce.Method{}}
	for _, c := range pkce.ComputeAll(v) {
		cj := challengeJSON{Method: c.Method, Value: c.Value, Length: len(c.Value), ValidChallenge: c.Valid(),
			Problems: problems(c.Problems), Describe: c.Method.Describe()}
		for _, s := range c.Steps {
			cj.Steps = append(cj.Steps, stepJSON{s.Label, s.Value})
		}
		out.Challenges = append(out.Challenges, cj)
	}
	if withChallenge {
		out.Challenge = &challenge
		if m := pkce.Match(v, challenge); m != nil {
			out.Match = m
		}
		s := pkce.Identify(challenge)
		out.Shape = &shapeJSON{Length: s.Length, Alphabet: s.Alphabet, Padded: s.Padded, Decoded: s.Decoded,
			Likely: s.Likely, Summary: s.Summary}
	}
	return out
}

func writePKCEText(w io.Writer, out pkceOutput) error {
	var b bytes.Buffer
	how := "given"
	if out.Generated {
		how = "generated"
	}
	fmt.Fprintf(&b, "verifier   %s\n           %d characters, %s, ", termsafe.Escape(out.Verifier), len([]rune(out.Verifier)), how)
	if out.VerifierValid {
		b.WriteString("valid per RFC 7636 §4.1\n")
	} else {
		b.WriteString("breaks RFC 7636 §4.1:\n")
		for _, p := range out.VerifierProblems {
			fmt.Fprintf(&b, "           - %s\n", termsafe.Escape(p.Message))
		}
	}
	for _, c := range out.Challenges {
		fmt.Fprintf(&b, "\n%-11s  %s\n", c.Method, c.Describe)
		for _, s := range c.Steps {
			fmt.Fprintf(&b, "  %-44s %s\n", s.Label, termsafe.Escape(s.Value))
		}
		verdict := "meets the challenge grammar"
		if !c.ValidChallenge {
			verdict = "breaks the challenge grammar: " + termsafe.Escape(c.Problems[0].Message)
		}
		fmt.Fprintf(&b, "  %-44s %s\n  %-44s %d characters, %s\n", "challenge", termsafe.Escape(c.Value), "", c.Length, verdict)
	}
	if out.Challenge != nil {
		fmt.Fprintf(&b, "\nchallenge  %s\n           %s\n", termsafe.Escape(*out.Challenge), termsafe.Escape(out.Shape.Summary))
		if len(out.Match) == 0 {
			b.WriteString("match      none: no method produces it from this verifier (another verifier, or another algorithm)\n")
		} else {
			fmt.Fprintf(&b, "match      %s\n", pkce.Join(out.Match))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
