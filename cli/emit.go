package cli

import "io"

// emit writes a command's result, as JSON for scripts (the contract) or as text for people, then
// turns a result that is not ok into exit status 1. The JSON value is built only when asked for.
// Every command that reports a verdict ends here, so they all print and exit alike.
func emit(env *Env, asJSON bool, jsonValue func() any, text func(io.Writer) error, ok bool) error {
	var err error
	if asJSON {
		err = writeJSON(env.Stdout, jsonValue())
	} else {
		err = text(env.Stdout)
	}
	if err != nil {
		return err
	}
	if !ok {
		return exitError{ExitFailed}
	}
	return nil
}
