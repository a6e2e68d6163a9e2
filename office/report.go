package office

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/report"
	"github.com/loa-ward/loa/staff"
)

// YearReport assembles the year's report by campaign: messages approved,
// deliveries by channel and state with their reach, radio minutes aired
// (airtime gives the minutes of a script as read on air), banners, and the
// residents each channel reaches.
func (o *Office) YearReport(ctx context.Context, year int, airtime func(title, script string) float64) (report.Report, error) {
	rep := report.Report{Ward: o.Renderer.Ward, Year: year, Made: o.today(), Subscribers: map[string]int{}}
	cs, err := o.DB.Campaigns(ctx, year)
	if err != nil {
		return rep, err
	}
	counts, err := o.DB.MessageCounts(ctx, year)
	if err != nil {
		return rep, err
	}
	tallies, err := o.DB.Tallies(ctx, year)
	if err != nil {
		return rep, err
	}
	aired, err := o.DB.AiredScripts(ctx, year)
	if err != nil {
		return rep, err
	}
	for _, c := range cs {
		r := report.Row{Campaign: c, Approved: counts[c.ID][content.StateApproved]}
		for _, t := range tallies {
			if t.CampaignID == c.ID {
				r.Add(t.Channel, t.State, t.Count, t.Reach)
			}
		}
		for _, s := range aired {
			if s.CampaignID == c.ID {
				r.AiredMinutes += airtime(s.Title, s.Text)
			}
		}
		lines, err := o.DB.Banners(ctx, banner.Filter{CampaignID: c.ID})
		if err != nil {
			return rep, err
		}
		r.AddBanners(lines)
		rep.Rows = append(rep.Rows, r)
	}
	for _, ch := range report.Channels {
		if rep.Subscribers[string(ch)], err = o.DB.Reachable(ctx, ch); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Scope is what campaign c's report counts: c, and every other campaign of
// its year whose observance falls inside c's window (25/11 inside the
// Action Month), in date order.
func (o *Office) Scope(ctx context.Context, c content.Campaign) ([]content.Campaign, error) {
	cs, err := o.DB.Campaigns(ctx, c.Year)
	if err != nil {
		return nil, err
	}
	out := []content.Campaign{c}
	for _, d := range cs {
		if d.ID != c.ID && c.Contains(d.Starts) {
			out = append(out, d)
		}
	}
	return out, nil
}

// CampaignFigures counts campaign c's results as its report gives them
// (see Scope); airtime gives a script's minutes on air.
func (o *Office) CampaignFigures(ctx context.Context, c content.Campaign, airtime func(title, script string) float64) (report.Figures, error) {
	cs, err := o.Scope(ctx, c)
	if err != nil {
		return report.Figures{}, err
	}
	return o.figures(ctx, cs, c.Year, c.From.Time(0, 0), c.To.AddDays(1).Time(0, 0), airtime)
}

// YearFigures counts the year's results, each item once however many
// campaigns' windows hold it.
func (o *Office) YearFigures(ctx context.Context, year int, airtime func(title, script string) float64) (report.Figures, error) {
	cs, err := o.DB.Campaigns(ctx, year)
	if err != nil {
		return report.Figures{}, err
	}
	return o.figures(ctx, cs, year, time.Date(year, 1, 1, 0, 0, 0, 0, content.Zone), time.Date(year+1, 1, 1, 0, 0, 0, 0, content.Zone), airtime)
}

// figures counts what campaigns cs published, and what happened from start
// to end (residents subscribed, their requests).
func (o *Office) figures(ctx context.Context, cs []content.Campaign, year int, start, end time.Time, airtime func(title, script string) float64) (report.Figures, error) {
	f := report.Figures{Campaigns: cs}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	tallies, months, err := o.DB.ItemTallies(ctx, ids)
	if err != nil {
		return f, err
	}
	f.AddTallies(tallies, months)
	aired, err := o.DB.AiredIn(ctx, ids)
	if err != nil {
		return f, err
	}
	for _, s := range aired {
		f.Radio.Minutes += airtime(s.Title, s.Text)
	}
	slogans := map[string]bool{}
	var records []activities.Record
	for _, c := range cs {
		lines, err := o.DB.Banners(ctx, banner.Filter{CampaignID: c.ID})
		if err != nil {
			return f, err
		}
		for _, l := range lines {
			if l.State == banner.Hung || l.State == banner.Removed {
				f.Banners.Hung += l.Count
				f.Banners.Lines++
				slogans[content.Fold(l.Slogan)] = true
			}
		}
		rs, err := o.DB.Activities(ctx, activities.Filter{CampaignID: c.ID})
		if err != nil {
			return f, err
		}
		records = append(records, rs...)
	}
	f.Banners.Slogans = len(slogans)
	f.Activity = activities.Sum(records)
	for _, r := range records {
		if r.Category() == activities.Document {
			f.Documents = append(f.Documents, r)
		}
	}
	slices.SortStableFunc(f.Documents, func(a, b activities.Record) int { return a.Date.DaysUntil(b.Date) * -1 })
	if now := o.Now(); now.Before(end) {
		end = now
	}
	if f.Subscribers, err = o.DB.SubscribersAt(ctx, year, end); err != nil {
		return f, err
	}
	reqs, err := o.DB.Requests(ctx, start)
	if err != nil {
		return f, err
	}
	f.Requests.ByKind = map[string]int{}
	for _, r := range reqs {
		if r.ReceivedAt.After(end) {
			continue
		}
		f.Requests.Total++
		f.Requests.ByKind[r.Kind]++
		if r.Late(o.Now()) {
			f.Requests.Late++
		}
	}
	return f, nil
}

// Letterhead is who issues the ward's reports, from the configuration.
type Letterhead struct {
	Parent string // the body above, "UBND THÀNH PHỐ HẢI PHÒNG"; "" for none
	Issuer string // "ỦY BAN NHÂN DÂN PHƯỜNG LƯU KIẾM"
	Place  string // "Lưu Kiếm", for the place-date line
}

// ReportScope is what a report covers: one campaign (with the observances
// inside its window), or a year.
type ReportScope struct {
	Campaign content.Campaign // zero ID: the year
	Year     int
}

// Key names the scope as drafts are kept: "campaign:action-month/2026", "year:2026".
func (s ReportScope) Key() string {
	if s.Campaign.ID != 0 {
		return "campaign:" + s.Campaign.Key()
	}
	return fmt.Sprintf("year:%d", s.Year)
}

// ReportDraft returns the report's parts as kept, or the defaults a ward
// writes: the subject, the Chairman's deputy signing for the committee,
// the usual recipients.
func (o *Office) ReportDraft(ctx context.Context, s ReportScope) (report.Draft, error) {
	d, ok, err := o.DB.ReportDraft(ctx, s.Key())
	if err != nil || ok {
		return d, err
	}
	if s.Campaign.ID != 0 {
		d.Subject = "Kết quả thực hiện " + report.LowerFirst(s.Campaign.Name)
	} else {
		d.Subject = fmt.Sprintf("Kết quả công tác truyền thông về bình đẳng giới, phòng, chống bạo lực gia đình năm %d", s.Year)
	}
	d.Signer = report.Signer{Authority: "TM. ỦY BAN NHÂN DÂN", Deputy: "KT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH"}
	users, err := o.DB.Users(ctx)
	if err != nil {
		return d, err
	}
	for _, u := range users {
		if u.Role == staff.Leader && u.Active() {
			d.Signer.Name = u.FullName
			break
		}
	}
	d.Recipients = []string{"Sở Nội vụ thành phố (để báo cáo);", "TT Đảng ủy, HĐND phường (để báo cáo);", "Chủ tịch, các PCT UBND phường;",
		"Hội Liên hiệp Phụ nữ phường;", "Lưu: VT, VH-XH."}
	return d, nil
}

// SaveReportDraft keeps the officer's parts of a report.
func (o *Office) SaveReportDraft(ctx context.Context, actor staff.Actor, d report.Draft) error {
	if !actor.MayPlan() {
		return staff.ErrForbidden
	}
	for _, s := range []*string{&d.Number, &d.Subject, &d.Text.Direction, &d.Text.Strengths, &d.Text.Limits, &d.Text.Causes, &d.Text.Directions,
		&d.Signer.Authority, &d.Signer.Deputy, &d.Signer.Title, &d.Signer.Name} {
		*s = strings.TrimSpace(content.Normalize(*s))
	}
	var rs []string
	for _, r := range d.Recipients {
		if r = strings.TrimSpace(content.Normalize(r)); r != "" {
			rs = append(rs, r)
		}
	}
	d.Recipients = rs
	if d.Subject == "" {
		return i18n.Errorf("cần trích yếu của báo cáo", "the report needs its subject")
	}
	return o.DB.SaveReportDraft(ctx, d, actor.Audit(), o.Now())
}

// Document assembles the report of s in lang, its figures counted now.
func (o *Office) Document(ctx context.Context, s ReportScope, lang string, airtime func(title, script string) float64) (report.Document, error) {
	d, err := o.ReportDraft(ctx, s)
	if err != nil {
		return report.Document{}, err
	}
	var f report.Figures
	if s.Campaign.ID != 0 {
		f, err = o.CampaignFigures(ctx, s.Campaign, airtime)
	} else {
		f, err = o.YearFigures(ctx, s.Year, airtime)
	}
	if err != nil {
		return report.Document{}, err
	}
	day := d.Date
	if day.IsZero() {
		day = o.today()
	}
	lh := o.Letterhead
	if lh.Issuer == "" {
		lh.Issuer = "ỦY BAN NHÂN DÂN " + strings.ToUpper(o.Renderer.Ward)
	}
	doc := report.Document{Lang: lang, Parent: lh.Parent, Issuer: lh.Issuer, Number: d.Number, Place: lh.Place, Date: day, Subject: d.Subject,
		Text: d.Text, Figures: f, Signer: d.Signer, Recipients: d.Recipients}
	if doc.Place == "" {
		doc.Place = placeOf(o.Renderer.Ward)
	}
	return doc, nil
}

// placeOf is a ward's name as the place-date line writes it: "Lưu Kiếm".
func placeOf(ward string) string {
	for _, p := range []string{"phường ", "xã ", "thị trấn ", "Phường ", "Xã "} {
		if rest, ok := strings.CutPrefix(ward, p); ok {
			return rest
		}
	}
	return ward
}
