package activities

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

// Filter selects records; zero fields match all.
type Filter struct {
	ID         int64
	Year       int
	CampaignID int64
}

// Store keeps the records (store.DB).
type Store interface {
	Campaign(ctx context.Context, observance string, year int) (content.Campaign, error)
	// AddActivities saves every record in one transaction, audited, and
	// returns their ids.
	AddActivities(ctx context.Context, rs []Record, actor string, now time.Time) ([]int64, error)
	Activities(ctx context.Context, f Filter) ([]Record, error)
	DeleteActivity(ctx context.Context, id int64, actor string, now time.Time) error
	AddActivityFile(ctx context.Context, activity int64, f File, actor string, now time.Time) (File, error)
	ActivityFile(ctx context.Context, id int64) (File, error)
}

// Registry records the ward's activities; only the office (MayPlan) does.
type Registry struct {
	DB  Store
	Now func() time.Time
}

// ErrNoActivity is returned for a record that does not exist.
var ErrNoActivity = i18n.Errorf("không có hoạt động này", "there is no such activity")

// campaign finds r's campaign and checks the date belongs to its year.
func (g *Registry) campaign(ctx context.Context, r *Record) error {
	obs, year, _ := strings.Cut(r.Campaign, "/")
	y, err := strconv.Atoi(year)
	if err != nil {
		return FieldError{"chien_dich", i18n.Errorf("%q không phải chiến dịch (ví dụ action-month/2026)", "%q is not a campaign (e.g. action-month/2026)", r.Campaign)}
	}
	c, err := g.DB.Campaign(ctx, obs, y)
	if errors.Is(err, content.ErrNotFound) {
		return FieldError{"chien_dich", i18n.Errorf("chưa có chiến dịch %s (xem loa campaign list)", "there is no campaign %s (see loa campaign list)", r.Campaign)}
	}
	if err != nil {
		return err
	}
	// Plans go out weeks before a window opens and reports come after it
	// closes; a date further than a month from the window is a slip.
	if r.Date.Before(c.From.AddDays(-Margin)) || r.Date.After(c.To.AddDays(Margin)) {
		return FieldError{"ngay", i18n.Errorf("%s xa thời gian của chiến dịch %s (%s – %s): chọn đúng chiến dịch", "%s is far from campaign %s's window (%s – %s): pick the right campaign",
			r.Date.Short(), r.Campaign, c.From.Short(), c.To.Short())}
	}
	r.CampaignID = c.ID
	return nil
}

// Margin is how many days before a campaign's window opens, or after it
// closes, its activities may be dated.
const Margin = 31

// Add checks and saves one record.
func (g *Registry) Add(ctx context.Context, actor staff.Actor, r Record) (Record, error) {
	if !actor.MayPlan() {
		return r, staff.ErrForbidden
	}
	if errs := r.Check(content.DateOf(g.Now())); len(errs) > 0 {
		return r, errs[0]
	}
	if err := g.campaign(ctx, &r); err != nil {
		return r, err
	}
	ids, err := g.DB.AddActivities(ctx, []Record{r}, actor.Audit(), g.Now())
	if err != nil {
		return r, err
	}
	r.ID = ids[0]
	return r, nil
}

// Import reads a CSV (see ReadCSV) and saves every record, or, with any
// problem, none; it returns how many were saved or every problem by row
// and column.
func (g *Registry) Import(ctx context.Context, actor staff.Actor, name string, r io.Reader) (int, []error) {
	if !actor.MayPlan() {
		return 0, []error{staff.ErrForbidden}
	}
	rs, errs := ReadCSV(name, r, content.DateOf(g.Now()))
	for i := range rs {
		if err := g.campaign(ctx, &rs[i]); err != nil {
			var fe FieldError
			if !errors.As(err, &fe) {
				return 0, []error{err}
			}
			errs = append(errs, content.CellError{File: name, Row: i + 2, Column: fe.Field, Err: fe.Err})
		}
	}
	if len(errs) > 0 {
		return 0, errs
	}
	ids, err := g.DB.AddActivities(ctx, rs, actor.Audit(), g.Now())
	if err != nil {
		return 0, []error{err}
	}
	return len(ids), nil
}

// List returns the records f selects, by date.
func (g *Registry) List(ctx context.Context, f Filter) ([]Record, error) {
	return g.DB.Activities(ctx, f)
}

// Remove deletes a record recorded by mistake, with its files.
func (g *Registry) Remove(ctx context.Context, actor staff.Actor, id int64) error {
	if !actor.MayPlan() {
		return staff.ErrForbidden
	}
	return g.DB.DeleteActivity(ctx, id, actor.Audit(), g.Now())
}

// MaxFile is the largest attachment: a phone's photo or a scanned minutes.
const MaxFile = 8 << 20

// Attach keeps a file with record id: a photo (JPG, PNG) or the minutes
// (PDF), in the database so a backup holds it.
func (g *Registry) Attach(ctx context.Context, actor staff.Actor, id int64, name string, data []byte) (File, error) {
	if !actor.MayPlan() {
		return File{}, staff.ErrForbidden
	}
	if len(data) == 0 || len(data) > MaxFile {
		return File{}, i18n.Errorf("tệp đính kèm phải có nội dung và không quá %d MB", "an attachment must have content and be at most %d MB", MaxFile>>20)
	}
	typ := http.DetectContentType(data)
	if typ != "image/jpeg" && typ != "image/png" && typ != "application/pdf" {
		return File{}, i18n.Errorf("tệp %s không phải ảnh JPG, PNG hay PDF", "%s is not a JPG, PNG or PDF file", name)
	}
	if rs, err := g.DB.Activities(ctx, Filter{ID: id}); err != nil {
		return File{}, err
	} else if len(rs) == 0 {
		return File{}, ErrNoActivity
	}
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	return g.DB.AddActivityFile(ctx, id, File{Name: name, Type: typ, Size: len(data), Data: data}, actor.Audit(), g.Now())
}

// File returns an attachment with its content.
func (g *Registry) File(ctx context.Context, id int64) (File, error) {
	return g.DB.ActivityFile(ctx, id)
}
