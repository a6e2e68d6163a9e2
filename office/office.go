package office

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/report"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// Store is what the office reads and records (store.DB).
type Store interface {
	AddSlogans(ctx context.Context, ss []banner.Slogan, actor string, now time.Time) (int, error)
	AddBanners(ctx context.Context, campaignID int64, lines []banner.Line, actor string, now time.Time) ([]int64, error)
	AiredScripts(ctx context.Context, year int) ([]report.AiredScript, error)
	Banners(ctx context.Context, f banner.Filter) ([]banner.Line, error)
	Campaign(ctx context.Context, observance string, year int) (content.Campaign, error)
	Campaigns(ctx context.Context, year int) ([]content.Campaign, error)
	CompleteTaskReach(ctx context.Context, id int64, done bool, who, note string, reach int, now time.Time) (scheduler.Delivery, error)
	CountAudience(ctx context.Context, ch content.Channel, topic content.Topic) (int, error)
	Deliveries(ctx context.Context, f scheduler.DeliveryFilter) ([]scheduler.Delivery, error)
	DeliveryCounts(ctx context.Context, runID int64) (map[content.Channel]map[scheduler.DeliveryState]int, error)
	MarkBanner(ctx context.Context, id int64, to banner.State, actor, photo, note string, now time.Time) error
	Message(ctx context.Context, id int64) (content.Message, error)
	MessageCounts(ctx context.Context, year int) (map[int64]map[content.State]int, error)
	Messages(ctx context.Context, f content.MessageFilter) ([]content.Message, error)
	Meta(ctx context.Context, key string) (string, error)
	Reach(ctx context.Context, runID int64) (map[content.Channel]int, error)
	Reachable(ctx context.Context, ch content.Channel) (int, error)
	Resend(ctx context.Context, runID int64, state scheduler.DeliveryState, actor string, now time.Time) (int, error)
	Runs(ctx context.Context, f scheduler.RunFilter) ([]scheduler.DueRun, error)
	SchedulesToPlan(ctx context.Context) ([]scheduler.PlanItem, error)
	SetMeta(ctx context.Context, key, value string) error
	Slogans(ctx context.Context, year int, observance string) ([]banner.Slogan, error)
	Tallies(ctx context.Context, year int) ([]report.Tally, error)
	ItemTallies(ctx context.Context, campaignIDs []int64) ([]report.ItemTally, []report.MonthTally, error)
	AiredIn(ctx context.Context, campaignIDs []int64) ([]report.AiredScript, error)
	SubscribersAt(ctx context.Context, year int, upTo time.Time) ([]report.Month, error)
	Requests(ctx context.Context, since time.Time) ([]privacy.Request, error)
	Activities(ctx context.Context, f activities.Filter) ([]activities.Record, error)
	ReportDraft(ctx context.Context, scope string) (report.Draft, bool, error)
	SaveReportDraft(ctx context.Context, d report.Draft, actor string, now time.Time) error
	Users(ctx context.Context) ([]staff.User, error)
}

// Office answers the ward office's questions about one database.
type Office struct {
	DB          Store
	Renderer    content.Renderer
	TaskOverdue time.Duration // a task not confirmed this long after its run is overdue
	// Render gives the text a run sends on a channel (the scheduler's renderer).
	Render RenderFunc
	Now    func() time.Time
	// Letterhead is who issues the reports (report.* in the configuration).
	Letterhead Letterhead

	// audience caches estimates for a minute: counting 200,000 residents
	// by topic on every page view would make each view slow.
	audienceMu sync.Mutex
	audienceAt time.Time
	audience   map[string]int
}

// audienceOf estimates how many residents on ch receive topic, from a count
// at most a minute old.
func (o *Office) audienceOf(ctx context.Context, ch content.Channel, topic content.Topic) (int, error) {
	o.audienceMu.Lock()
	defer o.audienceMu.Unlock()
	if now := o.Now(); o.audience == nil || now.Sub(o.audienceAt) >= time.Minute || now.Before(o.audienceAt) {
		o.audience, o.audienceAt = map[string]int{}, now
	}
	key := string(ch) + "/" + string(topic)
	if n, ok := o.audience[key]; ok {
		return n, nil
	}
	n, err := o.DB.CountAudience(ctx, ch, topic)
	if err == nil {
		o.audience[key] = n
	}
	return n, err
}

// RenderFunc renders run's message for ch, as the scheduler sends it.
type RenderFunc func(ctx context.Context, runID int64, ch content.Channel) (channels.Message, error)

// today is the current civil date in the ward.
func (o *Office) today() content.Date { return content.DateOf(o.Now()) }

// RenderMessage is the text message m shows on ch when sent at t (its
// latest version, approved or not: a preview).
func (o *Office) RenderMessage(ctx context.Context, m content.Message, ch content.Channel, t time.Time) (string, error) {
	obs, year, _ := strings.Cut(m.Campaign, "/")
	y, _ := strconv.Atoi(year)
	c, err := o.DB.Campaign(ctx, obs, y)
	if err != nil {
		return "", err
	}
	return o.Renderer.Render(m.Key, ch, m.Variants.Get(ch), c, content.DateOf(t))
}
