package webhook

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
)

func TestAnswersDecideTheOutcome(t *testing.T) {
	var last struct {
		key  string
		body map[string]any
	}
	status, reply, header := 200, `{"id":"abc"}`, ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last.key = r.Header.Get("Idempotency-Key")
		json.NewDecoder(r.Body).Decode(&last.body)
		if header != "" {
			w.Header().Set("Retry-After", header)
		}
		w.WriteHeader(status)
		w.Write([]byte(reply))
	}))
	defer srv.Close()
	w, err := New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := channels.Message{DeliveryID: 7, RunID: 2, Channel: content.Telegram, Recipient: "r1", Text: "Xin chào", MessageKey: "k", Version: 3}
	id, err := w.Send(context.Background(), msg)
	if err != nil || id != "abc" || last.key != "loa-delivery-7" || last.body["recipient"] != "r1" || last.body["version"] != 3.0 {
		t.Fatalf("2xx: %q %v %+v", id, err, last)
	}
	type want struct {
		retry           time.Duration
		gone, permanent bool
	}
	for _, tt := range []struct {
		status int
		header string
		want   want
	}{
		{429, "17", want{retry: 17 * time.Second}},
		{429, "", want{retry: time.Second}},
		{410, "", want{gone: true}},
		{404, "", want{gone: true}},
		{400, "", want{permanent: true}},
		{502, "", want{}},
	} {
		status, header, reply = tt.status, tt.header, "<html>nope</html>"
		_, err := w.Send(context.Background(), msg)
		if err == nil {
			t.Fatalf("%d: no error", tt.status)
		}
		var e interface {
			RetryAfter() time.Duration
			RecipientGone() bool
			Permanent() bool
		}
		got := want{}
		if ce, ok := err.(*channels.Error); ok {
			e = ce
			got = want{e.RetryAfter(), e.RecipientGone(), e.Permanent()}
		}
		if got != tt.want {
			t.Errorf("%d: %+v, want %+v (%v)", tt.status, got, tt.want, err)
		}
	}
	if _, err := New("ftp://x", nil); err == nil {
		t.Error("a non-http URL was accepted")
	}
}

// A receiver that takes the delivery and loses the answer gets it once: the
// delivery is unknown, and neither Loa nor Go's transport posts it again.
func TestLostAnswerIsUnknownAndPostedOnce(t *testing.T) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got.Add(1) == 1 {
			w.Write([]byte(`{"id":"first"}`)) // a kept-alive connection for the next one
			return
		}
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	wh, err := New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := channels.Message{DeliveryID: 1, Channel: content.Telegram, Recipient: "r", Text: "x"}
	if _, err := wh.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	m.DeliveryID = 2
	_, err = wh.Send(context.Background(), m)
	if !channels.IsUnknown(err) {
		t.Errorf("a lost answer: %v; want unknown", err)
	}
	if n := got.Load(); n != 2 {
		t.Errorf("the receiver got %d posts for 2 deliveries", n)
	}
}
