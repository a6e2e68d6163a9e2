// Package channels holds what every channel shares: the Message a channel
// sends, and errors that say what a failure means. Each channel lives in its
// own package below (outbox, webhook, and later telegram and zalo), returns a
// concrete type, and never imports the scheduler: the scheduler's Sender
// interface is satisfied by any type with Send(ctx, Message).
//
// A channel's error tells the dispatcher what to do through methods:
// RetryAfter() time.Duration (rate limited: pause the whole channel),
// RecipientGone() bool (the recipient left: stop sending to them),
// Permanent() bool (retrying cannot help: a person must act) and Skipped()
// bool (not this message, not now: recorded as skipped with the reason). Any other error
// is transient and retried with backoff. Error below implements all three.
package channels

import (
	"time"

	"github.com/loa-ward/loa/content"
)

// Message is one message to one recipient, ready to send.
type Message struct {
	DeliveryID int64
	Mode       string // how the schedule wants it sent: "" (the channel's default), or e.g. "cs" on Zalo
	RunID      int64
	Channel    content.Channel
	Recipient  string // chat id, Zalo user id, …
	Title      string
	Text       string // rendered
	Image      string // a picture to send with it, or ""
	MessageKey string
	Version    int
	Attempt    int // 1 for the first try
}

// Error is a channel failure with its meaning for the dispatcher.
type Error struct {
	Err        error
	retryAfter time.Duration
	gone       bool
	permanent  bool
	skip       bool
}

// RateLimited wraps err: the channel must wait d before sending again.
func RateLimited(err error, d time.Duration) *Error { return &Error{Err: err, retryAfter: d} }

// Gone wraps err: the recipient blocked the sender or no longer exists.
func Gone(err error) *Error { return &Error{Err: err, gone: true} }

// Permanent wraps err: the same request will fail again.
func Permanent(err error) *Error { return &Error{Err: err, permanent: true} }

// Skip wraps err: this recipient cannot get this message now (e.g. no
// interaction within Zalo's 7 days), without failing or leaving.
func Skip(err error) *Error { return &Error{Err: err, skip: true} }

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// RetryAfter is how long the channel must wait, 0 when not rate limited.
func (e *Error) RetryAfter() time.Duration { return e.retryAfter }

// RecipientGone reports whether the recipient can no longer be reached.
func (e *Error) RecipientGone() bool { return e.gone }

// Permanent reports whether retrying cannot help.
func (e *Error) Permanent() bool { return e.permanent }

// Skipped reports whether the recipient is passed over for this message.
func (e *Error) Skipped() bool { return e.skip }
