package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zoomdbg/fixtures"
)

// TestTUIInTmux runs the built binary in a detached tmux session at 100×30, pastes a fixture token
// with bracketed paste, and reads the screen as a person would: the decrypted uid must appear.
// Then it switches to the PKCE screen, pastes the forum's verifier and finds the forum's challenge.
func TestTUIInTmux(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: .ci/run must install it")
		}
		t.Skip("tmux is not installed (CI installs it)")
	}
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "zoomdbg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sock := filepath.Join(dir, "tmux.sock")
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30",
		"-e", "ZOOM_CLIENT_SECRET="+f.Secrets["dev"], "-e", "TERM=xterm-256color", bin)
	t.Cleanup(func() { exec.Command(tmux, "-S", sock, "kill-server").Run() })

	waitFor := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			screen := run("capture-pane", "-p", "-t", "e2e")
			if strings.Contains(screen, want) {
				return screen
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q never appeared; the screen:\n%s", want, screen)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	waitFor("paste a token")
	paste := func(s string) {
		run("set-buffer", "-b", "p", s)
		run("paste-buffer", "-p", "-b", "p", "-t", "e2e")
	}
	paste(f.Get("valid-mangled-paste").Token)
	screen := waitFor("uid MPjq6UmhQWWBP4Yuf-FARg")
	if !strings.Contains(screen, "restored 6 '+' from spaces") {
		t.Errorf("repairs not shown:\n%s", screen)
	}
	for _, l := range strings.Split(screen, "\n") {
		if len([]rune(l)) > 100 {
			t.Errorf("line wider than the pane: %q", l)
		}
	}

	run("send-keys", "-t", "e2e", "F2")
	waitFor("[2 PKCE]")
	run("send-keys", "-t", "e2e", "C-u")
	paste("OoRepCjjX8P4perVeWHK-5TKSfyZLPuCjirkjY3hh7I")
	waitFor("rfFST9huAbEo5FP0cRrNW812Xm5MBhHsu7_6LNxKnyg")

	run("send-keys", "-t", "e2e", "C-c")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := exec.Command(tmux, "-S", sock, "has-session", "-t", "e2e").Run(); err != nil {
			return // the program quit and its session closed
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Error("ctrl+c did not quit")
}
