package office

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// ErrNoTask is returned for a task that does not exist.
var ErrNoTask = i18n.Errorf("không có việc này", "no such task")

// NotYoursError refuses to confirm a task given to someone else.
type NotYoursError struct {
	What string // "task" or "banner"
	ID   int64
}

func (e *NotYoursError) Error() string {
	return fmt.Sprintf("%s #%d is not assigned to you", e.What, e.ID)
}

// Localize says the error in lang.
func (e *NotYoursError) Localize(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	what := "việc"
	if e.What == "banner" {
		what = "băng rôn"
	}
	return fmt.Sprintf("%s #%d không giao cho bạn", what, e.ID)
}

// TaskFilter selects waiting tasks.
type TaskFilter struct {
	Mine    bool // only the actor's (assigned to their name, or to their role when ByRole)
	ByRole  bool // with Mine: tasks given to the actor's role count as theirs
	Overdue bool // only those past the overdue delay
}

// Tasks is the work waiting for people: deliveries to complete and the
// day's banner work.
type Tasks struct {
	Deliveries []Task
	Banners    []banner.Reminder
}

// Task is a delivery a person completes.
type Task struct {
	scheduler.Delivery
	Overdue bool
}

// Tasks returns the waiting tasks f selects, for actor.
func (o *Office) Tasks(ctx context.Context, actor staff.Actor, f TaskFilter) (Tasks, error) {
	var out Tasks
	mine := func(assignee string) bool {
		if f.ByRole {
			return actor.Owns(assignee)
		}
		return assignee == actor.Name
	}
	df := scheduler.DeliveryFilter{States: []scheduler.DeliveryState{scheduler.Assigned}}
	late := o.Now().Add(-o.TaskOverdue)
	if f.Overdue {
		df.DueTo = late
	}
	ds, err := o.DB.Deliveries(ctx, df)
	if err != nil {
		return out, err
	}
	for _, d := range ds {
		if f.Mine && !mine(d.Assignee) {
			continue
		}
		out.Deliveries = append(out.Deliveries, Task{Delivery: d, Overdue: d.DueAt.Before(late)})
	}
	rs, err := o.BannerReminders(ctx, o.today())
	if err != nil {
		return out, err
	}
	out.Banners = slices.DeleteFunc(rs, func(r banner.Reminder) bool {
		return (f.Mine && !mine(r.Line.Responsible)) || (f.Overdue && r.Kind != "overdue" && r.Kind != "late-hang")
	})
	return out, nil
}

// Task returns a task and what it asks the person to post, read or hang.
func (o *Office) Task(ctx context.Context, id int64) (scheduler.Delivery, channels.Message, error) {
	d, err := o.delivery(ctx, id)
	if err != nil {
		return d, channels.Message{}, err
	}
	m, err := o.Render(ctx, d.RunID, d.Channel)
	return d, m, err
}

func (o *Office) delivery(ctx context.Context, id int64) (scheduler.Delivery, error) {
	ds, err := o.DB.Deliveries(ctx, scheduler.DeliveryFilter{ID: id})
	if err != nil {
		return scheduler.Delivery{}, err
	}
	if len(ds) == 0 {
		return scheduler.Delivery{}, ErrNoTask
	}
	return ds[0], nil
}

// Confirmation is a person's word on a task.
type Confirmation struct {
	Done  bool   // done, or not done
	Note  string // a note; the reason when not done
	Reach int    // people it reached (a Zalo group's members), 0 when unknown
}

// Confirm records a task done or not done by actor, who must be its assignee
// (or an admin).
func (o *Office) Confirm(ctx context.Context, actor staff.Actor, id int64, c Confirmation) (scheduler.Delivery, error) {
	if c.Reach < 0 {
		return scheduler.Delivery{}, content.Errorf("số người nhận không âm", "reach cannot be negative")
	}
	note := strings.TrimSpace(content.Normalize(c.Note))
	if !c.Done && note == "" {
		return scheduler.Delivery{}, content.Errorf("cần lý do không làm được", "a task not done needs the reason")
	}
	if actor.Role != staff.Admin {
		d, err := o.delivery(ctx, id)
		if err != nil {
			return d, err
		}
		if !actor.MayConfirm(d.Assignee) {
			return d, &NotYoursError{What: "task", ID: id}
		}
	}
	if note == "" {
		note = deskNote(actor)
	}
	d, err := o.DB.CompleteTaskReach(ctx, id, c.Done, actor.Name, note, c.Reach, o.Now())
	if errors.Is(err, content.ErrNotFound) {
		return d, ErrNoTask
	}
	return d, err
}

// deskNote is what the log says of a confirmation made away from the
// dashboard and the CLI, when the person gave no note.
func deskNote(a staff.Actor) string {
	switch a.Desk {
	case staff.Telegram:
		return "xác nhận qua Telegram"
	case staff.Link:
		return "xác nhận qua liên kết"
	case staff.Zalo:
		return "xác nhận qua Zalo"
	}
	return ""
}
