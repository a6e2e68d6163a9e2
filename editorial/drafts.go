package editorial

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

// PreviewDraft shows a draft not saved yet (the dashboard's editor, as the
// officer types) for campaign ref, as Preview shows a saved message, with
// the text rules' problems and the banner lines missing from the
// campaign's slogan list.
func (d *Desk) PreviewDraft(ctx context.Context, ref string, dr content.Draft) (Preview, error) {
	c, err := d.Campaign(ctx, ref)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Draft: dr}
	d.render(&p, c, false)
	ps, err := d.offList(ctx, c, dr.Variants.Banner)
	p.Problems = append(p.Problems, ps...)
	return p, err
}

// offList warns about each banner line that is not on campaign c's slogan
// list (when it has one).
func (d *Desk) offList(ctx context.Context, c content.Campaign, lines string) ([]content.Problem, error) {
	if strings.TrimSpace(lines) == "" {
		return nil, nil
	}
	list, err := d.DB.Slogans(ctx, c.Year, c.ObservanceKey)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	var ps []content.Problem
	for i, line := range strings.Split(lines, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		on := false
		for _, s := range list {
			on = on || banner.Same(s.Text, line)
		}
		if !on {
			ps = append(ps, content.Problem{Channel: content.Banner, Line: i + 1, Warning: true,
				Err: i18n.Errorf("không có trong danh sách khẩu hiệu của chiến dịch: cần lãnh đạo duyệt câu chữ",
					"not on the campaign's slogan list: a leader must approve the wording")})
		}
	}
	return ps, nil
}

// DraftError refuses a draft with problems that are not warnings.
type DraftError struct{ Problems []content.Problem }

func (e *DraftError) Error() string { return e.Localize("en") }

// Localize says the error in lang.
func (e *DraftError) Localize(lang string) string {
	return i18n.Sprintf(lang, "bản nháp có %d lỗi; chưa lưu", "the draft has %d problems; not saved", len(e.Problems))
}

// SaveDraft saves dr in campaign ref by actor, as a new message or a new
// version of the message with its key: checked with the same rules as an
// import, refused with a *DraftError when a problem is not a warning.
// Saving a submitted message's new text takes it back to draft.
func (d *Desk) SaveDraft(ctx context.Context, actor staff.Actor, ref string, dr content.Draft) (content.Message, []content.Problem, error) {
	if !actor.MayDraft() {
		return content.Message{}, nil, staff.ErrForbidden
	}
	c, err := d.Campaign(ctx, ref)
	if err != nil {
		return content.Message{}, nil, err
	}
	o, _ := d.Observance(c.ObservanceKey)
	checked, ps := content.Check(dr, d.Rules(o, c))
	var errs []content.Problem
	for _, p := range ps {
		if !p.Warning {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return content.Message{}, ps, &DraftError{errs}
	}
	m, _, err := d.DB.SaveDraft(ctx, c.ID, checked, actor.Audit(), d.now())
	var te *content.TransitionError
	if errors.As(err, &te) {
		return m, ps, i18n.Errorf("tin đang chờ duyệt: rút lại trước khi sửa", "the message waits for approval: withdraw it before editing")
	}
	if err != nil {
		return m, ps, fmt.Errorf("save draft %s: %w", dr.Key, err)
	}
	return m, ps, nil
}
