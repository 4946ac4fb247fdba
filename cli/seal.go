package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoomdbg/zoomdbg/core/appctx"
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
			if env.StdinIsTTY { // as the other commands do: never wait silently on a terminal
				return usagef(`no payload: pipe a JSON object to standard input, e.g. echo '{"uid":"u-123"}' | zoomdbg seal --fresh`)
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
	cmd.Flags().MarkHidden("client-id") // seal takes the payload as given: aud is in it
	cmd.Flags().StringVar(&aad, "aad", "", "additional authenticated data (Zoom sends none)")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "set ts to now and exp to now + 2 minutes")
	cmd.Flags().BoolVar(&raw, "raw", false, "seal standard input as it is, without checking it is JSON")
	return cmd
}

// jsonKind says what b holds, in words, for a message about input that is not a JSON object.
func jsonKind(b []byte) string {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return "empty"
	case errors.As(err, &se):
		return fmt.Sprintf("not JSON (%s at byte %d)", strings.TrimPrefix(se.Error(), "json: "), max(se.Offset-1, 0))
	case err != nil:
		return "not JSON"
	}
	switch v.(type) {
	case []any:
		return "a JSON array"
	case string:
		return "a JSON string"
	case float64:
		return "a JSON number"
	case bool:
		return "a JSON boolean"
	case nil:
		return "JSON null"
	}
	return "JSON"
}

// preparePayload checks the payload is one JSON object and, when fresh, stamps ts and exp.
func preparePayload(pt []byte, fresh bool, env *Env) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(pt, &obj); err != nil || obj == nil {
		return nil, inputf("standard input is %s, not a JSON object (use --raw to seal it anyway)", jsonKind(pt))
	}
	if !fresh {
		return pt, nil
	}
	now := env.Now().UnixMilli()
	obj["ts"] = json.RawMessage(fmt.Sprint(now))
	obj["exp"] = json.RawMessage(fmt.Sprint(now + appctx.ContextLifetime.Milliseconds()))
	return json.Marshal(obj)
}
