package daemon_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/outbox"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// TestResidentsDataFromConsentToDeletion follows a Telegram user and a Zalo
// follower through the strict test servers: the notice, consent with a
// topic, a broadcast of two topics (each gets only theirs), a withdrawal
// (nothing more is sent, the consent's record stays), then deletion; after
// a clean stop neither their ids nor the Telegram user's name is anywhere
// in the database file, its WAL, the outbox or a fresh backup.
func TestResidentsDataFromConsentToDeletion(t *testing.T) {
	const tgID, tgName, zaloID = 731234567, "Thuỷ Tiên", "8209817263544"
	const silent = "8209817260000" // follows and never answers
	dir := t.TempDir()
	// The clock moves (the bot waits out Telegram's per-chat pauses by it),
	// from the test's instant.
	start := time.Now()
	clock := func() time.Time { return now.Add(time.Since(start)) }
	dbPath := filepath.Join(dir, "loa.db")
	db := storetest.OpenAt(t, dbPath, now)
	tsrv := telegramtest.New(telegramtest.Options{Token: token, Now: clock})
	tsrv.AddUser(tgID, tgName, "vi")
	ts := httptest.NewServer(tsrv.Handler())
	defer ts.Close()
	zsrv := zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "s3cret", OASecret: "oa-secret", Now: clock})
	zsrv.AddUser(zalotest.User{ID: zaloID, Follower: true, LastInteraction: now})
	zsrv.AddUser(zalotest.User{ID: silent, Follower: true, LastInteraction: now})
	access, refresh := zsrv.IssueTokens()
	zs := httptest.NewServer(zsrv.Handler())
	defer zs.Close()
	cfgFile := filepath.Join(dir, "loa.yaml")
	body := fmt.Sprintf(`ward: {name: phường Lưu Kiếm}
store: {path: %s}
content:
  hotlines: {bao_ve_tre_em: "111", cong_an: "113", hoi_phu_nu: "0225 3 841 234"}
http: {addr: 127.0.0.1:0, public_url: "https://loa.luukiem.test"}
delivery: {outbox_dir: %s}
privacy: {address: "Số 1 Lưu Kiếm", contact: "0225 3 841 000"}
telegram:
  token: %s
  api_endpoint: %s/bot%%s/%%s
zalo:
  app_id: "1234"
  app_secret: s3cret
  oa_secret: oa-secret
  oauth_base: %s
  api_base: %s
  zns_base: %s
`, dbPath, filepath.Join(dir, "outbox"), token, ts.URL, zs.URL, zs.URL, zs.URL)
	if err := os.WriteFile(cfgFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Path: cfgFile})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, daemon.NewDesk(cfg, db, clock), now); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveZaloTokens(ctx, zaloTokens(access, refresh), now); err != nil {
		t.Fatal(err)
	}
	base, stopDaemon := startDaemon(t, cfg, db, clock)

	toTG := func(has string) []telegramtest.Sent {
		var out []telegramtest.Sent
		for _, s := range tsrv.Sent() {
			if s.ChatID == tgID && s.Method == "sendmessage" && strings.Contains(s.Text, has) {
				out = append(out, s)
			}
		}
		return out
	}
	toZalo := func(kind, has string) []zalotest.Sent {
		var out []zalotest.Sent
		for _, s := range zsrv.Sent() {
			if s.UserID == zaloID && (kind == "" || s.Kind == kind) && strings.Contains(s.Text, has) {
				out = append(out, s)
			}
		}
		return out
	}
	zaloSays := func(text string, at time.Time) {
		t.Helper()
		ev, hdr := zsrv.Event("user_send_text", map[string]any{"sender": map[string]string{"id": zaloID}, "recipient": map[string]string{"id": "2960000000000000001"},
			"message": map[string]string{"msg_id": "m-" + text, "text": text}}, at)
		post(t, base+"/zalo/webhook", ev, hdr)
	}
	subscriber := func(ch content.Channel, id string) (topics []content.Topic, consented, found bool) {
		topics, consented, found, err := db.Residents(ch).Subscriber(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return topics, consented, found
	}
	tg := fmt.Sprint(tgID)

	// The notice, served where every prompt links it.
	if res, page := get(t, http.DefaultClient, base+"/privacy"); res.StatusCode != 200 ||
		!strings.Contains(page, "Bên kiểm soát dữ liệu cá nhân là Ủy ban nhân dân phường Lưu Kiếm (Số 1 Lưu Kiếm · 0225 3 841 000)") ||
		!strings.Contains(page, "Telegram và Zalo là nền tảng chuyển tin") {
		t.Errorf("/privacy: %d\n%s", res.StatusCode, page)
	}

	// Telegram: the prompt names the controller and links the notice; consent, then one topic.
	tsrv.Say(tgID, "/start")
	waitFor(t, "the consent prompt", func() bool { return len(toTG("https://loa.luukiem.test/privacy")) == 1 })
	prompt := toTG("https://loa.luukiem.test/privacy")[0]
	tsrv.Press(tgID, prompt.MessageID, "consent:telegram")
	waitFor(t, "the topics", func() bool { return len(toTG("Hãy chọn chủ đề")) == 1 })
	tsrv.Press(tgID, toTG("Hãy chọn chủ đề")[0].MessageID, "topic:gender-equality")
	waitFor(t, "the topic", func() bool { topics, _, _ := subscriber(content.Telegram, tg); return len(topics) == 1 })

	// Zalo: following is not consent; the welcome asks, with the notice.
	for i, id := range []string{zaloID, silent} {
		ev, hdr := zsrv.Event("follow", map[string]any{"follower": map[string]string{"id": id}}, now.Add(time.Duration(i)*time.Millisecond))
		post(t, base+"/zalo/webhook", ev, hdr)
	}
	waitFor(t, "the welcome", func() bool { return len(toZalo("cs", "DONGY")) == 1 })
	if w := toZalo("cs", "DONGY")[0].Text; !strings.Contains(w, "https://loa.luukiem.test/privacy") || !strings.Contains(w, "Bên kiểm soát dữ liệu: Ủy ban nhân dân phường Lưu Kiếm") {
		t.Errorf("the welcome: %s", w)
	}
	if _, consented, found := subscriber(content.Zalo, zaloID); consented || !found {
		t.Fatalf("a follow was taken as consent (%v) or not recorded (%v)", consented, found)
	}
	zaloSays("Đồng ý 2", now)
	waitFor(t, "the follower's consent", func() bool { _, consented, _ := subscriber(content.Zalo, zaloID); return consented })
	if len(toZalo("cs", "Cảm ơn bạn đã đồng ý. Bạn sẽ nhận tin về: bình đẳng giới")) != 1 {
		t.Errorf("the follower's consent was not answered: %+v", toZalo("", ""))
	}

	// A broadcast of two topics, scheduled on the dashboard: each gets only gender equality's.
	officer := signIn(t, base, "canbo")
	broadcast := func(key string) {
		t.Helper()
		form := url.Values{"campaign": {"action-month/2026"}, "message": {key}, "kind": {"at"},
			"spec": {now.In(content.Zone).Format("2006-01-02 15:04")}, "channel": {"telegram", "zalo"}, "audience": {"all"}}
		req, _ := http.NewRequest(http.MethodPost, base+"/schedules", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		res, err := officer.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add a schedule for %s: %d", key, res.StatusCode)
		}
	}
	settled := func() bool {
		c, _ := db.DeliveryCounts(ctx, 0)
		for _, ch := range []content.Channel{content.Telegram, content.Zalo} {
			if c[ch][scheduler.Queued]+c[ch][scheduler.Sending] > 0 {
				return false
			}
		}
		return true
	}
	broadcast("mat-can-bang-gioi-tinh")
	broadcast("an-toan-tren-mang")
	waitFor(t, "the broadcast", func() bool {
		return len(toTG("Con trai hay con gái")) == 1 && len(toZalo("promotion", "Con trai hay con gái")) == 1 && settled()
	})
	if len(toTG("An toàn")) != 0 || len(toZalo("promotion", "An toàn")) != 0 {
		t.Error("a message of a topic they did not choose reached them")
	}
	// The follower who never answered got the welcome and nothing else, as the README says.
	var toSilent []zalotest.Sent
	for _, s := range zsrv.Sent() {
		if s.UserID == silent {
			toSilent = append(toSilent, s)
		}
	}
	if len(toSilent) != 1 || toSilent[0].Kind != "cs" || !strings.Contains(toSilent[0].Text, "Nếu bạn không trả lời, phường không gửi thêm tin nào cho bạn.") {
		t.Errorf("a follower who never answered received: %+v", toSilent)
	}

	// Withdrawal: nothing more is sent; the consent's record stays.
	tsrv.Say(tgID, "/stop")
	zaloSays("dung", now.Add(time.Second))
	waitFor(t, "the withdrawals", func() bool {
		_, a, _ := subscriber(content.Telegram, tg)
		_, b, _ := subscriber(content.Zalo, zaloID)
		return !a && !b
	})
	for _, ch := range []content.Channel{content.Telegram, content.Zalo} {
		subs, _ := db.Subscribers(ctx, ch)
		for _, s := range subs {
			if (s.ExternalID == tg || s.ExternalID == zaloID) && (s.ConsentedAt.IsZero() || s.WithdrawnAt.IsZero() || s.ConsentSource == "") {
				t.Errorf("the withdrawal lost the consent's evidence: %+v", s)
			}
		}
	}
	broadcast("phat-dong")
	waitFor(t, "the next broadcast", func() bool { return settled() && deliveriesOf(t, db, "phat-dong") > 0 })
	if len(toTG("Hưởng ứng Tháng hành động")) != 0 || len(toZalo("promotion", "Hưởng ứng Tháng hành động")) != 0 {
		t.Error("a message reached a resident after they withdrew")
	}
	// Before Zalo and Telegram were set up, the outbox wrote to them too.
	ob, err := outbox.New(filepath.Join(dir, "outbox"), clock)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []channels.Message{{Channel: content.Telegram, Recipient: tg}, {Channel: content.Zalo, Recipient: zaloID}, {Channel: content.Zalo, Recipient: "840000000002"}} {
		m.DeliveryID, m.MessageKey, m.Text = int64(900+i), "phat-dong", "Hưởng ứng"
		if _, err := ob.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	ob.Close()
	outboxFiles, _ := filepath.Glob(filepath.Join(dir, "outbox", "*"))
	if !inFiles(t, []string{dbPath, dbPath + "-wal"}, tg, tgName, zaloID) || !inFiles(t, outboxFiles, tg, zaloID) {
		t.Fatal("the residents are not in the files before deletion: the search below proves nothing")
	}

	// Deletion, from the bot and from the OA.
	tsrv.Say(tgID, "/xoa")
	zaloSays("XOA", now.Add(2*time.Second))
	t.Cleanup(func() {
		if t.Failed() {
			for _, s := range toTG("") {
				t.Logf("telegram: %.80q", s.Text)
			}
			for _, s := range toZalo("", "") {
				t.Logf("zalo %s: %.80q", s.Kind, s.Text)
			}
		}
	})
	waitFor(t, "the deletions", func() bool {
		_, _, a := subscriber(content.Telegram, tg)
		_, _, b := subscriber(content.Zalo, zaloID)
		return !a && !b && len(toTG("Đã xóa toàn bộ dữ liệu")) == 1 && len(toZalo("cs", "Đã xóa toàn bộ dữ liệu")) == 1
	})
	reqs, _ := db.Requests(ctx, time.Time{})
	kinds := map[string]int{}
	for _, r := range reqs {
		kinds[r.Via+" "+r.Kind]++
		if r.Subject != "" {
			t.Errorf("a request still names who asked: %+v", r)
		}
	}
	for _, want := range []string{"telegram " + privacy.Change, "telegram " + privacy.Withdraw, "telegram " + privacy.Delete, "zalo " + privacy.Withdraw, "zalo " + privacy.Delete} {
		if kinds[want] != 1 {
			t.Errorf("requests: %v, want one %q", kinds, want)
		}
	}
	if n := deliveriesOf(t, db, "mat-can-bang-gioi-tinh"); n < 2 {
		t.Errorf("the ledger lost the deleted residents' deliveries: %d left", n)
	}

	// A request received at the office three weeks ago and still open: the
	// Today page says it is late.
	old := clock().AddDate(0, 0, -21)
	if _, err := db.AddRequest(ctx, privacy.Request{Kind: privacy.Change, Via: "paper", ReceivedAt: old, DueAt: privacy.Due(old, 15)}, "canbo", old); err != nil {
		t.Fatal(err)
	}
	if _, page := get(t, officer, base+"/"); !strings.Contains(page, "1 yêu cầu của người dân về dữ liệu cá nhân đã quá hạn") {
		t.Error("the Today page does not say a request is late")
	}

	// A clean stop, a fresh backup, then every byte of every file.
	if err := stopDaemon(); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "sao-luu.db")
	if err := db.Backup(ctx, backup, now); err != nil {
		t.Fatal(err)
	}
	db.Close()
	files := []string{dbPath, dbPath + "-wal", backup}
	outboxAfter, _ := filepath.Glob(filepath.Join(dir, "outbox", "*"))
	files = append(files, outboxAfter...)
	if inFiles(t, files, tg, tgName, zaloID) {
		t.Error("a deleted resident's id or name is still in the files")
	}
	if !inFiles(t, outboxAfter, "840000000002") {
		t.Error("the outbox lost another resident's line")
	}
}

// deliveriesOf counts the ledger's deliveries of message key.
func deliveriesOf(t *testing.T, db *store.DB, key string) int {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), scheduler.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range ds {
		if d.MessageKey == key && (d.Channel == content.Telegram || d.Channel == content.Zalo) {
			n++
		}
	}
	return n
}

// inFiles reports whether any of the strings is in any of the files (a
// file that does not exist holds nothing), naming where.
func inFiles(t *testing.T, files []string, needles ...string) bool {
	t.Helper()
	found := false
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, n := range needles {
			if i := bytes.Index(data, []byte(n)); i >= 0 {
				t.Logf("%q is in %s at byte %d", n, filepath.Base(f), i)
				found = true
			}
		}
	}
	return found
}

func post(t *testing.T, u string, body []byte, hdr http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	req.Header = hdr.Clone()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d", u, res.StatusCode)
	}
}
