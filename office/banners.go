package office

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// BannerReminders returns the banner work of day: lines to hang, to take
// down, and overdue.
func (o *Office) BannerReminders(ctx context.Context, day content.Date) ([]banner.Reminder, error) {
	lines, err := o.DB.Banners(ctx, banner.Filter{})
	if err != nil {
		return nil, err
	}
	return banner.Reminders(lines, day), nil
}

// RemindBanners tells each line's responsible person the day's banner work,
// once a day between 07:00 and 22:00, and the office about overdue ones.
func (o *Office) RemindBanners(ctx context.Context, alerts scheduler.Alerter) error {
	now := o.Now().In(content.Zone)
	today := content.DateOf(now)
	if h := now.Hour(); h < 7 || h >= 22 {
		return nil
	}
	if last, err := o.DB.Meta(ctx, "banner_reminders_sent"); err != nil || last == today.String() {
		return err
	}
	rs, err := o.BannerReminders(ctx, today)
	if err != nil {
		return err
	}
	if err := o.DB.SetMeta(ctx, "banner_reminders_sent", today.String()); err != nil {
		return err
	}
	for _, r := range rs {
		alerts.Alert(ctx, scheduler.Alert{Kind: "banner-" + r.Kind, To: r.Line.Responsible, Text: r.Text()})
		if r.Kind == "overdue" {
			alerts.Alert(ctx, scheduler.Alert{Kind: "banner-overdue", Text: r.Text()})
		}
	}
	return nil
}

// UnapprovedSlogansError refuses banner lines whose slogan is neither on the
// campaign's slogan list nor in an approved message: a slogan of one's own
// needs a leader's approval like any text.
type UnapprovedSlogansError struct {
	Campaign content.Campaign
	Lines    []int // indexes into the lines given
}

func (e *UnapprovedSlogansError) Error() string { return e.Localize("en") }

// Localize says the error in lang.
func (e *UnapprovedSlogansError) Localize(lang string) string {
	if lang == "en" {
		return "a slogan of your own needs approval: put it in a message's banner variant and have it approved; nothing was saved"
	}
	return "khẩu hiệu tự viết cần được duyệt: thêm vào phần banner của một tin và trình duyệt; chưa ghi gì"
}

// AddBanners adds lines to campaign c's banner plan, each slogan in its
// approved wording, or refuses them all with *UnapprovedSlogansError.
func (o *Office) AddBanners(ctx context.Context, actor staff.Actor, c content.Campaign, lines []banner.Line) ([]int64, error) {
	if !actor.MayPlan() {
		return nil, staff.ErrForbidden
	}
	bad, err := o.approvedWording(ctx, c, lines)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, &UnapprovedSlogansError{Campaign: c, Lines: bad}
	}
	return o.DB.AddBanners(ctx, c.ID, lines, actor.Audit(), o.Now())
}

// approvedWording sets each line's slogan to the approved text it matches
// and returns the indexes of the lines that match none.
func (o *Office) approvedWording(ctx context.Context, c content.Campaign, lines []banner.Line) ([]int, error) {
	var ok []string
	ss, err := o.DB.Slogans(ctx, c.Year, c.ObservanceKey)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		ok = append(ok, s.Text)
	}
	ms, err := o.DB.Messages(ctx, content.MessageFilter{CampaignID: c.ID, State: content.StateApproved})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		ok = append(ok, strings.Split(m.Variants.Banner, "\n")...)
	}
	var bad []int
	for i, l := range lines {
		j := slices.IndexFunc(ok, func(s string) bool { return banner.Same(s, l.Slogan) })
		if j < 0 {
			bad = append(bad, i)
			continue
		}
		lines[i].Slogan = strings.TrimSpace(ok[j])
	}
	return bad, nil
}

// MarkBanner records a banner line ordered, hung or removed by actor.
// The officer and an admin mark any line; others only the lines they are
// responsible for.
func (o *Office) MarkBanner(ctx context.Context, actor staff.Actor, id int64, to banner.State, photo, note string) error {
	if !actor.MayPlan() {
		ls, err := o.DB.Banners(ctx, banner.Filter{ID: id})
		if err != nil {
			return err
		}
		if len(ls) == 0 || !actor.Owns(ls[0].Responsible) {
			return &NotYoursError{What: "banner", ID: id}
		}
	}
	return o.DB.MarkBanner(ctx, id, to, actor.Audit(), photo, note, o.Now())
}

// ConfirmBanner records the day's work on a banner line by its responsible
// person: a line not up yet is hung, one up is taken down.
func (o *Office) ConfirmBanner(ctx context.Context, actor staff.Actor, id int64) (banner.State, error) {
	ls, err := o.DB.Banners(ctx, banner.Filter{ID: id})
	if err != nil {
		return "", err
	}
	if len(ls) == 0 || !actor.MayConfirm(ls[0].Responsible) {
		return "", &NotYoursError{What: "banner", ID: id}
	}
	to := banner.Hung
	if ls[0].State == banner.Hung {
		to = banner.Removed
	}
	note := deskNote(actor)
	if err := o.DB.MarkBanner(ctx, id, to, actor.Name, "", note, o.Now()); err != nil {
		return "", fmt.Errorf("mark banner %d: %w", id, err)
	}
	return to, nil
}

// Banners returns the banner plan's lines f selects.
func (o *Office) Banners(ctx context.Context, f banner.Filter) ([]banner.Line, error) {
	return o.DB.Banners(ctx, f)
}

// Slogans returns campaign c's official slogan list, in order.
func (o *Office) Slogans(ctx context.Context, c content.Campaign) ([]banner.Slogan, error) {
	return o.DB.Slogans(ctx, c.Year, c.ObservanceKey)
}

// SloganNo returns line n (from 1) of campaign c's slogan list.
func (o *Office) SloganNo(ctx context.Context, c content.Campaign, n int) (string, error) {
	ss, err := o.Slogans(ctx, c)
	if err != nil {
		return "", err
	}
	if n < 1 || n > len(ss) {
		return "", i18n.Errorf("danh sách khẩu hiệu %s có %d câu, không có câu %d", "the slogan list of %s has %d lines, not %d", c.Key(), len(ss), n)
	}
	return ss[n-1].Text, nil
}

// AddSlogans appends slogans read from a list (banner.ReadSlogans) issued
// by document to campaign c's list; a new list opens with the campaign's
// "Hưởng ứng …" line when the file lacks one. Texts the list has are
// skipped; it returns how many were added and how many skipped.
func (o *Office) AddSlogans(ctx context.Context, actor staff.Actor, c content.Campaign, document string, read []banner.Slogan) (added, skipped int, err error) {
	if !actor.MayPlan() {
		return 0, 0, staff.ErrForbidden
	}
	existing, err := o.Slogans(ctx, c)
	if err != nil {
		return 0, 0, err
	}
	var ss []banner.Slogan
	if len(existing) == 0 && (len(read) == 0 || !strings.HasPrefix(read[0].Text, "Hưởng ứng")) {
		ss = append(ss, banner.Slogan{Text: banner.Opening(c)})
	}
	ss = append(ss, read...)
	for i := range ss {
		ss[i].Year, ss[i].Observance, ss[i].Document = c.Year, c.ObservanceKey, document
	}
	added, err = o.DB.AddSlogans(ctx, ss, actor.Audit(), o.Now())
	return added, len(ss) - added, err
}

// PeopleNames are how printed sheets name the office's people: login →
// full name, with the title when there is one.
func (o *Office) PeopleNames(ctx context.Context) (map[string]string, error) {
	users, err := o.DB.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, u := range users {
		out[u.Name] = u.FullName
		if u.Title != "" {
			out[u.Name] += ", " + u.Title
		}
	}
	return out, nil
}
