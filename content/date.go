package content

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // a machine without zone files still knows Asia/Ho_Chi_Minh
)

// Zone is the ward's time zone, Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
var Zone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// Date is a civil date (no time, no zone): a day as the ward's calendar names it.
// The zero Date is invalid; use IsZero to test for it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in the ward's zone.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Zone).Date()
	return Date{y, m, d}
}

// NewDate returns the date, normalized as time.Date does (31/2 becomes 3/3).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 12, 0, 0, 0, Zone))
}

// ParseDate reads an ISO date "2006-01-02" (the storage form).
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Zone)
	if err != nil {
		return Date{}, Errorf("%q không phải ngày (ví dụ 2026-11-25)", "%q is not a date (e.g. 2026-11-25)", s)
	}
	return DateOf(t), nil
}

// ParseVietnameseDate reads "25/11/2026" (day first, as written in Vietnam).
func ParseVietnameseDate(s string) (Date, error) {
	t, err := time.ParseInLocation("2/1/2006", strings.TrimSpace(s), Zone)
	if err != nil {
		return Date{}, Errorf("%q không phải ngày (ví dụ 25/11/2026)", "%q is not a date (e.g. 25/11/2026)", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns the instant at hour:minute of d in the ward's zone.
func (d Date) Time(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, Zone)
}

// AddDays returns d moved by n days (negative n moves back).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// DaysUntil returns the number of days from d to e (negative when e is before d).
func (d Date) DaysUntil(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.DaysUntil(e) > 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.DaysUntil(e) < 0 }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time(12, 0).Weekday() }

// String returns the ISO form "2026-11-25", the form stored in the database.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Short returns the usual Vietnamese form "25/11/2026" (two-digit day and month).
func (d Date) Short() string {
	return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year)
}

// DayMonth returns "25/11", the way observances are named ("Ngày 28/6" uses
// no leading zero in running text: see DayMonthPlain).
func (d Date) DayMonth() string { return fmt.Sprintf("%02d/%02d", d.Day, int(d.Month)) }

// DayMonthPlain returns "28/6" without leading zeros, as in running text.
func (d Date) DayMonthPlain() string { return fmt.Sprintf("%d/%d", d.Day, int(d.Month)) }

// Formal returns the date as administrative documents write it (Decree
// 30/2020/NĐ-CP, Appendix I): "ngày 05 tháng 02 năm 2026", with a leading zero
// on days below 10 and on months 1 and 2 only.
func (d Date) Formal() string {
	month := strconv.Itoa(int(d.Month))
	if d.Month <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day, month, d.Year)
}

// WeekdayName returns the Vietnamese name of the weekday: "Thứ Hai" … "Thứ
// Bảy", "Chủ Nhật"; in English when lang is "en".
func (d Date) WeekdayName(lang string) string {
	if lang == "en" {
		return d.Weekday().String()
	}
	return vietnameseWeekdays[d.Weekday()]
}

var vietnameseWeekdays = [...]string{
	time.Sunday: "Chủ Nhật", time.Monday: "Thứ Hai", time.Tuesday: "Thứ Ba",
	time.Wednesday: "Thứ Tư", time.Thursday: "Thứ Năm", time.Friday: "Thứ Sáu",
	time.Saturday: "Thứ Bảy",
}

// MonthDay is a day in every year, such as 28/6. Zero is invalid.
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseMonthDay reads "28/6" or "28/06" (day first).
func ParseMonthDay(s string) (MonthDay, error) {
	day, month, ok := strings.Cut(strings.TrimSpace(s), "/")
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	if !ok || err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), 2024) {
		return MonthDay{}, Errorf("%q không phải ngày trong năm (ví dụ 28/06)", "%q is not a day of the year (e.g. 28/06)", s)
	}
	return MonthDay{time.Month(m), d}, nil
}

// In returns the date of md in year; 29/2 falls on 28/2 in a common year.
func (md MonthDay) In(year int) Date {
	return Date{year, md.Month, min(md.Day, daysIn(md.Month, year))}
}

// String returns "28/06".
func (md MonthDay) String() string { return fmt.Sprintf("%02d/%02d", md.Day, int(md.Month)) }

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func timeMonth(m int) time.Month { return time.Month(m) }
