package cli

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/snippet"
	"github.com/zoomdbg/zoomdbg/core/webhook"
)

// flagValues lists, by flag name, the values a flag takes when they are a fixed set, so that the
// shell completes them (cobra's `zoomdbg completion bash|zsh|fish|powershell` scripts call
// `zoomdbg __complete`). A flag of that name on any command gets them.
func flagValues() map[string][]string {
	methods := make([]string, len(pkce.Methods))
	for i, m := range pkce.Methods {
		methods[i] = string(m)
	}
	failOn := make([]string, 0, len(failKinds)+1)
	for k := range failKinds {
		failOn = append(failOn, k)
	}
	sort.Strings(failOn)
	return map[string][]string{
		"screen":      screens,
		"method":      methods,
		"compare":     append([]string{"all"}, methods...),
		"client-auth": {"basic", "body", "none"},
		"prompt":      {"consent", "login", "none"},
		"event":       webhook.EventNames(),
		"via":         {"header", "query:context", "json:context"},
		"fail-on":     failOn,
		"pkce":        {"zoom", "off", "S256", "zoom-legacy", "plain", "any"},
		"s256":        {"rfc", "zoom-legacy"},
		"plain":       {"allow", "refuse"},
		"at":          {"now"},
		"tz":          {"UTC", "Local"},
	}
}

// listFlags are the flags whose value is a comma-separated list: each element completes.
var listFlags = map[string]bool{"fail-on": true, "compare": true}

// screens are the interactive debugger's screens, as --screen names them.
var screens = []string{"context", "pkce", "flow", "check", "webhook"}

// addCompletions registers value completions on every command of the tree, and the positional
// ones: snippet's languages; no file names where an argument is a token.
func addCompletions(root *cobra.Command) {
	values := flagValues()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			vs, ok := values[f.Name]
			if !ok {
				return
			}
			_ = c.RegisterFlagCompletionFunc(f.Name, completeFrom(vs, listFlags[f.Name]))
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "snippet":
			c.ValidArgsFunction = completeFrom(snippet.Names(), false)
		case "context", "explain", "seal", "pkce":
			if c.ValidArgsFunction == nil {
				c.ValidArgsFunction = cobra.NoFileCompletions
			}
		}
	}
	if root.ValidArgsFunction == nil {
		root.ValidArgsFunction = cobra.NoFileCompletions
	}
}

// completeFrom completes from a fixed set; for a list flag, the element after the last comma.
func completeFrom(values []string, list bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		prefix, last := "", toComplete
		if list {
			if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
				prefix, last = toComplete[:i+1], toComplete[i+1:]
			}
		}
		chosen := map[string]bool{}
		for _, c := range strings.Split(strings.ToLower(prefix), ",") {
			chosen[c] = true
		}
		var out []cobra.Completion
		for _, v := range values {
			if prefix != "" && (chosen[strings.ToLower(v)] || v == "all") {
				continue // a list names each element once, and --compare takes "all" only alone
			}
			if strings.HasPrefix(strings.ToLower(v), strings.ToLower(last)) {
				out = append(out, prefix+v)
			}
		}
		d := cobra.ShellCompDirectiveNoFileComp
		if list {
			d |= cobra.ShellCompDirectiveNoSpace
		}
		return out, d
	}
}
