package cli

import (
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/config"
)

// Environment variables the interactive debugger reads besides ZOOM_CLIENT_SECRET.
const (
	ClientIDEnv = "ZOOM_CLIENT_ID" // the app's client ID, as the snippets read it
	ConfigEnv   = "ZOOMDBG_CONFIG" // another config file than the one in the user's config directory
)

// configPath is the config file to read: $ZOOMDBG_CONFIG, or zoomdbg/config.json in the user's
// config directory ("" when there is none).
func configPath(env *Env) string {
	if p := env.Getenv(ConfigEnv); p != "" {
		return p
	}
	p, err := config.Path(config.ConfigFile)
	if err != nil {
		return ""
	}
	return p
}

// applyConfig fills what the command line left unset from the config file and the remembered
// state: a flag wins over the environment, which wins over the config. The demo stays what the
// README says it is: its own secret, its own mock, the App Context screen.
func applyConfig(env *Env, cmd *cobra.Command, src *secretFlags, ff *flowFlags, cf *checkFlags, checkURL, screen *string, demo bool) (Session, error) {
	var s Session
	path := configPath(env)
	if path == "" {
		return s, nil
	}
	c, err := config.Load(path)
	if err != nil {
		return s, inputf("config: %v", err)
	}
	st := config.LoadState(filepath.Join(filepath.Dir(path), config.StateFile))
	s.StatePath = filepath.Join(filepath.Dir(path), config.StateFile)
	s.Theme, s.Language = c.Theme, c.Language
	if st.Language != "" {
		s.Language = st.Language
	}
	unset := func(name string) bool { return !cmd.Flags().Changed(name) }
	if unset("client-id") && env.Getenv(ClientIDEnv) == "" {
		src.clientID = c.ClientID
	}
	if unset("secret-file") && unset("secret") && env.Getenv(SecretEnv) == "" && !demo {
		src.files = c.SecretFileSpecs(path)
	}
	if unset("check-url") {
		*checkURL = c.Check.URL
	}
	if unset("endpoint") {
		cf.endpoint = c.Check.Endpoint
	}
	if unset("via") && c.Check.Via != "" {
		cf.via = c.Check.Via
	}
	if demo {
		return s, nil
	}
	if unset("mock") {
		ff.mock = c.Flow.Mock
	}
	if unset("redirect-uri") && c.Flow.RedirectURI != "" {
		ff.redirectURI = c.Flow.RedirectURI
	}
	if unset("method") && st.Method != "" {
		ff.method = st.Method
	}
	if unset("screen") && st.Screen != "" {
		*screen = st.Screen
	}
	return s, nil
}
