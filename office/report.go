package office

import (
	"context"
	"time"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/report"
)

// YearReport assembles the year's report by campaign: messages approved,
// deliveries by channel and state with their reach, radio minutes aired
// (airtime gives the minutes of a script as read on air), banners, and the
// residents each channel reaches.
func (o *Office) YearReport(ctx context.Context, year int, airtime func(script string) float64) (report.Report, error) {
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
				r.AiredMinutes += airtime(s.Text)
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
func (o *Office) CampaignFigures(ctx context.Context, c content.Campaign, airtime func(script string) float64) (report.Figures, error) {
	cs, err := o.Scope(ctx, c)
	if err != nil {
		return report.Figures{}, err
	}
	return o.figures(ctx, cs, c.Year, c.To.AddDays(1).Time(0, 0), airtime)
}

// YearFigures counts the year's results, each item once however many
// campaigns' windows hold it.
func (o *Office) YearFigures(ctx context.Context, year int, airtime func(script string) float64) (report.Figures, error) {
	cs, err := o.DB.Campaigns(ctx, year)
	if err != nil {
		return report.Figures{}, err
	}
	return o.figures(ctx, cs, year, time.Date(year+1, 1, 1, 0, 0, 0, 0, content.Zone), airtime)
}

func (o *Office) figures(ctx context.Context, cs []content.Campaign, year int, end time.Time, airtime func(string) float64) (report.Figures, error) {
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
		f.Radio.Minutes += airtime(s.Text)
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
	if now := o.Now(); now.Before(end) {
		end = now
	}
	f.Subscribers, err = o.DB.SubscribersAt(ctx, year, end)
	return f, err
}
