package daemon_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"math/big"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// mailServer is a local SMTP server that, like a real submission server,
// takes mail only after STARTTLS.
type mailServer struct {
	mu   sync.Mutex
	mail []struct{ to, body string }
}

type mailSession struct {
	srv  *mailServer
	conn *smtp.Conn
	to   string
}

func (m *mailServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &mailSession{srv: m, conn: c}, nil
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error {
	if _, ok := s.conn.TLSConnectionState(); !ok {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Must issue a STARTTLS command first"}
	}
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.srv.mu.Lock()
	s.srv.mail = append(s.srv.mail, struct{ to, body string }{s.to, string(b)})
	s.srv.mu.Unlock()
	return err
}
func (s *mailSession) Reset()        {}
func (s *mailSession) Logout() error { return nil }

func (m *mailServer) to(addr string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, x := range m.mail {
		if x.to == addr {
			out = append(out, x.body)
		}
	}
	return out
}

// selfSigned is a certificate for 127.0.0.1 and its PEM.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.luukiem.test"},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), // TLS checks the wall clock DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestStaffNoticesReachWithoutTelegram: two block leaders get a post to
// paste. The one who wrote to the OA yesterday gets the notice as a Zalo
// consultation message; the one outside Zalo's window is listed on the
// Today page and reached by e-mail (STARTTLS), asked to write to the OA.
// The first replies "Xong 120" to the OA: the post is confirmed with that
// reach and the OA answers; the same webhook replayed does nothing.
func TestStaffNoticesReachWithoutTelegram(t *testing.T) {
	dir := t.TempDir()
	clock := func() time.Time { return now }
	db := storetest.OpenAt(t, filepath.Join(dir, "loa.db"), now)
	zsrv := zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "s3cret", OASecret: "oa-secret", Now: clock})
	zsrv.AddUser(zalotest.User{ID: "8101", Name: "Lê Thị Hoa", Follower: true, LastInteraction: now.Add(-24 * time.Hour)})
	zsrv.AddUser(zalotest.User{ID: "8102", Name: "Phạm Văn Nam", Follower: true, LastInteraction: now.Add(-10 * 24 * time.Hour)})
	access, refresh := zsrv.IssueTokens()
	zs := httptest.NewServer(zsrv.Handler())
	defer zs.Close()

	cert, caPEM := selfSigned(t)
	inbox := &mailServer{}
	ms := smtp.NewServer(inbox)
	ms.Domain, ms.TLSConfig = "mail.luukiem.test", &tls.Config{Certificates: []tls.Certificate{cert}}
	ms.ErrorLog = stdlog.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ms.Serve(ln) }()
	defer ms.Close()
	ca := filepath.Join(dir, "ca.pem")
	_ = os.WriteFile(ca, caPEM, 0o600)
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	ctx := context.Background()
	cfgFile := filepath.Join(dir, "loa.yaml")
	body := fmt.Sprintf(`ward: {name: phường Lưu Kiếm}
store: {path: %s}
content:
  hotlines: {bao_ve_tre_em: "111", cong_an: "113", hoi_phu_nu: "0225 3 841 234"}
http: {addr: 127.0.0.1:0, public_url: "https://loa.luukiem.test"}
delivery: {outbox_dir: %s}
zalo:
  app_id: "1234"
  app_secret: s3cret
  oa_secret: oa-secret
  oauth_base: %s
  api_base: %s
  zns_base: %s
  groups: {"Tổ dân phố 1": to-truong-1, "Tổ dân phố 2": to-truong-2}
email: {host: 127.0.0.1, port: %s, from: "Loa phường Lưu Kiếm <loa@luukiem.test>", ca_file: %s}
`, filepath.Join(dir, "loa.db"), filepath.Join(dir, "outbox"), zs.URL, zs.URL, zs.URL, port, ca)
	if err := os.WriteFile(cfgFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Path: cfgFile})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, daemon.NewDesk(cfg, db, clock), now); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveZaloTokens(ctx, zaloTokens(access, refresh), now); err != nil {
		t.Fatal(err)
	}
	// The two block leaders follow the OA (the webhook recorded it) with
	// their last messages to it.
	for name, z := range map[string]struct {
		id, email string
		last      time.Time
	}{"to-truong-1": {"8101", "", now.Add(-24 * time.Hour)}, "to-truong-2": {"8102", "totruong2@luukiem.test", now.Add(-10 * 24 * time.Hour)}} {
		if err := db.Follow(ctx, z.id, "", true, "webhook", z.last); err != nil {
			t.Fatal(err)
		}
		if err := db.Interacted(ctx, z.id, z.last); err != nil {
			t.Fatal(err)
		}
		u, err := db.User(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		u.ZaloID, u.Email = z.id, z.email
		if err := db.SetContact(ctx, u, "it", now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := daemon.NewDesk(cfg, db, clock).AddSchedule(ctx, staff.Local("canbo"), scheduleNow("phat-dong", content.Zalo)); err != nil {
		t.Fatal(err)
	}

	base, _ := startDaemon(t, cfg, db, clock)

	cs := func(user, has string) []zalotest.Sent {
		var out []zalotest.Sent
		for _, s := range zsrv.Sent() {
			if s.Kind == "cs" && s.UserID == user && strings.Contains(s.Text, has) {
				out = append(out, s)
			}
		}
		return out
	}
	waitFor(t, "the notices", func() bool {
		return len(cs("8101", "https://loa.luukiem.test/t/")) == 1 && len(inbox.to("totruong2@luukiem.test")) == 1
	})
	letter := inbox.to("totruong2@luukiem.test")[0]
	for _, want := range []string{"Tổ dân phố 2", "https://loa.luukiem.test/t/", "nhắn một tin bất kỳ"} {
		if !strings.Contains(decodeQP(letter), want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, letter)
		}
	}
	if len(cs("8102", "")) != 0 {
		t.Error("a cs message went to the leader outside the window")
	}
	if !strings.Contains(cs("8101", "")[0].Text, "Tổ dân phố 1") {
		t.Errorf("the Zalo notice: %q", cs("8101", "")[0].Text)
	}
	// The office sees who is outside the window.
	officer := signIn(t, base, "canbo")
	tt2, _ := db.User(ctx, "to-truong-2")
	if _, page := get(t, officer, base+"/"); !strings.Contains(page, `id="outside-zalo"`) || !strings.Contains(page, tt2.FullName) {
		t.Errorf("the Today page does not list the leader outside Zalo's window")
	}

	// "Xong 120" from the first block leader, signed as Zalo signs it.
	post := groupPost(t, db, "to-truong-1")
	ev, hdr := zsrv.Event("user_send_text", map[string]any{"sender": map[string]string{"id": "8101"}, "recipient": map[string]string{"id": "2960000000000000001"},
		"message": map[string]string{"msg_id": "m-1", "text": "Xong 120"}}, now)
	for i, want := range []int{http.StatusOK, http.StatusConflict} {
		req, _ := http.NewRequest(http.MethodPost, base+"/zalo/webhook", bytes.NewReader(ev))
		req.Header = hdr.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("webhook %d: %d, want %d", i+1, res.StatusCode, want)
		}
	}
	got := groupDelivery(t, db, post.ID)
	if got.State != scheduler.Done || got.Reach != 120 || got.ConfirmedBy != "to-truong-1" || got.Note != "xác nhận qua Zalo" {
		t.Errorf("after the reply: %+v", got)
	}
	if log, _ := db.Audit(ctx, "delivery", post.ID); len(log) != 1 {
		t.Errorf("%d audit entries for one confirmation", len(log))
	}
	if len(cs("8101", "Đã ghi nhận")) != 1 {
		t.Errorf("the OA's answer: %+v", cs("8101", ""))
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func groupPost(t *testing.T, db interface {
	Deliveries(context.Context, scheduler.DeliveryFilter) ([]scheduler.Delivery, error)
}, who string) scheduler.Delivery {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), scheduler.DeliveryFilter{Assignee: who})
	if err != nil || len(ds) != 1 {
		t.Fatalf("%s has %d posts: %v", who, len(ds), err)
	}
	return ds[0]
}

func groupDelivery(t *testing.T, db interface {
	Deliveries(context.Context, scheduler.DeliveryFilter) ([]scheduler.Delivery, error)
}, id int64) scheduler.Delivery {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), scheduler.DeliveryFilter{ID: id})
	if err != nil || len(ds) != 1 {
		t.Fatalf("delivery %d: %v", id, err)
	}
	return ds[0]
}

// decodeQP undoes quoted-printable soft breaks and escapes, as a mail
// reader shows the text.
func decodeQP(s string) string {
	r := quotedPrintable(strings.NewReader(s))
	b, err := io.ReadAll(r)
	if err != nil && !errors.Is(err, io.EOF) {
		return s
	}
	return string(b)
}

func zaloTokens(access, refresh string) zalo.Tokens {
	return zalo.Tokens{Access: access, Refresh: refresh, AccessExpires: now.Add(25 * time.Hour), RefreshExpires: now.Add(90 * 24 * time.Hour)}
}

// scheduleNow sends the demo message key on ch at the daemon's clock.
func scheduleNow(key string, ch content.Channel) editorial.ScheduleRequest {
	return editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{key},
		Schedule: scheduler.Schedule{Kind: scheduler.KindAt, Spec: now.In(content.Zone).Format("2006-01-02 15:04"), Channels: []content.Channel{ch}}}
}

func signIn(t *testing.T, base, name string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"name": {name}, "password": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := c.Do(req)
	if err != nil || res.Request.URL.Path != "/" {
		t.Fatalf("sign in %s: %v", name, err)
	}
	res.Body.Close()
	return c
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// quotedPrintable reads a mail's body as a mail reader shows it.
func quotedPrintable(r io.Reader) io.Reader {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return strings.NewReader("")
	}
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		return quotedprintable.NewReader(m.Body)
	}
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "base64") {
		return base64.NewDecoder(base64.StdEncoding, m.Body)
	}
	return m.Body
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startDaemon runs the daemon on cfg and db until the test ends (its log
// shown when the test fails) and returns its address and a stop that
// returns what Run did (once; the cleanup stops it otherwise).
func startDaemon(t *testing.T, cfg *config.Config, db *store.DB, clock func() time.Time) (base string, stop func() error) {
	t.Helper()
	listening := make(chan net.Addr, 1)
	var logs lockedBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	d := &daemon.Daemon{Config: cfg, DB: db, Now: clock, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Actor: staff.Local("it"), Listening: func(a net.Addr) { listening <- a }}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() { stop() })
	select {
	case a := <-listening:
		return "http://" + a.String(), stop
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	return "", stop
}
