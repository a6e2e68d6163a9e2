package editorial

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/staff"
)

// ErrMayNotApprove refuses an approval or rejection by someone who is not a
// leader.
var ErrMayNotApprove = content.Errorf("chỉ lãnh đạo được duyệt hoặc từ chối tin", "only a leader approves or rejects a message")

// ErrOwnMessage refuses an approval by the person who wrote or submitted
// the version: another leader approves it (content.self_approval allows it).
var ErrOwnMessage = content.Errorf("bạn đã soạn hoặc trình bản này; một lãnh đạo khác phải duyệt", "you wrote or submitted this version; another leader must approve it")

// Transition moves message ref (see Resolve) along the approval flow as
// actor, who must be a leader to approve or reject; a rejection needs the
// reason.
func (d *Desk) Transition(ctx context.Context, actor staff.Actor, ref string, action content.Action, reason string) (content.Message, error) {
	m, err := d.Resolve(ctx, ref)
	if err != nil {
		return m, err
	}
	return d.TransitionID(ctx, actor, m.ID, action, reason)
}

// TransitionID is Transition for a message id.
func (d *Desk) TransitionID(ctx context.Context, actor staff.Actor, id int64, action content.Action, reason string) (content.Message, error) {
	switch {
	case action == content.ActApprove || action == content.ActReject:
		if !actor.MayApprove() {
			return content.Message{}, ErrMayNotApprove
		}
	case !actor.MayDraft():
		return content.Message{}, staff.ErrForbidden
	}
	if action == content.ActApprove && !d.SelfApproval {
		m, err := d.DB.Message(ctx, id)
		if err != nil {
			return m, err
		}
		if m.SubmittedBy == actor.Name || m.Author == actor.Name {
			return content.Message{}, ErrOwnMessage
		}
	}
	reason = strings.TrimSpace(content.Normalize(reason))
	if action == content.ActReject && reason == "" {
		return content.Message{}, content.Errorf("cần lý do từ chối để người soạn sửa", "a rejection needs the reason, to tell the author what to fix")
	}
	m, err := d.DB.Transition(ctx, id, action, actor.Audit(), reason, d.now())
	if action == content.ActApprove {
		d.changed(err) // held runs may go now
	}
	return m, err
}

// Resolve finds a message by id, "observance/year/key" or a key that is unique.
func (d *Desk) Resolve(ctx context.Context, ref string) (content.Message, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		m, err := d.DB.Message(ctx, id)
		if errors.Is(err, content.ErrNotFound) {
			return m, content.Errorf("không có tin số %d", "there is no message %d", id)
		}
		return m, err
	}
	key := ref
	campaign := ""
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		campaign, key = ref[:i], ref[i+1:]
	}
	ms, err := d.DB.MessagesByKey(ctx, key)
	if err != nil {
		return content.Message{}, err
	}
	var found []content.Message
	for _, m := range ms {
		if campaign == "" || m.Campaign == campaign {
			found = append(found, m)
		}
	}
	switch len(found) {
	case 0:
		return content.Message{}, content.Errorf("không có tin %q", "there is no message %q", ref)
	case 1:
		return found[0], nil
	}
	var names []string
	for _, m := range found {
		names = append(names, fmt.Sprintf("#%d %s/%s", m.ID, m.Campaign, m.Key))
	}
	return content.Message{}, content.Errorf("khóa %q có ở nhiều chiến dịch; hãy ghi rõ: %s", "key %q is in several campaigns; say which: %s",
		ref, strings.Join(names, ", "))
}

// Pending is a message waiting for a leader, with a preview of its first
// variant, rendered as residents will read it.
type Pending struct {
	Message content.Message
	Channel content.Channel // the variant previewed
	Preview string          // its visible text, at most 500 characters
}

// Pending lists the messages waiting for approval.
func (d *Desk) Pending(ctx context.Context) ([]Pending, error) {
	ms, err := d.DB.Messages(ctx, content.MessageFilter{State: content.StateSubmitted})
	if err != nil {
		return nil, err
	}
	var out []Pending
	for _, m := range ms {
		p := Pending{Message: m}
		variants := m.Variants
		if pv, err := d.previewMessage(ctx, m, 0, false); err == nil { // as residents will read it
			for _, v := range pv.Variants {
				variants.Set(v.Channel, v.Text)
			}
		}
		for _, ch := range content.Channels {
			if text := variants.Get(ch); text != "" {
				p.Channel, p.Preview = ch, content.TelegramVisible(text)
				break
			}
		}
		if utf8.RuneCountInString(p.Preview) > 500 {
			p.Preview = string([]rune(p.Preview)[:500]) + "…"
		}
		out = append(out, p)
	}
	return out, nil
}
