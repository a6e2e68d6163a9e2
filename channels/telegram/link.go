package telegram

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/loa-ward/loa/channels"
)

// Link keeps the daemon's connection to the Bot API. Telegram is blocked by
// Vietnamese ISPs, so it may be unreachable when Loa starts: Link connects
// in the background, retrying with a growing wait, and the other channels
// work meanwhile. As a channel it sends through the client once connected;
// until then every send fails before anything leaves, so the dispatcher
// retries it (and, if it lasts, pauses the channel as down).
type Link struct {
	cfg Config
	mu  sync.Mutex
	c   *Client
	err error
}

// NewLink returns a link for cfg; Run connects it.
func NewLink(cfg Config) *Link {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Link{cfg: cfg}
}

// Run connects, retrying from 5 seconds up to 5 minutes apart, until it
// succeeds or ctx ends; it returns the client, or nil when ctx ended first.
// A token Telegram refuses is not retried (Unauthorized: a person must fix
// telegram.token).
func (l *Link) Run(ctx context.Context) *Client {
	wait := 5 * time.Second
	for {
		c, err := NewContext(ctx, l.cfg)
		l.mu.Lock()
		l.c, l.err = c, err
		l.mu.Unlock()
		if err == nil {
			return c
		}
		if ctx.Err() != nil {
			return nil
		}
		l.cfg.Log.Warn("telegram is not reachable; the other channels go on, and Loa keeps trying", "err", err, "retry_in", wait)
		if !sleep(ctx, wait) {
			return nil
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

// Client returns the connected client, nil until Run has connected.
func (l *Link) Client() *Client {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c
}

// Err says why the link is not connected yet, nil once it is.
func (l *Link) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c != nil {
		return nil
	}
	if l.err == nil {
		return errors.New("telegram: connecting")
	}
	return l.err
}

// Send sends through the connected client, or fails before anything leaves.
func (l *Link) Send(ctx context.Context, m channels.Message) (string, error) {
	if c := l.Client(); c != nil {
		return c.Send(ctx, m)
	}
	return "", l.Err()
}
