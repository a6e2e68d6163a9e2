package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/i18n"
)

// weekdayNames are cron's days 0–6 (Sunday first) as Vietnamese writes them.
var weekdayNames = map[string][2]string{
	"0": {"Chủ nhật", "Sunday"}, "1": {"thứ Hai", "Monday"}, "2": {"thứ Ba", "Tuesday"}, "3": {"thứ Tư", "Wednesday"},
	"4": {"thứ Năm", "Thursday"}, "5": {"thứ Sáu", "Friday"}, "6": {"thứ Bảy", "Saturday"}, "7": {"Chủ nhật", "Sunday"},
}

var cronDays = strings.NewReplacer("SUN", "0", "MON", "1", "TUE", "2", "WED", "3", "THU", "4", "FRI", "5", "SAT", "6")

// Describe says in lang when a schedule rule sends, as a person says it:
// "19:00 thứ Hai hằng tuần", "08:00, 3 ngày trước ngày lễ". It returns ""
// for a rule it cannot say more simply than the rule itself.
func Describe(kind Kind, spec, lang string) string {
	spec = strings.TrimSpace(spec)
	switch kind {
	case KindAt:
		t, err := time.Parse("2006-01-02 15:04", spec)
		if err != nil {
			return ""
		}
		return i18n.Sprintf(lang, "một lần, %s ngày %s", "once, %s on %s", t.Format("15:04"), t.Format("02/01/2006"))
	case KindRelative:
		day, clock, ok := strings.Cut(spec, " ")
		if !ok || !strings.HasPrefix(day, "D") {
			return ""
		}
		n := 0
		if rest := day[1:]; rest != "" {
			v, err := strconv.Atoi(rest)
			if err != nil {
				return ""
			}
			n = v
		}
		switch {
		case n == 0:
			return i18n.Sprintf(lang, "%s vào ngày lễ", "%s on the observance's day", clock)
		case n < 0:
			return i18n.Sprintf(lang, "%s, %d ngày trước ngày lễ", "%s, %d days before the observance", clock, -n)
		default:
			return i18n.Sprintf(lang, "%s, %d ngày sau ngày lễ", "%s, %d days after the observance", clock, n)
		}
	case KindCron, KindRotation:
		d := describeCron(spec, lang)
		if d != "" && kind == KindRotation {
			d = i18n.Pick(lang, "luân phiên các tin, ", "rotating the messages, ") + d
		}
		return d
	}
	return ""
}

// describeCron says the common shapes: minutes and hours as numbers, any
// day of the month and month, every day or some weekdays.
func describeCron(spec, lang string) string {
	f := strings.Fields(strings.ToUpper(spec))
	if len(f) != 5 || f[2] != "*" || f[3] != "*" {
		return ""
	}
	minute, err := strconv.Atoi(f[0])
	if err != nil || minute < 0 || minute > 59 {
		return ""
	}
	var clocks []string
	for _, h := range strings.Split(f[1], ",") {
		hour, err := strconv.Atoi(h)
		if err != nil || hour < 0 || hour > 23 {
			return ""
		}
		clocks = append(clocks, fmt.Sprintf("%02d:%02d", hour, minute))
	}
	at := strings.Join(clocks, ", ")
	if f[4] == "*" {
		return i18n.Sprintf(lang, "%s hằng ngày", "%s every day", at)
	}
	var days []string
	for _, d := range strings.Split(cronDays.Replace(f[4]), ",") {
		name, ok := weekdayNames[d]
		if !ok {
			return ""
		}
		days = append(days, i18n.Pick(lang, name[0], name[1]))
	}
	return i18n.Sprintf(lang, "%s %s hằng tuần", "%s every %s", at, strings.Join(days, ", "))
}
