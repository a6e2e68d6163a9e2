package scheduler

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Kind is how a schedule says when.
type Kind string

// The kinds of schedule (DESIGN.md §4).
const (
	KindCron     Kind = "cron"     // a cron expression, bounded by the campaign window
	KindAt       Kind = "at"       // a fixed local date and time, "2026-11-15 07:30"
	KindRelative Kind = "relative" // relative to the observance's first day, "D-3 08:00"
	KindRotation Kind = "rotation" // a cron expression cycling through several messages
)

// Spec is a parsed schedule rule: it lists the times it falls due.
type Spec struct {
	Kind  Kind
	Text  string
	cron  cron.Schedule
	at    time.Time // KindAt
	day   int       // KindRelative: days from D
	clock int       // KindRelative: minutes after midnight
	quiet quiet
}

// cronParser takes 5 fields and the descriptors (@daily, @weekly, …).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

var relativeRE = regexp.MustCompile(`^D\s*(?:([+-])\s*(\d{1,3}))?\s+(\d{1,2}):(\d{2})$`)

// ParseSpec reads a rule of kind: a cron expression for cron and rotation
// (5 fields or a descriptor such as @daily; @every is refused because its
// times depend on when it was started), "2006-01-02 15:04" for at, "D-3
// 08:00" or "D 07:30" for relative. quietHours, "22:00-06:00" or "", moves a
// time falling inside it to the window's end.
func ParseSpec(kind Kind, text, quietHours string) (Spec, error) {
	s := Spec{Kind: kind, Text: strings.TrimSpace(text)}
	var err error
	if s.quiet, err = parseQuiet(quietHours); err != nil {
		return s, err
	}
	switch kind {
	case KindCron, KindRotation:
		if strings.HasPrefix(s.Text, "@every") {
			return s, i18n.Errorf("%q: không dùng @every; hãy ghi giờ trong ngày (ví dụ 0 19 * * MON)", "%q: @every is not allowed: give times of day (e.g. 0 19 * * MON)", s.Text)
		}
		if strings.HasPrefix(s.Text, "TZ=") || strings.HasPrefix(s.Text, "CRON_TZ=") {
			return s, i18n.Errorf("%q: giờ luôn là giờ Việt Nam (Asia/Ho_Chi_Minh); hãy bỏ múi giờ", "%q: times are always Asia/Ho_Chi_Minh; remove the time zone", s.Text)
		}
		if s.cron, err = cronParser.Parse("CRON_TZ=Asia/Ho_Chi_Minh " + s.Text); err != nil {
			return s, i18n.Errorf("%q không phải biểu thức cron: năm trường phút, giờ, ngày, tháng, thứ (ví dụ 0 19 * * MON = 19:00 thứ Hai)", "%q is not a cron expression (e.g. 0 19 * * MON): %s", s.Text, err.Error())
		}
	case KindAt:
		if s.at, err = time.ParseInLocation("2006-01-02 15:04", s.Text, content.Zone); err != nil {
			return s, i18n.Errorf("%q không phải ngày giờ (ví dụ 2026-11-15 07:30)", "%q is not a local date and time (e.g. 2026-11-15 07:30)", s.Text)
		}
	case KindRelative:
		m := relativeRE.FindStringSubmatch(s.Text)
		if m == nil {
			return s, i18n.Errorf("%q không phải giờ tính theo ngày lễ (ví dụ D-3 08:00, D 07:30)", "%q is not a time relative to the observance (e.g. D-3 08:00, D 07:30)", s.Text)
		}
		s.day, _ = strconv.Atoi(m[2])
		if m[1] == "-" {
			s.day = -s.day
		}
		h, _ := strconv.Atoi(m[3])
		mm, _ := strconv.Atoi(m[4])
		if h > 23 || mm > 59 {
			return s, i18n.Errorf("%q: %02d:%02d không phải giờ trong ngày", "%q: %02d:%02d is not a time of day", s.Text, h, mm)
		}
		s.clock = h*60 + mm
	default:
		return s, i18n.Errorf("%q không phải kiểu lịch (cron, at, relative, rotation)", "%q is not a kind of schedule (cron, at, relative, rotation)", kind)
	}
	return s, nil
}

// Times returns the due times of s in (after, until], in order, each moved
// out of the quiet hours. Cron and rotation times fall inside campaign c's
// window (its first day 00:00 to the end of its last day); a fixed or
// relative time is wherever it says, so a reminder may precede the window.
func (s Spec) Times(c content.Campaign, after, until time.Time) []time.Time {
	start, end := c.From.Time(0, 0), c.To.AddDays(1).Time(0, 0)
	var raw []time.Time
	switch s.Kind {
	case KindCron, KindRotation:
		t := after
		if t.Before(start) {
			t = start.Add(-time.Second)
		}
		for {
			t = s.cron.Next(t.In(content.Zone))
			if t.IsZero() || !t.Before(end) || t.After(until) {
				break
			}
			raw = append(raw, t)
		}
	case KindAt:
		raw = []time.Time{s.at}
	case KindRelative:
		raw = []time.Time{c.Starts.AddDays(s.day).Time(s.clock/60, s.clock%60)}
	}
	var out []time.Time
	for _, t := range raw {
		t = s.quiet.after(t)
		if t.After(after) && !t.After(until) {
			out = append(out, t)
		}
	}
	return out
}

// Position returns which message of a rotation is due at t: the number of
// due times in the window up to t, minus one, modulo n.
func (s Spec) Position(c content.Campaign, t time.Time, n int) int {
	if n <= 0 {
		return 0
	}
	count := len(s.Times(c, c.From.Time(0, 0).Add(-time.Second), t))
	return (max(count, 1) - 1) % n
}

// quiet is a daily window in which nothing is sent, e.g. 22:00–06:00.
type quiet struct{ from, to int } // minutes after midnight; from == to means none

func parseQuiet(s string) (quiet, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return quiet{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := minutes(a)
	to, err2 := minutes(b)
	if !ok || err1 != nil || err2 != nil || from == to {
		return quiet{}, i18n.Errorf("giờ im lặng %q không phải khoảng giờ như 22:00-06:00", "quiet hours %q are not a window such as 22:00-06:00", s)
	}
	return quiet{from, to}, nil
}

func minutes(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// after moves t to the end of the quiet window if it falls inside it.
func (q quiet) after(t time.Time) time.Time {
	if q.from == q.to {
		return t
	}
	local := t.In(content.Zone)
	m := local.Hour()*60 + local.Minute()
	day := content.DateOf(local)
	switch {
	case q.from < q.to && m >= q.from && m < q.to: // e.g. 12:00–13:00
		return day.Time(q.to/60, q.to%60)
	case q.from > q.to && m >= q.from: // e.g. 22:00–06:00, before midnight
		return day.AddDays(1).Time(q.to/60, q.to%60)
	case q.from > q.to && m < q.to: // after midnight
		return day.Time(q.to/60, q.to%60)
	}
	return t
}

// MinGap returns the shortest time between two consecutive times of a cron
// or rotation rule, sampled over a year of its times; 0 for other kinds.
func (s Spec) MinGap() time.Duration {
	if s.cron == nil {
		return 0
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, content.Zone)
	end := t.AddDate(1, 0, 0)
	gap := time.Duration(0)
	prev := s.cron.Next(t)
	for i := 0; i < 2000 && !prev.IsZero() && prev.Before(end); i++ {
		next := s.cron.Next(prev)
		if next.IsZero() {
			break
		}
		if d := next.Sub(prev); gap == 0 || d < gap {
			gap = d
		}
		prev = next
	}
	return gap
}

// ResidentGap is the shortest gap a schedule may leave between two sends
// to residents (Telegram, Zalo) unless forced: more often than hourly is
// almost always a mistyped cron ("* 19 * * *" is sixty sends an evening).
const ResidentGap = time.Hour

// CheckSchedule checks sc as both the CLI and content files give it: the
// rule, the audience, the Zalo mode, and how often it would write to
// residents, which needs force when more than hourly. It returns every
// problem, none when sc is fine.
func CheckSchedule(sc Schedule, force bool) []error {
	var errs []error
	spec, err := ParseSpec(sc.Kind, sc.Spec, sc.Quiet)
	if err != nil {
		errs = append(errs, err)
	}
	if _, err := ParseAudience(sc.Audience); err != nil {
		errs = append(errs, err)
	}
	if !ValidMode(sc.Mode) {
		errs = append(errs, content.Errorf("mode là promotion, cs hoặc zns:<mã mẫu>, không phải %q", "mode %q is not promotion, cs or zns:<template id>", sc.Mode))
	}
	residents := false
	for _, ch := range sc.Channels {
		residents = residents || ch == content.Telegram || ch == content.Zalo
	}
	if gap := spec.MinGap(); err == nil && residents && !force && gap > 0 && gap < ResidentGap {
		errs = append(errs, content.Errorf("%q gửi tới người dân cách nhau chỉ %s (quá một lần mỗi giờ); nếu đúng ý bạn, thêm --force (trong tệp: force: true)",
			"%q writes to residents only %s apart (more than once an hour); if that is what you mean, add --force (in a file: force: true)",
			sc.Spec, i18n.Duration(gap)))
	}
	return errs
}

// Closings are the messages of campaign c that its schedules send only
// after the observance has ended: a thank-you, a summing-up. A radio rota,
// which airs during the observance, leaves them out. Rotations are not
// counted (they are the rota), nor rules that do not parse.
func Closings(scs []ScheduleRow, c content.Campaign) map[int64]bool {
	end := c.Ends.AddDays(1).Time(0, 0)
	after, until := c.From.AddDays(-91).Time(0, 0), c.To.AddDays(91).Time(0, 0)
	late, early := map[int64]bool{}, map[int64]bool{}
	for _, sc := range scs {
		if sc.Kind == KindRotation {
			continue
		}
		spec, err := ParseSpec(sc.Kind, sc.Spec, sc.Quiet)
		if err != nil {
			continue
		}
		for _, t := range spec.Times(c, after, until) {
			for _, id := range sc.MessageIDs {
				if t.Before(end) {
					early[id] = true
				} else {
					late[id] = true
				}
			}
		}
	}
	for id := range early {
		delete(late, id)
	}
	return late
}
