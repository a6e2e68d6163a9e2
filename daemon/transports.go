package daemon

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/outbox"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/webhook"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// transport is a channel Loa sends to residents through, and how the
// daemon builds its client from the configuration. Adding such a channel
// is its package under channels/ and one line in transports.
type transport struct {
	channel content.Channel
	// build returns the channel's sender, or nil when the configuration
	// does not set it up (its deliveries then go to the outbox).
	build func(d *Daemon, w wire) (scheduler.Sender, error)
}

// wire is what a transport is built with: its rate budget, and the
// daemon's HTTP transport (whose connections Run closes when it stops).
type wire struct {
	budget    *channels.Budget
	transport http.RoundTripper
	log       *slog.Logger
}

// transports are the channels with a remote API, in the order they start.
// The person-completed channels (loudspeaker, banner) need no transport:
// their deliveries are tasks.
var transports = []transport{
	{content.Telegram, (*Daemon).telegram},
	{content.Zalo, (*Daemon).zalo},
}

func (d *Daemon) telegram(w wire) (scheduler.Sender, error) {
	if !d.Config.Telegram.Token.IsSet() {
		return nil, nil
	}
	cfg, err := TelegramConfig(context.Background(), d.Config, d.DB, d.Now, d.Log)
	if err != nil {
		return nil, err
	}
	cfg.Budget = w.budget
	cfg.HTTP = &http.Client{Timeout: 75 * time.Second, Transport: w.transport} // above the 50-second long poll
	return telegram.NewLink(cfg), nil
}

func (d *Daemon) zalo(w wire) (scheduler.Sender, error) {
	log := w.log
	if d.Config.Zalo.AppID == "" {
		return nil, nil
	}
	if _, ok, err := d.DB.ZaloTokens(context.Background()); err != nil {
		return nil, err
	} else if !ok {
		log.Warn("zalo is configured but the OA never granted access: Zalo deliveries wait until `loa zalo auth` is done")
	}
	log.Info("zalo channel ready", "app_id", d.Config.Zalo.AppID)
	return ZaloClient(d.Config, d.DB, d.Now, d.Log, w.budget, &http.Client{Timeout: 30 * time.Second, Transport: w.transport}), nil
}

// senders picks the transport of each channel: the generic webhook where
// configured, else the channel's own client when set up, else the outbox.
// Telegram is a link that connects in the background (nil when no token is
// set).
func (d *Daemon) senders(budgets map[content.Channel]*channels.Budget, transport http.RoundTripper, log *slog.Logger) (map[content.Channel]scheduler.Sender, *telegram.Link, func(), error) {
	ob, err := outbox.New(d.Config.Delivery.OutboxDir, d.Now)
	if err != nil {
		return nil, nil, nil, err
	}
	out := map[content.Channel]scheduler.Sender{}
	var link *telegram.Link
	for _, t := range transports {
		s, err := t.build(d, wire{budget: budgets[t.channel], transport: transport, log: log})
		if err != nil {
			ob.Close()
			return nil, nil, nil, err
		}
		if s == nil {
			s = ob
		}
		if l, ok := s.(*telegram.Link); ok {
			link = l
		}
		out[t.channel] = s
	}
	if d.Config.Webhook.URL != "" {
		wh, err := webhook.New(d.Config.Webhook.URL, nil)
		if err != nil {
			ob.Close()
			return nil, nil, nil, err
		}
		for _, ch := range d.Config.Webhook.Channels {
			out[ch] = wh
		}
	}
	for ch, s := range out {
		if _, isOutbox := s.(*outbox.Outbox); isOutbox {
			log.Info("channel writes to the outbox", "channel", ch, "dir", ob.Dir())
		}
	}
	return out, link, func() { ob.Close() }, nil
}
