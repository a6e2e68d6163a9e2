package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
)

// DispatchConfig tunes the dispatcher; zero fields take the defaults.
type DispatchConfig struct {
	// Rates caps sends per second on each channel (golang.org/x/time/rate);
	// a channel without an entry is not limited by Loa.
	Rates       map[content.Channel]float64
	Workers     int           // concurrent sends per channel; default 4
	InFlight    int           // deliveries in sending per channel at most; default 64
	MaxAttempts int           // tries before dead; default 5
	RetryBase   time.Duration // first retry after this; doubles each time; default 30s
	RetryMax    time.Duration // longest wait between tries; default 30m
	Drain       time.Duration // on shutdown, how long in-flight sends may finish; default 10s
	Idle        time.Duration // how often an idle channel looks for work anyway; default 5s
}

// Dispatcher sends queued deliveries: for each channel a claimer takes work
// from the ledger (marking it sending), workers send it under the channel's
// rate limit, and a recorder writes outcomes in batches. At most InFlight
// deliveries per channel are ever in sending, which bounds what a crash can
// leave unknown.
type Dispatcher struct {
	store   Store
	senders map[content.Channel]Sender
	render  func(ctx context.Context, runID int64, ch content.Channel) (channels.Message, error)
	cfg     DispatchConfig
	log     *slog.Logger
	alert   Alerter
	now     func() time.Time
	// Observe, when set, receives each send's channel and duration (metrics).
	Observe func(ch content.Channel, d time.Duration, err error)

	kick   chan struct{}
	paused sync.Map // content.Channel → *pause
}

// NewDispatcher returns a dispatcher sending through senders. render gives
// each delivery its text; now is the clock (time.Now in production; under
// testing/synctest it is the bubble's).
func NewDispatcher(store Store, senders map[content.Channel]Sender, render func(context.Context, int64, content.Channel) (channels.Message, error),
	cfg DispatchConfig, log *slog.Logger, alert Alerter, now func() time.Time) *Dispatcher {
	cfg.Workers = cmp.Or(cfg.Workers, 4)
	cfg.InFlight = max(cmp.Or(cfg.InFlight, 64), cfg.Workers)
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, 5)
	cfg.RetryBase = cmp.Or(cfg.RetryBase, 30*time.Second)
	cfg.RetryMax = cmp.Or(cfg.RetryMax, 30*time.Minute)
	cfg.Drain = cmp.Or(cfg.Drain, 10*time.Second)
	cfg.Idle = cmp.Or(cfg.Idle, 5*time.Second)
	if alert == nil {
		alert = logAlerter{log}
	}
	return &Dispatcher{store: store, senders: senders, render: render, cfg: cfg, log: log.With("component", "dispatch"),
		alert: alert, now: now, kick: make(chan struct{}, 1)}
}

// Kick tells the dispatcher new deliveries are queued. It never blocks.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

type pause struct {
	mu    sync.Mutex
	until time.Time
}

func (d *Dispatcher) pauseOf(ch content.Channel) *pause {
	p, _ := d.paused.LoadOrStore(ch, &pause{})
	return p.(*pause)
}

// PausedUntil returns when a rate-limited channel may send again (zero if not paused).
func (d *Dispatcher) PausedUntil(ch content.Channel) time.Time {
	p := d.pauseOf(ch)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.until
}

// Run sends until ctx is cancelled, then stops claiming, lets in-flight
// sends finish for up to Drain, records every outcome and returns.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	kicks := make([]chan struct{}, 0, len(d.senders))
	for ch, sender := range d.senders {
		k := make(chan struct{}, 1)
		kicks = append(kicks, k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.runChannel(ctx, ch, sender, k)
		}()
	}
	// Fan each kick out to every channel.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-d.kick:
				for _, k := range kicks {
					select {
					case k <- struct{}{}:
					default:
					}
				}
			}
		}
	}()
	wg.Wait()
	<-done
}

// runChannel is one channel's claimer; it owns the workers and the recorder.
func (d *Dispatcher) runChannel(ctx context.Context, ch content.Channel, sender Sender, kick <-chan struct{}) {
	log := d.log.With("channel", ch)
	slots := make(chan struct{}, d.cfg.InFlight) // a token per delivery in sending
	jobs := make(chan Claimed)
	results := make(chan Outcome, d.cfg.InFlight)
	limiter := rate.NewLimiter(rate.Inf, 1)
	if r, ok := d.cfg.Rates[ch]; ok && r > 0 {
		limiter = rate.NewLimiter(rate.Limit(r), max(1, int(r/5)))
	}
	// Sends may outlive ctx by the drain time, never more.
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	go func() {
		select {
		case <-ctx.Done():
			t := time.NewTimer(d.cfg.Drain)
			defer t.Stop()
			select {
			case <-t.C:
				cancelSends()
			case <-sendCtx.Done():
			}
		case <-sendCtx.Done():
		}
	}()

	var workers sync.WaitGroup
	for range d.cfg.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			w := worker{d: d, ch: ch, sender: sender, limiter: limiter, log: log}
			for job := range jobs {
				results <- w.send(sendCtx, job)
			}
		}()
	}
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		d.record(ch, results, slots, log)
	}()

	d.claimLoop(ctx, ch, jobs, slots, kick, log)
	close(jobs)
	workers.Wait()
	close(results)
	<-recorded
}

func (d *Dispatcher) claimLoop(ctx context.Context, ch content.Channel, jobs chan<- Claimed, slots chan struct{}, kick <-chan struct{}, log *slog.Logger) {
	for ctx.Err() == nil {
		if until := d.PausedUntil(ch); until.After(d.now()) {
			if !d.wait(ctx, kick, until.Sub(d.now())) {
				return
			}
			continue
		}
		// Take one slot (waiting if all are in flight), then as many more as are free.
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		n := 1
	more:
		for n < cap(slots) {
			select {
			case slots <- struct{}{}:
				n++
			default:
				break more
			}
		}
		claimed, err := d.store.Claim(context.WithoutCancel(ctx), ch, n, d.now())
		if err != nil {
			log.Error("claim deliveries", "err", err)
		}
		for range n - len(claimed) {
			<-slots
		}
		for _, c := range claimed {
			jobs <- c // claimed rows are in sending: they are always handed on
		}
		switch {
		case err != nil:
			if !d.wait(ctx, kick, time.Second) {
				return
			}
		case len(claimed) == 0:
			if !d.idle(ctx, ch, kick, log) {
				return
			}
		}
	}
}

// idle waits until the next retry is due, a kick, or the idle interval; it
// returns false when ctx ends.
func (d *Dispatcher) idle(ctx context.Context, ch content.Channel, kick <-chan struct{}, log *slog.Logger) bool {
	wait := d.cfg.Idle
	next, ok, err := d.store.NextAttempt(context.WithoutCancel(ctx), ch)
	if err != nil {
		log.Error("find next attempt", "err", err)
	} else if ok {
		wait = min(wait, max(next.Sub(d.now()), 0))
	}
	if wait <= 0 {
		return ctx.Err() == nil
	}
	return d.wait(ctx, kick, wait)
}

func (d *Dispatcher) wait(ctx context.Context, kick <-chan struct{}, wait time.Duration) bool {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-kick:
	case <-t.C:
	}
	return true
}

// record writes outcomes in batches and frees their slots once committed.
func (d *Dispatcher) record(ch content.Channel, results <-chan Outcome, slots chan struct{}, log *slog.Logger) {
	const batch = 256
	var pending []Outcome
	// What went out is logged at most every 10 seconds, and when the channel
	// goes quiet, so a large broadcast does not flood the log.
	tally := map[DeliveryState]int{}
	var lastLog, lastOutcome time.Time
	report := func() {
		if len(tally) == 0 {
			return
		}
		log.Info("deliveries recorded", "sent", tally[Sent], "retrying", tally[Queued], "failed", tally[Failed],
			"dead", tally[Dead], "blocked", tally[Blocked], "unknown", tally[Unknown])
		clear(tally)
		lastLog = d.now()
	}
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if err := d.store.Record(context.Background(), pending); err != nil {
			// The rows stay in sending and become unknown at the next start:
			// never sent twice, and counted.
			log.Error("record outcomes", "n", len(pending), "err", err)
		} else {
			for _, o := range pending {
				if !o.RateLimit {
					tally[o.State]++
				}
			}
			lastOutcome = d.now()
		}
		for range pending {
			<-slots
		}
		pending = pending[:0]
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case o, ok := <-results:
			if !ok {
				flush()
				report()
				return
			}
			pending = append(pending, o)
			if len(pending) >= batch {
				flush()
			}
		case <-tick.C:
			flush()
			if now := d.now(); now.Sub(lastLog) >= 10*time.Second || now.Sub(lastOutcome) >= time.Second {
				report()
			}
		}
	}
}

type worker struct {
	d       *Dispatcher
	ch      content.Channel
	sender  Sender
	limiter *rate.Limiter
	log     *slog.Logger
	cache   map[int64]channels.Message // rendered text by run
}

// send makes one attempt at job and says what became of it.
func (w *worker) send(ctx context.Context, job Claimed) Outcome {
	d := w.d
	out := Outcome{ID: job.ID}
	msg, err := w.message(ctx, job.RunID)
	if err != nil {
		out.State, out.Error, out.At = Failed, "render: "+err.Error(), d.now()
		d.alert.Alert(ctx, Alert{Kind: "failed", Text: fmt.Sprintf("delivery %d on %s: %s", job.ID, w.ch, out.Error)})
		return out
	}
	// A paused channel hands the job straight back: waiting here would keep
	// it in sending for the whole pause, and a crash meanwhile would make it
	// unknown for nothing.
	if until := d.PausedUntil(w.ch); until.After(d.now()) {
		out.State, out.NextTry, out.RateLimit, out.At = Queued, until, true, d.now()
		return out
	}
	if w.limiter.Wait(ctx) != nil {
		out.State, out.NextTry, out.RateLimit, out.At = Queued, d.now(), true, d.now() // not sent: back in the queue
		return out
	}
	msg.DeliveryID, msg.Recipient, msg.Attempt = job.ID, job.Recipient, job.Attempts
	start := d.now()
	id, err := w.sender.Send(ctx, msg)
	out.At = d.now()
	if d.Observe != nil {
		d.Observe(w.ch, out.At.Sub(start), err)
	}
	if err == nil {
		out.State, out.ProviderID = Sent, id
		return out
	}
	out.Error = err.Error()
	if ctx.Err() != nil {
		// Cut off by the shutdown deadline mid-request: it may have gone out.
		out.State = Unknown
		return out
	}
	kind, retryAfter := Classify(err)
	switch kind {
	case RateLimited:
		until := w.pauseFor(retryAfter)
		out.State, out.NextTry, out.RateLimit = Queued, until, true
		w.log.Warn("channel paused", "retry_after", retryAfter, "until", until, "why", out.Error)
	case RecipientGone:
		out.State = Blocked
	case Skip:
		out.State = Skipped
	case Permanent:
		out.State = Failed
		d.alert.Alert(ctx, Alert{Kind: "failed", Text: fmt.Sprintf("%s to %s (%s v%d): %s", w.ch, job.Recipient, msg.MessageKey, msg.Version, out.Error)})
	default:
		if job.Attempts >= d.cfg.MaxAttempts {
			out.State = Dead
			d.alert.Alert(ctx, Alert{Kind: "dead", Text: fmt.Sprintf("%s to %s gave up after %d attempts: %s", w.ch, job.Recipient, job.Attempts, out.Error)})
		} else {
			out.State, out.NextTry = Queued, out.At.Add(d.backoff(job.Attempts))
		}
	}
	return out
}

func (w *worker) message(ctx context.Context, runID int64) (channels.Message, error) {
	if m, ok := w.cache[runID]; ok {
		return m, nil
	}
	m, err := w.d.render(ctx, runID, w.ch)
	if err != nil {
		return m, err
	}
	if w.cache == nil || len(w.cache) > 64 {
		w.cache = map[int64]channels.Message{}
	}
	w.cache[runID] = m
	return m, nil
}

// pauseFor pauses the whole channel for d and returns until when.
func (w *worker) pauseFor(d time.Duration) time.Time {
	p := w.d.pauseOf(w.ch)
	until := w.d.now().Add(d)
	p.mu.Lock()
	if until.After(p.until) {
		p.until = until
	} else {
		until = p.until
	}
	p.mu.Unlock()
	w.d.alert.Alert(context.Background(), Alert{Kind: "paused", Text: fmt.Sprintf("%s is rate limited: paused until %s", w.ch, until.In(content.Zone).Format("15:04:05"))})
	return until
}

// backoff is the wait before attempt n+1: RetryBase doubling each time, at
// most RetryMax, with ±20% jitter so retries of many recipients spread out.
func (d *Dispatcher) backoff(n int) time.Duration {
	wait := d.cfg.RetryBase
	for i := 1; i < n && wait < d.cfg.RetryMax; i++ {
		wait *= 2
	}
	wait = min(wait, d.cfg.RetryMax)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(wait) * jitter)
}
