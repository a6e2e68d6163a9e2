package report

import (
	"testing"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

func TestRowsAndTotal(t *testing.T) {
	var a, b Row
	a.Campaign.Name, b.Campaign.Name = "A", "B"
	a.Add(content.Zalo, scheduler.Sent, 10, 0)
	a.Add(content.Zalo, scheduler.Blocked, 2, 0)
	a.Add(content.Zalo, scheduler.Done, 1, 80)  // a block group post
	a.Add(content.Zalo, scheduler.Queued, 5, 0) // not yet anything
	a.Add(content.Loudspeaker, scheduler.Done, 2, 0)
	a.Add(content.Loudspeaker, scheduler.NotDone, 1, 0)
	a.Add(content.Banner, scheduler.Done, 1, 0) // a message's banner task, not a group post
	b.Add(content.Telegram, scheduler.Sent, 7, 0)
	b.Add(content.Telegram, scheduler.Unknown, 1, 0)
	b.AddBanners([]banner.Line{{State: banner.Hung, Count: 3}, {State: banner.Removed, Count: 2}, {State: banner.Planned, Count: 9}})
	rep := Report{Ward: "phường X", Year: 2026, Rows: []Row{a, b}}
	tot := rep.Total()
	if tot.Sent["zalo"] != 10 || tot.Failed["zalo"] != 2 || tot.Sent["telegram"] != 7 || tot.Failed["telegram"] != 1 ||
		tot.GroupPosts != 1 || tot.GroupReach != 80 || tot.Aired != 2 || tot.NotAired != 1 || tot.Banners != 6 {
		t.Errorf("total: %+v", tot)
	}
}
