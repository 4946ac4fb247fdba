package main

import (
	"bufio"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/fixtures"
)

// TestMockOAuthNeverPrintsItsSecret runs the mock with a marker secret from the environment, makes
// it log requests, and searches everything it printed.
func TestMockOAuthNeverPrintsItsSecret(t *testing.T) {
	const marker = "MARKERsecretMARKERsecretMARKER02"
	bin := buildBinary(t)
	cmd := exec.Command(bin, "mock-oauth", "--pkce", "S256")
	cmd.Env = append(os.Environ(), "ZOOM_CLIENT_SECRET="+marker)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	first, err := r.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(first)
	for _, path := range []string{"/mock/app-context", "/oauth/authorize?client_id=x", "/v2/users/me"} {
		if resp, err := http.Get(base + path); err == nil {
			resp.Body.Close()
		}
	}
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	rest, _ := io.ReadAll(r)
	cmd.Wait()
	all := first + string(rest)
	if !strings.Contains(all, "GET /v2/users/me -> 401") || !strings.Contains(all, "from ZOOM_CLIENT_SECRET (not shown)") {
		t.Fatalf("the mock did not log as expected:\n%s", all)
	}
	if strings.Contains(all, marker) {
		t.Fatalf("the mock printed its secret:\n%s", all)
	}
}

// TestNoSecretInGoldenFiles: golden files record what zoomdbg prints, so a secret in one means a
// secret on a screen.
func TestNoSecretInGoldenFiles(t *testing.T) {
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".golden") {
			return err
		}
		n++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for label, secret := range f.Secrets {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s holds the %s fixture secret", path, label)
			}
		}
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("walked %d golden files: %v", n, err)
	}
}

// TestHostileTokenInTmux: a token whose payload holds OSC 0 (retitle), OSC 52 (clipboard) and
// CSI 2J (clear screen) is shown escaped; the pane's title stays zoomdbg's and the screen intact.
func TestHostileTokenInTmux(t *testing.T) {
	tmux := needTmux(t)
	f, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	s := startTmux(t, tmux, [2]int{120, 50}, []string{"ZOOM_CLIENT_SECRET=" + f.Secrets["dev"], "TERM=xterm-256color"},
		bin, f.Get("terminal-escapes").Token)
	s.waitFor(`opens with "ZOOM_CLIENT_SECRET", but expired`) // ⚠: the fixture expired long ago
	s.keys("Tab", "Tab")                                      // a token given: from the layout panel to the payload panel
	screen := s.waitFor(`\u001b]0;pwned\u0007`)
	for _, want := range []string{`\u001b]52;c;cHduZWQ=\u0007`, `\u001b[2J\u001b[H`, `\u009b31mred`, "[1 App Context]"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	title := strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{pane_title}"))
	if strings.Contains(title, "pwned") {
		t.Fatalf("the token retitled the pane: %q", title)
	}
}
