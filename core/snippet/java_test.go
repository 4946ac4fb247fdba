package snippet

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// javaOnce compiles every Java file the tests run (both programs, the table harness and the
// HttpServer example) in one javac --release 11 call, once per test binary: javac is the slowest
// step of the suite, and --release 11 holds the programs to the oldest Java their headers claim.
var javaOnce struct {
	sync.Once
	dir string
	err string
}

// javaClasses returns the folder holding the compiled classes.
func javaClasses(t *testing.T) string {
	t.Helper()
	javaOnce.Do(func() {
		need(t, "javac")
		l, _ := Lookup("java")
		dir, err := os.MkdirTemp("", "zoomdbg-java-")
		if err != nil {
			javaOnce.err = err.Error()
			return
		}
		javaOnce.dir = dir
		writeProgram(t, l, AppContext, dir)
		writeProgram(t, l, PKCE, dir)
		copyHarness(t, l, dir, "Harness.java")
		writeTemplate(t, l, dir, "Server.java", "Server.java", "// EXAMPLE", example(t, l))
		files := []string{l.Program(AppContext).File, l.Program(PKCE).File, "Harness.java", "Server.java"}
		out, err := command(dir, append([]string{"javac", "--release", "11", "-d", dir}, files...)...).CombinedOutput()
		if err != nil {
			javaOnce.err = "javac --release 11 " + strings.Join(files, " ") + ": " + err.Error() + "\n" + string(out)
		}
	})
	if javaOnce.err != "" {
		t.Fatal(javaOnce.err)
	}
	return javaOnce.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if javaOnce.dir != "" {
		os.RemoveAll(javaOnce.dir)
	}
	os.Exit(code)
}
