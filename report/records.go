package report

import (
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// Tally is one campaign's deliveries on one channel in one state.
type Tally struct {
	CampaignID int64
	Channel    content.Channel
	State      scheduler.DeliveryState
	Count      int
	Reach      int // people reached through a person (Zalo groups), 0 when unknown
}

// AiredScript is a loudspeaker script the operator confirmed aired.
type AiredScript struct {
	CampaignID int64
	Title      string // read in the frame
	Text       string // the version aired, as written
}
