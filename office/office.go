package office

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/store"
)

// Office answers the ward office's questions about one database.
type Office struct {
	DB          *store.DB
	Renderer    content.Renderer
	TaskOverdue time.Duration // a task not confirmed this long after its run is overdue
	// Render gives the text a run sends on a channel (the scheduler's renderer).
	Render RenderFunc
	Now    func() time.Time
}

// RenderFunc renders run's message for ch, as the scheduler sends it.
type RenderFunc func(ctx context.Context, runID int64, ch content.Channel) (channels.Message, error)

// today is the current civil date in the ward.
func (o *Office) today() content.Date { return content.DateOf(o.Now()) }

// RenderMessage is the text message m shows on ch when sent at t (its
// latest version, approved or not: a preview).
func (o *Office) RenderMessage(ctx context.Context, m content.Message, ch content.Channel, t time.Time) (string, error) {
	obs, year, _ := strings.Cut(m.Campaign, "/")
	y, _ := strconv.Atoi(year)
	c, err := o.DB.Campaign(ctx, obs, y)
	if err != nil {
		return "", err
	}
	return o.Renderer.Render(m.Key, ch, m.Variants.Get(ch), c, content.DateOf(t))
}
