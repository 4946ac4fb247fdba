// Command timeit runs a shell command line and prints, on standard error, its wall time and CPU
// time (user + system, of the command and every process it waited for) in seconds with six
// decimals: bench/run.sh's timer. GNU time gives hundredths, a tenth of the floor's whole run.
//
//	timeit 'CMD' > out 2> times
package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: timeit 'COMMAND LINE'")
		os.Exit(2)
	}
	cmd := exec.Command("bash", "-c", os.Args[1])
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeit:", err)
		os.Exit(1)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(os.Stderr, "%.6f %.6f\n", wall.Seconds(), cpu.Seconds())
}
