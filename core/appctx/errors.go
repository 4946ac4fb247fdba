package appctx

import "fmt"

// ErrorCode classifies why a token could not be read. The values are part of the command line's
// JSON contract.
type ErrorCode string

// Error codes for malformed input and layout faults.
const (
	ErrEmpty         ErrorCode = "empty"          // nothing to decode
	ErrBadChar       ErrorCode = "bad_char"       // a character outside the base64 alphabets
	ErrMixedAlphabet ErrorCode = "mixed_alphabet" // base64url and standard characters in one token
	ErrBadLength     ErrorCode = "bad_length"     // a base64 text of impossible length
	ErrTruncated     ErrorCode = "truncated"      // a field runs past the end of the token
	ErrZeroIV        ErrorCode = "zero_iv_length" // the IV length byte is 0
	ErrTagLength     ErrorCode = "tag_length"     // what follows the ciphertext is not a 16-byte tag
	ErrNoToken       ErrorCode = "no_token"       // a paste that holds no app context
	ErrJWT           ErrorCode = "jwt"            // a paste that holds a JWT, not an app context
)

// Unit says what a FormatError's Offset counts.
type Unit string

// Offsets count characters of the normalised text before decoding, bytes of the token after.
const (
	UnitChar Unit = "char"
	UnitByte Unit = "byte"
)

// FormatError reports a token that cannot be read: which field, at which offset, and what was
// expected there. Callers branch on Code.
type FormatError struct {
	Code    ErrorCode
	Field   string // "input" for faults before decoding, else the layout field
	Offset  int    // in Unit
	Unit    Unit
	Message string
}

func (e *FormatError) Error() string {
	if e.Field == "input" {
		return e.Message
	}
	return fmt.Sprintf("%s at byte %d: %s", e.Field, e.Offset, e.Message)
}
