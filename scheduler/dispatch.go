package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// DispatchConfig tunes the dispatcher; zero fields take the defaults.
type DispatchConfig struct {
	// Budgets are the rate budgets of each channel's bot or Official
	// Account, shared with whatever else calls it (the resident bot,
	// alerts). A channel without one gets a budget of Rates[ch] per second
	// (unlimited without an entry).
	Budgets map[content.Channel]*channels.Budget
	Rates   map[content.Channel]float64
	Workers int // concurrent sends per channel; default 4
	// InFlight caps the deliveries of a channel in sending: those at the
	// network (at most Workers) and those answered whose outcome is not yet
	// committed. It is what a crash can leave unknown; default Workers + 8.
	InFlight    int
	MaxAttempts int           // tries before dead; default 5
	RetryBase   time.Duration // first retry after this; doubles each time; default 30s
	RetryMax    time.Duration // longest wait between tries; default 30m
	Drain       time.Duration // on shutdown, how long in-flight sends may finish; default 10s
	Idle        time.Duration // how often an idle channel looks for work anyway; default 5s
	// OutageAfter is how many sends in a row must fail (transiently, each to
	// a different recipient) before the channel counts as down: it is then
	// paused for RetryBase at a time and probed with one send after each
	// pause, and its failures stop counting as attempts, until a send gets an
	// answer. Default 2 × Workers, at least 5.
	OutageAfter int
}

// Dispatcher sends queued deliveries: for each channel a claimer waits until
// the channel's budget allows a send and a slot of InFlight is free, then
// claims that many deliveries (marking them sending), workers send them, and
// a recorder writes outcomes in batches. A delivery is thus in sending only
// from just before its network call until its outcome is committed, never
// while it waits for the rate limiter: a crash leaves at most InFlight per
// channel unknown, of which at most Workers were at the network.
type Dispatcher struct {
	store   Ledger
	senders map[content.Channel]Sender
	render  func(ctx context.Context, runID int64, ch content.Channel) (channels.Message, error)
	cfg     DispatchConfig
	log     *slog.Logger
	alert   Alerter
	now     func() time.Time
	// Observe, when set, receives each send's channel and duration (metrics).
	Observe func(ch content.Channel, d time.Duration, err error)

	kick    chan struct{}
	budgets map[content.Channel]*channels.Budget
	health  map[content.Channel]*channelHealth
}

// NewDispatcher returns a dispatcher sending through senders. render gives
// each delivery its text; now is the clock (time.Now in production; under
// testing/synctest it is the bubble's).
func NewDispatcher(store Ledger, senders map[content.Channel]Sender, render func(context.Context, int64, content.Channel) (channels.Message, error),
	cfg DispatchConfig, log *slog.Logger, alert Alerter, now func() time.Time) *Dispatcher {
	cfg.Workers = cmp.Or(cfg.Workers, 4)
	cfg.InFlight = max(cmp.Or(cfg.InFlight, cfg.Workers+8), cfg.Workers)
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, 5)
	cfg.RetryBase = cmp.Or(cfg.RetryBase, 30*time.Second)
	cfg.RetryMax = cmp.Or(cfg.RetryMax, 30*time.Minute)
	cfg.Drain = cmp.Or(cfg.Drain, 10*time.Second)
	cfg.Idle = cmp.Or(cfg.Idle, 5*time.Second)
	cfg.OutageAfter = cmp.Or(cfg.OutageAfter, max(2*cfg.Workers, 5))
	if alert == nil {
		alert = logAlerter{log}
	}
	d := &Dispatcher{store: store, senders: senders, render: render, cfg: cfg, log: log.With("component", "dispatch"),
		alert: alert, now: now, kick: make(chan struct{}, 1),
		budgets: map[content.Channel]*channels.Budget{}, health: map[content.Channel]*channelHealth{}}
	for ch := range senders {
		b := cfg.Budgets[ch]
		if b == nil {
			b = channels.NewBudget(cfg.Rates[ch], now)
		}
		d.budgets[ch], d.health[ch] = b, &channelHealth{}
	}
	return d
}

// Kick tells the dispatcher new deliveries are queued. It never blocks.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// channelHealth counts a channel's failures in a row, to tell an outage
// (every recipient fails) from failures of single recipients.
type channelHealth struct {
	mu     sync.Mutex
	streak int           // transient failures in a row
	down   time.Duration // the current outage pause, 0 when up
	why    string
}

// ChannelStatus is how a channel stands, for /healthz and the dashboard.
type ChannelStatus struct {
	PausedUntil time.Time // zero when it may send
	Down        bool      // every recent send failed: paused as an outage
	Why         string    // what paused it or took it down (e.g. "needs re-authorization (loa zalo auth)")
}

// Status returns how ch stands.
func (d *Dispatcher) Status(ch content.Channel) ChannelStatus {
	st := ChannelStatus{PausedUntil: d.budgets[ch].PausedUntil()}
	if h := d.health[ch]; h != nil {
		h.mu.Lock()
		st.Down = h.down > 0
		if st.Down || !st.PausedUntil.IsZero() {
			st.Why = h.why
		}
		h.mu.Unlock()
	}
	return st
}

// Run sends until ctx is cancelled, then stops claiming, lets in-flight
// sends finish for up to Drain, records every outcome and returns.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	kicks := make([]chan struct{}, 0, len(d.senders))
	for ch, sender := range d.senders {
		k := make(chan struct{}, 1)
		kicks = append(kicks, k)
		wg.Go(func() { d.runChannel(ctx, ch, sender, k) })
	}
	// Fan each kick out to every channel.
	wg.Go(func() {
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
	})
	wg.Wait()
}

// lane is one channel's machinery while it runs.
type lane struct {
	ch      content.Channel
	budget  *channels.Budget
	slots   chan struct{} // a token per delivery in sending
	jobs    chan Claimed
	results chan Outcome
	log     *slog.Logger
}

// runChannel is one channel's claimer; it owns the workers and the recorder.
func (d *Dispatcher) runChannel(ctx context.Context, ch content.Channel, sender Sender, kick <-chan struct{}) {
	l := &lane{ch: ch, budget: d.budgets[ch], slots: make(chan struct{}, d.cfg.InFlight),
		jobs: make(chan Claimed, d.cfg.InFlight), results: make(chan Outcome, d.cfg.InFlight), log: d.log.With("channel", ch)}
	// Sends may outlive ctx by the drain time, never more.
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	var wg sync.WaitGroup
	wg.Go(func() {
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
	})
	texts := &renderCache{render: d.render, ch: ch}
	var workers sync.WaitGroup
	for range d.cfg.Workers {
		workers.Go(func() {
			w := worker{d: d, lane: l, sender: sender, texts: texts}
			for job := range l.jobs {
				l.results <- w.send(sendCtx, job)
			}
		})
	}
	var recorder sync.WaitGroup
	recorder.Go(func() { d.record(l) })

	d.claimLoop(ctx, l, kick)
	close(l.jobs)
	workers.Wait()
	close(l.results)
	recorder.Wait()
	cancelSends()
	wg.Wait()
}

// claimLoop claims only what may be sent now: one delivery per token the
// budget gives (so nothing waits in sending for the rate limiter, and a
// pause announced meanwhile stops the claim) and per free slot of InFlight
// (so at most InFlight are ever in sending: the Workers at the network, the
// rest about to go or answered and not yet recorded).
func (d *Dispatcher) claimLoop(ctx context.Context, l *lane, kick <-chan struct{}) {
	for ctx.Err() == nil {
		if !put(ctx, l.slots) {
			return
		}
		// The budget waits out any pause and re-checks it after the
		// limiter's wait, so no send starts inside a pause.
		if err := l.budget.Wait(ctx, false); err != nil {
			<-l.slots
			return
		}
		n := 1
		for n < d.cfg.InFlight && tryPut(l.slots) {
			if !l.budget.TryTake() {
				<-l.slots
				break
			}
			n++
		}
		claimed, err := d.store.Claim(context.WithoutCancel(ctx), l.ch, n, d.now())
		if err != nil {
			l.log.Error("claim deliveries", "err", err)
		}
		for range n - len(claimed) {
			<-l.slots
		}
		for _, c := range claimed {
			l.jobs <- c // never blocks: the channel holds InFlight
		}
		switch {
		case err != nil:
			if !d.wait(ctx, kick, time.Second) {
				return
			}
		case len(claimed) == 0:
			if !d.idle(ctx, l.ch, kick, l.log) {
				return
			}
		}
	}
}

// put adds a token to c (a delivery in sending), waiting while c is full.
func put(ctx context.Context, c chan struct{}) bool {
	select {
	case c <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func tryPut(c chan struct{}) bool {
	select {
	case c <- struct{}{}:
		return true
	default:
		return false
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
func (d *Dispatcher) record(l *lane) {
	results, slots, log := l.results, l.slots, l.log
	batch := max(1, min(256, d.cfg.InFlight-d.cfg.Workers))
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
			"dead", tally[Dead], "blocked", tally[Blocked], "skipped", tally[Skipped], "unknown", tally[Unknown])
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
	d      *Dispatcher
	lane   *lane
	sender Sender
	texts  *renderCache
}

// renderCache renders each run's text once per channel, whichever worker
// asks first; the others wait for it.
type renderCache struct {
	render func(context.Context, int64, content.Channel) (channels.Message, error)
	ch     content.Channel
	mu     sync.Mutex
	byRun  map[int64]channels.Message
}

func (c *renderCache) message(ctx context.Context, runID int64) (channels.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.byRun[runID]; ok {
		return m, nil
	}
	m, err := c.render(ctx, runID, c.ch)
	if err != nil {
		return m, err
	}
	if c.byRun == nil || len(c.byRun) >= 64 {
		c.byRun = map[int64]channels.Message{}
	}
	c.byRun[runID] = m
	return m, nil
}

// send makes one attempt at job and says what became of it.
func (w *worker) send(ctx context.Context, job Claimed) Outcome {
	d, ch := w.d, w.lane.ch
	out := Outcome{ID: job.ID, Progress: job.Progress}
	msg, err := w.texts.message(ctx, job.RunID)
	if err != nil {
		// The run's text was rendered when it started, so this is the
		// database failing for a moment: retried like a network error.
		out.At = d.now()
		out.Error = "prepare the text: " + err.Error()
		return w.retry(ctx, job, out)
	}
	// A pause learned since the claim hands the job straight back, and so
	// does the end of the shutdown drain: a job not started is not unknown.
	if until := w.lane.budget.PausedUntil(); !until.IsZero() || ctx.Err() != nil {
		out.State, out.NextTry, out.RateLimit, out.At = Queued, until, true, d.now()
		if until.IsZero() {
			out.NextTry = out.At
		}
		return out
	}
	msg.DeliveryID, msg.Recipient, msg.Attempt, msg.Progress = job.ID, job.Recipient, job.Attempts, job.Progress
	start := d.now()
	id, err := w.sender.Send(ctx, msg)
	out.At = d.now()
	if d.Observe != nil {
		observed := err
		var ce *channels.Error
		if errors.As(err, &ce) {
			if _, p := ce.SnoozeFor(); p.Parts > job.Progress.Parts {
				observed = nil // a part went out: a success, not a failure
			}
		}
		d.Observe(ch, out.At.Sub(start), observed)
	}
	if err == nil {
		w.healthy()
		out.State, out.ProviderID = Sent, id
		return out
	}
	out.Error = err.Error()
	kind, wait := Classify(err)
	if kind != Transient {
		w.healthy()
	}
	switch kind {
	case Unanswered:
		out.State = Unknown
		d.alert.Alert(ctx, Alert{Kind: "unknown", Text: fmt.Sprintf("%s tới %s (%s bản %d): yêu cầu đã đi nhưng mất câu trả lời; tin có thể đã đến nên không gửi lại: %s",
			ch.Label(i18n.Vietnamese), job.Recipient, msg.MessageKey, msg.Version, out.Error)})
	case Snoozed:
		out.State, out.NextTry, out.RateLimit = Queued, out.At.Add(wait), true
		var ce *channels.Error
		if errors.As(err, &ce) {
			if _, p := ce.SnoozeFor(); p.Parts > 0 {
				out.Progress, out.Error = p, ""
			}
		}
	case Slowed:
		w.lane.budget.Slow()
		out.State, out.NextTry, out.RateLimit = Queued, out.At.Add(wait), true
		w.lane.log.Warn("channel slowed down", "rate", w.lane.budget.Rate(), "why", out.Error)
	case RateLimited:
		until := w.lane.budget.Pause(out.At.Add(wait))
		out.State, out.NextTry, out.RateLimit = Queued, until, true
		w.lane.log.Warn("channel paused", "retry_after", wait, "until", until, "why", out.Error)
		h := d.health[ch]
		h.mu.Lock()
		h.why = out.Error
		h.mu.Unlock()
		d.alert.Alert(ctx, Alert{Kind: "paused", Text: fmt.Sprintf("%s tạm dừng đến %s: %s", ch.Label(i18n.Vietnamese), until.In(content.Zone).Format("15:04:05"), out.Error)})
	case RecipientGone:
		out.State = Blocked
	case Skip:
		out.State = Skipped
	case Permanent:
		out.State = Failed
		d.alert.Alert(ctx, Alert{Kind: "failed", Text: fmt.Sprintf("%s tới %s (%s bản %d): %s", ch.Label(i18n.Vietnamese), job.Recipient, msg.MessageKey, msg.Version, out.Error)})
	default:
		if ctx.Err() != nil {
			// Cut off by the shutdown deadline mid-request: it may have gone out.
			out.State = Unknown
			return out
		}
		return w.retry(ctx, job, out)
	}
	return out
}

// retry queues job again after a transient failure. Failures of every send
// in a row mean the channel is down, not the recipients: the channel is then
// paused with a growing wait and the attempt is not counted, so an outage
// cannot make a whole run dead.
func (w *worker) retry(ctx context.Context, job Claimed, out Outcome) Outcome {
	d, h, budget := w.d, w.d.health[w.lane.ch], w.lane.budget
	h.mu.Lock()
	h.streak++
	down := h.down > 0 || h.streak >= d.cfg.OutageAfter
	first, step := false, time.Duration(0)
	if down && budget.PausedUntil().IsZero() { // down, or the probe after a pause failed too
		first = h.down == 0
		h.down = d.cfg.RetryBase
		h.why, step = out.Error, h.down
	}
	h.mu.Unlock()
	if down {
		until := budget.PausedUntil()
		if step > 0 {
			until = budget.Pause(out.At.Add(step))
			w.lane.log.Warn("channel down: every recent send failed; paused", "until", until, "why", out.Error)
		}
		if first {
			d.alert.Alert(ctx, Alert{Kind: "down", Text: fmt.Sprintf("%s đang hỏng: %d lần gửi gần nhất đều lỗi (%s); tạm dừng đến %s rồi thử lại",
				w.lane.ch.Label(i18n.Vietnamese), d.cfg.OutageAfter, out.Error, until.In(content.Zone).Format("15:04:05"))})
		}
		out.State, out.NextTry, out.RateLimit = Queued, until, true
		return out
	}
	if job.Attempts >= d.cfg.MaxAttempts {
		out.State = Dead
		d.alert.Alert(ctx, Alert{Kind: "dead", Text: fmt.Sprintf("%s tới %s: bỏ cuộc sau %d lần thử: %s", w.lane.ch.Label(i18n.Vietnamese), job.Recipient, job.Attempts, out.Error)})
		return out
	}
	out.State, out.NextTry = Queued, out.At.Add(d.backoff(job.Attempts))
	return out
}

// healthy records that a send got an answer: the channel is up.
func (w *worker) healthy() {
	h := w.d.health[w.lane.ch]
	h.mu.Lock()
	was := h.down > 0
	h.streak, h.down, h.why = 0, 0, ""
	h.mu.Unlock()
	if was {
		w.lane.log.Info("channel is back up")
	}
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
