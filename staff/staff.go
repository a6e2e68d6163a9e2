// Package staff says who acts in Loa and what each role may do. Every
// service takes an Actor and asks it, so the CLI, the staff bot and the
// dashboard obey one policy: only a leader (or an admin) approves content,
// and a person in the field confirms only the tasks given to them.
//
// Every desk acts as an account: the dashboard's signed-in person, the
// CLI's --as (or the server's local administrator), the staff bot's chat,
// a task link's assignee, a staff member replying to the Zalo OA.
package staff

import (
	"regexp"
	"time"

	"github.com/loa-ward/loa/i18n"
)

// ErrForbidden refuses what the actor's role may not do.
var ErrForbidden = i18n.Errorf("vai trò của bạn không được làm việc này", "your role may not do this")

// Role is what a person does in the ward office.
type Role string

// The roles. An assignee of a task is a person's name or one of these.
const (
	Officer     Role = "officer"      // drafts content, watches sending
	Leader      Role = "leader"       // approves content
	Operator    Role = "operator"     // airs the radio scripts
	BlockLeader Role = "block-leader" // posts in a residential block's Zalo group
	Admin       Role = "admin"        // IT on the server: may do anything
)

// Roles lists every role in the order a form shows them.
var Roles = []Role{Officer, Leader, Operator, BlockLeader, Admin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Desk is where an actor acts from.
type Desk string

// The desks.
const (
	CLI      Desk = "cli"
	Web      Desk = "web"
	Telegram Desk = "telegram"
	System   Desk = "system" // the daemon itself
	Link     Desk = "link"   // a task link opened on a phone
	Zalo     Desk = "zalo"   // a reply to the ward's Zalo OA
)

// Actor is a person acting, with their role and the desk they use.
type Actor struct {
	Name string
	Role Role
	Desk Desk
}

// Local is the administrator at the server's terminal, named name: whoever
// holds a shell on the server holds the database file too.
func Local(name string) Actor { return Actor{Name: name, Role: Admin, Desk: CLI} }

// User is an account: a person of the ward office who signs in.
type User struct {
	ID       int64
	Name     string // the login, e.g. "lan.vhxh"
	FullName string // as printed sheets and reports show it: "Nguyễn Thị Lan"
	Title    string // "Công chức Văn hóa - Xã hội"
	Role     Role
	// TelegramChat is the staff chat the person uses with the bot, "" for none.
	TelegramChat string
	Email        string // where e-mail notices go, "" for none
	ZaloID       string // the Zalo user id the person follows the ward's OA with, "" for none
	// Notify is the order in which notices try the person's channels
	// (zalo, telegram, email); the dashboard's Today page always has them.
	Notify []string
	// Digest gathers the day's notices into one message a morning instead.
	Digest     bool
	CreatedAt  time.Time
	PasswordAt time.Time // zero: no password, the person cannot sign in
	DisabledAt time.Time // zero: active
}

// Active reports whether the account may act.
func (u User) Active() bool { return u.DisabledAt.IsZero() }

// As is the user acting from desk.
func (u User) As(desk Desk) Actor { return Actor{Name: u.Name, Role: u.Role, Desk: desk} }

var roleLabels = map[Role]string{Officer: "cán bộ văn hóa - xã hội", Leader: "lãnh đạo", Operator: "đài truyền thanh",
	BlockLeader: "tổ trưởng tổ dân phố", Admin: "quản trị"}

// Label names the role in lang.
func (r Role) Label(lang string) string {
	vi := roleLabels[r]
	if lang == "en" || vi == "" {
		return string(r)
	}
	return vi
}

// Audit is how the audit log names the actor: their account name, the same
// from every desk, so one person is one name in the log.
func (a Actor) Audit() string { return a.Name }

// MayDraft reports whether the actor may write, submit, withdraw or archive
// content: the officer, a leader, an admin.
func (a Actor) MayDraft() bool { return a.Role == Officer || a.Role == Leader || a.Role == Admin }

// MayPlan reports whether the actor may plan sending: schedules, the radio
// rota, the banner plan and slogan lists, resends, residents' lists.
func (a Actor) MayPlan() bool { return a.Role == Officer || a.Role == Admin }

// MayApprove reports whether the actor may approve or reject content.
func (a Actor) MayApprove() bool { return a.Role == Leader || a.Role == Admin }

// Names are what tasks given to the actor are assigned to: their name and
// their role.
func (a Actor) Names() []string { return []string{a.Name, string(a.Role)} }

// MayConfirm reports whether the actor may confirm a task assigned to
// assignee: their own, or any for an admin.
func (a Actor) MayConfirm(assignee string) bool {
	return a.Role == Admin || a.Owns(assignee)
}

// Owns reports whether a task assigned to assignee is the actor's.
func (a Actor) Owns(assignee string) bool {
	return assignee != "" && (assignee == a.Name || assignee == string(a.Role))
}

// AuditEntry is one line of the audit log: who did what to which thing, when.
type AuditEntry struct {
	At       time.Time
	Actor    string
	Action   string // "create", "edit", "submit", "approve", "reject", …
	Entity   string // "campaign", "message", …
	EntityID int64
	Detail   string
}

// NotifyChannels are the channels a notice may go by, besides the
// dashboard's Today page, in the default order of preference.
var NotifyChannels = []string{"zalo", "telegram", "email"}

// auditActions name what was done, as the audit log shows it.
var auditActions = map[string]i18n.Text{
	"create": {VI: "tạo", EN: "create"}, "edit": {VI: "sửa", EN: "edit"}, "submit": {VI: "gửi duyệt", EN: "submit"},
	"withdraw": {VI: "rút lại", EN: "withdraw"}, "approve": {VI: "duyệt", EN: "approve"}, "reject": {VI: "từ chối", EN: "reject"},
	"archive": {VI: "lưu trữ", EN: "archive"}, "restore": {VI: "khôi phục", EN: "restore"}, "copy": {VI: "sao chép", EN: "copy"},
	"consent": {VI: "đồng ý nhận tin", EN: "consent"}, "delete": {VI: "xóa", EN: "delete"}, "import": {VI: "nhập", EN: "import"},
	"add": {VI: "thêm", EN: "add"}, "remove": {VI: "bỏ", EN: "remove"}, "attach": {VI: "đính kèm", EN: "attach"},
	"login": {VI: "đăng nhập", EN: "login"}, "password": {VI: "đổi mật khẩu", EN: "password"}, "contact": {VI: "đổi liên hệ", EN: "contact"},
	"resend": {VI: "gửi lại", EN: "resend"}, "migrate": {VI: "đổi mã nhóm", EN: "migrate"}, "revoke-links": {VI: "thu hồi liên kết", EN: "revoke links"},
	"disable": {VI: "khóa tài khoản", EN: "disable"}, "enable": {VI: "mở khóa tài khoản", EN: "enable"},
}

// auditDetails are the details Loa writes in English, read back in
// Vietnamese: a pattern and what it says over its groups.
var auditDetails = []struct {
	re *regexp.Regexp
	vi func(g []string) string
}{
	{regexp.MustCompile(`^v(\d+), was (\w+)$`), func(g []string) string {
		return "bản " + g[1] + ", trước là " + i18n.Label("message", g[2], i18n.Vietnamese)
	}},
	{regexp.MustCompile(`^from message (\d+) v(\d+) \((.+)\)$`), func(g []string) string { return "từ tin " + g[1] + " bản " + g[2] + " (" + g[3] + ")" }},
	{regexp.MustCompile(`^(\S+) v1$`), func(g []string) string { return g[1] + " bản 1" }},
	{regexp.MustCompile(`^(\w+) via (.+)$`), func(g []string) string { return g[1] + " qua " + g[2] }},
	{regexp.MustCompile(`^(\w+): at the resident's request$`), func(g []string) string { return g[1] + ": theo yêu cầu của người dân" }},
}

// Say returns the entry's action and detail in lang.
func (e AuditEntry) Say(lang string) (action, detail string) {
	action, detail = e.Action, e.Detail
	if lang == i18n.English {
		return action, detail
	}
	if t, ok := auditActions[e.Action]; ok {
		action = t.VI
	} else if l := i18n.Label(e.Entity, e.Action, lang); l != e.Action {
		action = l // a banner's or a delivery's new state
	}
	for _, d := range auditDetails {
		if g := d.re.FindStringSubmatch(detail); g != nil {
			return action, d.vi(g)
		}
	}
	return action, detail
}
