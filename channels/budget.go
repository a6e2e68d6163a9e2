package channels

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Budget is the one rate budget of one bot or Official Account: every call
// a Loa process makes to it (broadcast sends, bot replies, staff alerts,
// task notices) waits here, so they cannot lock each other out or, added
// together, go over the provider's limit. A rate-limit answer pauses every
// caller until the time the provider gave.
//
// Interactive calls (a resident pressing /start, a staff notice) go before
// bulk ones: while one waits, bulk callers do not take new tokens, so an
// interactive call waits at most behind the bulk calls already granted.
//
// The zero value is not usable; a nil *Budget never waits.
type Budget struct {
	limiter *rate.Limiter
	now     func() time.Time
	full    rate.Limit // the configured rate; Slow lowers the limiter's, Wait ramps it back

	mu          sync.Mutex
	until       time.Time     // paused until
	interactive int           // interactive callers waiting
	changed     chan struct{} // closed and replaced when until or interactive changes
	changedRate time.Time     // when the rate last went down or up
	slowedAt    time.Time     // when it last went down
	bulkAt      time.Time     // when a bulk caller last asked
}

// NewBudget returns a budget of perSecond calls (no limit when 0) with a
// burst of a fifth of a second's calls; now is the clock that pauses are
// measured on (time.Now, or a test's).
func NewBudget(perSecond float64, now func() time.Time) *Budget {
	l := rate.NewLimiter(rate.Inf, 1)
	if perSecond > 0 {
		l = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond/5)))
	}
	if now == nil {
		now = time.Now
	}
	return &Budget{limiter: l, now: now, full: l.Limit(), changed: make(chan struct{})}
}

// Slow lowers the rate by a quarter (to no less than one call a second)
// after the provider said the calls come too fast, at most once every 10
// seconds so that scattered refusals do not drive it down; Wait ramps it
// back up by a tenth of the configured rate every 2 seconds after. An
// unlimited budget falls to 200 calls a second first.
func (b *Budget) Slow() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if now.Sub(b.slowedAt) < 10*time.Second && !b.slowedAt.IsZero() {
		return
	}
	cur := b.limiter.Limit()
	if cur == rate.Inf {
		cur = 200
	}
	b.limiter.SetLimit(max(cur*3/4, 1))
	b.slowedAt, b.changedRate = now, now
}

// Rate is the calls a second the budget allows now (0: unlimited).
func (b *Budget) Rate() float64 {
	if b == nil || b.limiter.Limit() == rate.Inf {
		return 0
	}
	return float64(b.limiter.Limit())
}

func (b *Budget) ramp() {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur := b.limiter.Limit()
	if cur == b.full || b.now().Sub(b.changedRate) < 2*time.Second {
		return
	}
	step := b.full / 10
	if b.full == rate.Inf {
		step = 20
	}
	next := cur + step
	if b.full != rate.Inf && next > b.full || b.full == rate.Inf && next > 1000 {
		next = b.full
	}
	b.limiter.SetLimit(next)
	b.changedRate = b.now()
}

func (b *Budget) notify() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// Wait blocks until one call may be made: no pause is in force and the
// limiter gave a token. A pause announced while the caller waited for its
// token is honoured too (the token is given up). It returns ctx's error
// when ctx ends first.
func (b *Budget) Wait(ctx context.Context, interactive bool) error {
	if b == nil {
		return ctx.Err()
	}
	if !interactive {
		b.mu.Lock()
		b.bulkAt = b.now()
		b.mu.Unlock()
	}
	return b.wait(ctx, interactive)
}

// wait is Wait without marking bulk work.
func (b *Budget) wait(ctx context.Context, interactive bool) error {
	if interactive {
		b.mu.Lock()
		b.interactive++
		b.notify()
		b.mu.Unlock()
		defer func() {
			b.mu.Lock()
			b.interactive--
			b.notify()
			b.mu.Unlock()
		}()
	}
	for {
		if err := b.ready(ctx, interactive); err != nil {
			return err
		}
		b.ramp()
		if err := b.limiter.Wait(ctx); err != nil {
			return err
		}
		if b.PausedUntil().IsZero() {
			return nil
		}
	}
}

// WaitBackground is Wait for work that yields to sends (a follower sync):
// it waits while bulk callers have asked within the last second, then
// takes a token like them.
func (b *Budget) WaitBackground(ctx context.Context) error {
	if b == nil {
		return ctx.Err()
	}
	for {
		b.mu.Lock()
		busy := b.now().Sub(b.bulkAt) < time.Second && !b.bulkAt.IsZero()
		b.mu.Unlock()
		if !busy {
			return b.wait(ctx, false)
		}
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// TryTake takes a token if one is free now and nothing stands in the way
// (a pause, an interactive caller waiting); it never blocks.
func (b *Budget) TryTake() bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	blocked := b.interactive > 0 || b.until.After(b.now())
	b.mu.Unlock()
	return !blocked && b.limiter.Allow()
}

// ready waits until no pause is in force and, for a bulk caller, no
// interactive caller is waiting.
func (b *Budget) ready(ctx context.Context, interactive bool) error {
	for {
		b.mu.Lock()
		wait := b.until.Sub(b.now())
		yield := !interactive && b.interactive > 0
		changed := b.changed
		b.mu.Unlock()
		if wait <= 0 && !yield {
			return nil
		}
		if wait <= 0 {
			wait = time.Hour // only a change can free a yielding caller
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-changed:
		case <-t.C:
		}
		t.Stop()
	}
}

// Pause stops every caller until until (a provider's retry_after); an
// earlier time than a pause in force changes nothing. It returns the time
// the budget is paused until.
func (b *Budget) Pause(until time.Time) time.Time {
	if b == nil {
		return until
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.until) {
		b.until = until
		b.notify()
	}
	return b.until
}

// PausedUntil returns when a paused budget lets calls through again, zero
// when it is not paused.
func (b *Budget) PausedUntil() time.Time {
	if b == nil {
		return time.Time{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.until.After(b.now()) {
		return time.Time{}
	}
	return b.until
}
