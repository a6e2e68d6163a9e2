// Package notify tells the ward office's people what needs them: a task
// given to them (with its link), a run missed, a channel down. One router
// holds every notice: it keeps each on the person's Today page in the
// dashboard, then tries the person's channels in their order of
// preference (the ward's Zalo OA, Telegram, e-mail) until one gets
// through. Telegram is blocked in Vietnam and Zalo's consultation messages
// reach only people who wrote to the OA in the last 7 days, so a person
// outside that window is told, by whichever channel reaches them, to send
// the OA any message.
//
// A person gets at most PerPerson notices an hour by a channel; the rest
// wait on the Today page and in the morning digest, as every notice of a
// person who chose the digest does. A notice never holds a secret: a task
// link is the one thing in it that grants anything, and only that task.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

// Notice is one thing told to one person.
type Notice struct {
	ID      int64
	UserID  int64
	Kind    string // "task", or an alert's kind: missed, failed, down, …
	Topic   string // what it is about; a person is told about a topic once
	Text    string // as the Today page shows it (never with the link)
	Created time.Time
	SentVia string    // the channel that got it through, "digest", or "" (only on the Today page)
	SentAt  time.Time // zero until it went out
	Tried   time.Time // the last try by a channel
	Note    string    // why it waits (digest, held, none) or what failed on each channel
}

// Retry reports whether n should be tried again at now: every channel
// failed (Telegram not connected yet, the mail server down), the last try
// was RetryAfter ago or before a channel came back (since), and the
// notice is less than a day old.
func (n Notice) Retry(now, since time.Time) bool {
	return n.SentAt.IsZero() && n.Note != NoteDigest && n.Note != NoteHeld && n.Note != NoteNone &&
		!n.Tried.IsZero() && (now.Sub(n.Tried) >= RetryAfter || n.Tried.Before(since)) && now.Sub(n.Created) < 24*time.Hour
}

// RetryAfter is how long a notice no channel got through waits before the
// next try.
const RetryAfter = 10 * time.Minute

// Waiting notes: what the digest sends.
const (
	NoteDigest = "digest" // the person reads notices once a day
	NoteHeld   = "held"   // more than PerPerson this hour
	NoteNone   = "none"   // the person has no channel: only the Today page
)

// Store keeps the notices (store.DB).
type Store interface {
	// AddNotice records n; false when the person was told about its topic already.
	AddNotice(ctx context.Context, n Notice) (Notice, bool, error)
	MarkNotice(ctx context.Context, id int64, via, note string, sent, tried time.Time) error
	Notice(ctx context.Context, userID int64, topic string) (Notice, bool, error)
	Notices(ctx context.Context, userID int64, limit int) ([]Notice, error) // newest first
	SentSince(ctx context.Context, userID int64, since time.Time) (int, error)
	Waiting(ctx context.Context) ([]Notice, error) // held back for the digest, oldest first
	Users(ctx context.Context) ([]staff.User, error)
	// LastInteraction is when a Zalo user last wrote to the OA (or followed it).
	LastInteraction(ctx context.Context, zaloID string) (time.Time, bool, error)
}

// Message is what a channel sends.
type Message struct {
	Subject string
	Text    string
	Link    string // the task's link, "" for none
}

// Body is the message as plain text: the text, then the link.
func (m Message) Body() string {
	if m.Link == "" {
		return m.Text
	}
	return m.Text + "\n" + m.Link
}

// Channel sends a message to a person.
type Channel interface {
	Send(ctx context.Context, u staff.User, m Message) error
}

// ErrNoAddress means the person has no address on the channel: it is
// passed over without a word.
var ErrNoAddress = errors.New("no address on this channel")

// OutsideWindowError is Zalo refusing a consultation message: the person
// has not written to the OA within the window.
type OutsideWindowError struct {
	Last time.Time // zero: never
}

func (e *OutsideWindowError) Error() string {
	if e.Last.IsZero() {
		return "zalo: the person never wrote to the OA"
	}
	return "zalo: last wrote to the OA " + e.Last.In(content.Zone).Format("02/01/2006")
}

// Router routes notices.
type Router struct {
	DB       Store
	Channels map[string]Channel // by name: zalo, telegram, email
	Now      func() time.Time
	Log      *slog.Logger
	// PerPerson is how many notices a person gets by a channel an hour
	// (default 6); the others wait for the digest.
	PerPerson int
	// OA names the ward's Zalo OA in the request to write to it.
	OA string

	mu       sync.Mutex
	lastKind map[string]time.Time // an alert kind → when it last went out
	heldKind map[string]int       // alerts of a kind not sent since
	back     time.Time            // a channel came back: what failed before is tried again
}

// ChannelBack says a channel became reachable (Telegram connected): the
// notices that failed before are due again at once.
func (r *Router) ChannelBack() {
	r.mu.Lock()
	r.back = r.Now()
	r.mu.Unlock()
}

func (r *Router) retry(n Notice) bool {
	r.mu.Lock()
	back := r.back
	r.mu.Unlock()
	return n.Retry(r.Now(), back)
}

func (r *Router) perPerson() int {
	if r.PerPerson <= 0 {
		return 6
	}
	return r.PerPerson
}

// Due reports whether the person is to be told about topic: never told,
// or told when no channel got it through (see Notice.Retry).
func (r *Router) Due(ctx context.Context, userID int64, topic string) (bool, error) {
	n, ok, err := r.DB.Notice(ctx, userID, topic)
	return err == nil && (!ok || r.retry(n)), err
}

// Tell tells u about topic: the notice is kept for the Today page at once,
// then goes by the person's first channel that reaches them, unless they
// read a digest or had PerPerson notices this hour. A topic already told
// is not told again, unless no channel got it through (Notice.Retry). It
// returns the notice as recorded.
func (r *Router) Tell(ctx context.Context, u staff.User, kind, topic string, m Message) (Notice, error) {
	now := r.Now()
	n, fresh, err := r.DB.AddNotice(ctx, Notice{UserID: u.ID, Kind: kind, Topic: topic, Text: strings.TrimSpace(m.Subject + "\n" + m.Text), Created: now})
	if err != nil || (!fresh && !r.retry(n)) {
		return n, err
	}
	if u.Digest {
		return r.mark(ctx, n, "", NoteDigest, time.Time{}, time.Time{})
	}
	sent, err := r.DB.SentSince(ctx, u.ID, now.Add(-time.Hour))
	if err != nil {
		return n, err
	}
	if sent >= r.perPerson() {
		return r.mark(ctx, n, "", NoteHeld, time.Time{}, time.Time{})
	}
	via, note := r.send(ctx, u, m)
	if note == NoteNone {
		return r.mark(ctx, n, "", NoteNone, time.Time{}, time.Time{})
	}
	at := time.Time{}
	if via != "" {
		at = now
	}
	return r.mark(ctx, n, via, note, at, now)
}

func (r *Router) mark(ctx context.Context, n Notice, via, note string, sent, tried time.Time) (Notice, error) {
	n.SentVia, n.Note, n.SentAt = via, note, sent
	if !tried.IsZero() {
		n.Tried = tried
	}
	return n, r.DB.MarkNotice(ctx, n.ID, via, note, sent, tried)
}

// send tries u's channels in order and returns the one that got m through
// ("" for none) and what went wrong on the others.
func (r *Router) send(ctx context.Context, u staff.User, m Message) (via, note string) {
	order := u.Notify
	if len(order) == 0 {
		order = staff.NotifyChannels
	}
	var failed []string
	outside := false
	for _, name := range order {
		ch, ok := r.Channels[name]
		if !ok {
			continue
		}
		msg := m
		if outside && name != "zalo" {
			msg.Text += "\n\n" + r.askToWrite()
		}
		err := ch.Send(ctx, u, msg)
		if err == nil {
			return name, strings.Join(failed, "; ")
		}
		if errors.Is(err, ErrNoAddress) {
			continue
		}
		var ow *OutsideWindowError
		if errors.As(err, &ow) {
			outside = true
		}
		r.Log.Warn("notice not sent on a channel", "to", u.Name, "channel", name, "err", err)
		failed = append(failed, name+": "+err.Error())
	}
	if len(failed) == 0 {
		return "", NoteNone
	}
	return "", strings.Join(failed, "; ")
}

// askToWrite asks a person outside Zalo's window to write to the OA.
func (r *Router) askToWrite() string {
	oa := r.OA
	if oa == "" {
		oa = "của phường"
	}
	return fmt.Sprintf("Loa chưa nhắn được cho anh/chị qua Zalo vì anh/chị chưa nhắn cho OA %s trong 7 ngày qua. Hãy nhắn một tin bất kỳ (ví dụ \"chào\") cho OA trên Zalo để nhận việc qua Zalo.", oa)
}

// Alert tells the people who oversee sending (officers, leaders, admins)
// about an alert of kind: at most one alert of a kind a minute, the next
// one saying how many were held back.
func (r *Router) Alert(ctx context.Context, kind, text string) error {
	now := r.Now()
	r.mu.Lock()
	if r.lastKind == nil {
		r.lastKind, r.heldKind = map[string]time.Time{}, map[string]int{}
	}
	if now.Sub(r.lastKind[kind]) < time.Minute {
		r.heldKind[kind]++
		r.mu.Unlock()
		return nil
	}
	more := r.heldKind[kind]
	r.lastKind[kind], r.heldKind[kind] = now, 0
	r.mu.Unlock()
	if more > 0 {
		text += fmt.Sprintf(" (và %d cảnh báo cùng loại trước đó)", more)
	}
	text = MaskIDs(text)
	users, err := r.DB.Users(ctx)
	if err != nil {
		return err
	}
	topic := fmt.Sprintf("alert:%s:%s", kind, now.UTC().Format(time.RFC3339Nano))
	var errs []error
	for _, u := range users {
		if !u.Active() || (u.Role != staff.Officer && u.Role != staff.Leader && u.Role != staff.Admin) {
			continue
		}
		if _, err := r.Tell(ctx, u, kind, topic, Message{Subject: "⚠️ Loa: " + alertTitle(kind), Text: text}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// longNumber is a resident's chat id, Zalo id or phone in an alert.
var longNumber = regexp.MustCompile(`\d{6,}`)

// MaskIDs keeps residents' ids and phone numbers out of alerts that leave
// Loa (e-mail, chats): only their last three digits stay, enough for the
// office to find the delivery in the dashboard, where the whole id is.
func MaskIDs(text string) string {
	return longNumber.ReplaceAllStringFunc(text, func(n string) string { return "…" + n[len(n)-3:] })
}

var alertTitles = map[string]string{"missed": "lượt gửi bị lỡ", "held": "lượt gửi bị giữ lại", "failed": "gửi không được",
	"dead": "bỏ gửi sau nhiều lần thử", "down": "một kênh đang hỏng", "paused": "một kênh tạm dừng", "unknown": "không rõ đã gửi chưa",
	"zalo-auth": "Zalo OA cần cấp quyền lại"}

func alertTitle(kind string) string {
	if t, ok := alertTitles[kind]; ok {
		return t
	}
	return kind
}

// Digest sends each person the notices waiting for them (their daily
// digest, or held back this hour) in one message; those sent are marked.
func (r *Router) Digest(ctx context.Context) (int, error) {
	waiting, err := r.DB.Waiting(ctx)
	if err != nil || len(waiting) == 0 {
		return 0, err
	}
	users, err := r.DB.Users(ctx)
	if err != nil {
		return 0, err
	}
	byID := map[int64]staff.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	byUser := map[int64][]Notice{}
	var order []int64
	for _, n := range waiting {
		if _, ok := byUser[n.UserID]; !ok {
			order = append(order, n.UserID)
		}
		byUser[n.UserID] = append(byUser[n.UserID], n)
	}
	sent := 0
	now := r.Now()
	for _, id := range order {
		u, ok := byID[id]
		if !ok || !u.Active() {
			continue
		}
		ns := byUser[id]
		var b strings.Builder
		for i, n := range ns {
			if i == 20 {
				fmt.Fprintf(&b, "… và %d thông báo nữa trên trang Hôm nay của Loa.\n", len(ns)-20)
				break
			}
			fmt.Fprintf(&b, "• %s %s\n", n.Created.In(content.Zone).Format("15:04 02/01"), strings.ReplaceAll(n.Text, "\n", " — "))
		}
		m := Message{Subject: fmt.Sprintf("Loa: %d thông báo", len(ns)), Text: strings.TrimSpace(b.String())}
		via, note := r.send(ctx, u, m)
		if via == "" {
			r.Log.Warn("digest not sent", "to", u.Name, "why", note)
			continue
		}
		for _, n := range ns {
			if err := r.DB.MarkNotice(ctx, n.ID, NoteDigest+":"+via, "", now, now); err != nil {
				return sent, err
			}
		}
		sent++
	}
	return sent, nil
}

// Reach is how a staff member can be reached on Zalo now.
type Reach struct {
	User     staff.User
	Last     time.Time // last wrote to the OA; zero: never
	InWindow bool
}

// Window is how long after a person last wrote to the OA it may send them
// consultation messages.
const Window = 7 * 24 * time.Hour

// ZaloReach lists the active accounts with a Zalo user id and whether each
// is within the window, those outside it first.
func (r *Router) ZaloReach(ctx context.Context) ([]Reach, error) {
	users, err := r.DB.Users(ctx)
	if err != nil {
		return nil, err
	}
	now := r.Now()
	var out []Reach
	for _, u := range users {
		if !u.Active() || u.ZaloID == "" {
			continue
		}
		last, ok, err := r.DB.LastInteraction(ctx, u.ZaloID)
		if err != nil {
			return nil, err
		}
		out = append(out, Reach{User: u, Last: last, InWindow: ok && now.Sub(last) < Window})
	}
	slices.SortStableFunc(out, func(a, b Reach) int {
		if a.InWindow == b.InWindow {
			return 0
		}
		if !a.InWindow {
			return -1
		}
		return 1
	})
	return out, nil
}

// Recent returns u's latest notices for the Today page.
func (r *Router) Recent(ctx context.Context, u staff.User, limit int) ([]Notice, error) {
	return r.DB.Notices(ctx, u.ID, limit)
}

// ViaLabel names how a notice went, in lang.
func ViaLabel(n Notice, lang string) string {
	via, digest := strings.CutPrefix(n.SentVia, NoteDigest+":")
	names := map[string]i18n.Text{"zalo": {VI: "Zalo", EN: "Zalo"}, "telegram": {VI: "Telegram", EN: "Telegram"}, "email": {VI: "e-mail", EN: "e-mail"}}
	switch {
	case digest:
		return i18n.Text{VI: "trong bản tin tổng hợp qua ", EN: "in the digest by "}.In(lang) + names[via].In(lang)
	case n.SentVia != "":
		return i18n.Text{VI: "đã gửi qua ", EN: "sent by "}.In(lang) + names[via].In(lang)
	case n.Note == NoteDigest:
		return i18n.Text{VI: "chờ bản tin sáng mai", EN: "waiting for tomorrow's digest"}.In(lang)
	case n.Note == NoteHeld:
		return i18n.Text{VI: "đã nhiều thông báo trong giờ này: chờ bản tin tổng hợp", EN: "many notices this hour: waiting for the digest"}.In(lang)
	case n.Note == NoteNone:
		return i18n.Text{VI: "chỉ có ở đây: chưa có kênh nào để báo", EN: "only here: no channel to reach this person"}.In(lang)
	}
	return i18n.Text{VI: "chỉ có ở đây: không kênh nào gửi được", EN: "only here: no channel got it through"}.In(lang)
}
