package tui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/atotto/clipboard"
)

// clipboardTimeout bounds a clipboard helper: one that waits for a display never hangs a copy.
const clipboardTimeout = 2 * time.Second

// clipHelper is a program that writes its standard input to the system clipboard.
type clipHelper struct {
	name string
	args []string
}

// systemClipboard writes to the local system clipboard and returns which helper took the value.
// On Linux it picks the helper itself, so that it can say why none could: xclip needs an X
// display, wl-copy a Wayland one. Elsewhere atotto/clipboard does it (pbcopy, the Windows API).
func systemClipboard(s string) (string, error) {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		if clipboard.Unsupported {
			return "", fmt.Errorf("no system clipboard here")
		}
		return "the system clipboard", clipboard.WriteAll(s)
	}
	h, err := pickHelper(os.Getenv, exec.LookPath)
	if err != nil {
		return "", err
	}
	return h.name, runHelper(h, s)
}

// pickHelper chooses the helper for the session there is: wl-copy under Wayland, xclip or xsel
// under X. It says what is missing when none fits.
func pickHelper(getenv func(string) string, lookPath func(string) (string, error)) (clipHelper, error) {
	has := func(name string) bool { _, err := lookPath(name); return err == nil }
	wayland, x := getenv("WAYLAND_DISPLAY") != "", getenv("DISPLAY") != ""
	switch {
	case wayland && has("wl-copy"):
		return clipHelper{"wl-copy", nil}, nil
	case x && has("xclip"):
		return clipHelper{"xclip", []string{"-in", "-selection", "clipboard"}}, nil
	case x && has("xsel"):
		return clipHelper{"xsel", []string{"--input", "--clipboard"}}, nil
	}
	var found []string
	for _, n := range []string{"xclip", "xsel", "wl-copy"} {
		if has(n) {
			found = append(found, n)
		}
	}
	if len(found) > 0 {
		return clipHelper{}, fmt.Errorf("%s is installed, but neither DISPLAY nor WAYLAND_DISPLAY is set (no graphical session, as over SSH)",
			strings.Join(found, " and "))
	}
	return clipHelper{}, fmt.Errorf("no clipboard helper (xclip, xsel or wl-copy) is installed")
}

// runHelper runs the helper with s on its standard input and waits for it, so no child is left
// defunct. Its output goes nowhere: xclip leaves a child holding the selection, which would keep
// an output pipe open and the wait waiting.
func runHelper(h clipHelper, s string) error {
	ctx, cancel := context.WithTimeout(context.Background(), clipboardTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.name, h.args...)
	cmd.Stdin = strings.NewReader(s)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s failed: %v", h.name, err)
	}
	return nil
}
