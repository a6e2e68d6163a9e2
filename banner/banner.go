// Package banner is the ward's banner plan: which slogan hangs where, in
// what size and number, from when to when, and who is responsible; the
// lifecycle planned → ordered → hung → removed; the reminders on hang and
// take-down dates; and the lists a ward office files (XLSX, HTML, CSV).
// It is pure: the store keeps the lines, the command line and the daemon
// call it.
package banner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// State is where a banner line stands.
type State string

const (
	Planned State = "planned"
	Ordered State = "ordered" // printed or ordered from the print shop
	Hung    State = "hung"
	Removed State = "removed"
)

var order = []State{Planned, Ordered, Hung, Removed}

// States are the states in lifecycle order.
func States() []State { return slices.Clone(order) }

// Vietnamese names the state for lists.
func (s State) Vietnamese() string { return s.Label(i18n.Vietnamese) }

// Label names the state in lang.
func (s State) Label(lang string) string { return i18n.Label("banner", string(s), lang) }

// ParseState accepts the English or Vietnamese name.
func ParseState(s string) (State, error) {
	s = strings.ToLower(strings.TrimSpace(content.Normalize(s)))
	for _, st := range order {
		if s == string(st) || s == st.Vietnamese() {
			return st, nil
		}
	}
	return "", content.Errorf("%q không phải trạng thái (planned, ordered, hung, removed)", "%q is not a state (planned, ordered, hung, removed)", s)
}

// CanMove reports whether a line may go from one state to another: only
// forward, and ordering may be skipped (a banner the ward already has).
func CanMove(from, to State) error {
	i, j := slices.Index(order, from), slices.Index(order, to)
	if i < 0 || j < 0 || j <= i || (to == Removed && from != Hung) {
		return content.Errorf("không chuyển được từ %q sang %q", "cannot go from %s to %s", from.Vietnamese(), to.Vietnamese())
	}
	return nil
}

// Kind is where a banner hangs.
type Kind string

const (
	Street  Kind = "street"  // across or along a street
	Office  Kind = "office"  // at an office, school or hall
	Vehicle Kind = "vehicle" // on a public vehicle
)

// ParseKind accepts the English or Vietnamese name.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(content.Normalize(s))) {
	case "street", "đường", "tuyến đường", "":
		return Street, nil
	case "office", "trụ sở", "cơ quan":
		return Office, nil
	case "vehicle", "xe", "phương tiện":
		return Vehicle, nil
	}
	return "", content.Errorf("%q không phải loại vị trí (street, office, vehicle)", "%q is not a kind of place (street, office, vehicle)", s)
}

// Line is one line of a campaign's banner plan.
type Line struct {
	ID          int64
	Campaign    string // "action-month/2026"
	Slogan      string
	Place       string // "Đường Lê Lợi, đoạn trước UBND phường"
	Kind        Kind
	Size        string // "5 × 0,8 m"
	Count       int
	HangOn      content.Date
	DownOn      content.Date
	Responsible string // a person or unit, as tasks are assigned
	Notes       string
	State       State
	By          string    // who moved it to State
	At          time.Time // when
	Photo       string    // a photo file of the hung banner, when given
}

// DefaultDates are when a campaign's banners go up and come down: the day
// before its window opens and the day after it closes (14/11 and 16/12 for
// the action month).
func DefaultDates(c content.Campaign) (hang, down content.Date) {
	return c.From.AddDays(-1), c.To.AddDays(1)
}

// FieldError is a problem with one field of a line, named as CSV files
// name it (khau_hieu, vi_tri, …).
type FieldError struct {
	Field string
	Err   error
}

func (f FieldError) Error() string { return f.Localize("en") }

// Localize is the problem in lang, "vi" or "en".
func (f FieldError) Localize(lang string) string { return f.Field + ": " + i18n.Error(f.Err, lang) }

// Check returns the line's problems.
func (l Line) Check() []FieldError {
	var errs []FieldError
	bad := func(field, vi, en string, args ...any) {
		errs = append(errs, FieldError{field, content.Errorf(vi, en, args...)})
	}
	if strings.TrimSpace(l.Slogan) == "" {
		bad("khau_hieu", "cần khẩu hiệu", "the slogan is missing")
	}
	if strings.TrimSpace(l.Place) == "" {
		bad("vi_tri", "cần vị trí treo", "the place is missing")
	}
	if l.Count < 1 || l.Count > 1000 {
		bad("so_luong", "%d không phải số lượng (1–1000)", "%d is not a count (1–1000)", l.Count)
	}
	if !l.HangOn.IsZero() && !l.DownOn.IsZero() && !l.DownOn.After(l.HangOn) {
		bad("ngay_thao", "ngày tháo %s phải sau ngày treo %s", "take-down %s must come after hanging %s", l.DownOn.Short(), l.HangOn.Short())
	}
	if strings.TrimSpace(l.Responsible) == "" {
		bad("phu_trach", "cần người hoặc đơn vị phụ trách", "who is responsible is missing")
	}
	return errs
}

// Reminder is what a responsible person is told on a day.
type Reminder struct {
	Line    Line
	Kind    string // "hang", "late-hang", "take-down", "overdue"
	Overdue int    // days past the hang date (late-hang) or the take-down date (overdue)
}

// Text is the reminder as the responsible person reads it.
func (r Reminder) Text() string {
	l := r.Line
	what := fmt.Sprintf("%d băng rôn «%s» tại %s", l.Count, l.Slogan, l.Place)
	switch r.Kind {
	case "hang":
		return fmt.Sprintf("Nhắc việc: treo %s, ngày %s (phụ trách: %s).", what, l.HangOn.Short(), l.Responsible)
	case "take-down":
		return fmt.Sprintf("Nhắc việc: hôm nay %s tháo %s (phụ trách: %s).", l.DownOn.Short(), what, l.Responsible)
	case "late-hang":
		return fmt.Sprintf("Chưa treo, trễ %d ngày: %s, hạn treo %s (phụ trách: %s).", r.Overdue, what, l.HangOn.Short(), l.Responsible)
	}
	return fmt.Sprintf("Quá hạn tháo %d ngày: %s, hạn %s (phụ trách: %s).", r.Overdue, what, l.DownOn.Short(), l.Responsible)
}

// Reminders are the day's reminders, in the ward's calendar: the day
// before and the day of hanging for a banner not up yet, and every day
// after while it is still not up (until its take-down date); the take-down
// day for one that is up, and every day after it while it stays up.
func Reminders(lines []Line, day content.Date) []Reminder {
	var out []Reminder
	for _, l := range lines {
		switch {
		case (l.State == Planned || l.State == Ordered) && !l.HangOn.IsZero() && (day == l.HangOn.AddDays(-1) || day == l.HangOn):
			out = append(out, Reminder{Line: l, Kind: "hang"})
		case (l.State == Planned || l.State == Ordered) && !l.HangOn.IsZero() && day.After(l.HangOn) && day.Before(l.DownOn):
			out = append(out, Reminder{Line: l, Kind: "late-hang", Overdue: l.HangOn.DaysUntil(day)})
		case l.State == Hung && !l.DownOn.IsZero() && day == l.DownOn:
			out = append(out, Reminder{Line: l, Kind: "take-down"})
		case l.State == Hung && !l.DownOn.IsZero() && day.After(l.DownOn):
			out = append(out, Reminder{Line: l, Kind: "overdue", Overdue: l.DownOn.DaysUntil(day)})
		}
	}
	return out
}

// Overdue reports whether a hung banner is past its take-down date on day.
func (l Line) Overdue(day content.Date) bool {
	return l.State == Hung && !l.DownOn.IsZero() && day.After(l.DownOn)
}

// Sort orders lines for lists: by hang date, then place in Vietnamese order.
func Sort(lines []Line) {
	content.SortVietnameseFunc(lines, func(l Line) string { return l.Place })
	slices.SortStableFunc(lines, func(a, b Line) int { return -a.HangOn.DaysUntil(b.HangOn) })
}
