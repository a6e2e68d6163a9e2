package content

import (
	"errors"
	"testing"
)

func TestEveryTransition(t *testing.T) {
	// legal lists, for each state, every action allowed and where it leads;
	// every other (state, action) pair must be refused.
	legal := map[State]map[Action]State{
		StateDraft:     {ActEdit: StateDraft, ActSubmit: StateSubmitted, ActArchive: StateArchived},
		StateSubmitted: {ActWithdraw: StateDraft, ActApprove: StateApproved, ActReject: StateRejected, ActArchive: StateArchived},
		StateApproved:  {ActEdit: StateDraft, ActArchive: StateArchived},
		StateRejected:  {ActEdit: StateDraft, ActSubmit: StateSubmitted, ActArchive: StateArchived},
		StateArchived:  {ActRestore: StateDraft},
	}
	for _, from := range States {
		for _, act := range Actions {
			got, err := Next(from, act)
			want, ok := legal[from][act]
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("Next(%s, %s) = %q, %v; want %q", from, act, got, err, want)
			case !ok:
				var te *TransitionError
				if !errors.As(err, &te) || te.From != from || te.Action != act {
					t.Errorf("Next(%s, %s) = %q, %v; want a TransitionError", from, act, got, err)
				}
			}
		}
	}
	_, err := Next(StateApproved, ActApprove)
	if got := err.(*TransitionError).Localize("vi"); got != `không thể duyệt một tin đang ở trạng thái "đã duyệt"` {
		t.Errorf("Vietnamese transition error = %q", got)
	}
}

func TestApprovalNeedsSubmission(t *testing.T) {
	// The property behind the table: no state reaches approved except submitted.
	for _, from := range States {
		for _, act := range Actions {
			if to, err := Next(from, act); err == nil && to == StateApproved && from != StateSubmitted {
				t.Errorf("%s --%s--> approved skips the leader's review", from, act)
			}
		}
	}
}
