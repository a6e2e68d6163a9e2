package content

import (
	"testing"
	"time"
)

func TestDateFormats(t *testing.T) {
	tests := []struct {
		d                    Date
		short, formal, plain string
		weekdayVI, weekdayEN string
	}{
		{NewDate(2026, 2, 5), "05/02/2026", "ngày 05 tháng 02 năm 2026", "5/2", "Thứ Năm", "Thursday"},
		{NewDate(2026, 1, 9), "09/01/2026", "ngày 09 tháng 01 năm 2026", "9/1", "Thứ Sáu", "Friday"},
		{NewDate(2026, 3, 8), "08/03/2026", "ngày 08 tháng 3 năm 2026", "8/3", "Chủ Nhật", "Sunday"},
		{NewDate(2026, 6, 28), "28/06/2026", "ngày 28 tháng 6 năm 2026", "28/6", "Chủ Nhật", "Sunday"},
		{NewDate(2026, 11, 25), "25/11/2026", "ngày 25 tháng 11 năm 2026", "25/11", "Thứ Tư", "Wednesday"},
		{NewDate(2026, 12, 15), "15/12/2026", "ngày 15 tháng 12 năm 2026", "15/12", "Thứ Ba", "Tuesday"},
		{NewDate(2027, 10, 20), "20/10/2027", "ngày 20 tháng 10 năm 2027", "20/10", "Thứ Tư", "Wednesday"},
	}
	for _, tt := range tests {
		if got := tt.d.Short(); got != tt.short {
			t.Errorf("%v.Short() = %q, want %q", tt.d, got, tt.short)
		}
		if got := tt.d.Formal(); got != tt.formal {
			t.Errorf("%v.Formal() = %q, want %q", tt.d, got, tt.formal)
		}
		if got := tt.d.DayMonthPlain(); got != tt.plain {
			t.Errorf("%v.DayMonthPlain() = %q, want %q", tt.d, got, tt.plain)
		}
		if got := tt.d.WeekdayName("vi"); got != tt.weekdayVI {
			t.Errorf("%v.WeekdayName(vi) = %q, want %q", tt.d, got, tt.weekdayVI)
		}
		if got := tt.d.WeekdayName("en"); got != tt.weekdayEN {
			t.Errorf("%v.WeekdayName(en) = %q, want %q", tt.d, got, tt.weekdayEN)
		}
	}
}

func TestDateOfUsesWardZone(t *testing.T) {
	// 17:30 UTC on 24/11 is already 00:30 on 25/11 in Hải Phòng.
	at := time.Date(2026, 11, 24, 17, 30, 0, 0, time.UTC)
	if got, want := DateOf(at), NewDate(2026, 11, 25); got != want {
		t.Fatalf("DateOf(%v) = %v, want %v", at, got, want)
	}
	if got := NewDate(2026, 11, 25).Time(7, 30).UTC(); got != time.Date(2026, 11, 25, 0, 30, 0, 0, time.UTC) {
		t.Fatalf("Time(7,30) = %v, want 00:30 UTC", got)
	}
}

func TestParseDates(t *testing.T) {
	for in, want := range map[string]Date{"25/11/2026": NewDate(2026, 11, 25), "5/2/2026": NewDate(2026, 2, 5), " 01/06/2027 ": NewDate(2027, 6, 1)} {
		got, err := ParseVietnameseDate(in)
		if err != nil || got != want {
			t.Errorf("ParseVietnameseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"2026-11-25", "31/2/2026", "25/13/2026", "ngày 25"} {
		if _, err := ParseVietnameseDate(bad); err == nil {
			t.Errorf("ParseVietnameseDate(%q) succeeded", bad)
		}
	}
	if d, err := ParseDate("2026-06-28"); err != nil || d != NewDate(2026, 6, 28) {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	for in, want := range map[string]MonthDay{"28/6": {6, 28}, "08/03": {3, 8}, "29/2": {2, 29}} {
		if got, err := ParseMonthDay(in); err != nil || got != want {
			t.Errorf("ParseMonthDay(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"30/2", "0/5", "5", "12/13", "a/b"} {
		if _, err := ParseMonthDay(bad); err == nil {
			t.Errorf("ParseMonthDay(%q) succeeded", bad)
		}
	}
	if got := (MonthDay{2, 29}).In(2027); got != NewDate(2027, 2, 28) {
		t.Errorf("29/2 in 2027 = %v", got)
	}
}

func TestCampaignWindows(t *testing.T) {
	byKey := map[string]Observance{}
	for _, o := range Builtin() {
		byKey[o.Key] = o
	}
	tests := []struct {
		key                    string
		from, to, starts, ends Date
	}{
		{"family-day", NewDate(2026, 6, 15), NewDate(2026, 6, 30), NewDate(2026, 6, 28), NewDate(2026, 6, 28)},
		{"action-month", NewDate(2026, 11, 15), NewDate(2026, 12, 15), NewDate(2026, 11, 15), NewDate(2026, 12, 15)},
		{"dv-month", NewDate(2026, 5, 15), NewDate(2026, 6, 30), NewDate(2026, 6, 1), NewDate(2026, 6, 30)},
	}
	for _, tt := range tests {
		c := byKey[tt.key].CampaignFor(2026)
		if c.From != tt.from || c.To != tt.to || c.Starts != tt.starts || c.Ends != tt.ends {
			t.Errorf("%s 2026: window %v–%v, observance %v–%v; want %v–%v, %v–%v", tt.key, c.From, c.To, c.Starts, c.Ends, tt.from, tt.to, tt.starts, tt.ends)
		}
	}
	if byKey["dv-month"].Enabled {
		t.Error("the June domestic-violence month must be off by default")
	}
	// A period that crosses the new year ends in the next one.
	tet := Observance{Key: "tet", Starts: MonthDay{12, 20}, Ends: MonthDay{1, 10}}
	if c := tet.CampaignFor(2026); c.Ends != NewDate(2027, 1, 10) {
		t.Errorf("crossing window ends %v", c.Ends)
	}
}

func TestShiftKeepsDistanceFromWindowStart(t *testing.T) {
	o := Builtin()[4] // action-month
	c26, c27 := o.CampaignFor(2026), o.CampaignFor(2027)
	if got := Shift(NewDate(2026, 11, 25), c26, c27); got != NewDate(2027, 11, 25) {
		t.Errorf("Shift 25/11/2026 = %v", got)
	}
	if got := Shift(NewDate(2026, 11, 10), c26, c27); got != NewDate(2027, 11, 10) {
		t.Errorf("Shift before window = %v", got)
	}
}
