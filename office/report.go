package office

import (
	"context"

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
