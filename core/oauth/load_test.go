package oauth_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomdbg/zoomdbg/core/mockzoom"
	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/pkce"
)

// TestLoadTokenRequests: 50 concurrent clients make 2,000 authorizations and token requests against
// the mock on loopback. Every one must succeed; the run is bounded in count and stops by itself.
func TestLoadTokenRequests(t *testing.T) {
	srv, _ := startMock(t, mockzoom.ModeS256)
	const clients, total = 50, 2000
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c := config(srv, pkce.S256)
	c.RedirectURI = "http://127.0.0.1:1/callback" // never dialled: the code is read from the redirect

	var ok, failed atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		failed.Add(1)
		firstErr.CompareAndSwap(nil, err)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < total/clients; j++ {
				a, err := oauth.NewAttempt(c, "", nil)
				if err != nil {
					fail(err)
					continue
				}
				resp, err := hc.Get(a.URL)
				if err != nil {
					fail(err)
					continue
				}
				resp.Body.Close()
				loc, _ := url.Parse(resp.Header.Get("Location"))
				cb, err := oauth.ParseCallback(loc.String(), a.State)
				if err != nil {
					fail(err)
					continue
				}
				r := oauth.NewResult(a)
				r.TakeCallback(cb, nil)
				if !r.Exchange(context.Background(), hc) {
					fail(fmt.Errorf("%s", r.Steps[oauth.StepToken].Detail))
					continue
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failed.Load() != 0 || ok.Load() != total {
		t.Fatalf("%d of %d token requests failed; first: %v", failed.Load(), total, firstErr.Load())
	}
	t.Logf("%d authorizations and token requests from %d clients in %v (%.0f flows/s), 0 errors",
		total, clients, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())
}

// TestCallbackFlood: 200 concurrent callbacks reach the listener, of which one carries the right
// state. Exactly that one is accepted; the 199 forgeries are refused.
func TestCallbackFlood(t *testing.T) {
	l, err := oauth.Listen("http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.Expect("right-state")
	base := "http://" + l.Addr + "/callback"
	const n = 200
	var accepted, refused atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			state := fmt.Sprintf("forged-%d", i)
			if i == n/2 {
				state = "right-state"
			}
			resp, err := http.Get(fmt.Sprintf("%s?code=c%d&state=%s", base, i, state))
			if err != nil {
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusOK:
				accepted.Add(1)
			case http.StatusBadRequest:
				refused.Add(1)
			}
		}(i)
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cb, err := l.Wait(ctx)
	if err != nil || cb.Code != fmt.Sprintf("c%d", n/2) || accepted.Load() != 1 || refused.Load() != n-1 || l.Refused() != n-1 {
		t.Fatalf("accepted %d, refused %d (listener counted %d), callback %+v, err %v", accepted.Load(), refused.Load(), l.Refused(), cb, err)
	}
	t.Logf("%d concurrent callbacks: 1 accepted, %d forgeries refused", n, refused.Load())
}

// TestServersBoundHeadersAndSlowClients: the callback listener and the mock's server answer an
// oversized header with 431 and drop a client that never finishes its request.
func TestServersBoundHeadersAndSlowClients(t *testing.T) {
	l, err := oauth.Listen("http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() }) // not defer: the parallel subtests outlive this function's body
	mock := (&mockzoom.Server{ClientID: "c", ClientSecret: []byte("s"), PKCE: mockzoom.ModeS256}).HTTPServer()
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go mock.Serve(mln)
	t.Cleanup(func() { mock.Close() })

	for name, addr := range map[string]string{"listener": l.Addr, "mock": mln.Addr().String()} {
		t.Run(name+" header limit", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/callback", nil)
			req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Fatalf("a 64 KiB header: HTTP %d, want 431", resp.StatusCode)
			}
		})
		t.Run(name+" slow client", func(t *testing.T) {
			t.Parallel() // each waits out the server's header timeout
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprint(conn, "GET /callback?code=x HTTP/1.1\r\nHost: x\r\n") // and never the blank line
			conn.SetReadDeadline(time.Now().Add(mockzoom.ReadHeaderTimeout + 5*time.Second))
			_, err = bufio.NewReader(conn).ReadString('\n')
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server kept a client that never finished its headers")
			}
		})
	}
}
