package scheduler

import (
	"time"

	"github.com/loa-ward/loa/content"
)

// The records the desks read back from the ledger, and how they select
// them. The store fills them; the services declare what they ask for.

// Delivery is one recipient's delivery as the ledger holds it, with the
// message it carries.
type Delivery struct {
	ID          int64
	RunID       int64
	Channel     content.Channel
	Recipient   string
	State       DeliveryState
	Attempts    int
	ProviderID  string
	Error       string
	Assignee    string
	ConfirmedBy string
	Note        string
	Reach       int // people a person-completed delivery reached, 0 when unknown
	UpdatedAt   time.Time
	DueAt       time.Time // the run's
	MessageKey  string
	Title       string
}

// DeliveryFilter selects deliveries; zero fields match all.
type DeliveryFilter struct {
	ID       int64
	RunID    int64
	States   []DeliveryState
	Assignee string
	Channel  content.Channel
	DueFrom  time.Time // the run was due at or after this
	DueTo    time.Time // the run was due before this
	Limit    int
}

// RunFilter selects runs for listing.
type RunFilter struct {
	From, To time.Time  // due in [From, To); zero: unbounded
	States   []RunState // empty: all
	ID       int64
}

// ScheduleFilter selects schedules; zero fields match all.
type ScheduleFilter struct {
	Year       int
	CampaignID int64
	MessageID  int64
}

// ScheduleRow is a schedule with what lists show about it.
type ScheduleRow struct {
	Schedule
	Campaign    string   // campaign key
	MessageKeys []string // in rotation order
}

// ImportItem is one message to save into its campaign, with the schedules
// its file defines. The campaign is created when it does not exist yet.
type ImportItem struct {
	Campaign content.Campaign // ID may be 0
	Draft    content.Draft    // already checked
	// Schedules are the ones the message's file defines (source "file",
	// checked); they replace the file's schedules the message had before.
	Schedules []Schedule
}

// ImportResult counts what an import did.
type ImportResult struct {
	Campaigns int // campaigns created
	Created   int // new messages
	Updated   int // new versions of existing messages
	Unchanged int
	// Schedules added and removed because files changed them.
	SchedulesAdded, SchedulesRemoved int
}
