// Package editorial is the comms officer's workflow over the content model
// and the store: importing and exporting content files, saving drafts with
// the text rules applied, and creating a year's campaigns, from the calendar
// or by copying the year before. The CLI uses it now and the dashboard later,
// so both apply the same checks.
package editorial

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// Store is what the desk keeps content and schedules in (store.DB).
type Store interface {
	ReplaceSchedule(ctx context.Context, old int64, sc scheduler.Schedule, actor string, now time.Time) (int64, error)
	Slogans(ctx context.Context, year int, observance string) ([]banner.Slogan, error)
	SaveDraft(ctx context.Context, campaignID int64, d content.Draft, actor string, now time.Time) (m content.Message, changed bool, err error)
	Audit(ctx context.Context, entity string, id int64) ([]staff.AuditEntry, error)
	MessageCounts(ctx context.Context, year int) (map[int64]map[content.State]int, error)
	AddSchedule(ctx context.Context, sc scheduler.Schedule, actor string, now time.Time) (int64, error)
	Campaign(ctx context.Context, observance string, year int) (content.Campaign, error)
	Campaigns(ctx context.Context, year int) ([]content.Campaign, error)
	CopyCampaign(ctx context.Context, from, to content.Campaign, actor string, now time.Time) (content.Campaign, int, int, error)
	CreateCampaign(ctx context.Context, c content.Campaign, actor string, now time.Time) (content.Campaign, error)
	Import(ctx context.Context, items []scheduler.ImportItem, actor string, now time.Time) (scheduler.ImportResult, error)
	Message(ctx context.Context, id int64) (content.Message, error)
	Messages(ctx context.Context, f content.MessageFilter) ([]content.Message, error)
	MessagesByKey(ctx context.Context, key string) ([]content.Message, error)
	RemoveSchedule(ctx context.Context, id int64, actor string, now time.Time) (cancelled int, err error)
	Schedules(ctx context.Context, f scheduler.ScheduleFilter) ([]scheduler.ScheduleRow, error)
	Transition(ctx context.Context, id int64, action content.Action, actor, reason string, now time.Time) (content.Message, error)
	Versions(ctx context.Context, id int64) ([]content.Version, error)
}

// Desk does the editorial work for one ward.
type Desk struct {
	DB         Store
	Ward       string
	Calendar   []content.Observance
	Hotlines   map[string]string
	Pace       int           // loudspeaker syllables a minute
	MaxReading time.Duration // warn past this reading time; 0 never warns
	// SelfApproval lets a leader approve what they wrote or submitted.
	SelfApproval bool
	Now          func() time.Time
	// Changed, when set, is told that schedules or approvals changed, so the
	// daemon plans at once rather than at its next minute.
	Changed func()
}

func (d *Desk) now() time.Time { return d.Now() }

// changed tells Changed, when err is nil.
func (d *Desk) changed(err error) {
	if err == nil && d.Changed != nil {
		d.Changed()
	}
}

// Observance returns the configured observance with key.
func (d *Desk) Observance(key string) (content.Observance, bool) {
	return d.Renderer().Observance(key)
}

// Rules returns the text rules for a message of campaign c: its templates
// are checked as they render on every day of the window, and the text as on
// its first day.
func (d *Desk) Rules(o content.Observance, c content.Campaign) content.Rules {
	r := content.Rules{
		Data:       content.DataFor(d.Ward, o, c, c.From, d.Hotlines),
		Pace:       d.Pace,
		MaxReading: d.MaxReading,
	}
	for day := c.From.AddDays(1); !c.To.Before(day); day = day.AddDays(1) {
		r.Days = append(r.Days, content.DataFor(d.Ward, o, c, day, d.Hotlines))
	}
	return r
}

// CreateYear creates the campaigns of every enabled observance for year and
// returns those it created; campaigns already there are left alone.
func (d *Desk) CreateYear(ctx context.Context, year int, actor string, now time.Time) ([]content.Campaign, error) {
	var created []content.Campaign
	for _, o := range d.Calendar {
		if !o.Enabled {
			continue
		}
		c, err := d.DB.CreateCampaign(ctx, o.CampaignFor(year), actor, now)
		if errors.Is(err, content.ErrExists) {
			continue
		}
		if err != nil {
			return created, err
		}
		created = append(created, c)
	}
	return created, nil
}

// Copied reports one campaign copied from the year before.
type Copied struct {
	Campaign  content.Campaign
	From      content.Campaign
	Messages  int
	Schedules int
	Skipped   string // why this campaign was not copied, "" when it was
}

// CopyYear creates year's campaigns from those of from: messages become drafts
// of the new year, schedules are copied with fixed dates moved. Campaigns that
// already exist in year, and observances no longer enabled, are skipped and
// reported so.
func (d *Desk) CopyYear(ctx context.Context, from, year int, actor string, now time.Time) ([]Copied, error) {
	if from == year {
		return nil, fmt.Errorf("copy campaigns: the source and target years are both %d", year)
	}
	src, err := d.DB.Campaigns(ctx, from)
	if err != nil {
		return nil, err
	}
	if len(src) == 0 {
		return nil, fmt.Errorf("copy campaigns: there are no campaigns in %d", from)
	}
	var out []Copied
	for _, c := range src {
		r := Copied{From: c}
		o, ok := d.Observance(c.ObservanceKey)
		switch {
		case !ok || !o.Enabled:
			r.Skipped = "observance not enabled in the configuration"
		default:
			r.Campaign, r.Messages, r.Schedules, err = d.DB.CopyCampaign(ctx, c, o.CampaignFor(year), actor, now)
			if errors.Is(err, content.ErrExists) {
				r.Skipped = "already exists"
			} else if err != nil {
				return out, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}
