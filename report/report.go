// Package report is the report that goes up, as the plan's section IV.1
// asks: the figures counted as superiors count them (Figures), the
// document laid out per Decree 30/2020 (Document: DOCX, A4 HTML, PDF), its
// XLSX annex and CSV; and, for the terminal, the year's table by campaign
// (Report).
package report

import (
	"fmt"
	"io"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
)

// Row is one campaign's figures.
type Row struct {
	Campaign     content.Campaign
	Approved     int            // messages approved
	Sent         map[string]int // by channel: delivered to a resident or chat
	Failed       map[string]int // by channel: failed, dead, unknown or blocked
	GroupPosts   int            // Zalo group posts block leaders confirmed
	GroupReach   int            // the people those groups hold, as confirmed
	Aired        int            // radio slots the operator confirmed aired
	NotAired     int
	AiredMinutes float64 // the aired scripts' reading time
	Banners      int     // banners hung (plan lines hung or removed, and banner tasks done)
}

// Report is a year's rows with the subscribers at the time it was made.
type Report struct {
	Ward        string
	Year        int
	Made        content.Date
	Rows        []Row
	Subscribers map[string]int // by channel, with consent and not blocked
}

// Channels the report has columns for.
var Channels = []content.Channel{content.Zalo, content.Telegram}

// Add counts deliveries of a campaign into its row.
func (r *Row) Add(ch content.Channel, st scheduler.DeliveryState, n, reach int) {
	if r.Sent == nil {
		r.Sent, r.Failed = map[string]int{}, map[string]int{}
	}
	switch {
	case ch == content.Loudspeaker && st == scheduler.Done:
		r.Aired += n
	case ch == content.Loudspeaker && st == scheduler.NotDone:
		r.NotAired += n
	case ch == content.Banner && st == scheduler.Done: // a crew hung a message's banner
		r.Banners += n
	case ch == content.Zalo && st == scheduler.Done: // a block leader posted to a group
		r.GroupPosts += n
		r.GroupReach += reach
	case st == scheduler.Sent:
		r.Sent[string(ch)] += n
	case st == scheduler.Failed || st == scheduler.Dead || st == scheduler.Unknown || st == scheduler.Blocked:
		r.Failed[string(ch)] += n
	}
}

// AddBanners counts a campaign's banners that went up.
func (r *Row) AddBanners(lines []banner.Line) {
	for _, l := range lines {
		if l.State == banner.Hung || l.State == banner.Removed {
			r.Banners += l.Count
		}
	}
}

// Total sums the rows.
func (rep Report) Total() Row {
	t := Row{Sent: map[string]int{}, Failed: map[string]int{}}
	for _, r := range rep.Rows {
		t.Approved += r.Approved
		for _, ch := range Channels {
			t.Sent[string(ch)] += r.Sent[string(ch)]
			t.Failed[string(ch)] += r.Failed[string(ch)]
		}
		t.GroupPosts += r.GroupPosts
		t.GroupReach += r.GroupReach
		t.Aired += r.Aired
		t.NotAired += r.NotAired
		t.AiredMinutes += r.AiredMinutes
		t.Banners += r.Banners
	}
	return t
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// Minutes is how long a script takes to read at pace syllables a minute.
func Minutes(spoken string, pace int) float64 {
	return content.ReadingTime(spoken, pace).Round(time.Second).Minutes()
}

func (rep Report) title(lang string) string {
	return i18n.Sprintf(lang, "BÁO CÁO KẾT QUẢ CÔNG TÁC TRUYỀN THÔNG NĂM %d", "REPORT ON THE YEAR'S COMMUNICATION WORK, %d", rep.Year)
}

// WriteText writes the report for a terminal in lang, a block a campaign;
// name names a campaign in lang.
func (rep Report) WriteText(w io.Writer, lang string, name func(content.Campaign) string) error {
	p := func(vi, en string, args ...any) { fmt.Fprintf(w, i18n.Pick(lang, vi, en), args...) }
	p("%s — %s\n", "%s — %s\n", rep.title(lang), rep.Ward)
	block := func(title string, r Row) {
		p("\n%s\n  Tin đã duyệt: %d\n", "\n%s\n  Approved messages: %d\n", title, r.Approved)
		p("  Zalo: %d đã gửi, %d lỗi · Telegram: %d đã gửi, %d lỗi\n", "  Zalo: %d sent, %d failed · Telegram: %d sent, %d failed\n",
			r.Sent["zalo"], r.Failed["zalo"], r.Sent["telegram"], r.Failed["telegram"])
		p("  Nhóm Zalo: %d bài đăng, khoảng %d người\n", "  Zalo groups: %d posts, about %d people\n", r.GroupPosts, r.GroupReach)
		p("  Loa: %d buổi đã phát (%s phút), %d buổi không phát\n", "  Radio: %d broadcasts aired (%s minutes), %d not aired\n",
			r.Aired, i18n.Decimal(r.AiredMinutes).Localize(lang), r.NotAired)
		p("  Băng rôn đã treo: %d\n", "  Banners hung: %d\n", r.Banners)
	}
	for _, r := range rep.Rows {
		block(name(r.Campaign), r)
	}
	block(i18n.Pick(lang, "TỔNG CỘNG", "TOTAL"), rep.Total())
	_, err := fmt.Fprintf(w, i18n.Pick(lang, "\nNgười nhận tin có đồng ý đến %s: Zalo %d, Telegram %d.\n", "\nSubscribers with consent by %s: Zalo %d, Telegram %d.\n"),
		rep.Made.Short(), rep.Subscribers["zalo"], rep.Subscribers["telegram"])
	return err
}
