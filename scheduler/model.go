package scheduler

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Schedule is a stored schedule rule.
type Schedule struct {
	ID         int64
	CampaignID int64
	Kind       Kind
	Spec       string
	Quiet      string // quiet hours, "22:00-06:00" or ""
	Channels   []content.Channel
	Audience   string        // see ParseAudience
	Mode       string        // Zalo: "" or "promotion" (followers), or "cs" (consultation)
	Grace      time.Duration // 0: the configured default
	MessageIDs []int64       // one, or the rotation's list in order
	Source     string        // "cli" or "file"
	// PlannedUntil is how far runs exist; zero before the first planning.
	PlannedUntil time.Time
	CreatedAt    time.Time
}

// RunState is where a run stands.
type RunState string

// Run states.
const (
	RunPlanned   RunState = "planned"
	RunHeld      RunState = "held"      // due, but its message is not approved
	RunRunning   RunState = "running"   // deliveries are being made
	RunDone      RunState = "done"      // every delivery reached an outcome
	RunMissed    RunState = "missed"    // fell due more than the grace ago; never sent late
	RunCancelled RunState = "cancelled" // its message was archived or its schedule removed
)

// Run is one due time of a schedule.
type Run struct {
	ID         int64
	ScheduleID int64
	CampaignID int64
	DueAt      time.Time
	MessageID  int64
	Version    int // the version sent, 0 until the run starts
	State      RunState
	Note       string
	FannedOut  bool
	Channels   []content.Channel
	Audience   string
	Mode       string        // the schedule's
	Grace      time.Duration // the schedule's, 0 for the default
}

// DeliveryState is where one delivery stands in the ledger.
type DeliveryState string

// Delivery states (DESIGN.md §5). A delivery waiting for a retry is queued
// with a later next attempt.
const (
	Queued   DeliveryState = "queued"
	Sending  DeliveryState = "sending"
	Sent     DeliveryState = "sent"
	Failed   DeliveryState = "failed"  // permanent: a person must fix the message
	Dead     DeliveryState = "dead"    // gave up after the maximum attempts
	Blocked  DeliveryState = "blocked" // the recipient left
	Unknown  DeliveryState = "unknown" // in flight during a crash, or its answer lost: may or may not have gone
	Skipped  DeliveryState = "skipped"
	Assigned DeliveryState = "assigned" // waiting for a person
	Done     DeliveryState = "done"
	NotDone  DeliveryState = "not_done"
)

// DeliveryStates lists every state in ledger order.
var DeliveryStates = []DeliveryState{Queued, Sending, Sent, Failed, Dead, Blocked, Unknown, Skipped, Assigned, Done, NotDone}

// Label names the state in lang.
func (s DeliveryState) Label(lang string) string { return i18n.Label("delivery", string(s), lang) }

// Label names the state in lang.
func (s RunState) Label(lang string) string { return i18n.Label("run", string(s), lang) }

// Claimed is a delivery the dispatcher took from the queue, now sending.
type Claimed struct {
	ID        int64
	RunID     int64
	Channel   content.Channel
	Recipient string
	Attempts  int               // including this one
	Progress  channels.Progress // parts of a multi-part text already sent
}

// Outcome is what became of a claimed delivery.
type Outcome struct {
	ID         int64
	State      DeliveryState // Sent, Queued (retry), Failed, Dead or Blocked
	ProviderID string
	Error      string
	NextTry    time.Time         // for Queued
	RateLimit  bool              // Queued without a failed attempt (a pause, a snooze, the next part): the attempt does not count
	Progress   channels.Progress // parts sent so far, kept with a Queued outcome
	At         time.Time
}

// Sender delivers to one channel. Its errors say what they mean through
// RetryAfter() time.Duration, RecipientGone() bool and Permanent() bool.
type Sender interface {
	Send(ctx context.Context, m channels.Message) (providerID string, err error)
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, m channels.Message) (string, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m channels.Message) (string, error) { return f(ctx, m) }

// Audience says who receives a run on a channel.
type Audience struct {
	Topic content.Topic // subscribers of this topic; "" for all subscribers
	Chats []string      // named chats instead of subscribers (a channel by @username, a group id)
	To    string        // a person or role, for deliveries a person completes
	// ByPhone addresses subscribers by their phone number (Zalo ZNS)
	// instead of their chat or user id; only those with a number are included.
	ByPhone bool
}

// For returns the audience a message of topic reaches: "all" means every
// resident who chose that topic (a resident receives only the topics they
// picked); a message without a topic goes to everyone; named chats and
// persons are as they are.
func (a Audience) For(topic content.Topic) Audience {
	if a.Topic == "" && len(a.Chats) == 0 && a.To == "" {
		a.Topic = topic
	}
	return a
}

// ParseAudience reads "all", "topic:family", "chats:@phuongluukiem,-1001234"
// or "to:operator".
func ParseAudience(s string) (Audience, error) {
	s = strings.TrimSpace(s)
	kind, rest, _ := strings.Cut(s, ":")
	rest = strings.TrimSpace(rest)
	switch {
	case s == "" || s == "all":
		return Audience{}, nil
	case kind == "topic" && content.ValidTopic(content.Topic(rest)):
		return Audience{Topic: content.Topic(rest)}, nil
	case kind == "chats" && rest != "":
		var chats []string
		for _, c := range strings.Split(rest, ",") {
			if c = strings.TrimSpace(c); c != "" {
				chats = append(chats, c)
			}
		}
		return Audience{Chats: chats}, nil
	case kind == "to" && rest != "":
		return Audience{To: rest}, nil
	}
	return Audience{}, i18n.Errorf("người nhận %q không phải all, topic:<family|gender-equality|violence-prevention>, chats:<mã,…> hay to:<người>",
		"audience %q is not all, topic:<family|gender-equality|violence-prevention>, chats:<id,…> or to:<person>", s)
}

// DescribeAudience says in lang who a schedule's audience is, as a person
// says it: "mọi người nhận tin", "người nhận chủ đề gia đình". An audience
// it cannot read is shown as it is.
func DescribeAudience(s, lang string) string {
	a, err := ParseAudience(s)
	switch {
	case err != nil:
		return s
	case a.Topic != "":
		return i18n.Sprintf(lang, "người nhận chủ đề %s", "subscribers of %s", i18n.Label("topic", string(a.Topic), lang))
	case len(a.Chats) > 0:
		return i18n.Sprintf(lang, "nhóm, kênh %s", "chats %s", strings.Join(a.Chats, ", "))
	case a.To != "":
		return i18n.Sprintf(lang, "giao cho %s", "assigned to %s", a.To)
	}
	return i18n.Pick(lang, "mọi người nhận tin", "all subscribers")
}

// ErrorKind classifies a channel's error.
type ErrorKind int

// How the dispatcher treats an error.
const (
	Transient     ErrorKind = iota // retry with backoff
	RateLimited                    // pause the channel for RetryAfter, then retry
	RecipientGone                  // blocked; never try this recipient again
	Permanent                      // failed; a person must act
	Skip                           // skipped for this message, with the reason
	Unanswered                     // the request left and no answer came: unknown, never retried by itself
	Snoozed                        // this delivery waits (a per-chat limit, the next part): the channel goes on
	Slowed                         // too fast: the channel slows down, the delivery is tried again shortly
)

// Classify says what err means and, for RateLimited and Snoozed, how long
// to wait.
func Classify(err error) (ErrorKind, time.Duration) {
	if channels.IsUnknown(err) {
		return Unanswered, 0
	}
	var sn interface {
		SnoozeFor() (time.Duration, channels.Progress)
	}
	if errors.As(err, &sn) {
		if d, _ := sn.SnoozeFor(); d > 0 {
			return Snoozed, d
		}
	}
	var sl interface{ SlowDown() bool }
	if errors.As(err, &sl) && sl.SlowDown() {
		return Slowed, time.Second
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return RateLimited, ra.RetryAfter()
	}
	var rg interface{ RecipientGone() bool }
	if errors.As(err, &rg) && rg.RecipientGone() {
		return RecipientGone, 0
	}
	var p interface{ Permanent() bool }
	if errors.As(err, &p) && p.Permanent() {
		return Permanent, 0
	}
	var s interface{ Skipped() bool }
	if errors.As(err, &s) && s.Skipped() {
		return Skip, 0
	}
	return Transient, 0
}

// ValidMode reports whether a schedule may ask Zalo to send this way: ""
// or "promotion" (followers), "cs" (consultation), or "zns:<template id>"
// (an approved ZNS template, to subscribers' phone numbers).
func ValidMode(mode string) bool {
	switch {
	case mode == "", mode == "promotion", mode == "cs":
		return true
	case strings.HasPrefix(mode, "zns:"):
		id := strings.TrimPrefix(mode, "zns:")
		return id != "" && strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") == ""
	}
	return false
}

// Repeat is a run that sends the same message on the same channel as an
// earlier run of another schedule, less than a day before it: two schedules
// doing one job, which residents would receive twice.
type Repeat struct {
	Run, Earlier int // indexes into the runs given to Repeats
	Channel      content.Channel
}

// Repeats finds the repeats among runs (in time order).
func Repeats(runs []DueRun) []Repeat {
	var out []Repeat
	for i, r := range runs {
		for j := i - 1; j >= 0; j-- {
			e := runs[j]
			if r.DueAt.Sub(e.DueAt) >= 24*time.Hour {
				break
			}
			if e.MessageID != r.MessageID || e.ScheduleID == r.ScheduleID {
				continue
			}
			if ch, ok := sharedResidentChannel(e.Channels, r.Channels); ok {
				out = append(out, Repeat{Run: i, Earlier: j, Channel: ch})
				break
			}
		}
	}
	return out
}

func sharedResidentChannel(a, b []content.Channel) (content.Channel, bool) {
	for _, ch := range a {
		if (ch == content.Telegram || ch == content.Zalo) && slices.Contains(b, ch) {
			return ch, true
		}
	}
	return "", false
}
