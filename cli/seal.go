package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"zoomdbg/core/appctx"
)

func newSealCmd(env *Env) *cobra.Command {
	var (
		src   secretFlags
		aad   string
		fresh bool
		raw   bool
	)
	cmd := &cobra.Command{
		Use:   "seal [--secret-file PATH] [--aad A] [--fresh] < payload.json",
		Short: "Seal a JSON payload into a token Zoom's algorithm would produce",
		Long: `Read a JSON object from standard input and print an app-context token sealed the way Zoom
seals them (AES-256-GCM, key SHA-256(secret), random 12-byte IV, base64url), for testing a backend.

--fresh sets ts to now and exp to two minutes later, in epoch milliseconds.
--raw seals standard input as it is, JSON or not.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			secrets, err := src.read(env)
			if err != nil {
				return err
			}
			if len(secrets) != 1 {
				return usagef("seal needs exactly one secret (got %d): --secret-file PATH or $%s", len(secrets), SecretEnv)
			}
			pt, err := io.ReadAll(io.LimitReader(env.Stdin, maxInput+1))
			if err != nil {
				return fmt.Errorf("read standard input: %w", err)
			}
			if len(pt) > maxInput {
				return usagef("payload is over %d bytes", maxInput)
			}
			if !raw {
				if pt, err = preparePayload(pt, fresh, env); err != nil {
					return err
				}
			}
			tok, err := appctx.Seal(appctx.ZoomKey(secrets[0].Value), pt, []byte(aad), env.Rand)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(env.Stdout, tok)
			return err
		},
	}
	src.register(cmd)
	cmd.Flags().StringVar(&aad, "aad", "", "additional authenticated data (Zoom sends none)")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "set ts to now and exp to now + 2 minutes")
	cmd.Flags().BoolVar(&raw, "raw", false, "seal standard input as it is, without checking it is JSON")
	return cmd
}

// preparePayload checks the payload is one JSON object and, when fresh, stamps ts and exp.
func preparePayload(pt []byte, fresh bool, env *Env) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(pt, &obj); err != nil || obj == nil {
		return nil, usagef("standard input is not a JSON object (use --raw to seal it anyway): %v", err)
	}
	if !fresh {
		return pt, nil
	}
	now := env.Now().UnixMilli()
	obj["ts"] = json.RawMessage(fmt.Sprint(now))
	obj["exp"] = json.RawMessage(fmt.Sprint(now + appctx.ContextLifetime.Milliseconds()))
	return json.Marshal(obj)
}
