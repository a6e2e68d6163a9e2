package report

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
)

// Figures are a campaign's (or a year's) results counted as a ward reports
// them: items published per channel (distinct messages, not recipients)
// apart from their reach, the radio's items, broadcasts and minutes,
// banners hung and slogans used, the activities and their participants,
// residents subscribed month by month; what failed only in the appendix.
type Figures struct {
	Campaigns []content.Campaign // what is counted: the campaign and those inside its window, or the year's
	Telegram  Published
	ZaloOA    Published // the ward's Official Account to its followers
	Groups    Published // posts block leaders confirmed in the blocks' Zalo groups; reach: the groups' members
	Radio     Radio
	Banners   Banners
	Activity  activities.Summary
	Documents []activities.Record // the documents issued, by date
	Months    []Month             // items published a month
	// Subscribers are the residents who had consented by each month's end.
	Subscribers []Month
	Internal    map[content.Channel]Internal // for the office's appendix
	// Requests are residents' requests about their data received in the
	// period, by kind (privacy.See …), and those done late or still late.
	Requests Requests
}

// Requests counts residents' requests about their data.
type Requests struct {
	ByKind map[string]int
	Total  int
	Late   int
}

// Published is what went out on a channel: distinct items and how many
// received them.
type Published struct {
	Items int // distinct messages (posts, articles)
	Reach int // recipients (people in the groups for group posts)
}

// Radio is what the ward radio aired.
type Radio struct {
	Items      int     // distinct scripts aired
	Broadcasts int     // slots aired
	NotAired   int     // slots the operator could not air
	Minutes    float64 // on air, by the scripts' reading time
}

// Banners are the banners that went up.
type Banners struct {
	Hung    int // banners hung (a line counts its number of banners)
	Lines   int // plan lines hung
	Slogans int // distinct slogans on them
}

// Internal is what did not reach residents, for the office only.
type Internal struct {
	Failed, Dead, Unknown, Blocked, Skipped int
}

// Month is one month's figures by channel ("2026-11").
type Month struct {
	Month  string
	Counts map[string]int // by channel, or "groups" for Zalo group posts
	Until  content.Date   // subscribers: the last day counted
}

// ItemTally is the ledger counted for a set of campaigns: deliveries on a
// channel, to groups or not, in a state, with the distinct messages they
// carried and the reach people confirmed.
type ItemTally struct {
	Channel    content.Channel
	Group      bool // a residential block's Zalo group (a person posts it)
	State      scheduler.DeliveryState
	Messages   int // distinct messages
	Deliveries int
	Reach      int
}

// MonthTally is the distinct messages that reached someone in a month.
type MonthTally struct {
	Month    string // "2026-11", in the ward's zone
	Channel  content.Channel
	Group    bool
	Messages int
}

// AddTallies counts the ledger into f.
func (f *Figures) AddTallies(ts []ItemTally, months []MonthTally) {
	if f.Internal == nil {
		f.Internal = map[content.Channel]Internal{}
	}
	for _, t := range ts {
		switch {
		case t.Channel == content.Loudspeaker && t.State == scheduler.Done:
			f.Radio.Items += t.Messages
			f.Radio.Broadcasts += t.Deliveries
		case t.Channel == content.Loudspeaker && t.State == scheduler.NotDone:
			f.Radio.NotAired += t.Deliveries
		case t.Group && t.State == scheduler.Done:
			f.Groups.Items += t.Deliveries // each group's post is a post
			f.Groups.Reach += t.Reach
		case t.Channel == content.Telegram && t.State == scheduler.Sent:
			f.Telegram.Items += t.Messages
			f.Telegram.Reach += t.Deliveries
		case t.Channel == content.Zalo && t.State == scheduler.Sent:
			f.ZaloOA.Items += t.Messages
			f.ZaloOA.Reach += t.Deliveries
		}
		in := f.Internal[t.Channel]
		switch t.State {
		case scheduler.Failed:
			in.Failed += t.Deliveries
		case scheduler.Dead:
			in.Dead += t.Deliveries
		case scheduler.Unknown:
			in.Unknown += t.Deliveries
		case scheduler.Blocked:
			in.Blocked += t.Deliveries
		case scheduler.Skipped:
			in.Skipped += t.Deliveries
		default:
			continue
		}
		f.Internal[t.Channel] = in
	}
	byMonth := map[string]map[string]int{}
	for _, m := range months {
		if byMonth[m.Month] == nil {
			byMonth[m.Month] = map[string]int{}
		}
		key := string(m.Channel)
		if m.Group {
			key = "groups"
		}
		byMonth[m.Month][key] += m.Messages
	}
	for _, k := range slices.Sorted(maps.Keys(byMonth)) {
		f.Months = append(f.Months, Month{Month: k, Counts: byMonth[k]})
	}
}

// WriteText writes the figures for a terminal in lang, as the report
// words them, under title; name names a campaign in lang.
func (f Figures) WriteText(w io.Writer, title, lang string, name func(content.Campaign) string) error {
	p := func(vi, en string, args ...any) { fmt.Fprintf(w, i18n.Pick(lang, vi, en), args...) }
	p("%s\n", "%s\n", title)
	for _, c := range f.Campaigns {
		p("  · %s (%s – %s)\n", "  · %s (%s – %s)\n", name(c), c.From.Short(), c.To.Short())
	}
	a := f.Activity
	p("\nTuyên truyền trực tiếp: %d hoạt động, %d lượt người tham dự (%d nữ, %d nam)\n",
		"\nIn person: %d activities, %d attendances (%d women, %d men)\n", a.Sessions, a.Participants, a.Women, a.Men())
	p("Văn bản chỉ đạo, triển khai: %d · Tài liệu in, trình chiếu: %d · Tin, bài trên trang điện tử: %d\n",
		"Directing documents: %d · Printed and screened materials: %d · Web articles: %d\n", a.Documents, a.Materials, a.Articles)
	p("Zalo OA: %d tin, %d lượt người nhận\n", "Zalo OA: %d messages, %d recipients reached\n", f.ZaloOA.Items, f.ZaloOA.Reach)
	p("Nhóm Zalo tổ dân phố: %d bài đăng, khoảng %d thành viên\n", "Block Zalo groups: %d posts, about %d members\n", f.Groups.Items, f.Groups.Reach)
	p("Telegram: %d tin, %d lượt người nhận\n", "Telegram: %d messages, %d recipients reached\n", f.Telegram.Items, f.Telegram.Reach)
	p("Loa truyền thanh: %d tin, bài; %d buổi phát, %s phút\n", "Ward radio: %d items; %d broadcasts, %s minutes\n",
		f.Radio.Items, f.Radio.Broadcasts, i18n.Decimal(f.Radio.Minutes).Localize(lang))
	p("Băng rôn, khẩu hiệu: %d băng rôn đã treo, %d khẩu hiệu\n", "Banners and slogans: %d banners hung, %d slogans\n", f.Banners.Hung, f.Banners.Slogans)
	if n := len(f.Subscribers); n > 0 {
		last := f.Subscribers[n-1]
		p("Người dân đăng ký nhận tin đến %s: Zalo %d, Telegram %d\n", "Residents subscribed by %s: Zalo %d, Telegram %d\n",
			last.Until.Short(), last.Counts["zalo"], last.Counts["telegram"])
	}
	p("\nPhụ lục (nội bộ): ", "\nAppendix (internal): ")
	for i, ch := range []content.Channel{content.Zalo, content.Telegram} {
		in := f.Internal[ch]
		if i > 0 {
			fmt.Fprint(w, " · ")
		}
		p("%s %d lỗi, %d bỏ, %d không rõ, %d bị chặn", "%s %d failed, %d given up, %d unknown, %d blocked", ch, in.Failed, in.Dead, in.Unknown, in.Blocked)
	}
	_, err := fmt.Fprintln(w)
	return err
}
