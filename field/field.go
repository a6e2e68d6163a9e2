// Package field is the work of the people in the field, done from a phone
// without an account's password: each task a person completes (a post to
// paste in a block's Zalo group, a radio slot to air, a banner line to hang
// or take down) gets a signed link. The link's token is random, kept only
// as its SHA-256, bound to one task and one account, expires, can be
// revoked, and opens that task's page and nothing else. What a person
// confirms through it goes through the office service and its audit log,
// as from the dashboard.
package field

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// Kind is what a link is for.
type Kind string

// The kinds of task.
const (
	Delivery Kind = "delivery" // a delivery a person completes: a block post, a radio slot
	Banner   Kind = "banner"   // a line of the banner plan
)

// Link is a task link as the database keeps it (without its token).
type Link struct {
	Kind    Kind
	Target  int64 // the delivery's or the banner line's id
	User    staff.User
	Created time.Time
	Expires time.Time
	Revoked time.Time // zero: not revoked
}

// Photo is a picture taken in the field, kept in the database.
type Photo struct {
	ID      int64
	SHA256  string
	Type    string // image/jpeg or image/png
	Data    []byte
	TakenBy string
	Created time.Time
}

// Ref is how a banner line refers to a kept photo.
func (p Photo) Ref() string { return PhotoRef(p.ID) }

// PhotoRef is the reference of photo id: "photo:12".
func PhotoRef(id int64) string { return fmt.Sprintf("photo:%d", id) }

// Store is what links and photos need (store.DB).
type Store interface {
	AddTaskLink(ctx context.Context, tokenHash string, l Link) error
	TaskLink(ctx context.Context, tokenHash string) (Link, error) // content.ErrNotFound when none
	RevokeTaskLinks(ctx context.Context, kind Kind, target int64, actor string, now time.Time) (int, error)
	SavePhoto(ctx context.Context, p Photo) (Photo, error) // the kept one when the same picture is there
	Photo(ctx context.Context, id int64) (Photo, error)
	Users(ctx context.Context) ([]staff.User, error)
}

// The refusals of a link. Each is a page of its own: the person holding it
// learns what happened and whom to ask.
var (
	ErrUnknown = i18n.Errorf("liên kết không hợp lệ: hãy mở đúng liên kết trong tin nhắn, hoặc hỏi cán bộ văn hóa - xã hội",
		"this link is not valid: open the link exactly as it came, or ask the culture officer")
	ErrExpired = i18n.Errorf("liên kết đã hết hạn: hãy xin cán bộ văn hóa - xã hội gửi liên kết mới",
		"this link has expired: ask the culture officer for a new one")
	ErrRevoked = i18n.Errorf("liên kết đã bị thu hồi: việc này đã giao cho người khác hoặc đã được gửi lại",
		"this link was revoked: the task was given to someone else or sent again")
	ErrOtherTask = i18n.Errorf("liên kết này dành cho một việc khác", "this link is for another task")
	ErrNotYours  = i18n.Errorf("việc này không còn giao cho bạn", "this task is no longer yours")
)

// Links issues and honours task links.
type Links struct {
	DB     Store
	Office *office.Office
	Now    func() time.Time
	// TTL is how long a delivery's link works (default 72h); a banner
	// line's works until the day after its take-down date, and at least TTL.
	TTL time.Duration
	// Base is http.public_url: links are Base + "/t/" + token.
	Base string
	Pace int // the radio's reading pace (content.pace)
}

// Issued is a new link: its address, once; the database keeps only its hash.
type Issued struct {
	URL     string
	Token   string
	Expires time.Time
}

// TokenHash is how the database keeps a token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (l *Links) ttl() time.Duration {
	if l.TTL <= 0 {
		return 72 * time.Hour
	}
	return l.TTL
}

// Owners are the active accounts a task assigned to assignee belongs to:
// the account of that name, or every account of that role.
func (l *Links) Owners(ctx context.Context, assignee string) ([]staff.User, error) {
	users, err := l.DB.Users(ctx)
	if err != nil {
		return nil, err
	}
	return owners(users, assignee), nil
}

// Issue makes a link to task (kind, target) for u, who must own it. The
// office (MayPlan), an admin, the daemon, or u for their own task issue links.
func (l *Links) Issue(ctx context.Context, actor staff.Actor, kind Kind, target int64, u staff.User) (Issued, error) {
	if !actor.MayPlan() && actor.Name != u.Name {
		return Issued{}, staff.ErrForbidden
	}
	if !u.Active() {
		return Issued{}, ErrNotYours
	}
	now := l.Now()
	expires := now.Add(l.ttl())
	switch kind {
	case Delivery:
		d, _, err := l.Office.Task(ctx, target)
		if err != nil {
			return Issued{}, err
		}
		if !u.As(staff.Link).Owns(d.Assignee) {
			return Issued{}, &office.NotYoursError{What: "task", ID: target}
		}
	case Banner:
		line, err := l.banner(ctx, target)
		if err != nil {
			return Issued{}, err
		}
		if !u.As(staff.Link).Owns(line.Responsible) {
			return Issued{}, &office.NotYoursError{What: "banner", ID: target}
		}
		if end := line.DownOn.AddDays(2).Time(0, 0); end.After(expires) {
			expires = end
		}
	default:
		return Issued{}, fmt.Errorf("no task kind %q", kind)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := l.DB.AddTaskLink(ctx, TokenHash(token), Link{Kind: kind, Target: target, User: u, Created: now, Expires: expires}); err != nil {
		return Issued{}, err
	}
	return Issued{URL: strings.TrimRight(l.Base, "/") + "/t/" + token, Token: token, Expires: expires}, nil
}

// Revoke ends every link to task (kind, target).
func (l *Links) Revoke(ctx context.Context, actor staff.Actor, kind Kind, target int64) (int, error) {
	if !actor.MayPlan() {
		return 0, staff.ErrForbidden
	}
	return l.DB.RevokeTaskLinks(ctx, kind, target, actor.Audit(), l.Now())
}

// Task is what a link opens: the task, for its person.
type Task struct {
	Link
	Delivery scheduler.Delivery // for Kind Delivery
	Message  channels.Message   // what to post or read
	Banner   banner.Line        // for Kind Banner
	Reading  time.Duration      // a radio script's reading time
	Group    string             // a block post's Zalo group
	Done     bool               // confirmed already: the page shows how
}

// Open checks token and returns its task. A token that is malformed, was
// never issued, or differs by one character is ErrUnknown; one past its
// time ErrExpired; one revoked ErrRevoked; one whose person no longer owns
// the task, or whose account was disabled, ErrNotYours.
func (l *Links) Open(ctx context.Context, token string) (Task, error) {
	if len(token) != 43 || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return Task{}, ErrUnknown
	}
	link, err := l.DB.TaskLink(ctx, TokenHash(token))
	if errors.Is(err, content.ErrNotFound) {
		return Task{}, ErrUnknown
	}
	if err != nil {
		return Task{}, err
	}
	switch {
	case !link.Revoked.IsZero():
		return Task{}, ErrRevoked
	case !l.Now().Before(link.Expires):
		return Task{}, ErrExpired
	case !link.User.Active():
		return Task{}, ErrNotYours
	}
	t := Task{Link: link}
	me := link.User.As(staff.Link)
	switch link.Kind {
	case Delivery:
		d, m, err := l.Office.Task(ctx, link.Target)
		if err != nil {
			return Task{}, err
		}
		if !me.Owns(d.Assignee) {
			return Task{}, ErrNotYours
		}
		t.Delivery, t.Message, t.Done = d, m, d.State != scheduler.Assigned
		t.Group = strings.TrimPrefix(d.Recipient, "group:")
		if d.Channel == content.Loudspeaker {
			t.Reading = content.ReadingTime(m.Text, l.Pace)
		}
	case Banner:
		line, err := l.banner(ctx, link.Target)
		if err != nil {
			return Task{}, err
		}
		if !me.Owns(line.Responsible) {
			return Task{}, ErrNotYours
		}
		t.Banner, t.Done = line, line.State == banner.Removed
	}
	return t, nil
}

func (l *Links) banner(ctx context.Context, id int64) (banner.Line, error) {
	ls, err := l.Office.Banners(ctx, banner.Filter{ID: id})
	if err != nil {
		return banner.Line{}, err
	}
	if len(ls) == 0 {
		return banner.Line{}, office.ErrNoTask
	}
	return ls[0], nil
}

// Confirm records the person's word on the delivery token opens; target is
// the task the page showed, so a form sent with another task's id is refused.
func (l *Links) Confirm(ctx context.Context, token string, target int64, c office.Confirmation) (scheduler.Delivery, error) {
	t, err := l.Open(ctx, token)
	if err != nil {
		return scheduler.Delivery{}, err
	}
	if t.Kind != Delivery || t.Target != target {
		return scheduler.Delivery{}, ErrOtherTask
	}
	return l.Office.Confirm(ctx, t.User.As(staff.Link), target, c)
}

// MaxPhoto is the largest photo a phone may send (a 12-megapixel JPEG is 3–6 MB).
const MaxPhoto = 8 << 20

// CheckPhoto returns the picture's type when b is a whole JPEG or PNG no
// larger than MaxPhoto.
func CheckPhoto(b []byte) (string, error) {
	if len(b) == 0 {
		return "", i18n.Errorf("chưa có ảnh", "there is no photo")
	}
	if len(b) > MaxPhoto {
		return "", i18n.Errorf("ảnh lớn hơn %d MB", "the photo is larger than %d MB", MaxPhoto>>20)
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "jpeg" && format != "png") {
		return "", i18n.Errorf("ảnh phải là JPG hoặc PNG", "the photo must be a JPG or PNG")
	}
	// A whole picture, not only a header: a cut-off upload is refused.
	if format == "jpeg" {
		_, err = jpeg.Decode(bytes.NewReader(b))
	} else {
		_, err = png.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return "", i18n.Errorf("ảnh bị hỏng hoặc gửi chưa hết: hãy chụp lại", "the photo is damaged or incomplete: take it again")
	}
	return "image/" + format, nil
}

// KeepPhoto checks and keeps a photo actor took; the same picture twice is
// kept once.
func KeepPhoto(ctx context.Context, db Store, actor string, b []byte, now time.Time) (Photo, error) {
	typ, err := CheckPhoto(b)
	if err != nil {
		return Photo{}, err
	}
	sum := sha256.Sum256(b)
	return db.SavePhoto(ctx, Photo{SHA256: hex.EncodeToString(sum[:]), Type: typ, Data: b, TakenBy: actor, Created: now})
}

// MarkBanner records the banner line token opens as hung or taken down,
// with the photo taken on the phone (nil for none): the photo is kept in
// the database (and so in every backup), and the line refers to it.
func (l *Links) MarkBanner(ctx context.Context, token string, target int64, to banner.State, photo []byte, note string) error {
	t, err := l.Open(ctx, token)
	if err != nil {
		return err
	}
	if t.Kind != Banner || t.Target != target {
		return ErrOtherTask
	}
	if to != banner.Hung && to != banner.Removed {
		return fmt.Errorf("a banner link marks hung or removed, not %s", to)
	}
	me := t.User.As(staff.Link)
	ref := ""
	if len(photo) > 0 {
		p, err := KeepPhoto(ctx, l.DB, me.Audit(), photo, l.Now())
		if err != nil {
			return err
		}
		ref = p.Ref()
	}
	if note == "" {
		note = "xác nhận qua liên kết"
	}
	return l.Office.MarkBanner(ctx, me, target, to, ref, note)
}
