// Package channels holds what every channel shares: the Message a channel
// sends, and errors that say what a failure means. Each channel lives in its
// own package below (outbox, webhook, and later telegram and zalo), returns a
// concrete type, and never imports the scheduler: the scheduler's Sender
// interface is satisfied by any type with Send(ctx, Message).
//
// A channel's error tells the dispatcher what to do through methods:
// RetryAfter() time.Duration (rate limited: pause the whole channel),
// RecipientGone() bool (the recipient left: stop sending to them),
// Permanent() bool (retrying cannot help: a person must act), Skipped()
// bool (not this message, not now: recorded as skipped with the reason) and
// OutcomeUnknown() bool (the request left and its answer was lost: the
// provider may have it, so it is recorded unknown and never resent without a
// person). Any other error is transient and retried with backoff: it must
// mean that nothing reached the provider, or that the provider said it did
// not take the message (5xx). Error below implements them all, and
// AtMostOnce gives an HTTP client whose network errors are classified so.
//
// What each channel guarantees: Telegram and Zalo offer no idempotency key,
// so they are at most once: a delivery is sent once, or recorded unknown.
// The webhook channel is at most once as well; it sends a stable
// Idempotency-Key so that a receiver can drop the copy a person chose to
// resend.
package channels

import (
	"fmt"
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
	// Progress is what of a multi-part message already went out (zero for
	// the first call): a channel that sends one part per call goes on from
	// there and reports the rest with Continue.
	Progress Progress
}

// Progress is how much of a multi-part delivery went out: the parts sent
// and their provider ids, comma-separated. The ledger keeps it, so a crash
// between parts never sends a part twice.
type Progress struct {
	Parts int
	IDs   string
}

// Error is a channel failure with its meaning for the dispatcher.
type Error struct {
	Err        error
	retryAfter time.Duration
	gone       bool
	permanent  bool
	skip       bool
	unknown    bool
	later      bool // retryAfter is this delivery's alone: the channel is not paused
	slow       bool // the provider asks for fewer calls: the channel slows down
	progress   Progress
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

// Snooze wraps err: this delivery waits d before it is tried again, without
// pausing the channel and without counting an attempt (a per-chat limit).
func Snooze(err error, d time.Duration) *Error {
	return &Error{Err: err, retryAfter: d, later: true}
}

// Continue says a part of a multi-part delivery went out and the rest
// follows after d (the per-chat pace); p is the progress so far. It is not a
// failure: the delivery is queued again with its progress, uncounted.
func Continue(p Progress, d time.Duration) *Error {
	return &Error{Err: fmt.Errorf("%d parts sent, the next follows", p.Parts), retryAfter: d, later: true, progress: p}
}

// Slow wraps err: the provider refused the call for going too fast, without
// saying for how long (Zalo's -32). The channel halves its rate and ramps
// back up; the delivery is tried again shortly, uncounted.
func Slow(err error) *Error { return &Error{Err: err, slow: true} }

// SlowDown reports whether the channel should slow down.
func (e *Error) SlowDown() bool { return e.slow }

// Unknown wraps err: the request was sent in full and no answer came back,
// so the provider may or may not have the message.
func Unknown(err error) *Error { return &Error{Err: err, unknown: true} }

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// RetryAfter is how long the channel must wait, 0 when not rate limited.
func (e *Error) RetryAfter() time.Duration {
	if e.later {
		return 0
	}
	return e.retryAfter
}

// SnoozeFor is how long this delivery alone must wait (0: not snoozed), and
// the progress it made.
func (e *Error) SnoozeFor() (time.Duration, Progress) {
	if !e.later {
		return 0, Progress{}
	}
	return max(e.retryAfter, time.Millisecond), e.progress
}

// RecipientGone reports whether the recipient can no longer be reached.
func (e *Error) RecipientGone() bool { return e.gone }

// Permanent reports whether retrying cannot help.
func (e *Error) Permanent() bool { return e.permanent }

// Skipped reports whether the recipient is passed over for this message.
func (e *Error) Skipped() bool { return e.skip }

// OutcomeUnknown reports whether the request may have reached the provider.
func (e *Error) OutcomeUnknown() bool { return e.unknown }
