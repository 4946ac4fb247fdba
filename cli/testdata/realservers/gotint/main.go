// Command gotint writes, with Go's log/slog and lmittmann/tint (a coloured slog handler), a line
// for each app context read from stdin, as a Go backend logs to a terminal: the key dimmed, and
// the value right after the colour code that ends it. gen.py runs it; its output is kept as it is,
// colour codes included (as tee or script keep a console's output).
package main

import (
	"bufio"
	"errors"
	"log/slog"
	"os"

	"github.com/lmittmann/tint"
)

func main() {
	out, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer out.Close()
	// Colours on, as in a terminal; the default time format has no year (the token's gives it).
	log := slog.New(tint.NewHandler(out, &tint.Options{NoColor: false}))
	sc := bufio.NewScanner(os.Stdin)
	for n := 0; sc.Scan(); n++ {
		tok := sc.Text()
		switch n % 3 {
		case 0:
			log.Info("panel opened", "context", tok)
		case 1:
			log.Error("decrypt failed", tint.Err(errors.New(tok)))
		case 2:
			log.Warn("app context", "header", slog.GroupValue(slog.String("x-zoom-app-context", tok)))
		}
	}
}
