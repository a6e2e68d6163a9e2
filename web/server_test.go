package web

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Idle connections cannot hold the daemon: past MaxConns new ones wait, and
// a connection that sends no request is closed after ReadHeader, so the
// waiting request is served. Bodies are capped.
func TestServerLimitsConnectionsAndBodies(t *testing.T) {
	limits := Limits{MaxConns: 3, ReadHeader: 300 * time.Millisecond, MaxBodySize: 1 << 10}
	ln, err := Listen("127.0.0.1:0", limits)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		io.WriteString(w, "read")
	})
	srv := NewServer(mux, limits)
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()

	// The idle connections' header timers start when the server accepts
	// them, which is after they are dialed: timed from before the dial,
	// the wait below cannot be shorter than ReadHeader.
	began := time.Now()
	var idle []net.Conn
	for range limits.MaxConns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	// Served once the idle connections are dropped by the header timeout.
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Get("http://" + addr + "/ok")
	// It cannot be served before an idle connection is dropped: a lower
	// bound, so no timing luck is involved.
	if waited := time.Since(began); waited < limits.ReadHeader {
		t.Errorf("served after %s, before any idle connection timed out: the connection cap did not hold", waited)
	}
	if err != nil {
		t.Fatalf("a request behind idle connections was never served: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Errorf("answer %q", body)
	}
	for i, c := range idle {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil || strings.Contains(err.Error(), "timeout") {
			t.Errorf("idle connection %d was not closed by the server: %v", i, err)
		}
	}
	resp, err = client.Post("http://"+addr+"/upload", "application/octet-stream", bytes.NewReader(make([]byte, 4<<10)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 4 KiB body past a 1 KiB cap: %s", resp.Status)
	}
}
