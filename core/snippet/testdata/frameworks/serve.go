// The net/http server core/snippet's TestFrameworks runs beside appcontext.go: the middleware is
// the one the Go program's header shows, pasted where EXAMPLE stands; init serves before main.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
)

type appContextKey struct{}

var secret, clientID = os.Getenv("ZOOM_CLIENT_SECRET"), os.Getenv("ZOOM_CLIENT_ID")

// EXAMPLE

func init() {
	if os.Getenv("ZOOMDBG_SERVE") != "1" {
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	http.Serve(ln, requireAppContext(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		payload := r.Context().Value(appContextKey{}).(map[string]any)
		json.NewEncoder(w).Encode(map[string]any{"uid": payload["uid"]})
	})))
	os.Exit(0)
}

var _ = errors.As
var _ = context.Background
