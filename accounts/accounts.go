// Package accounts is who may sign in to Loa and how: the ward office's
// accounts with their roles, bcrypt passwords, sessions with idle and
// absolute timeouts, and sign-in attempts limited per account and per
// address. The CLI, the staff bot and the dashboard all find people here;
// what each role may do is staff's policy.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

// Store keeps the accounts and sessions (store.DB).
type Store interface {
	AddUser(ctx context.Context, u staff.User, hash, actor string, now time.Time) (staff.User, error)
	Users(ctx context.Context) ([]staff.User, error)
	User(ctx context.Context, name string) (staff.User, error)
	PasswordHash(ctx context.Context, id int64) (string, error)
	SetPassword(ctx context.Context, id int64, hash, actor string, now time.Time) error
	DisableUser(ctx context.Context, id int64, disable bool, actor string, now time.Time) error
	StartSession(ctx context.Context, tokenHash string, u staff.User, address string, now time.Time) error
	Session(ctx context.Context, tokenHash string) (u staff.User, started, seen time.Time, err error)
	TouchSession(ctx context.Context, tokenHash string, now time.Time) error
	EndSession(ctx context.Context, tokenHash string) error
	SetContact(ctx context.Context, u staff.User, actor string, now time.Time) error
}

// The errors people see.
var (
	ErrMayNotManage = i18n.Errorf("chỉ quản trị viên quản lý tài khoản", "only an administrator manages accounts")
	// ErrBadLogin does not say whether the name or the password was wrong.
	ErrBadLogin  = i18n.Errorf("sai tên đăng nhập hoặc mật khẩu", "wrong name or password")
	ErrSignedOut = i18n.Errorf("phiên đăng nhập đã hết hạn; hãy đăng nhập lại", "your session has ended; sign in again")
)

// TooManyError refuses a sign-in while an account or an address is locked
// out after failed attempts.
type TooManyError struct{ Wait time.Duration }

func (e *TooManyError) Error() string { return e.Localize("en") }

// Localize says the error in lang.
func (e *TooManyError) Localize(lang string) string {
	m := int(e.Wait.Round(time.Minute) / time.Minute)
	m = max(m, 1)
	return i18n.Sprintf(lang, "đăng nhập sai quá nhiều lần; thử lại sau %d phút", "too many failed sign-ins; try again in %d minutes", m)
}

// Directory is the ward office's accounts.
type Directory struct {
	Store Store
	Now   func() time.Time
	// Cost is bcrypt's work factor; 0 is 12. Tests use bcrypt.MinCost.
	Cost int
	// Idle and Max end a session unused for Idle, or Max after sign-in.
	Idle, Max time.Duration

	mu        sync.Mutex
	attempts  map[string]*rate.Limiter // "user:NAME" and "addr:IP"
	dummyHash []byte
}

// The sign-in limits: five wrong passwords for an account, then one more a
// minute; twenty from one address, then one more every 15 seconds.
const (
	userBurst  = 5
	userRefill = time.Minute
	addrBurst  = 20
	addrRefill = 15 * time.Second
)

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// CheckName reports whether name can be a login: 2 to 32 lowercase letters,
// digits, dots, dashes or underscores, starting with a letter or digit.
func CheckName(name string) error {
	if !namePattern.MatchString(name) {
		return i18n.Errorf("tên đăng nhập %q chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang (2–32 ký tự), ví dụ lan.vhxh",
			"login %q may hold only lowercase letters, digits, dots and dashes (2–32), e.g. lan.vhxh", name)
	}
	return nil
}

// CheckPassword reports whether password is acceptable for the account name.
func CheckPassword(name, password string) error {
	switch {
	case utf8.RuneCountInString(password) < 10:
		return i18n.Errorf("mật khẩu cần ít nhất 10 ký tự", "a password needs at least 10 characters")
	case len(password) > 72:
		return i18n.Errorf("mật khẩu dài quá 72 byte", "a password may be at most 72 bytes")
	case strings.Contains(strings.ToLower(password), strings.ToLower(name)):
		return i18n.Errorf("mật khẩu không được chứa tên đăng nhập", "a password may not contain the login")
	}
	return nil
}

func (d *Directory) cost() int {
	if d.Cost == 0 {
		return 12
	}
	return d.Cost
}

func (d *Directory) hash(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), d.cost())
	return string(h), err
}

// Add creates an account; only an administrator may. A password is
// optional: without one the person acts only through the CLI (--as) or the
// staff bot until one is set.
func (d *Directory) Add(ctx context.Context, actor staff.Actor, u staff.User, password string) (staff.User, error) {
	if actor.Role != staff.Admin {
		return u, ErrMayNotManage
	}
	u.Name = strings.ToLower(strings.TrimSpace(u.Name))
	u.FullName = strings.TrimSpace(content.Normalize(u.FullName))
	u.Title = strings.TrimSpace(content.Normalize(u.Title))
	if err := CheckName(u.Name); err != nil {
		return u, err
	}
	if !u.Role.Valid() {
		return u, i18n.Errorf("vai trò %q không có; chọn officer, leader, operator, block-leader hoặc admin",
			"there is no role %q; pick officer, leader, operator, block-leader or admin", u.Role)
	}
	if u.FullName == "" {
		return u, i18n.Errorf("cần họ tên đầy đủ (in trên phiếu duyệt và báo cáo)", "the full name is required (printed on approval slips and reports)")
	}
	u, err := CheckContact(u)
	if err != nil {
		return u, err
	}
	hash := ""
	if password != "" {
		if err := CheckPassword(u.Name, password); err != nil {
			return u, err
		}
		var err error
		if hash, err = d.hash(password); err != nil {
			return u, err
		}
	}
	out, err := d.Store.AddUser(ctx, u, hash, actor.Audit(), d.Now())
	if errors.Is(err, content.ErrExists) {
		return u, i18n.Errorf("đã có tài khoản %s", "there is already an account %s", u.Name)
	}
	return out, err
}

var zaloIDPattern = regexp.MustCompile(`^[0-9]{5,25}$`)

// CheckContact checks how notices reach u and puts it in canonical form:
// an e-mail address, a Zalo user id (digits, as the OA's webhook gives
// it), a Telegram chat id, and channels named once each.
func CheckContact(u staff.User) (staff.User, error) {
	u.Email = strings.TrimSpace(u.Email)
	if u.Email != "" {
		a, err := mail.ParseAddress(u.Email)
		if err != nil || a.Name != "" || !strings.Contains(a.Address, ".") {
			return u, i18n.Errorf("địa chỉ e-mail %q không đúng (ví dụ lan@luukiem.gov.vn)", "the e-mail address %q is not valid (e.g. lan@luukiem.gov.vn)", u.Email)
		}
		u.Email = a.Address
	}
	u.ZaloID = strings.TrimSpace(u.ZaloID)
	if u.ZaloID != "" && !zaloIDPattern.MatchString(u.ZaloID) {
		return u, i18n.Errorf("mã người dùng Zalo %q là một dãy số (xem trong hộp thư OA hoặc nhật ký webhook)", "the Zalo user id %q is a string of digits (see the OA's inbox or the webhook log)", u.ZaloID)
	}
	u.TelegramChat = strings.TrimSpace(u.TelegramChat)
	if u.TelegramChat != "" {
		if _, err := strconv.ParseInt(u.TelegramChat, 10, 64); err != nil {
			return u, i18n.Errorf("chat Telegram %q là một số", "the Telegram chat %q is a number", u.TelegramChat)
		}
	}
	var order []string
	for _, ch := range u.Notify {
		ch = strings.ToLower(strings.TrimSpace(ch))
		if ch == "" || slices.Contains(order, ch) {
			continue
		}
		if !slices.Contains(staff.NotifyChannels, ch) {
			return u, i18n.Errorf("kênh báo %q không có; chọn zalo, telegram, email", "there is no notice channel %q; pick zalo, telegram, email", ch)
		}
		order = append(order, ch)
	}
	u.Notify = order // none: the default order (zalo, telegram, email)
	return u, nil
}

// SetContact sets how notices reach name: an administrator for anyone, a
// person for themselves.
func (d *Directory) SetContact(ctx context.Context, actor staff.Actor, name string, c staff.User) (staff.User, error) {
	if actor.Role != staff.Admin && actor.Name != name {
		return c, ErrMayNotManage
	}
	u, err := d.Find(ctx, name)
	if err != nil {
		return u, err
	}
	c, err = CheckContact(c)
	if err != nil {
		return c, err
	}
	u.Email, u.ZaloID, u.TelegramChat, u.Notify, u.Digest = c.Email, c.ZaloID, c.TelegramChat, c.Notify, c.Digest
	return u, d.Store.SetContact(ctx, u, actor.Audit(), d.Now())
}

// List returns every account; only an administrator may see them all.
func (d *Directory) List(ctx context.Context, actor staff.Actor) ([]staff.User, error) {
	if actor.Role != staff.Admin {
		return nil, ErrMayNotManage
	}
	return d.Store.Users(ctx)
}

// Find returns the active account name, for acting as it (the CLI's --as).
func (d *Directory) Find(ctx context.Context, name string) (staff.User, error) {
	u, err := d.Store.User(ctx, name)
	if errors.Is(err, content.ErrNotFound) {
		return u, i18n.Errorf("không có tài khoản %q (xem: loa user list)", "there is no account %q (see: loa user list)", name)
	}
	if err == nil && !u.Active() {
		return u, i18n.Errorf("tài khoản %s đã bị khóa", "the account %s is disabled", name)
	}
	return u, err
}

// SetPassword sets name's password: an administrator for anyone, a person
// for themselves. It ends the account's sessions.
func (d *Directory) SetPassword(ctx context.Context, actor staff.Actor, name, password string) error {
	if actor.Role != staff.Admin && actor.Name != name {
		return ErrMayNotManage
	}
	u, err := d.Find(ctx, name)
	if err != nil {
		return err
	}
	if err := CheckPassword(u.Name, password); err != nil {
		return err
	}
	hash, err := d.hash(password)
	if err != nil {
		return err
	}
	return d.Store.SetPassword(ctx, u.ID, hash, actor.Audit(), d.Now())
}

// Disable disables name's account (or enables it again) and ends its
// sessions. The last active administrator cannot be disabled.
func (d *Directory) Disable(ctx context.Context, actor staff.Actor, name string, disable bool) error {
	if actor.Role != staff.Admin {
		return ErrMayNotManage
	}
	u, err := d.Store.User(ctx, name)
	if errors.Is(err, content.ErrNotFound) {
		return i18n.Errorf("không có tài khoản %q", "there is no account %q", name)
	}
	if err != nil {
		return err
	}
	if disable && u.Role == staff.Admin {
		all, err := d.Store.Users(ctx)
		if err != nil {
			return err
		}
		admins := 0
		for _, x := range all {
			if x.Role == staff.Admin && x.Active() {
				admins++
			}
		}
		if admins <= 1 && u.Active() {
			return i18n.Errorf("không khóa được quản trị viên cuối cùng", "the last administrator cannot be disabled")
		}
	}
	return d.Store.DisableUser(ctx, u.ID, disable, actor.Audit(), d.Now())
}

// Session is a signed-in person: the token goes in their cookie and
// nowhere else.
type Session struct {
	Token string
	User  staff.User
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// limiter returns the attempts limiter of key.
func (d *Directory) limiter(key string, burst int, every time.Duration) *rate.Limiter {
	if d.attempts == nil {
		d.attempts = map[string]*rate.Limiter{}
	}
	if len(d.attempts) > 10000 { // forget keys whose limits have refilled
		now := d.Now()
		for k, l := range d.attempts {
			if l.TokensAt(now) >= float64(l.Burst()) {
				delete(d.attempts, k)
			}
		}
	}
	l, ok := d.attempts[key]
	if !ok {
		l = rate.NewLimiter(rate.Every(every), burst)
		d.attempts[key] = l
	}
	return l
}

// Login checks name's password from address and starts a session. After
// too many wrong passwords for an account or from an address, it refuses
// every attempt (right ones too) for a while.
func (d *Directory) Login(ctx context.Context, name, password, address string) (Session, error) {
	now := d.Now()
	name = strings.ToLower(strings.TrimSpace(name))
	d.mu.Lock()
	lu := d.limiter("user:"+name, userBurst, userRefill)
	la := d.limiter("addr:"+address, addrBurst, addrRefill)
	var wait time.Duration
	for _, l := range []struct {
		*rate.Limiter
		every time.Duration
	}{{lu, userRefill}, {la, addrRefill}} {
		if t := l.TokensAt(now); t < 1 {
			wait = max(wait, time.Duration((1-t)*float64(l.every)))
		}
	}
	if d.dummyHash == nil {
		d.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), d.cost())
	}
	dummy := d.dummyHash
	d.mu.Unlock()
	if wait > 0 {
		return Session{}, &TooManyError{Wait: wait}
	}
	fail := func() (Session, error) {
		d.mu.Lock()
		lu.AllowN(now, 1)
		la.AllowN(now, 1)
		d.mu.Unlock()
		return Session{}, ErrBadLogin
	}
	u, err := d.Store.User(ctx, name)
	if errors.Is(err, content.ErrNotFound) {
		_ = bcrypt.CompareHashAndPassword(dummy, []byte(password)) // the same time as a real account
		return fail()
	}
	if err != nil {
		return Session{}, err
	}
	hash, err := d.Store.PasswordHash(ctx, u.ID)
	if err != nil {
		return Session{}, err
	}
	if hash == "" || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || !u.Active() {
		if hash == "" {
			_ = bcrypt.CompareHashAndPassword(dummy, []byte(password))
		}
		return fail()
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := d.Store.StartSession(ctx, tokenHash(token), u, address, now); err != nil {
		return Session{}, err
	}
	return Session{Token: token, User: u}, nil
}

// Resume returns the person signed in with token, refreshing the session's
// idle time; ErrSignedOut when it has ended or the account was disabled.
func (d *Directory) Resume(ctx context.Context, token string) (staff.User, error) {
	if token == "" {
		return staff.User{}, ErrSignedOut
	}
	h := tokenHash(token)
	u, started, seen, err := d.Store.Session(ctx, h)
	if errors.Is(err, content.ErrNotFound) {
		return u, ErrSignedOut
	}
	if err != nil {
		return u, err
	}
	now := d.Now()
	if !u.Active() || now.Sub(seen) >= d.Idle || now.Sub(started) >= d.Max {
		_ = d.Store.EndSession(ctx, h)
		return staff.User{}, ErrSignedOut
	}
	if now.Sub(seen) >= time.Minute { // one write a minute at most
		if err := d.Store.TouchSession(ctx, h, now); err != nil {
			return u, err
		}
	}
	return u, nil
}

// Logout ends the session of token.
func (d *Directory) Logout(ctx context.Context, token string) error {
	return d.Store.EndSession(ctx, tokenHash(token))
}
