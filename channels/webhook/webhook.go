// Package webhook is a channel that POSTs each delivery as JSON to a URL, for
// bridging Loa to another system (a ward portal, an SMS gateway, a test
// harness). The request:
//
//	POST <url>
//	Content-Type: application/json
//	Idempotency-Key: loa-delivery-<id>
//	{"delivery_id":12,"run_id":3,"channel":"telegram","recipient":"…","title":"…",
//	 "text":"…","image":"","message":"phat-dong","version":2,"attempt":1}
//
// The answer decides what happens: 2xx is sent (a JSON body {"id":"…"} gives
// the provider id); 429 pauses the channel for Retry-After seconds; 404 and
// 410 mean the recipient is gone; other 4xx are permanent; 5xx and network
// errors before the request was written are retried. A request that was
// written and got no answer (a reset, EOF, a timeout) is unknown: it is not
// posted again unless a person resends it, and Go's transport is not allowed
// to replay it by itself either. So the channel is at most once, like
// Telegram and Zalo; the idempotency key lets a receiver drop the copy a
// person resends.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/channels"
)

// Webhook posts deliveries to one URL.
type Webhook struct {
	url    string
	client *http.Client
}

// New returns a webhook channel posting to rawURL with client (a 30-second
// timeout client when nil).
func New(rawURL string, client *http.Client) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webhook: %q is not an http(s) URL", rawURL)
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Webhook{url: rawURL, client: channels.AtMostOnce(client)}, nil
}

type request struct {
	DeliveryID int64  `json:"delivery_id"`
	RunID      int64  `json:"run_id"`
	Channel    string `json:"channel"`
	Recipient  string `json:"recipient"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Image      string `json:"image"`
	Message    string `json:"message"`
	Version    int    `json:"version"`
	Attempt    int    `json:"attempt"`
}

// Send posts m and interprets the answer.
func (w *Webhook) Send(ctx context.Context, m channels.Message) (string, error) {
	body, err := json.Marshal(request{m.DeliveryID, m.RunID, string(m.Channel), m.Recipient, m.Title, m.Text, m.Image, m.MessageKey, m.Version, m.Attempt})
	if err != nil {
		return "", channels.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return "", channels.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", fmt.Sprintf("loa-delivery-%d", m.DeliveryID))
	resp, err := w.client.Do(channels.NoReplay(req))
	if err != nil {
		return "", fmt.Errorf("webhook: %w", err) // unknown once written, else transient
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("webhook: %s: %w", resp.Status, err) // cut off: unknown
	}
	if resp.StatusCode/100 == 2 {
		var ans struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(data, &ans) == nil && ans.ID != "" {
			return ans.ID, nil
		}
		return fmt.Sprintf("webhook:%d", m.DeliveryID), nil
	}
	fail := fmt.Errorf("webhook: %s: %s", resp.Status, strings.TrimSpace(string(data)))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return "", channels.RateLimited(fail, retryAfter(resp.Header.Get("Retry-After")))
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return "", channels.Gone(fail)
	case resp.StatusCode/100 == 4:
		return "", channels.Permanent(fail)
	}
	return "", fail // 5xx and anything else: transient
}

// retryAfter reads a Retry-After header in seconds (an HTTP date is not
// expected from a webhook); a missing or bad one means one second.
func retryAfter(h string) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return time.Second
}
