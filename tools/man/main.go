// Command man writes zoomdbg's man pages, generated from the commands themselves (cobra's doc
// package), into the directory given: zoomdbg.1 and one page per command. The release build runs
// it (.goreleaser.yaml), and CI runs it to check every page renders.
package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra/doc"

	"github.com/zoomdbg/zoomdbg/cli"
	"github.com/zoomdbg/zoomdbg/tui"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./man DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	root := cli.Command(cli.DefaultEnv(rand.Reader), cli.Debugger{})
	// The top-level --help shows these after the flags; a man page has only the description, where
	// each group is a paragraph of its own.
	var keys []string
	for _, l := range strings.Split(tui.KeysHelp(0), "\n") {
		keys = append(keys, strings.TrimSpace(l))
	}
	var env []string
	for _, l := range strings.Split(cli.Environment, "\n") {
		env = append(env, strings.TrimSpace(l))
	}
	root.Long += "\n\nKeys in the interactive debugger (? shows them on screen):\n\n" + strings.Join(keys, "\n\n") +
		"\n\nEnvironment:\n\n" + strings.Join(env, "\n\n")
	root.DisableAutoGenTag = true // the pages stay the same from build to build
	hdr := &doc.GenManHeader{Title: "ZOOMDBG", Section: "1", Source: "zoomdbg " + cli.Version(), Manual: "zoomdbg manual"}
	if err := doc.GenManTree(root, hdr, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
