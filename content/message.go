package content

import (
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/i18n"
)

// Channel names a variant of a message: where that text goes.
type Channel string

// Label names the channel in lang as the office says it ("loa", "băng
// rôn"); in English, its key.
func (c Channel) Label(lang string) string { return i18n.Label("channel", string(c), lang) }

// ParseChannel is the channel a person typed: its key ("loudspeaker") or
// its Vietnamese name ("loa", "băng rôn", "bang ron"); typed as it is when
// it is neither, for the checks to name.
func ParseChannel(typed string) Channel {
	keys := make([]string, len(Channels))
	for i, c := range Channels {
		keys[i] = string(c)
	}
	if k, ok := i18n.Parse("channel", typed, keys); ok {
		return Channel(k)
	}
	return Channel(strings.TrimSpace(typed))
}

// The four variants a message carries. A variant may be empty: that channel
// skips the message.
const (
	Telegram    Channel = "telegram"
	Zalo        Channel = "zalo"
	Loudspeaker Channel = "loudspeaker"
	Banner      Channel = "banner"
)

// Channels lists the variants in their canonical order.
var Channels = []Channel{Telegram, Zalo, Loudspeaker, Banner}

// ByPerson reports whether a person completes deliveries on ch (airs the
// script, hangs the banner) rather than Loa sending them to residents.
func (ch Channel) ByPerson() bool { return ch == Loudspeaker || ch == Banner }

// Variants holds one text per channel. Banner holds one slogan per line.
type Variants struct {
	Telegram    string
	Zalo        string
	Loudspeaker string
	Banner      string
}

// Get returns the variant for ch.
func (v Variants) Get(ch Channel) string {
	switch ch {
	case Telegram:
		return v.Telegram
	case Zalo:
		return v.Zalo
	case Loudspeaker:
		return v.Loudspeaker
	case Banner:
		return v.Banner
	}
	return ""
}

// Set stores text as the variant for ch and reports whether ch is known.
func (v *Variants) Set(ch Channel, text string) bool {
	switch ch {
	case Telegram:
		v.Telegram = text
	case Zalo:
		v.Zalo = text
	case Loudspeaker:
		v.Loudspeaker = text
	case Banner:
		v.Banner = text
	default:
		return false
	}
	return true
}

// IsEmpty reports whether every variant is empty.
func (v Variants) IsEmpty() bool { return v == Variants{} }

// Draft is the editable part of a message: what a person writes.
type Draft struct {
	Key      string // stable within a campaign, e.g. "phat-dong"
	Title    string
	Topic    Topic
	Image    string // optional picture sent with the Telegram and Zalo variants (a file path)
	Variants Variants
}

// Message is a message as stored: its current version and approval state.
type Message struct {
	ID         int64
	CampaignID int64
	Campaign   string // campaign key, e.g. "action-month/2026"
	Draft
	State   State
	Version int // the newest version; versions count from 1
	// ApprovedVersion is the newest version a leader approved, 0 if none.
	ApprovedVersion int
	RejectReason    string // why the newest version was rejected, when State is Rejected
	UpdatedAt       time.Time
	Author          string // who wrote the newest version
	SubmittedBy     string // who submitted the newest version for approval, "" when not yet
}

// Version is one immutable revision of a message's text.
type Version struct {
	MessageID int64
	Number    int
	Draft
	CreatedBy string
	CreatedAt time.Time
}

// State is where a message stands in the approval flow.
type State string

// The approval states (DESIGN.md §3).
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateApproved  State = "approved"
	StateRejected  State = "rejected"
	StateArchived  State = "archived"
)

// States lists every state in flow order.
var States = []State{StateDraft, StateSubmitted, StateApproved, StateRejected, StateArchived}

// Action is what a person does to a message.
type Action string

// The actions of the approval flow.
const (
	ActEdit     Action = "edit"     // save a new version
	ActSubmit   Action = "submit"   // ask for approval
	ActWithdraw Action = "withdraw" // take a submission back to draft
	ActApprove  Action = "approve"  // a leader lets it reach residents
	ActReject   Action = "reject"   // a leader sends it back, with a reason
	ActArchive  Action = "archive"  // retire it; it is never sent again
	ActRestore  Action = "restore"  // bring an archived message back as a draft
)

// Actions lists every action.
var Actions = []Action{ActEdit, ActSubmit, ActWithdraw, ActApprove, ActReject, ActArchive, ActRestore}

// transitions is the whole approval flow: from state, by action, to state.
// Editing an approved message starts a new version that needs approval again;
// a submitted message must be withdrawn before it is edited, so a leader never
// approves text that changed under their eyes.
var transitions = map[State]map[Action]State{
	StateDraft:     {ActEdit: StateDraft, ActSubmit: StateSubmitted, ActArchive: StateArchived},
	StateSubmitted: {ActWithdraw: StateDraft, ActApprove: StateApproved, ActReject: StateRejected, ActArchive: StateArchived},
	StateApproved:  {ActEdit: StateDraft, ActArchive: StateArchived},
	StateRejected:  {ActEdit: StateDraft, ActSubmit: StateSubmitted, ActArchive: StateArchived},
	StateArchived:  {ActRestore: StateDraft},
}

// Next returns the state that action leads to from state, or a
// *TransitionError when the flow does not allow it.
func Next(from State, action Action) (State, error) {
	to, ok := transitions[from][action]
	if !ok {
		return "", &TransitionError{From: from, Action: action}
	}
	return to, nil
}

// TransitionError says an action is not allowed in a state.
type TransitionError struct {
	From   State
	Action Action
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s a message that is %s", e.Action, e.From)
}

// Localize returns the message in Vietnamese ("vi") or English.
func (e *TransitionError) Localize(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return fmt.Sprintf("không thể %s một tin đang ở trạng thái %q", actionVI[e.Action], e.From.Label("vi"))
}

var actionVI = map[Action]string{
	ActEdit: "sửa", ActSubmit: "trình duyệt", ActWithdraw: "rút lại", ActApprove: "duyệt",
	ActReject: "từ chối", ActArchive: "lưu trữ", ActRestore: "khôi phục",
}

// Label returns the state's name for people, in Vietnamese unless lang is "en".
func (s State) Label(lang string) string { return i18n.Label("message", string(s), lang) }
