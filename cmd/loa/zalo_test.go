package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

func TestZaloAuthCheckSyncAndServe(t *testing.T) {
	srv := zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "app-secret-xyz", OASecret: "oa-secret-xyz",
		Now: func() time.Time { return fixedNow }})
	for i := 1; i <= 12; i++ {
		srv.AddUser(zalotest.User{ID: fmt.Sprint(9000 + i), Name: fmt.Sprintf("Cư dân %d", i), Follower: i != 12})
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\nzalo:\n  app_id: \"1234\"\n  app_secret: app-secret-xyz\n  oa_secret: oa-secret-xyz\n"+
		"  oauth_base: "+hs.URL+"\n  api_base: "+hs.URL+"\n  zns_base: "+hs.URL+"\n")
	if _, errs, code := e.loa("zalo", "check"); code != exitFailure || !strings.Contains(errs, "loa zalo auth") {
		t.Errorf("check before auth: %d %s", code, errs)
	}
	out := e.ok("zalo", "auth")
	if !regexp.MustCompile(`/v4/oa/permission\?app_id=1234&code_challenge=[A-Za-z0-9_-]{43}&`).MatchString(out) {
		t.Errorf("auth url:\n%s", out)
	}
	mustContain(t, "auth --code", e.ok("zalo", "auth", "--code", srv.IssueCode()), "Đã lưu token của OA")
	mustContain(t, "check", e.ok("zalo", "check"), `OA "UBND phường Lưu Kiếm" trả lời`)
	mustContain(t, "sync", e.ok("zalo", "sync"), "Đã cập nhật 11 người theo dõi.")
	config := e.ok("config", "check")
	if strings.Contains(config, "app-secret-xyz") || strings.Contains(config, "oa-secret-xyz") {
		t.Errorf("config check shows a Zalo secret:\n%s", config)
	}

	e.ok("demo", "seed") // the demo's residents are Zalo users too; the emulator does not know them
	// Following is not consent: of the 11 followers, only the 3 who answered
	// the welcome with DONGY receive the broadcast.
	func() {
		db, _ := store.Open(context.Background(), e.db)
		defer db.Close()
		for _, id := range []string{"9001", "9002", "9003"} {
			if err := db.Residents(content.Zalo).Subscribe(context.Background(), id, "", "vi", "zalo:dongy", content.Topics, fixedNow); err != nil {
				t.Fatal(err)
			}
		}
	}()
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "zalo")
	code := e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		z := c[content.Zalo]
		// 3 consenting followers receive it; the 30 demo residents who chose its topic are
		// unknown to this OA (-201, failed); the 10 who chose only "family" get nothing.
		return z[scheduler.Sent] == 3 && z[scheduler.Failed] == 30
	})
	if code != exitOK {
		t.Fatalf("serve: %d\n%s", code, e.lastServeLog)
	}
	sent := srv.Sent()
	if len(sent) != 3 || sent[0].Kind != "promotion" || !strings.Contains(sent[0].Text, "UBND phường Lưu Kiếm mời bà con") {
		t.Fatalf("zalo got %d messages: %+v", len(sent), sent)
	}

	// The webhook: a signed "received" event marks the delivery.
	db, _ := store.Open(context.Background(), e.db)
	defer db.Close()
	h := &zalo.Webhook{AppID: "1234", OASecret: "oa-secret-xyz", Events: daemon.ZaloEvents{DB: db}, Now: func() time.Time { return fixedNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	body, header := srv.Event("user_received_message", map[string]any{"message": map[string]string{"msg_id": sent[0].MessageID}}, fixedNow)
	req := httptest.NewRequest("POST", "/zalo/webhook", bytes.NewReader(body))
	req.Header = header
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("webhook: %d %s", w.Code, w.Body)
	}
	if again, _ := db.Received(context.Background(), content.Zalo, sent[0].MessageID, fixedNow); again {
		t.Error("the delivery was not marked received by the webhook")
	}
	follow, fh := srv.Event("follow", map[string]any{"follower": map[string]string{"id": "7777"}}, fixedNow.Add(time.Second))
	req = httptest.NewRequest("POST", "/zalo/webhook", bytes.NewReader(follow))
	req.Header = fh
	h.ServeHTTP(httptest.NewRecorder(), req)
	if n, _ := db.CountAudience(context.Background(), content.Zalo, ""); n != 3+40 {
		t.Errorf("zalo audience after a follow: %d (following is not consent)", n)
	}
}

func TestZNSBroadcastToImportedPhones(t *testing.T) {
	srv := zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "app-secret-xyz", OASecret: "oa-secret-xyz",
		Now: func() time.Time { return fixedNow }})
	srv.AddTemplate("T25")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\nzalo:\n  app_id: \"1234\"\n  app_secret: app-secret-xyz\n"+
		"  oauth_base: "+hs.URL+"\n  api_base: "+hs.URL+"\n  zns_base: "+hs.URL+"\n")
	e.ok("zalo", "auth")
	e.ok("zalo", "auth", "--code", srv.IssueCode())
	csv := filepath.Join(e.dir, "phones.csv")
	os.WriteFile(csv, []byte("phone,name,topics,consent_date,source,evidence\n0912345678,Lan,\"1,2,3\",20/11/2026,phiếu TDP 3,PĐK-2026-0001\n"+
		"0987654321,Minh,3,21/11/2026,phiếu TDP 3,PĐK-2026-0002\n0977777777,Tâm,1,21/11/2026,phiếu TDP 3,PĐK-2026-0003\n"), 0o600)
	bad := filepath.Join(e.dir, "bad.csv")
	os.WriteFile(bad, []byte("phone,name,consent_date,source,evidence\n0912,Lan,20/11/2026,x,P1\n"), 0o600)
	if _, errs, code := e.loa("--lang", "en", "subscribers", "import", bad); code != exitFailure || !strings.Contains(errs, "bad.csv:2, column phone") {
		t.Errorf("bad import: %d %s", code, errs)
	}
	// Rows without the consent's evidence are refused, each by row and column, and nothing is imported.
	noProof := filepath.Join(e.dir, "khong-bang-chung.csv")
	os.WriteFile(noProof, []byte("phone,name,consent_date,source,evidence\n0911111111,An,20/11/2026,phiếu TDP 1,PĐK-2026-0100\n"+
		"0922222222,Bình,,phiếu TDP 1,PĐK-2026-0101\n0933333333,Chi,20/11/2026,,\n"), 0o600)
	_, errs, code := e.loa("subscribers", "import", noProof)
	for _, want := range []string{"khong-bang-chung.csv:3, cột consent_date", "khong-bang-chung.csv:4, cột source", "khong-bang-chung.csv:4, cột evidence"} {
		if code != exitFailure || !strings.Contains(errs, want) {
			t.Errorf("import without evidence: %d, no %q in\n%s", code, want, errs)
		}
	}
	if list := e.ok("subscribers", "list"); strings.Contains(list, "84911111111") {
		t.Error("a file with refused rows imported its good row")
	}
	mustContain(t, "import", e.ok("subscribers", "import", csv), "Đã nhập 3 người nhận có số điện thoại.")
	mustContain(t, "list", e.ok("subscribers", "list"), "84912345678", "phiếu TDP 3", "3 người.")
	e.ok("campaign", "create", "--year", "2026")
	os.WriteFile(filepath.Join(e.dir, "tin.md"), []byte("---\nkey: zns\ncampaign: evaw-day/2026\ntitle: Ngày 25/11\n---\n## zalo\nHưởng ứng ngày 25/11.\n"), 0o644)
	e.ok("content", "import", e.dir)
	e.ok("content", "submit", "zns")
	e.ok("--as", "lanh-dao", "content", "approve", "zns")
	if _, errs, code := e.loa("schedule", "add", "--campaign", "evaw-day/2026", "--message", "zns", "--at", "2026-11-28 09:00", "--channels", "zalo", "--mode", "zns:"); code != exitUsage {
		t.Errorf("empty template id: %d %s", code, errs)
	}
	e.ok("schedule", "add", "--campaign", "evaw-day/2026", "--message", "zns", "--at", "2026-11-28 09:00", "--channels", "zalo", "--mode", "zns:T25")
	code = e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		return c[content.Zalo][scheduler.Sent] == 2
	})
	if code != exitOK {
		t.Fatal(code)
	}
	var phones []string
	for _, s := range srv.Sent() {
		if s.Kind == "zns" {
			phones = append(phones, s.Phone)
		}
	}
	if strings.Join(phones, ",") != "84912345678,84987654321" && strings.Join(phones, ",") != "84987654321,84912345678" {
		t.Errorf("zns went to %v", phones)
	}
}
