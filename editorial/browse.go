package editorial

import (
	"context"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/staff"
)

// CampaignSummary is a campaign with its messages counted by state.
type CampaignSummary struct {
	content.Campaign
	Messages map[content.State]int
}

// Campaigns returns the campaigns of year (every year for 0) in date order,
// each with its messages by state.
func (d *Desk) Campaigns(ctx context.Context, year int) ([]CampaignSummary, error) {
	cs, err := d.DB.Campaigns(ctx, year)
	if err != nil {
		return nil, err
	}
	counts, err := d.DB.MessageCounts(ctx, year)
	if err != nil {
		return nil, err
	}
	out := make([]CampaignSummary, len(cs))
	for i, c := range cs {
		out[i] = CampaignSummary{c, counts[c.ID]}
	}
	return out, nil
}

// Messages returns the messages f selects: campaigns in date order, and
// within each campaign titles in Vietnamese alphabetical order.
func (d *Desk) Messages(ctx context.Context, f content.MessageFilter) ([]content.Message, error) {
	ms, err := d.DB.Messages(ctx, f)
	if err != nil {
		return nil, err
	}
	for start := 0; start < len(ms); {
		end := start + 1
		for end < len(ms) && ms[end].CampaignID == ms[start].CampaignID {
			end++
		}
		content.SortVietnameseFunc(ms[start:end], func(m content.Message) string { return m.Title })
		start = end
	}
	return ms, nil
}

// History is a message's versions, oldest first, and its audit log.
type History struct {
	Versions []content.Version
	Log      []staff.AuditEntry
}

// History returns m's versions and what was done to it, by whom.
func (d *Desk) History(ctx context.Context, m content.Message) (History, error) {
	var h History
	var err error
	if h.Versions, err = d.DB.Versions(ctx, m.ID); err != nil {
		return h, err
	}
	h.Log, err = d.DB.Audit(ctx, "message", m.ID)
	return h, err
}
