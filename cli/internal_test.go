package cli

import (
	"strings"
	"testing"
	"time"
)

func TestMockLogEscapesRequestPaths(t *testing.T) {
	got := logLine(time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), "%s %s -> %d", "GET", "/\x1b]0;pwned\x07/\x1b[2J", 404)
	if strings.ContainsAny(got, "\x1b\x07") || got != `09:30:00  GET /\x1b]0;pwned\x07/\x1b[2J -> 404` {
		t.Fatalf("log line %q", got)
	}
}
