package content

import "errors"

// The errors every store of Loa's records returns, so services can tell
// "not there" and "already there" from a failure without knowing the store.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// MessageFilter selects messages; zero fields match everything.
type MessageFilter struct {
	Year       int
	CampaignID int64
	State      State
}
