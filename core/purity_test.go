// Package core_test guards the boundary the house style sets: core/ is pure logic, with no UI
// package anywhere in its dependency graph, so the CLI and the TUI stay thin faces over it.
package core_test

import (
	"os/exec"
	"strings"
	"testing"
)

var uiPackages = []string{
	"charm.land",
	"github.com/charmbracelet",
	"github.com/atotto/clipboard",
	"github.com/zoomdbg/zoomdbg/tui",
	"github.com/zoomdbg/zoomdbg/cli",
}

func TestCoreImportsNoUI(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/zoomdbg/zoomdbg/core/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list found only %d packages: the check would pass vacuously", len(deps))
	}
	for _, dep := range deps {
		for _, ui := range uiPackages {
			if strings.HasPrefix(dep, ui) {
				t.Errorf("core depends on %s", dep)
			}
		}
	}
}
