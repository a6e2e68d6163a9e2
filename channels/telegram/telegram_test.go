package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"

type fixture struct {
	srv      *telegramtest.Server
	client   *telegram.Client
	logs     *bytes.Buffer
	migrated map[string]string
	flagged  []string
	clock    time.Time // the server's; tests move it past announced waits
}

// newFixture connects the real library to the test server in memory.
func newFixture(t *testing.T, limits telegramtest.Limits) *fixture {
	t.Helper()
	f := &fixture{logs: &bytes.Buffer{}, migrated: map[string]string{}, clock: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)}
	f.srv = telegramtest.New(telegramtest.Options{Token: token, Limits: limits, Now: func() time.Time { return f.clock }})
	var err error
	f.client, err = telegram.New(telegram.Config{
		Token: token, Endpoint: "http://telegram.test/bot%s/%s",
		HTTP:     &http.Client{Transport: f.srv.Transport(), Timeout: time.Minute},
		Log:      slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Migrated: func(old, new string) { f.migrated[old] = new },
		Flagged:  func(key string, v int, reason string) { f.flagged = append(f.flagged, key+": "+reason) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func msg(to int64, text string) channels.Message {
	return channels.Message{DeliveryID: to, Channel: content.Telegram, Recipient: strconv.FormatInt(to, 10), Text: text, MessageKey: "k", Version: 1}
}

func TestTextArrivesVerbatimAndSplitAtParagraphs(t *testing.T) {
	f := newFixture(t, telegramtest.Limits{})
	f.srv.AddUser(42, "Lan", "vi")
	f.srv.Say(42, "/start")
	tricky := `a < b && c > d; đường dẫn C:\tai_lieu\ban_in; snake_case *sao* [ngoặc] 100%`
	if _, err := f.client.Send(context.Background(), msg(42, tricky)); err != nil {
		t.Fatal(err)
	}
	// Two paragraphs of about 3,000 characters: one message each.
	para := strings.TrimSpace(strings.Repeat("Bình đẳng giới là thước đo của sự văn minh. ", 70))
	long := para + "\n\n" + para
	if n := content.Length(long); n < 6000 || n > 6300 {
		t.Fatalf("test text has %d characters", n)
	}
	id, err := sendAll(f.client, msg(42, long))
	if err != nil {
		t.Fatal(err)
	}
	sent := f.srv.Sent()
	if len(sent) != 3 || sent[0].Text != tricky || sent[0].ParseMode != "HTML" {
		t.Fatalf("sent %d; first %q", len(sent), sent[0].Text)
	}
	if sent[1].Text != para || sent[2].Text != para || strings.Count(id, ",") != 1 {
		t.Errorf("the long text was not split at its paragraph: %d and %d characters, ids %q", content.Length(sent[1].Text), content.Length(sent[2].Text), id)
	}
}

func TestErrorsSayWhatTheyMean(t *testing.T) {
	f := newFixture(t, telegramtest.Limits{})
	ctx := context.Background()
	f.srv.AddUser(1, "A", "vi") // never pressed Start
	f.srv.AddUser(2, "B", "vi")
	f.srv.Say(2, "/start")
	f.srv.Block(2)
	f.srv.AddUser(3, "C", "vi")
	f.srv.Say(3, "/start")
	tests := []struct {
		name   string
		to     int64
		fault  *telegramtest.Fault
		kind   scheduler.ErrorKind
		retry  time.Duration
		substr string
	}{
		{"never started", 1, nil, scheduler.RecipientGone, 0, "Forbidden: bot can't initiate conversation with a user"},
		{"blocked", 2, nil, scheduler.RecipientGone, 0, "Forbidden: bot was blocked by the user"},
		{"unknown chat", 999, nil, scheduler.RecipientGone, 0, "Bad Request: chat not found"},
		{"429", 3, &telegramtest.Fault{Kind: telegramtest.Fault429, RetryAfter: 17}, scheduler.RateLimited, 17 * time.Second, "Too Many Requests: retry after 17"},
		{"500", 3, &telegramtest.Fault{Kind: telegramtest.Fault500}, scheduler.Transient, 0, "Internal Server Error: restart"},
		{"HTML 502", 3, &telegramtest.Fault{Kind: telegramtest.Fault502HTML}, scheduler.Transient, 0, "502 Bad Gateway: the answer is not the Bot API's JSON"},
		{"refused", 3, &telegramtest.Fault{Kind: telegramtest.FaultRefuse}, scheduler.Transient, 0, "connection refused"},
		{"dropped", 3, &telegramtest.Fault{Kind: telegramtest.FaultDrop}, scheduler.Unanswered, 0, "connection reset by peer"},
		{"taken, then dropped", 3, &telegramtest.Fault{Kind: telegramtest.FaultDropAfter}, scheduler.Unanswered, 0, "answer lost"},
	}
	for _, tt := range tests {
		if tt.fault != nil {
			f.srv.Inject(*tt.fault)
		}
		_, err := f.client.Send(ctx, msg(tt.to, "Xin chào"))
		kind, retry := scheduler.Classify(err)
		if err == nil || kind != tt.kind || retry != tt.retry || !strings.Contains(err.Error(), tt.substr) {
			t.Errorf("%s: %v (kind %d, retry %s); want kind %d, retry %s, %q", tt.name, err, kind, retry, tt.kind, tt.retry, tt.substr)
		}
		if err != nil && strings.Contains(err.Error(), token) {
			t.Errorf("%s: the token is in the error", tt.name)
		}
		f.clock = f.clock.Add(time.Minute) // past any announced wait
	}
	// The upload path loses the code: a 429 on sendPhoto is still a rate limit.
	f.srv.Inject(telegramtest.Fault{Kind: telegramtest.Fault429, Method: "sendPhoto", RetryAfter: 9})
	_, err := f.client.Send(ctx, channels.Message{DeliveryID: 77, Recipient: "3", Text: "Ảnh", Image: "https://example.vn/anh.jpg"})
	if kind, retry := scheduler.Classify(err); kind != scheduler.RateLimited || retry != 9*time.Second {
		t.Errorf("photo 429: %v, %d %s", err, kind, retry)
	}
	f.clock = f.clock.Add(time.Minute)
	if _, err := f.client.Send(ctx, channels.Message{DeliveryID: 78, Recipient: "3", Text: "Ảnh có chú thích", Image: "https://example.vn/anh.jpg"}); err != nil {
		t.Fatal(err)
	}
	last := f.srv.Sent()[len(f.srv.Sent())-1]
	if last.Method != "sendphoto" || last.Text != "Ảnh có chú thích" {
		t.Errorf("photo with caption: %+v", last)
	}
	// A leaflet that is not a picture goes as a document, uploaded from disk.
	leaflet := filepath.Join(t.TempDir(), "to-roi.pdf")
	os.WriteFile(leaflet, []byte("%PDF-1.4"), 0o600)
	if _, err := f.client.Send(ctx, channels.Message{DeliveryID: 79, Recipient: "3", Text: "Tờ rơi", Image: leaflet}); err != nil {
		t.Fatal(err)
	}
	if last := f.srv.Sent()[len(f.srv.Sent())-1]; last.Method != "senddocument" || last.Text != "Tờ rơi" {
		t.Errorf("document: %+v", last)
	}
}

func TestBrokenFormattingFallsBackToPlainTextOnce(t *testing.T) {
	f := newFixture(t, telegramtest.Limits{})
	f.srv.AddUser(5, "E", "vi")
	f.srv.Say(5, "/start")
	// <b> is a Telegram tag, so the text is sent as formatted: but </i> does not close it.
	if _, err := f.client.Send(context.Background(), msg(5, "<b>Đậm</i> và thường")); err != nil {
		t.Fatal(err)
	}
	sent := f.srv.Sent()
	if len(sent) != 1 || sent[0].ParseMode != "" || sent[0].Text != "Đậm và thường" {
		t.Errorf("fallback: %+v", sent)
	}
	if len(f.flagged) != 1 || !strings.Contains(f.flagged[0], "can't parse entities: unmatched end tag") {
		t.Errorf("flagged: %v", f.flagged)
	}
}

func TestGroupMigrationIsFollowed(t *testing.T) {
	f := newFixture(t, telegramtest.Limits{})
	f.srv.AddGroup(-4001, "group", "Tổ dân phố 3")
	f.srv.Migrate(-4001, -1004001)
	for i := range 2 {
		if _, err := f.client.Send(context.Background(), msg(-4001, "Thông báo "+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	sent := f.srv.Sent()
	if len(sent) != 2 || sent[0].ChatID != -1004001 || sent[1].ChatID != -1004001 {
		t.Errorf("sent to %+v", sent)
	}
	if f.migrated["-4001"] != "-1004001" {
		t.Errorf("migration not reported: %v", f.migrated)
	}
	if f.srv.Requests() != 4 { // getMe, the refused send, then two to the supergroup
		t.Errorf("%d requests: the second send should go straight to the supergroup", f.srv.Requests())
	}
}

func TestChannelByUsername(t *testing.T) {
	f := newFixture(t, telegramtest.Limits{})
	f.srv.AddChannel(-1002003, "@phuongluukiem", "Phường Lưu Kiếm")
	if _, err := f.client.Send(context.Background(), channels.Message{Recipient: "@phuongluukiem", Text: "Tin"}); err != nil {
		t.Fatal(err)
	}
	if s := f.srv.Sent(); len(s) != 1 || s[0].ChatID != -1002003 {
		t.Errorf("sent %+v", s)
	}
}

// TestTokenNeverLeaks uses a real socket, whose failures come back as
// *url.Error carrying the full URL, and checks errors and logs.
func TestTokenNeverLeaks(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: token})
	srv.AddUser(9, "I", "vi")
	srv.Say(9, "/start")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	var logs bytes.Buffer
	c, err := telegram.New(telegram.Config{Token: token, Endpoint: hs.URL + "/bot%s/%s", HTTP: hs.Client(),
		Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	for _, kind := range []telegramtest.FaultKind{telegramtest.FaultDrop, telegramtest.Fault502HTML, telegramtest.Fault500} {
		srv.Inject(telegramtest.Fault{Kind: kind})
		_, err := c.Send(context.Background(), msg(9, "x"))
		errs = append(errs, err)
	}
	hs.Close() // the server is gone: connection refused
	_, err = c.Send(context.Background(), msg(9, "x"))
	errs = append(errs, err)
	var urlErrSeen bool
	for _, err := range errs {
		if err == nil {
			t.Fatal("a failure went unnoticed")
		}
		if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "AAHdq") {
			t.Errorf("token in error: %v", err)
		}
		urlErrSeen = urlErrSeen || strings.Contains(err.Error(), "/bot[redacted]/sendMessage")
	}
	if !urlErrSeen {
		t.Errorf("no transport error carried the (redacted) URL: %v", errs)
	}
	if strings.Contains(logs.String(), "AAHdq") {
		t.Errorf("token in logs: %s", logs.String())
	}
	if _, err := telegram.New(telegram.Config{Token: token, Endpoint: hs.URL + "/bot%s/%s", HTTP: hs.Client()}); err == nil || strings.Contains(err.Error(), "AAHdq") {
		t.Errorf("getMe failure: %v", err)
	}
}

// sendAll sends every part of m as the dispatcher does: again with the
// progress each Continue reports, until the last part.
func sendAll(c *telegram.Client, m channels.Message) (string, error) {
	for {
		id, err := c.Send(context.Background(), m)
		var ce *channels.Error
		if errors.As(err, &ce) {
			if wait, p := ce.SnoozeFor(); wait > 0 && p.Parts > m.Progress.Parts {
				m.Progress = p
				continue
			}
		}
		return id, err
	}
}
