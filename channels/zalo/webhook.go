package zalo

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Events is what the webhook records.
type Events interface {
	Follow(ctx context.Context, userID string, follows bool, now time.Time) error
	Interacted(ctx context.Context, userID string, at time.Time) error
	Received(ctx context.Context, messageID string, at time.Time) error
	// FirstSeen reports whether an event's signature is new and remembers
	// it for keep, across restarts; Unsee forgets it again.
	FirstSeen(ctx context.Context, signature string, now time.Time, keep time.Duration) (bool, error)
	Unsee(ctx context.Context, signature string) error
}

// Webhook receives the OA's events. Zalo signs each one:
// X-ZEvent-Signature = "mac=" + hex(sha256(app_id + body + timestamp + OA secret)).
type Webhook struct {
	AppID, OASecret string
	Events          Events
	Now             func() time.Time
	Log             *slog.Logger
	// Replies, when set, reads each text a user sends the OA (staff
	// confirming a task by replying); an error makes Zalo send the event again.
	Replies func(ctx context.Context, userID, text string, at time.Time) error
	// Welcome, when set, greets a new follower once the follow is recorded
	// (the consultation message asking for their consent); its failure is
	// logged, not retried.
	Welcome func(ctx context.Context, userID string, at time.Time) error
	// MaxAge refuses events whose timestamp is further than this from now
	// (default 5 minutes); a replayed event within it is refused too.
	MaxAge time.Duration
}

type event struct {
	Name      string `json:"event_name"`
	AppID     string `json:"app_id"`
	Timestamp string `json:"timestamp"` // milliseconds, as a string
	Sender    struct {
		ID string `json:"id"`
	} `json:"sender"`
	Recipient struct {
		ID string `json:"id"`
	} `json:"recipient"`
	Follower struct {
		ID string `json:"id"`
	} `json:"follower"`
	Message struct {
		MsgID string `json:"msg_id"`
		Text  string `json:"text"`
	} `json:"message"`
}

// maxEventSize bounds an event's body; Zalo's are a few hundred bytes.
const maxEventSize = 256 << 10

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := h.Now()
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		http.Error(w, "a Zalo event is JSON (Content-Type: application/json)", http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventSize))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, "the event is larger than a Zalo event can be", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil || ev.Name == "" || ev.Timestamp == "" {
		http.Error(w, "not a Zalo event", http.StatusBadRequest)
		return
	}
	// The signature is canonicalized (hex in lower case) before it is checked
	// and remembered, so the same event in other letters is a replay too.
	sig := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(r.Header.Get("X-ZEvent-Signature"), "mac=")))
	sum := sha256.Sum256([]byte(h.AppID + string(body) + ev.Timestamp + h.OASecret))
	if subtle.ConstantTimeCompare([]byte(sig), []byte(hex.EncodeToString(sum[:]))) != 1 || ev.AppID != h.AppID {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	ms, err := strconv.ParseInt(ev.Timestamp, 10, 64)
	maxAge := h.MaxAge
	if maxAge == 0 {
		maxAge = 5 * time.Minute
	}
	at := time.UnixMilli(ms)
	if err != nil || at.Before(now.Add(-maxAge)) || at.After(now.Add(maxAge)) {
		http.Error(w, "stale or future event", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	first, err := h.Events.FirstSeen(ctx, sig, now, 2*maxAge)
	if err != nil {
		h.Log.Error("zalo webhook: remember the event", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable) // Zalo retries
		return
	}
	if !first {
		http.Error(w, "event already received", http.StatusConflict)
		return
	}
	switch {
	case ev.Name == "follow" || ev.Name == "unfollow":
		err = h.Events.Follow(ctx, ev.Follower.ID, ev.Name == "follow", at)
		if err == nil && ev.Name == "follow" {
			// Following is an interaction: consultation messages may follow.
			err = h.Events.Interacted(ctx, ev.Follower.ID, at)
			if err == nil && h.Welcome != nil {
				if werr := h.Welcome(ctx, ev.Follower.ID, at); werr != nil {
					h.Log.Warn("zalo webhook: welcome a follower", "err", werr)
				}
			}
		}
	case strings.HasPrefix(ev.Name, "user_send_"):
		err = h.Events.Interacted(ctx, ev.Sender.ID, at)
		if err == nil && ev.Name == "user_send_text" && h.Replies != nil {
			err = h.Replies(ctx, ev.Sender.ID, ev.Message.Text, at)
		}
	case ev.Name == "user_received_message":
		err = h.Events.Received(ctx, ev.Message.MsgID, at)
	default: // other events (oa_send_*, user_seen_message, …) are not needed
	}
	if err != nil {
		h.Log.Error("zalo webhook", "event", ev.Name, "err", err)
		if err := h.Events.Unsee(context.WithoutCancel(ctx), sig); err != nil {
			h.Log.Error("zalo webhook: forget the event", "err", err)
		}
		http.Error(w, "try again", http.StatusServiceUnavailable) // Zalo retries
		return
	}
	w.WriteHeader(http.StatusOK)
}
