// Command zoomdbg debugs Zoom Apps app-context tokens, OAuth PKCE and webhook signatures,
// interactively or from scripts.
package main

import (
	"crypto/rand"
	"os"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/tui"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.DefaultEnv(rand.Reader), cli.Debugger{Open: openTUI, Keys: tui.KeysHelp(78)}))
}

func openTUI(s cli.Session) error {
	return tui.Run(tui.Options{
		Token:     s.Token,
		Secrets:   s.Secrets,
		ClientID:  s.ClientID,
		Screen:    s.Screen,
		Verifier:  s.Verifier,
		Demo:      s.Demo,
		Warnings:  s.Warnings,
		Flow:      s.Flow,
		Check:     tui.CheckSettings(s.Check),
		Theme:     s.Theme,
		Language:  s.Language,
		StatePath: s.StatePath,

		ServerPolicy:   s.ServerPolicy,
		WebhookSecrets: s.WebhookSecrets,
	})
}
