package channels_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/loa-ward/loa/channels"
)

// A server that reads the request and then drops the connection: the
// request was written, so the outcome is unknown; nothing is sent twice,
// not even by the transport's own replay of a POST with an Idempotency-Key
// on a reused connection (the case where Go's transport replays).
func TestAnswerLostIsUnknownAndNeverReplayed(t *testing.T) {
	var drops atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		if r.URL.Path == "/warm" {
			return // answered: the connection is kept alive for the next request
		}
		drops.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}))
	defer srv.Close()
	client := channels.AtMostOnce(nil)
	for _, key := range []bool{false, true} {
		drops.Store(0)
		warm, err := client.Post(srv.URL+"/warm", "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, warm.Body)
		warm.Body.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/send", bytes.NewReader([]byte(`{"x":1}`)))
		if key {
			req.Header.Set("Idempotency-Key", "loa-delivery-1")
		}
		_, err = client.Do(channels.NoReplay(req))
		if !channels.IsUnknown(err) {
			t.Errorf("idempotency key %v: %v is not unknown", key, err)
		}
		if n := drops.Load(); n != 1 {
			t.Errorf("idempotency key %v: the server got the request %d times", key, n)
		}
	}
}

func TestRefusedBeforeWritingIsNotUnknown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = channels.AtMostOnce(nil).Post("http://"+addr+"/", "application/json", bytes.NewReader([]byte("{}")))
	if err == nil || channels.IsUnknown(err) {
		t.Errorf("a refused connection: %v; want a plain (retryable) error", err)
	}
}

// An answer cut off after its headers is unknown too.
func TestAnswerCutOffIsUnknown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		w.Write([]byte(`{"ok":tr`))
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	resp, err := channels.AtMostOnce(nil).Post(srv.URL, "application/json", bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !channels.IsUnknown(err) {
		t.Errorf("reading a cut-off answer: %v; want unknown", err)
	}
}
