package neterr_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/neterr"
)

// TestExplain makes each failure for real on loopback and reads what the words say.
func TestExplain(t *testing.T) {
	closed := func(t *testing.T) string { // a port nothing listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr + "/"
	}
	serve := func(t *testing.T, handle func(net.Conn)) string { // a raw TCP server
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go handle(c)
			}
		}()
		return "http://" + l.Addr().String() + "/"
	}
	tests := []struct {
		name string
		url  func(*testing.T) string
		want string
	}{
		{"nothing listening", closed, "connection refused, nothing listens there (is the backend running"},
		{"closed without answering", func(t *testing.T) string {
			return serve(t, func(c net.Conn) { buf := make([]byte, 512); c.Read(buf); c.Close() })
		}, "closed the connection without answering (EOF)"},
		{"no answer in time", func(t *testing.T) string {
			return serve(t, func(c net.Conn) { time.Sleep(2 * time.Second); c.Close() })
		}, "did not answer within 200ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.url(t)
			client := &http.Client{Timeout: 200 * time.Millisecond}
			_, err := client.Get(u)
			if err == nil {
				t.Fatal("the request succeeded")
			}
			got := neterr.Explain(u, 200*time.Millisecond, err, "backend").Error()
			if !strings.Contains(got, tc.want) || !strings.Contains(got, u) {
				t.Errorf("got %q, want it to name %s and say %q", got, u, tc.want)
			}
		})
	}
}
