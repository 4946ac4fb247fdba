package explain

import (
	"strings"

	"github.com/zoomdbg/zoomdbg/core/appctx"
)

// zoomdbg's own verdict reason codes, as context, scan, check and the snippets report them: a
// developer who pastes "exp_seconds" from a log gets what it means.
func init() {
	causes := map[appctx.Reason][]string{
		appctx.ReasonStdBase64: {"something re-encoded the token in standard base64 (btoa, base64.b64encode, Buffer toString('base64')): send it as Zoom gave it"},
		appctx.ReasonBadChar:   {"the token carries a character it never has: quotes, a space, a header name, a zero-width space from a chat app, or a second value joined with ', '"},
		appctx.ReasonIVLength:  {"byte 0 is not 12: the value is not an app context, was decoded with the wrong alphabet, or was altered"},
		appctx.ReasonTruncated: {"the token was cut: a log line, a header size limit or a copy that stopped short"},
		appctx.ReasonShortTag:  {"the token lost its last bytes, where the 16-byte tag is"},
		appctx.ReasonTag:       TagCauses,
		appctx.ReasonExpSeconds: {"the payload's exp was written in epoch seconds; Zoom sends milliseconds (a test token sealed by hand?)",
			"a backend that divides by 1000 before comparing accepts contexts long expired"},
		appctx.ReasonAud:     {"the context is for another app: the client ID given is not the one the context was sealed for (Development and Production apps differ)"},
		appctx.ReasonExpired: {"the context is older than its ~2 minutes: fetch a fresh one with getAppContext() for each request", "this machine's clock is off"},
	}
	var ms []Message
	for r, cs := range causes {
		pats := []string{`"reason":"` + string(r) + `"`, `"reason": "` + string(r) + `"`}
		if strings.Contains(string(r), "_") { // distinctive enough to be found bare
			pats = append(pats, string(r))
		}
		if r == appctx.ReasonAud {
			pats = append(pats, string(appctx.VerdictWrongAud))
		}
		ms = append(ms, Message{Language: "zoomdbg verdict", Message: `"reason": "` + string(r) + `"`, Means: r.Words(), Causes: cs, Patterns: pats})
	}
	// Registration order decides ties; make it the reason order, not the map's.
	order := []appctx.Reason{appctx.ReasonStdBase64, appctx.ReasonBadChar, appctx.ReasonIVLength, appctx.ReasonTruncated,
		appctx.ReasonShortTag, appctx.ReasonTag, appctx.ReasonExpSeconds, appctx.ReasonAud, appctx.ReasonExpired}
	for _, r := range order {
		for _, m := range ms {
			if strings.Contains(m.Message, `"`+string(r)+`"`) {
				Register(m)
			}
		}
	}
}
