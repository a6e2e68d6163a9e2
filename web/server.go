package web

import (
	"cmp"
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Limits bound what clients can hold of the daemon, so that idle or slow
// connections cannot use up its file descriptors (the dispatcher and SQLite
// need them too). Zero fields take the defaults.
type Limits struct {
	MaxConns    int           // connections open at once; default 512, the rest wait in the kernel's backlog
	ReadHeader  time.Duration // to read a request's headers; default 10s
	Read        time.Duration // to read a whole request; default 30s
	Write       time.Duration // to write the answer; default 60s
	Idle        time.Duration // a kept-alive connection may idle; default 60s
	MaxBodySize int64         // request bodies; default 1 MiB (uploads have their own limit)
}

// Listen listens on addr with at most l.MaxConns connections open.
func Listen(addr string, l Limits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (http.addr): %w", addr, err)
	}
	return netutil.LimitListener(ln, cmp.Or(l.MaxConns, 512)), nil
}

// NewServer returns the daemon's HTTP server for h with l's timeouts and
// body limit.
func NewServer(h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Handler:           http.MaxBytesHandler(h, cmp.Or(l.MaxBodySize, 1<<20)),
		ReadHeaderTimeout: cmp.Or(l.ReadHeader, 10*time.Second),
		ReadTimeout:       cmp.Or(l.Read, 30*time.Second),
		WriteTimeout:      cmp.Or(l.Write, 60*time.Second),
		IdleTimeout:       cmp.Or(l.Idle, 60*time.Second),
		MaxHeaderBytes:    64 << 10,
	}
}
