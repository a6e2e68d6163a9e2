package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/loa-ward/loa/accounts"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newDir(t *testing.T) (*accounts.Directory, *clock) {
	c := &clock{time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)}
	db := storetest.Open(t, c.t)
	return &accounts.Directory{Store: db, Now: c.now, Cost: bcrypt.MinCost, Idle: 30 * time.Minute, Max: 12 * time.Hour}, c
}

var admin = staff.Local("it")

func TestAddValidatesAndOnlyAdminManages(t *testing.T) {
	d, _ := newDir(t)
	ctx := context.Background()
	officer := staff.Actor{Name: "lan", Role: staff.Officer}
	if _, err := d.Add(ctx, officer, staff.User{Name: "x1", FullName: "X", Role: staff.Officer}, ""); !errors.Is(err, accounts.ErrMayNotManage) {
		t.Errorf("officer adds: %v", err)
	}
	for _, bad := range []struct {
		u        staff.User
		password string
	}{
		{staff.User{Name: "Lan Anh", FullName: "A", Role: staff.Officer}, ""},
		{staff.User{Name: "lan", FullName: "A", Role: "boss"}, ""},
		{staff.User{Name: "lan", FullName: " ", Role: staff.Officer}, ""},
		{staff.User{Name: "lan", FullName: "A", Role: staff.Officer}, "short"},
		{staff.User{Name: "lan", FullName: "A", Role: staff.Officer}, "lan-1234567890"},
	} {
		if _, err := d.Add(ctx, admin, bad.u, bad.password); err == nil || i18n.Error(err, "vi") == err.Error() {
			t.Errorf("%+v accepted or not said in Vietnamese: %v", bad.u, err)
		}
	}
	u, err := d.Add(ctx, admin, staff.User{Name: "lan", FullName: "Nguyễn Thị Lan", Title: "Công chức VH-XH", Role: staff.Officer}, "mat-khau-dai-du")
	if err != nil || u.ID == 0 || u.PasswordAt.IsZero() {
		t.Fatalf("add: %+v %v", u, err)
	}
	if _, err := d.Add(ctx, admin, staff.User{Name: "LAN", FullName: "B", Role: staff.Leader}, ""); err == nil {
		t.Error("a login taken in another case was accepted")
	}
	if err := d.Disable(ctx, admin, "it", true); err == nil {
		t.Error("unknown account disabled")
	}
}

func TestLoginSessionsAndTimeouts(t *testing.T) {
	d, c := newDir(t)
	ctx := context.Background()
	if _, err := d.Add(ctx, admin, staff.User{Name: "lan", FullName: "Nguyễn Thị Lan", Role: staff.Officer}, "mat-khau-dai-du"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Login(ctx, "lan", "sai-mat-khau-roi", "10.0.0.1"); !errors.Is(err, accounts.ErrBadLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := d.Login(ctx, "nobody", "mat-khau-dai-du", "10.0.0.1"); !errors.Is(err, accounts.ErrBadLogin) {
		t.Fatalf("unknown user: %v", err)
	}
	s, err := d.Login(ctx, "Lan", "mat-khau-dai-du", "10.0.0.1")
	if err != nil || s.Token == "" || s.User.Name != "lan" {
		t.Fatalf("login: %+v %v", s, err)
	}
	if u, err := d.Resume(ctx, s.Token); err != nil || u.Name != "lan" {
		t.Fatalf("resume: %v %v", u, err)
	}
	if _, err := d.Resume(ctx, s.Token+"x"); !errors.Is(err, accounts.ErrSignedOut) {
		t.Errorf("forged token: %v", err)
	}
	// Idle: used every 20 minutes the session lives; 31 minutes unused ends it.
	for range 3 {
		c.t = c.t.Add(20 * time.Minute)
		if _, err := d.Resume(ctx, s.Token); err != nil {
			t.Fatalf("active session ended: %v", err)
		}
	}
	c.t = c.t.Add(31 * time.Minute)
	if _, err := d.Resume(ctx, s.Token); !errors.Is(err, accounts.ErrSignedOut) {
		t.Errorf("idle session lives: %v", err)
	}
	// Absolute: however busy, a session ends 12 hours after sign-in.
	s, _ = d.Login(ctx, "lan", "mat-khau-dai-du", "10.0.0.1")
	for i := 0; i < 12*3; i++ {
		c.t = c.t.Add(20 * time.Minute)
		_, err = d.Resume(ctx, s.Token)
	}
	if !errors.Is(err, accounts.ErrSignedOut) {
		t.Errorf("session outlives 12 hours: %v", err)
	}
	// A password change and a disabled account end sessions.
	s, _ = d.Login(ctx, "lan", "mat-khau-dai-du", "10.0.0.1")
	if err := d.SetPassword(ctx, staff.Actor{Name: "lan", Role: staff.Officer}, "lan", "mat-khau-moi-dai"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Resume(ctx, s.Token); !errors.Is(err, accounts.ErrSignedOut) {
		t.Errorf("session survives a password change: %v", err)
	}
	s, _ = d.Login(ctx, "lan", "mat-khau-moi-dai", "10.0.0.1")
	if err := d.Disable(ctx, admin, "lan", true); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Resume(ctx, s.Token); !errors.Is(err, accounts.ErrSignedOut) {
		t.Errorf("session survives disabling: %v", err)
	}
	if _, err := d.Login(ctx, "lan", "mat-khau-moi-dai", "10.0.0.1"); !errors.Is(err, accounts.ErrBadLogin) {
		t.Errorf("disabled account signs in: %v", err)
	}
}

func TestLoginRateLimitedPerUserAndAddress(t *testing.T) {
	d, c := newDir(t)
	ctx := context.Background()
	d.Add(ctx, admin, staff.User{Name: "lan", FullName: "Lan", Role: staff.Officer}, "mat-khau-dai-du")
	for range 5 {
		d.Login(ctx, "lan", "sai-mat-khau-roi", "10.0.0.1")
	}
	var tm *accounts.TooManyError
	if _, err := d.Login(ctx, "lan", "mat-khau-dai-du", "10.0.0.2"); !errors.As(err, &tm) || tm.Wait <= 0 {
		t.Fatalf("sixth attempt, right password, other address: %v", err)
	}
	if got := i18n.Error(tm, "vi"); got != "đăng nhập sai quá nhiều lần; thử lại sau 1 phút" {
		t.Errorf("vi: %q", got)
	}
	c.t = c.t.Add(time.Minute)
	if _, err := d.Login(ctx, "lan", "mat-khau-dai-du", "10.0.0.2"); err != nil {
		t.Fatalf("a minute later: %v", err)
	}
	// One address guessing many accounts is stopped too.
	for i := range 20 {
		d.Login(ctx, "user"+string(rune('a'+i)), "sai-mat-khau-roi", "10.9.9.9")
	}
	if _, err := d.Login(ctx, "lan", "mat-khau-dai-du", "10.9.9.9"); !errors.As(err, &tm) {
		t.Errorf("address not limited: %v", err)
	}
}
