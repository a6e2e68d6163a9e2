// Package residents keeps the people who receive the ward's messages: who
// they are on each channel, what they consented to and when, the phones
// they gave for Zalo ZNS, and the OA's followers as Zalo reports them. It
// declares what it needs from a store; store implements it.
package residents

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/staff"
)

// Subscriber is a resident who receives messages on a channel.
type Subscriber struct {
	ID            int64
	Channel       content.Channel // telegram or zalo
	ExternalID    string          // chat id or Zalo user id ("phone:84…" for someone known only by phone)
	Phone         string          // "84…", for Zalo ZNS; given with consent
	Name          string
	Language      string
	Topics        []content.Topic
	ConsentAt     time.Time // zero: no consent, nothing is sent
	ConsentSource string
	BlockedAt     time.Time
	// ConsentedAt is when consent was last given; a withdrawal keeps it,
	// as the evidence, and sets WithdrawnAt.
	ConsentedAt, WithdrawnAt time.Time
	Evidence                 string    // the consent's proof: a paper form's number, a web form's reference
	FollowedAt               time.Time // Zalo: when they followed the OA (not consent)
}

// Status says whether the subscriber receives messages: "receives",
// "stopped" (consent withdrawn), "waiting" (a follower who has not chosen)
// or "blocked" (they blocked the bot or OA).
func (s Subscriber) Status() string {
	switch {
	case !s.BlockedAt.IsZero():
		return "blocked"
	case s.ConsentAt.IsZero() && s.WithdrawnAt.IsZero() && s.ConsentedAt.IsZero():
		return "waiting" // a follower who has not answered yet
	case s.ConsentAt.IsZero():
		return "stopped"
	}
	return "receives"
}

// StatusLabel is Status in lang.
func (s Subscriber) StatusLabel(lang string) string {
	return i18n.Label("subscriber", s.Status(), lang)
}

// Follower is a follower of the OA as a sync sees it; Name is "" when its
// details were not fetched.
type Follower struct {
	UserID, Name    string
	LastInteraction time.Time // zero when unknown
}

// Store is what the registry keeps its records in.
type Store interface {
	AddSubscribers(ctx context.Context, subs []Subscriber, actor string, now time.Time) error
	Subscribers(ctx context.Context, ch content.Channel) ([]Subscriber, error)
	FollowersToAsk(ctx context.Context, ids []string) (map[string]bool, error)
	RecordFollowers(ctx context.Context, fs []Follower, source string, now time.Time) error
	SubscriberCounts(ctx context.Context) (map[content.Channel]Counts, error)
	Audit(ctx context.Context, entity string, id int64) ([]staff.AuditEntry, error)
	FindSubscribers(ctx context.Context, q string) ([]Subscriber, error)
	ForgetSubscriber(ctx context.Context, ch content.Channel, id, actor, via string, now time.Time) error
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
	AddRequest(ctx context.Context, r privacy.Request, actor string, now time.Time) (int64, error)
	FinishRequest(ctx context.Context, id int64, actor, note string, now time.Time) error
	Requests(ctx context.Context, since time.Time) ([]privacy.Request, error)
}

// Registry is the ward's list of residents.
type Registry struct {
	Store       Store
	Now         func() time.Time
	Purgers     []Purger // outside the database: purged of a deleted resident
	RequestDays int      // the days to carry out a request (privacy.request_days)

	// counts caches Counts for a minute (200,000 residents take a while
	// to count); an import or a deletion through the registry clears it.
	mu       sync.Mutex
	counts   map[content.Channel]Counts
	countsAt time.Time
}

func (r *Registry) forgetCounts() {
	r.mu.Lock()
	r.counts = nil
	r.mu.Unlock()
}

// Import adds or updates subscribers read from a sign-up list (ReadPhones),
// all in one transaction.
func (r *Registry) Import(ctx context.Context, actor staff.Actor, subs []Subscriber) error {
	if !actor.MayPlan() {
		return staff.ErrForbidden
	}
	defer r.forgetCounts()
	return r.Store.AddSubscribers(ctx, subs, actor.Audit(), r.Now())
}

// List returns the subscribers of ch, oldest first.
func (r *Registry) List(ctx context.Context, ch content.Channel) ([]Subscriber, error) {
	return r.Store.Subscribers(ctx, ch)
}

// Counts are a channel's subscribers by status ("receives", "stopped",
// "blocked") and, of those receiving, by topic.
type Counts struct {
	ByStatus map[string]int
	ByTopic  map[content.Topic]int
}

// Counts returns each channel's subscribers counted, at most a minute old:
// aggregate numbers, which every role may see.
func (r *Registry) Counts(ctx context.Context) (map[content.Channel]Counts, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := r.Now(); r.counts == nil || now.Sub(r.countsAt) >= time.Minute || now.Before(r.countsAt) {
		counts, err := r.Store.SubscriberCounts(ctx)
		if err != nil {
			return nil, err
		}
		r.counts, r.countsAt = counts, now
	}
	return r.counts, nil
}

// Find returns the subscribers with chat id, Zalo id or phone q (a phone
// in any usual form). Only the roles that look after residents' lists may
// see a person's data.
func (r *Registry) Find(ctx context.Context, actor staff.Actor, q string) ([]Subscriber, error) {
	if !actor.MayPlan() {
		return nil, staff.ErrForbidden
	}
	q = strings.TrimSpace(q)
	if p, ok := NormalizePhone(q); ok {
		q = p
	}
	return r.Store.FindSubscribers(ctx, q)
}

// History is what was recorded of subscriber s: consent given (when, how),
// withdrawn, follows and unfollows, oldest first. Only the roles that
// look after residents' lists may see it.
func (r *Registry) History(ctx context.Context, actor staff.Actor, s Subscriber) ([]staff.AuditEntry, error) {
	if !actor.MayPlan() {
		return nil, staff.ErrForbidden
	}
	return r.Store.Audit(ctx, "subscriber", s.ID)
}

// Forget deletes subscriber s at their request, received by via
// ("dashboard", "paper", "cli"): the record goes, the ledger keeps only a
// replacement id, so counts stay right, and every Purger forgets them too.
func (r *Registry) Forget(ctx context.Context, actor staff.Actor, s Subscriber, via string) error {
	if !actor.MayPlan() {
		return staff.ErrForbidden
	}
	defer r.forgetCounts()
	if err := r.Store.ForgetSubscriber(ctx, s.Channel, s.ExternalID, actor.Audit(), via, r.Now()); err != nil {
		return err
	}
	return r.purge(s.Channel, s.ExternalID)
}

// Purger is a place outside the database that may hold a resident's id
// (the outbox's files): Purge removes every trace of id on ch.
type Purger interface {
	Purge(ch content.Channel, id string) error
}

func (r *Registry) purge(ch content.Channel, id string) error {
	for _, p := range r.Purgers {
		if err := p.Purge(ch, id); err != nil {
			return err
		}
	}
	return nil
}

// Receive records a request a resident made outside the bots (at the
// office, on paper, by phone), due within RequestDays, and returns its id.
// Only the roles that look after residents' lists record them.
func (r *Registry) Receive(ctx context.Context, actor staff.Actor, kind, via, note string) (int64, error) {
	if !actor.MayPlan() {
		return 0, staff.ErrForbidden
	}
	if !slices.Contains(privacy.Kinds, kind) {
		return 0, i18n.Errorf("%q không phải loại yêu cầu (see, change, withdraw, delete)", "%q is not a kind of request (see, change, withdraw, delete)", kind)
	}
	now := r.Now()
	return r.Store.AddRequest(ctx, privacy.Request{Kind: kind, Via: via, ReceivedAt: now, DueAt: privacy.Due(now, r.RequestDays), Note: note}, actor.Audit(), now)
}

// Finish marks request id done.
func (r *Registry) Finish(ctx context.Context, actor staff.Actor, id int64, note string) error {
	if !actor.MayPlan() {
		return staff.ErrForbidden
	}
	err := r.Store.FinishRequest(ctx, id, actor.Audit(), note, r.Now())
	if errors.Is(err, content.ErrNotFound) {
		return i18n.Errorf("không có yêu cầu số %d đang chờ", "there is no open request %d", id)
	}
	return err
}

// Requests lists the requests received since (all when zero), newest
// first: what every role may see, for they name nobody.
func (r *Registry) Requests(ctx context.Context, since time.Time) ([]privacy.Request, error) {
	return r.Store.Requests(ctx, since)
}
