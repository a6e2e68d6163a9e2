package zalo_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// recorded keeps the events in memory and remembers signatures in a real
// store, as the daemon does.
type recorded struct {
	follows, interactions, received []string
	db                              *store.DB
}

func (r *recorded) FirstSeen(ctx context.Context, sig string, now time.Time, keep time.Duration) (bool, error) {
	return r.db.FirstSeen(ctx, sig, now, keep)
}

func (r *recorded) Unsee(ctx context.Context, sig string) error { return r.db.Unsee(ctx, sig) }

func (r *recorded) Follow(_ context.Context, id string, follows bool, _ time.Time) error {
	if !follows {
		id = "-" + id
	}
	r.follows = append(r.follows, id)
	return nil
}
func (r *recorded) Interacted(_ context.Context, id string, _ time.Time) error {
	r.interactions = append(r.interactions, id)
	return nil
}
func (r *recorded) Received(_ context.Context, id string, _ time.Time) error {
	r.received = append(r.received, id)
	return nil
}

func TestWebhook(t *testing.T) {
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	srv := zalotest.New(zalotest.Options{AppID: "1234", OASecret: "oa-secret"})
	rec := &recorded{db: storetest.Open(t, now)}
	h := &zalo.Webhook{AppID: "1234", OASecret: "oa-secret", Events: rec, Now: func() time.Time { return now }, Log: quiet}
	post := func(body []byte, header http.Header) int {
		req := httptest.NewRequest("POST", "/zalo/webhook", bytes.NewReader(body))
		for k, v := range header {
			req.Header[k] = v
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	follow, fh := srv.Event("follow", map[string]any{"follower": map[string]string{"id": "77"}, "oa_id": "1"}, now)
	if code := post(follow, fh); code != 200 || len(rec.follows) != 1 || rec.follows[0] != "77" {
		t.Fatalf("follow: %d %v", code, rec.follows)
	}
	if len(rec.interactions) != 1 || rec.interactions[0] != "77" {
		t.Errorf("a follow is an interaction: %v", rec.interactions)
	}
	if code := post(follow, fh); code != http.StatusConflict {
		t.Errorf("replay: %d", code)
	}
	// Only JSON, and only of an event's size.
	asText := fh.Clone()
	asText.Set("Content-Type", "text/plain")
	if code := post(follow, asText); code != http.StatusUnsupportedMediaType {
		t.Errorf("a text/plain body: %d", code)
	}
	if code := post(bytes.Repeat([]byte(" "), 300<<10), fh); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 300 KiB body: %d", code)
	}
	// The same signature in capitals (hex is case-insensitive) is the same
	// event: a replay too, not a new one.
	upper := fh.Clone()
	upper.Set("X-ZEvent-Signature", "mac="+strings.ToUpper(strings.TrimPrefix(fh.Get("X-ZEvent-Signature"), "mac=")))
	if code := post(follow, upper); code != http.StatusConflict || len(rec.follows) != 1 {
		t.Errorf("replay in upper case: %d, follows %v", code, rec.follows)
	}
	// After a restart (a new handler on the same database) it is still a replay.
	h = &zalo.Webhook{AppID: "1234", OASecret: "oa-secret", Events: rec, Now: func() time.Time { return now }, Log: quiet}
	if code := post(follow, fh); code != http.StatusConflict || len(rec.follows) != 1 {
		t.Errorf("replay after a restart: %d, follows %v", code, rec.follows)
	}
	bad := fh.Clone()
	bad.Set("X-ZEvent-Signature", "mac=00ff")
	unf, uh := srv.Event("unfollow", map[string]any{"follower": map[string]string{"id": "77"}}, now.Add(time.Second))
	if code := post(unf, bad); code != http.StatusUnauthorized {
		t.Errorf("bad signature: %d", code)
	}
	tampered := bytes.Replace(unf, []byte("77"), []byte("78"), 1)
	if code := post(tampered, uh); code != http.StatusUnauthorized {
		t.Errorf("tampered body: %d", code)
	}
	if code := post(unf, uh); code != 200 || rec.follows[1] != "-77" {
		t.Errorf("unfollow: %d %v", code, rec.follows)
	}
	stale, sh := srv.Event("user_send_text", map[string]any{"sender": map[string]string{"id": "77"}}, now.Add(-time.Hour))
	if code := post(stale, sh); code != http.StatusBadRequest {
		t.Errorf("stale: %d", code)
	}
	text, th := srv.Event("user_send_text", map[string]any{"sender": map[string]string{"id": "77"}, "message": map[string]string{"text": "chào"}}, now)
	recv, rh := srv.Event("user_received_message", map[string]any{"message": map[string]string{"msg_id": "m-1"}}, now.Add(2*time.Second))
	other, oh := srv.Event("oa_send_text", map[string]any{}, now.Add(3*time.Second))
	for _, c := range []struct {
		body []byte
		h    http.Header
		want int
	}{{text, th, 200}, {recv, rh, 200}, {other, oh, 200}, {[]byte("{not json"), th, 400}, {[]byte(`{"foo":1}`), th, 400}} {
		if code := post(c.body, c.h); code != c.want {
			t.Errorf("%.30s: %d, want %d", c.body, code, c.want)
		}
	}
	if len(rec.interactions) != 2 || len(rec.received) != 1 || rec.received[0] != "m-1" { // the follow and the text
		t.Errorf("events: %+v", rec)
	}
}
