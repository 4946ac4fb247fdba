// The Go app-context program's test harness, built beside it by core/snippet's tests: init runs
// before the program's main, reads one case a line from stdin (hex header or "-", client ID or
// "-", now in epoch ms) and prints "verdict<TAB>reason<TAB>payload JSON", or "crash<TAB>what".
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func init() {
	if os.Getenv("ZOOMDBG_HARNESS") != "1" {
		return
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<24)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		fmt.Fprintln(out, harnessCase(f[0], f[1], f[2]))
	}
	out.Flush()
	os.Exit(0)
}

func harnessCase(h, cid, now string) (line string) {
	defer func() {
		if r := recover(); r != nil {
			line = fmt.Sprintf("crash\tpanic: %v", r)
		}
	}()
	header := "" // net/http's Header.Get for an absent header
	if h != "-" {
		b, _ := hex.DecodeString(h)
		header = string(b)
	}
	if cid == "-" {
		cid = ""
	}
	nowMs, _ := strconv.ParseInt(now, 10, 64)
	payload, err := DecryptAppContext(header, os.Getenv("ZOOM_CLIENT_SECRET"), cid, nowMs)
	var refused *AppContextError
	if errors.As(err, &refused) {
		return refused.Verdict + "\t" + refused.Reason + "\t" + strings.ReplaceAll(refused.Error(), "\t", " ")
	}
	if err != nil {
		return "crash\tanother error: " + err.Error()
	}
	b, _ := json.Marshal(payload)
	return "ok\t\t" + string(b)
}
