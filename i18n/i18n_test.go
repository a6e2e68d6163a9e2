package i18n

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, c := range []struct {
		d      time.Duration
		vi, en string
	}{
		{57 * time.Second, "57 giây", "57 s"},
		{68 * time.Second, "1 phút 08 giây", "1 min 08 s"},
		{67*time.Second + 600*time.Millisecond, "1 phút 08 giây", "1 min 08 s"},
		{5 * time.Minute, "5 phút", "5 min"},
		{65 * time.Minute, "1 giờ 05 phút", "1 h 05 min"},
		{2 * time.Hour, "2 giờ", "2 h"},
		{0, "0 giây", "0 s"},
	} {
		if got := Duration(c.d).Localize(Vietnamese); got != c.vi {
			t.Errorf("%v in Vietnamese: %q, want %q", c.d, got, c.vi)
		}
		if got := Duration(c.d).Localize(English); got != c.en {
			t.Errorf("%v in English: %q, want %q", c.d, got, c.en)
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		x      float64
		vi, en string
	}{{0.7, "0,7", "0.7"}, {12, "12", "12"}, {12.46, "12,5", "12.5"}, {3.04, "3", "3"}} {
		if got := Decimal(c.x).Localize(Vietnamese); got != c.vi {
			t.Errorf("%v in Vietnamese: %q, want %q", c.x, got, c.vi)
		}
		if got := Decimal(c.x).Localize(English); got != c.en {
			t.Errorf("%v in English: %q, want %q", c.x, got, c.en)
		}
	}
}

// An error of ours passed to Errorf is said in each language.
func TestErrorfLocalizesItsArgs(t *testing.T) {
	inner := Errorf("không có tệp này", "no such file")
	err := Errorf("ảnh %s: %s", "photo %s: %s", "a.jpg", inner)
	if got := Error(err, Vietnamese); got != "ảnh a.jpg: không có tệp này" {
		t.Errorf("Vietnamese: %q", got)
	}
	if got := Error(err, English); got != "photo a.jpg: no such file" {
		t.Errorf("English: %q", got)
	}
	if got := Error(FileError(&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}), Vietnamese); got != "không có tệp này" {
		t.Errorf("FileError: %q", got)
	}
	if got := Error(FileError(errors.New("disk on fire")), Vietnamese); got != "disk on fire" {
		t.Errorf("an unknown error changed: %q", got)
	}
}
