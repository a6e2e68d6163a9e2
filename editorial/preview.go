package editorial

import (
	"context"
	"fmt"

	"github.com/loa-ward/loa/content"
)

// Preview is a message as each channel would show it on a day, measured as
// the platforms count, with the problems the text rules find.
type Preview struct {
	Message  content.Message
	Draft    content.Draft // the version shown
	Version  int
	Day      content.Date // the day it is rendered for; zero when raw
	Variants []VariantPreview
	Problems []content.Problem
}

// VariantPreview is one channel's text.
type VariantPreview struct {
	Channel content.Channel
	Text    string // rendered (or raw); "" when the channel skips the message
	Measure content.Measure
	Err     error // the template does not render (Text is then as written)
}

// VersionError asks for a version a message does not have.
type VersionError struct {
	ID       int64
	Versions int
}

func (e *VersionError) Error() string { return e.Localize("en") }

// Localize says the error in lang.
func (e *VersionError) Localize(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("message #%d has versions 1 to %d", e.ID, e.Versions)
	}
	return fmt.Sprintf("tin #%d có các phiên bản 1 đến %d", e.ID, e.Versions)
}

// Preview renders message ref's version (0: the newest) as sent today, or
// on its window's first day when today is outside it; raw leaves the
// templates unfilled.
func (d *Desk) Preview(ctx context.Context, ref string, version int, raw bool) (Preview, error) {
	m, err := d.Resolve(ctx, ref)
	if err != nil {
		return Preview{}, err
	}
	return d.previewMessage(ctx, m, version, raw)
}

func (d *Desk) previewMessage(ctx context.Context, m content.Message, version int, raw bool) (Preview, error) {
	p := Preview{Message: m, Draft: m.Draft, Version: m.Version}
	if version != 0 && version != m.Version {
		vs, err := d.DB.Versions(ctx, m.ID)
		if err != nil {
			return p, err
		}
		if version < 1 || version > len(vs) {
			return p, &VersionError{ID: m.ID, Versions: len(vs)}
		}
		p.Draft, p.Version = vs[version-1].Draft, version
	}
	c, err := d.Campaign(ctx, m.Campaign)
	if err != nil {
		return p, fmt.Errorf("campaign %s of message %d: %w", m.Campaign, m.ID, err)
	}
	d.render(&p, c, raw)
	for _, v := range p.Variants {
		if v.Err != nil {
			return p, v.Err
		}
	}
	return p, nil
}

// render fills p's variants, day and problems from p.Draft for campaign c:
// as sent today, or on the window's first day when today is outside it.
func (d *Desk) render(p *Preview, c content.Campaign, raw bool) {
	o, _ := d.Observance(c.ObservanceKey)
	day := content.DateOf(d.now())
	if !c.Contains(day) {
		day = c.From // preview as on the window's first day
	}
	r := d.Renderer()
	p.Variants = nil
	for _, ch := range content.Channels {
		v := VariantPreview{Channel: ch, Text: p.Draft.Variants.Get(ch)}
		if v.Text != "" {
			if !raw {
				var err error
				if v.Text, err = r.Render(p.Draft.Key, ch, v.Text, c, day); err != nil {
					v.Text, v.Err = p.Draft.Variants.Get(ch), err
				}
			}
			v.Measure = content.MeasureText(ch, v.Text, d.Pace)
		}
		p.Variants = append(p.Variants, v)
	}
	if !raw {
		p.Day = day
	}
	_, p.Problems = content.Check(p.Draft, d.Rules(o, c))
}

// Renderer is the desk's renderer: the ward, its calendar and hotlines.
func (d *Desk) Renderer() content.Renderer {
	return content.Renderer{Ward: d.Ward, Calendar: d.Calendar, Hotlines: d.Hotlines}
}
