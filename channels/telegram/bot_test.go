package telegram_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

type botFixture struct {
	t   *testing.T
	srv *telegramtest.Server
	db  *store.DB
	res store.Residents
}

// newBot runs the resident bot against the emulator inside the bubble.
func newBot(t *testing.T) *botFixture {
	ctx := context.Background()
	srv := telegramtest.New(telegramtest.Options{Token: token})
	db := storetest.Open(t, time.Now())
	client := newClient(t, srv, nil)
	bot := telegram.NewBot(client, db.Residents(content.Telegram), "phường Lưu Kiếm", quiet, time.Now)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { bot.Run(runCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	return &botFixture{t: t, srv: srv, db: db, res: db.Residents(content.Telegram)}
}

// last returns the newest message the bot sent to chat, after it settled.
func (f *botFixture) last(chat int64) telegramtest.Sent {
	f.t.Helper()
	time.Sleep(5 * time.Second) // a person's pace; lets the bot wait out any rate limit
	synctest.Wait()
	sent := f.srv.Sent()
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].ChatID == chat {
			return sent[i]
		}
	}
	f.t.Fatalf("the bot said nothing to %d", chat)
	return telegramtest.Sent{}
}

func (f *botFixture) resident(chat string) ([]content.Topic, bool, bool) {
	f.t.Helper()
	time.Sleep(5 * time.Second) // let the bot handle what was said
	synctest.Wait()
	topics, consented, found, err := f.res.Subscriber(context.Background(), chat)
	if err != nil {
		f.t.Fatal(err)
	}
	return topics, consented, found
}

func TestConsentTopicsStopAndDelete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newBot(t)
		ctx := context.Background()
		f.srv.AddUser(11, "Lan", "vi")
		f.srv.Say(11, "/start")
		welcome := f.last(11)
		for _, want := range []string{"phường Lưu Kiếm", "Bên kiểm soát dữ liệu: Ủy ban nhân dân phường Lưu Kiếm", "Telegram, Zalo là nền tảng chuyển tin",
			"/toi", "/xoa", "Bạn có đồng ý để Ủy ban nhân dân phường Lưu Kiếm lưu các thông tin trên"} {
			if !strings.Contains(welcome.Text, want) {
				t.Errorf("welcome lacks %q:\n%s", want, welcome.Text)
			}
		}
		if strings.Contains(welcome.Text, "không chia sẻ cho ai") {
			t.Error("the welcome still promises what is not true (Telegram carries the messages)")
		}
		if !strings.Contains(welcome.Markup, `"callback_data":"consent:telegram"`) || !strings.Contains(welcome.Markup, `"consent:no"`) {
			t.Errorf("consent buttons: %s", welcome.Markup)
		}
		// Nothing is stored before the person agrees.
		if _, _, found := f.resident("11"); found {
			t.Fatal("a resident was stored without consent")
		}
		f.srv.Press(11, welcome.MessageID, "consent:no")
		if _, _, found := f.resident("11"); found || !strings.Contains(f.last(11).Text, "phường không lưu gì về bạn") {
			t.Fatal("declining stored the resident or was not acknowledged")
		}
		// The answered question lost its buttons.
		if got := f.srv.Sent(); !slices.ContainsFunc(got, func(s telegramtest.Sent) bool {
			return s.Method == "editmessagereplymarkup" && s.MessageID == welcome.MessageID
		}) {
			t.Error("the consent buttons stayed after the answer")
		}
		f.srv.Say(11, "/start")
		welcome = f.last(11)
		f.srv.Press(11, welcome.MessageID, "consent:telegram")
		topics, consented, _ := f.resident("11")
		if !consented || len(topics) != 0 {
			t.Fatalf("after consent: %v %v (topics start unticked)", topics, consented)
		}
		choose := f.last(11)
		if strings.Count(choose.Markup, "✅") != 0 || strings.Count(choose.Markup, "⬜") != 3 {
			t.Errorf("topics keyboard: %s", choose.Markup)
		}
		// Nothing topic-specific reaches them before they pick.
		if n, _ := f.db.CountAudience(ctx, content.Telegram, content.TopicFamily); n != 0 {
			t.Errorf("family audience %d before any pick", n)
		}
		f.srv.Press(11, choose.MessageID, "topic:family")
		topics, _, _ = f.resident("11")
		if len(topics) != 1 || !strings.Contains(f.last(11).Markup, `"✅ Gia đình"`) {
			t.Errorf("after ticking family: %v, markup %s", topics, f.last(11).Markup)
		}
		if n, _ := f.db.CountAudience(ctx, content.Telegram, content.TopicFamily); n != 1 {
			t.Errorf("family audience %d after ticking", n)
		}
		if n, _ := f.db.CountAudience(ctx, content.Telegram, content.TopicViolence); n != 0 {
			t.Errorf("violence audience %d, not chosen", n)
		}
		// /toi: everything held about them.
		f.srv.Say(11, "/toi")
		me := f.last(11).Text
		for _, want := range []string{"mã: 11", "Tên hiển thị: Lan", "Chủ đề: gia đình", "Đồng ý lúc:", "cách: telegram", "Đang nhận tin"} {
			if !strings.Contains(me, want) {
				t.Errorf("/toi lacks %q:\n%s", want, me)
			}
		}
		// "No, thanks" after agreeing withdraws.
		f.srv.Say(11, "/start") // already subscribed: the topics keyboard, no consent question
		f.last(11)
		// /stop withdraws consent: no audience; the evidence stays.
		f.srv.Say(11, "/stop")
		f.last(11)
		if _, consented, found := f.resident("11"); consented || !found {
			t.Errorf("after /stop: consented %v, found %v", consented, found)
		}
		if n, _ := f.db.CountAudience(ctx, content.Telegram, ""); n != 0 {
			t.Errorf("audience after /stop: %d", n)
		}
		subs, _ := f.db.Subscribers(ctx, content.Telegram)
		if len(subs) != 1 || subs[0].ConsentedAt.IsZero() || subs[0].WithdrawnAt.IsZero() || subs[0].ConsentSource != "telegram" {
			t.Errorf("after /stop the consent's evidence is gone: %+v", subs)
		}
		reqs, _ := f.db.Requests(ctx, time.Time{})
		kinds := map[string]int{}
		for _, r := range reqs {
			kinds[r.Kind]++
			if r.Via != "telegram" || r.DoneAt.IsZero() {
				t.Errorf("request not recorded as done on telegram: %+v", r)
			}
		}
		if kinds["change"] != 1 || kinds["see"] != 1 || kinds["withdraw"] != 1 {
			t.Errorf("requests recorded: %v", kinds)
		}
		// /xoa deletes everything, the ledger's copy of the id included.
		f.srv.Say(11, "/xoa")
		if !strings.Contains(f.last(11).Text, "Đã xóa toàn bộ dữ liệu") {
			t.Error("/xoa not acknowledged")
		}
		if _, _, found := f.resident("11"); found {
			t.Error("/xoa left the resident")
		}
		reqs, _ = f.db.Requests(ctx, time.Time{})
		for _, r := range reqs {
			if r.Subject != "" {
				t.Errorf("a request still names the deleted resident: %+v", r)
			}
		}
		if len(reqs) != 4 || reqs[0].Kind != "delete" {
			t.Errorf("the deletion was not recorded: %+v", reqs)
		}
		if len(f.srv.CallbackAnswers()) < 2 {
			t.Error("button presses were not answered")
		}
	})
}

// "No, thanks" pressed after agreeing is a withdrawal, not a shrug.
func TestNoThanksAfterConsentWithdraws(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newBot(t)
		f.srv.AddUser(13, "Hoa", "vi")
		f.srv.Say(13, "/start")
		first := f.last(13)
		f.srv.Say(13, "/start") // a second prompt, before answering the first
		second := f.last(13)
		f.srv.Press(13, first.MessageID, "consent:telegram")
		if _, consented, _ := f.resident("13"); !consented {
			t.Fatal("no consent")
		}
		f.srv.Press(13, second.MessageID, "consent:no")
		if _, consented, found := f.resident("13"); consented || !found || !strings.Contains(f.last(13).Text, "Đã rút lại đồng ý") {
			t.Errorf("no after consent: consented %v found %v", consented, found)
		}
	})
}

func TestDeepLinkAndEnglish(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newBot(t)
		f.srv.AddUser(12, "Anna", "en")
		f.srv.Say(12, "/start violence-prevention") // from a QR code on a banner
		w := f.last(12)
		if !strings.Contains(w.Text, "Do you agree that Ủy ban nhân dân phường Lưu Kiếm keeps this data") || !strings.Contains(w.Markup, "consent:telegram:start:violence-prevention") {
			t.Fatalf("English welcome: %s / %s", w.Text, w.Markup)
		}
		f.srv.Press(12, w.MessageID, "consent:telegram:start:violence-prevention")
		// The banner's topic is where they came from, not a choice: nothing is ticked for them.
		topics, consented, _ := f.resident("12")
		if !consented || len(topics) != 0 {
			t.Errorf("deep link topics: %v", topics)
		}
		var source string
		synctest.Wait()
		subs, _ := f.db.Subscribers(context.Background(), content.Telegram)
		for _, s := range subs {
			if s.ExternalID == "12" {
				source = s.ConsentSource
			}
		}
		if source != "telegram:start:violence-prevention" {
			t.Errorf("consent source %q", source)
		}
		f.srv.Say(12, "what?")
		if !strings.Contains(f.last(12).Text, "/xoa – delete your data") {
			t.Error("English help not shown")
		}
	})
}

func TestWebhookChecksTheSecret(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := telegramtest.New(telegramtest.Options{Token: token})
		srv.AddUser(21, "Minh", "vi")
		db := storetest.Open(t, time.Now())
		client, err := telegram.New(telegram.Config{Token: token, Endpoint: "http://telegram.test/bot%s/%s",
			HTTP: &http.Client{Transport: srv.Transport()}, Log: quiet})
		if err != nil {
			t.Fatal(err)
		}
		bot := telegram.NewBot(client, db.Residents(content.Telegram), "phường Lưu Kiếm", quiet, time.Now)
		if err := bot.UseWebhook(t.Context(), "http://not-https.example", "s3cret"); err == nil {
			t.Error("an http webhook was accepted")
		}
		if err := bot.UseWebhook(t.Context(), "https://loa.example.vn/telegram/webhook", "s3cret_OK"); err != nil {
			t.Fatal(err)
		}
		h := bot.WebhookHandler("s3cret_OK")
		post := func(secret, body string) int {
			req := httptest.NewRequest("POST", "/telegram/webhook", strings.NewReader(body))
			if secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		update := `{"update_id":5,"message":{"message_id":1,"date":0,"text":"/start","chat":{"id":21,"type":"private"},"from":{"id":21,"is_bot":false,"first_name":"Minh"}}}`
		srv.Say(21, "/start") // the user pressed Start in Telegram: the bot may answer
		for _, c := range []struct {
			secret, body string
			want         int
		}{{"", update, 403}, {"wrong", update, 403}, {"s3cret_OK", "{not json", 400}, {"s3cret_OK", `{"foo":1}`, 400}, {"s3cret_OK", update, 200}} {
			if got := post(c.secret, c.body); got != c.want {
				t.Errorf("secret %q body %.20q: %d, want %d", c.secret, c.body, got, c.want)
			}
		}
		sent := srv.Sent()
		if len(sent) != 1 || sent[0].ChatID != 21 || !strings.Contains(sent[0].Text, "Bạn có đồng ý để") {
			t.Errorf("webhook update not handled once: %+v", sent)
		}
	})
}
