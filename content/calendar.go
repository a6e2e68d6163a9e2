package content

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/loa-ward/loa/i18n"
)

// Topic is what residents subscribe to. Every observance has one.
type Topic string

// Label names the topic in lang as residents read it ("gia đình").
func (t Topic) Label(lang string) string { return i18n.Label("topic", string(t), lang) }

// The topics residents can choose.
const (
	TopicFamily     Topic = "family"
	TopicEquality   Topic = "gender-equality"
	TopicViolence   Topic = "violence-prevention"
	TopicUnassigned Topic = ""
)

// Topics lists the topics in the order they are offered to residents.
var Topics = []Topic{TopicFamily, TopicEquality, TopicViolence}

// ValidTopic reports whether t is one of Topics.
func ValidTopic(t Topic) bool { return slices.Contains(Topics, t) }

// Observance is a day or period the ward marks every year.
type Observance struct {
	Key    string   // stable identifier, e.g. "family-day"
	Name   string   // Vietnamese name, shown first
	NameEN string   // English name
	Starts MonthDay // first day
	Ends   MonthDay // last day; equal to Starts for a single day
	// LeadDays and TailDays widen the campaign window: communication starts
	// LeadDays before Starts and ends TailDays after Ends.
	LeadDays int
	TailDays int
	Topic    Topic
	Enabled  bool
}

// Builtin returns the calendar every ward starts with (DESIGN.md §2). Windows
// follow local practice: Family Day is communicated 15/6–30/6, the June
// domestic-violence month from 15/5 (off by default).
func Builtin() []Observance {
	md := func(d int, m int) MonthDay { return MonthDay{Month: timeMonth(m), Day: d} }
	return []Observance{
		{Key: "womens-day", Name: "Ngày Quốc tế Phụ nữ", NameEN: "International Women's Day",
			Starts: md(8, 3), Ends: md(8, 3), LeadDays: 7, Topic: TopicEquality, Enabled: true},
		{Key: "dv-month", Name: "Tháng hành động quốc gia về phòng, chống bạo lực gia đình",
			NameEN: "National Action Month on Domestic Violence Prevention",
			Starts: md(1, 6), Ends: md(30, 6), LeadDays: 17, Topic: TopicViolence, Enabled: false},
		{Key: "family-day", Name: "Ngày Gia đình Việt Nam", NameEN: "Vietnamese Family Day",
			Starts: md(28, 6), Ends: md(28, 6), LeadDays: 13, TailDays: 2, Topic: TopicFamily, Enabled: true},
		{Key: "vn-womens-day", Name: "Ngày Phụ nữ Việt Nam", NameEN: "Vietnamese Women's Day",
			Starts: md(20, 10), Ends: md(20, 10), LeadDays: 10, Topic: TopicEquality, Enabled: true},
		{Key: "action-month", Name: "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
			NameEN: "Action Month for Gender Equality and Prevention of Gender-Based Violence",
			Starts: md(15, 11), Ends: md(15, 12), Topic: TopicEquality, Enabled: true},
		{Key: "evaw-day", Name: "Ngày Quốc tế xóa bỏ bạo lực đối với phụ nữ và trẻ em gái",
			NameEN: "International Day for the Elimination of Violence against Women",
			Starts: md(25, 11), Ends: md(25, 11), LeadDays: 5, Topic: TopicViolence, Enabled: true},
	}
}

// Campaign is one observance in one year.
type Campaign struct {
	ID            int64
	ObservanceKey string
	Year          int
	Name          string // the observance's name with the year
	Starts, Ends  Date   // the observance itself
	From, To      Date   // the communication window, inclusive
}

// Key returns "family-day/2026", how files and commands name a campaign.
func (c Campaign) Key() string { return CampaignKey(c.ObservanceKey, c.Year) }

// CampaignKey returns "observance/year".
func CampaignKey(observance string, year int) string {
	return observance + "/" + strconv.Itoa(year)
}

// Contains reports whether d falls inside the communication window.
func (c Campaign) Contains(d Date) bool { return !d.Before(c.From) && !d.After(c.To) }

// CampaignName names o's campaign of year in lang: "Ngày Gia đình Việt Nam
// năm 2026", "Vietnamese Family Day 2026".
func (o Observance) CampaignName(year int, lang string) string {
	if lang == i18n.English && o.NameEN != "" {
		return fmt.Sprintf("%s %d", o.NameEN, year)
	}
	return fmt.Sprintf("%s năm %d", o.Name, year)
}

// CampaignFor returns the campaign of o in year. A window that crosses the
// new year (Ends before Starts) ends in the following year.
func (o Observance) CampaignFor(year int) Campaign {
	starts := o.Starts.In(year)
	ends := o.Ends.In(year)
	if ends.Before(starts) {
		ends = o.Ends.In(year + 1)
	}
	return Campaign{
		ObservanceKey: o.Key,
		Year:          year,
		Name:          o.CampaignName(year, i18n.Vietnamese),
		Starts:        starts,
		Ends:          ends,
		From:          starts.AddDays(-o.LeadDays),
		To:            ends.AddDays(o.TailDays),
	}
}

// Label returns the date or range of the observance as written in running
// text: "28/6" or "15/11 - 15/12".
func (o Observance) Label() string {
	if o.Starts == o.Ends {
		return fmt.Sprintf("%d/%d", o.Starts.Day, int(o.Starts.Month))
	}
	return fmt.Sprintf("%d/%d - %d/%d", o.Starts.Day, int(o.Starts.Month), o.Ends.Day, int(o.Ends.Month))
}

// Shift returns d moved from campaign from into campaign to, keeping its
// distance from the window's first day. Copying a year's schedules uses it.
func Shift(d Date, from, to Campaign) Date {
	return to.From.AddDays(from.From.DaysUntil(d))
}
