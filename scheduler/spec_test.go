package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
)

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, content.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

func campaign(key string, year int) content.Campaign {
	for _, o := range content.Builtin() {
		if o.Key == key {
			return o.CampaignFor(year)
		}
	}
	panic(key)
}

func formatTimes(ts []time.Time) string {
	var ss []string
	for _, t := range ts {
		ss = append(ss, t.In(content.Zone).Format("01-02 15:04"))
	}
	return strings.Join(ss, " ")
}

func TestSpecTimes(t *testing.T) {
	am := campaign("action-month", 2026) // 15/11–15/12
	fd := campaign("family-day", 2026)   // window 15/6–30/6, D = 28/6
	tests := []struct {
		name         string
		kind         Kind
		spec, quiet  string
		c            content.Campaign
		after, until string
		want         string
	}{
		{"cron bounded by the window", KindCron, "0 19 * * MON", "", am, "2026-11-01 00:00", "2026-12-31 00:00",
			"11-16 19:00 11-23 19:00 11-30 19:00 12-07 19:00 12-14 19:00"},
		{"cron after a point", KindCron, "0 19 * * MON", "", am, "2026-11-23 19:00", "2026-12-01 00:00", "11-30 19:00"},
		{"descriptor", KindCron, "@daily", "", fd, "2026-06-28 00:00", "2026-12-31 00:00", "06-29 00:00 06-30 00:00"},
		{"fixed", KindAt, "2026-11-25 07:30", "", am, "2026-11-01 00:00", "2026-12-01 00:00", "11-25 07:30"},
		{"fixed outside (after, until]", KindAt, "2026-11-25 07:30", "", am, "2026-11-25 07:30", "2026-12-01 00:00", ""},
		{"relative before", KindRelative, "D-3 08:00", "", fd, "2026-06-01 00:00", "2026-07-01 00:00", "06-25 08:00"},
		{"relative on the day", KindRelative, "D 07:30", "", am, "2026-11-01 00:00", "2026-12-01 00:00", "11-15 07:30"},
		{"relative after", KindRelative, "D+2 19:00", "", fd, "2026-06-01 00:00", "2026-07-01 00:00", "06-30 19:00"},
		{"quiet hours move a late time to the morning", KindAt, "2026-11-25 22:30", "22:00-06:00", am, "2026-11-01 00:00", "2026-12-01 00:00", "11-26 06:00"},
		{"quiet hours after midnight", KindAt, "2026-11-25 05:00", "22:00-06:00", am, "2026-11-01 00:00", "2026-12-01 00:00", "11-25 06:00"},
		{"outside quiet hours", KindAt, "2026-11-25 06:00", "22:00-06:00", am, "2026-11-01 00:00", "2026-12-01 00:00", "11-25 06:00"},
		{"day-time quiet window", KindAt, "2026-11-25 12:15", "12:00-13:30", am, "2026-11-01 00:00", "2026-12-01 00:00", "11-25 13:30"},
		{"rotation", KindRotation, "0 17 * * *", "", am, "2026-12-13 00:00", "2026-12-31 00:00", "12-13 17:00 12-14 17:00 12-15 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSpec(tt.kind, tt.spec, tt.quiet)
			if err != nil {
				t.Fatal(err)
			}
			got := formatTimes(s.Times(tt.c, local(tt.after), local(tt.until)))
			if got != tt.want {
				t.Errorf("Times = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRotationPosition(t *testing.T) {
	am := campaign("action-month", 2026)
	s, _ := ParseSpec(KindRotation, "30 5,17 * * *", "") // twice a day
	var got []int
	for _, when := range []string{"2026-11-15 05:30", "2026-11-15 17:30", "2026-11-16 05:30", "2026-11-16 17:30", "2026-11-17 05:30"} {
		got = append(got, s.Position(am, local(when), 3))
	}
	if want := []int{0, 1, 2, 0, 1}; !equal(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseSpecErrors(t *testing.T) {
	for _, tt := range []struct {
		kind        Kind
		spec, quiet string
		want        string
	}{
		{KindCron, "0 19 * *", "", "not a cron expression"},
		{KindCron, "@every 1h", "", "@every is not allowed"},
		{KindCron, "TZ=UTC 0 19 * * *", "", "always Asia/Ho_Chi_Minh"},
		{KindAt, "25/11/2026 07:30", "", "not a local date and time"},
		{KindRelative, "D-3", "", "not a time relative"},
		{KindRelative, "D+1 25:00", "", "not a time of day"},
		{KindAt, "2026-11-25 07:30", "22-06", "quiet hours"},
		{"weekly", "x", "", "not a kind of schedule"},
	} {
		_, err := ParseSpec(tt.kind, tt.spec, tt.quiet)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSpec(%s, %q, %q) = %v, want %q", tt.kind, tt.spec, tt.quiet, err, tt.want)
		}
	}
}

func TestParseAudience(t *testing.T) {
	for in, want := range map[string]Audience{
		"":                         {},
		"all":                      {},
		"topic:family":             {Topic: content.TopicFamily},
		"chats:@phuong, -10012345": {Chats: []string{"@phuong", "-10012345"}},
		"to:dai-truyen-thanh":      {To: "dai-truyen-thanh"},
	} {
		got, err := ParseAudience(in)
		if err != nil || got.Topic != want.Topic || got.To != want.To || strings.Join(got.Chats, "|") != strings.Join(want.Chats, "|") {
			t.Errorf("ParseAudience(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"topic:sports", "chats:", "everyone"} {
		if _, err := ParseAudience(bad); err == nil {
			t.Errorf("ParseAudience(%q) succeeded", bad)
		}
	}
}

func TestCheckScheduleRefusesMoreThanHourlyToResidents(t *testing.T) {
	tests := []struct {
		name  string
		sc    Schedule
		force bool
		ok    bool
	}{
		{"every minute of an evening", Schedule{Kind: KindCron, Spec: "* 19 * * *", Channels: []content.Channel{content.Zalo}}, false, false},
		{"twice an hour", Schedule{Kind: KindCron, Spec: "0,30 19 * * *", Channels: []content.Channel{content.Telegram}}, false, false},
		{"forced", Schedule{Kind: KindCron, Spec: "0,30 19 * * *", Channels: []content.Channel{content.Telegram}}, true, true},
		{"hourly", Schedule{Kind: KindCron, Spec: "0 * * * *", Channels: []content.Channel{content.Zalo}}, false, true},
		{"weekly", Schedule{Kind: KindCron, Spec: "0 19 * * MON", Channels: []content.Channel{content.Zalo, content.Telegram}}, false, true},
		{"radio slots are not residents' feeds", Schedule{Kind: KindRotation, Spec: "30 5,17 * * *", Channels: []content.Channel{content.Loudspeaker}}, false, true},
		{"a fixed time", Schedule{Kind: KindAt, Spec: "2026-11-25 07:30", Channels: []content.Channel{content.Zalo}}, false, true},
		{"a bad audience", Schedule{Kind: KindAt, Spec: "2026-11-25 07:30", Audience: "everyone", Channels: []content.Channel{content.Zalo}}, false, false},
	}
	for _, tt := range tests {
		errs := CheckSchedule(tt.sc, tt.force)
		if (len(errs) == 0) != tt.ok {
			t.Errorf("%s: %v", tt.name, errs)
		}
	}
}

func TestRepeatsFindsTheSameMessageTwiceInADay(t *testing.T) {
	at := local
	run := func(sched, msg int64, when string, chs ...content.Channel) DueRun {
		return DueRun{Run: Run{ScheduleID: sched, MessageID: msg, DueAt: at(when), Channels: chs}}
	}
	runs := []DueRun{
		run(1, 10, "2026-11-25 07:00", content.Zalo),
		run(2, 10, "2026-11-25 19:00", content.Telegram, content.Zalo),    // same message, same channel, same day: a repeat
		run(3, 11, "2026-11-25 20:00", content.Zalo),                      // another message
		run(4, 10, "2026-11-26 20:00", content.Zalo),                      // more than a day after the last one
		run(5, 12, "2026-11-27 07:00", content.Loudspeaker),               // the radio repeats by design
		run(6, 12, "2026-11-27 17:00", content.Loudspeaker, content.Zalo), // but not on a resident channel before
		run(2, 10, "2026-11-28 19:00", content.Zalo),                      // its own schedule's next time is no repeat
	}
	got := Repeats(runs)
	if len(got) != 1 || got[0].Run != 1 || got[0].Earlier != 0 || got[0].Channel != content.Zalo {
		t.Errorf("repeats %+v; want run 1 repeating run 0 on zalo", got)
	}
}
