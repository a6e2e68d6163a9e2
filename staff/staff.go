// Package staff says who acts in Loa and what each role may do. Every
// service takes an Actor and asks it, so the CLI, the staff bot and the
// dashboard obey one policy: only a leader (or an admin) approves content,
// and a person in the field confirms only the tasks given to them.
//
// Accounts and sign-in come with the dashboard; until then the CLI acts as
// the server's local administrator under the name given by --as, and the
// staff bot acts as the chat's configured member.
package staff

import "time"

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
	Telegram Desk = "telegram"
	System   Desk = "system" // the daemon itself
)

// Actor is a person acting, with their role and the desk they use.
type Actor struct {
	Name string
	Role Role
	Desk Desk
}

// Local is the administrator at the server's terminal, named name.
func Local(name string) Actor { return Actor{Name: name, Role: Admin, Desk: CLI} }

// Audit is how the audit log names the actor: the name, and the desk when it
// is not the terminal ("chi (telegram)").
func (a Actor) Audit() string {
	if a.Desk == Telegram {
		return a.Name + " (telegram)"
	}
	return a.Name
}

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
