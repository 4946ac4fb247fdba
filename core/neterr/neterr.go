// Package neterr says in a developer's words why an HTTP request to their server or to an OAuth
// server failed: no answer in time, nothing listening, a reset, a connection closed without an
// answer (often HTTPS spoken to an http:// URL), a body cut short. core/check and core/oauth share
// it, so the same failure reads the same from every command.
package neterr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Explain rewrites err, from a request to u that had timeout to answer, in words. peer names what
// should be listening at u ("backend", "server"), for the hint about starting it.
func Explain(u string, timeout time.Duration, err error, peer string) error {
	var ne net.Error
	var op *net.OpError
	var redirect *url.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Errorf("%s did not answer within %s", u, timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("cannot connect to %s: connection refused, nothing listens there (is the %s running, and is the port right?)", u, peer)
	case errors.As(err, &op) && op.Op == "dial":
		return fmt.Errorf("cannot connect to %s: %v (is the %s running, and is the URL right?)", u, op.Err, peer)
	case errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%s reset the connection before it answered (the %s crashed or refused the request at the TCP level)", u, peer)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s closed the connection without answering (EOF): the %s crashed, or it speaks HTTPS on an http:// URL or the reverse", u, peer)
	case errors.As(err, &redirect) && redirect.Err != nil && strings.Contains(redirect.Err.Error(), "redirected"):
		return redirect.Err
	}
	return fmt.Errorf("request to %s failed: %w", u, err)
}

// ExplainBody says why the body of an answer with status could not be read to its end, got bytes
// in.
func ExplainBody(u string, status, got int, timeout time.Duration, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Errorf("%s answered HTTP %d but did not finish sending its body within %s (%d bytes came)", u, status, timeout, got)
	case errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%s answered HTTP %d, then reset the connection after %d bytes of the body", u, status, got)
	}
	return fmt.Errorf("%s answered HTTP %d, then closed the connection after %d bytes, before the end of the body it announced", u, status, got)
}
