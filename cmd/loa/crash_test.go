package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// TestMain lets the test binary act as loa itself, so the crash test can
// start, kill and restart real `loa serve` processes.
func TestMain(m *testing.M) {
	if args := os.Getenv("GO_TEST_RUN_AS_LOA"); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr, time.Now)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// receiver is the loopback channel: a webhook endpoint counting what each
// recipient received.
type receiver struct {
	mu       sync.Mutex
	got      map[string]int
	total    int
	progress chan struct{}
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Recipient string `json:"recipient"`
		Text      string `json:"text"`
	}
	if err := json.NewDecoder(req.Body).Decode(&body); err != nil || body.Recipient == "" || body.Text == "" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.got[body.Recipient]++
	r.total++
	r.mu.Unlock()
	select {
	case r.progress <- struct{}{}:
	default:
	}
	fmt.Fprintf(w, `{"id":"wh-%s"}`, body.Recipient)
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// TestCrashNeverDoublesOrLoses kills a daemon sending 20,000 deliveries at
// random moments, restarting it each time, and checks the ledger and the
// receiving end: every recipient has exactly one delivery, sent or unknown;
// each crash leaves at most workers + the recorder's margin in sending (the
// dispatcher claims only what its workers send at once); nobody received
// anything twice; everything sent was received.
func TestCrashNeverDoublesOrLoses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	const (
		recipients = 20000
		workers    = 8
		inFlight   = workers + 8 // the default margin: answered, not yet recorded
		kills      = 5
	)
	ctx := context.Background()
	dir := t.TempDir()
	rcv := &receiver{got: map[string]int{}, progress: make(chan struct{}, 1)}
	srv := httptest.NewServer(rcv)
	defer srv.Close()

	cfg := filepath.Join(dir, "loa.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`ward:
  name: phường Lưu Kiếm
store:
  path: %s
http:
  addr: 127.0.0.1:0
log:
  level: warn
delivery:
  outbox_dir: %s
  workers: %d
  rates:
    telegram: 1000000
webhook:
  url: %s
  channels: [telegram]
`, filepath.Join(dir, "loa.db"), filepath.Join(dir, "outbox"), workers, srv.URL)), 0o600)

	// A run due a minute ago (within the grace) to 20,000 subscribers.
	now := time.Now()
	db, err := store.Open(ctx, filepath.Join(dir, "loa.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Migrate(ctx, now)
	db.SyncObservances(ctx, content.Builtin(), now)
	c, _ := db.CreateCampaign(ctx, content.Builtin()[4].CampaignFor(2026), "t", now)
	m, _, _ := db.SaveDraft(ctx, c.ID, content.Draft{Key: "k", Title: "T", Variants: content.Variants{Telegram: "Xin chào {{.Ward}}"}}, "t", now)
	db.Transition(ctx, m.ID, content.ActSubmit, "t", "", now)
	db.Transition(ctx, m.ID, content.ActApprove, "t", "", now)
	due := now.In(content.Zone).Truncate(time.Minute).Add(-time.Minute)
	if _, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindAt, Spec: due.Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Telegram}, Audience: "all", MessageIDs: []int64{m.ID}}, "t", now.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.GenerateSubscribers(ctx, content.Telegram, "r", recipients, now); err != nil {
		t.Fatal(err)
	}
	db.Close()

	logs, _ := os.Create(filepath.Join(dir, "serve.log"))
	defer logs.Close()
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "GO_TEST_RUN_AS_LOA="+strings.Join([]string{"--config", cfg, "serve"}, "\x1f"))
		cmd.Stdout, cmd.Stderr = logs, logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// waitFor waits until the receiver has seen n requests, or the child exits.
	waitFor := func(n int, child *exec.Cmd, exited <-chan error) bool {
		deadline := time.NewTimer(2 * time.Minute) // a safety net, not a timing assumption
		defer deadline.Stop()
		for rcv.count() < n {
			select {
			case <-rcv.progress:
			case err := <-exited:
				out, _ := os.ReadFile(logs.Name())
				t.Fatalf("loa serve exited by itself: %v\n%s", err, out)
			case <-deadline.C:
				t.Fatalf("no progress: %d of %d requests (see %s)", rcv.count(), n, logs.Name())
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(uint64(now.UnixNano()), 7))
	for i := range kills {
		child := start()
		exited := make(chan error, 1)
		go func() { exited <- child.Wait() }()
		target := rcv.count() + 1 + rng.IntN(recipients/(kills+2))
		waitFor(target, child, exited)
		child.Process.Signal(syscall.SIGKILL)
		<-exited
		// What the crash left in sending becomes unknown at the next start.
		db, err := store.Open(ctx, filepath.Join(dir, "loa.db"))
		if err != nil {
			t.Fatal(err)
		}
		counts, err := db.DeliveryCounts(ctx, 0)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		sending := counts[content.Telegram][scheduler.Sending]
		t.Logf("kill %d after %d requests: %d in sending", i+1, rcv.count(), sending)
		if sending > inFlight {
			t.Errorf("kill %d left %d deliveries in sending, more than %d workers + margin", i+1, sending, inFlight)
		}
	}

	// The last daemon finishes the run, then stops cleanly on SIGTERM.
	child := start()
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	db, err = store.Open(ctx, filepath.Join(dir, "loa.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for {
		counts, err := db.DeliveryCounts(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		tg := counts[content.Telegram]
		if tg[scheduler.Sent]+tg[scheduler.Unknown] == recipients {
			break
		}
		select {
		case <-rcv.progress:
		case err := <-exited:
			t.Fatalf("loa serve exited by itself: %v", err)
		case <-time.After(time.Second): // progress may be quiet once all is sent; re-read the ledger
		}
	}
	child.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Errorf("loa serve did not exit cleanly on SIGTERM: %v", err)
	}

	counts, _ := db.DeliveryCounts(ctx, 0)
	tg := counts[content.Telegram]
	t.Logf("ledger: %v; receiver saw %d requests for %d recipients", tg, rcv.count(), len(rcv.got))
	if tg[scheduler.Unknown] > inFlight*kills {
		t.Errorf("%d unknown, more than %d in flight × %d crashes", tg[scheduler.Unknown], inFlight, kills)
	}
	for r, n := range rcv.got {
		if n > 1 {
			t.Errorf("%s received %d times", r, n)
		}
	}
	ds, err := db.Deliveries(ctx, scheduler.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != recipients {
		t.Fatalf("%d delivery rows for %d recipients", len(ds), recipients)
	}
	for _, d := range ds {
		switch d.State {
		case scheduler.Sent:
			if rcv.got[d.Recipient] != 1 || d.ProviderID != "wh-"+d.Recipient {
				t.Fatalf("%s is sent in the ledger but received %d times (provider id %q)", d.Recipient, rcv.got[d.Recipient], d.ProviderID)
			}
		case scheduler.Unknown: // it may or may not have arrived: either is fine, never twice
		default:
			t.Fatalf("%s is %s", d.Recipient, d.State)
		}
	}
}

// TestKilledBackupLeavesNothingThatStarts kills `loa db backup` (kill -9)
// while it copies: no file under the backup's name exists, and what is left
// is refused by name, by `loa serve` and by the next backup.
func TestKilledBackupLeavesNothingThatStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\n")
	e.ok("demo", "seed")
	db, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	// Enough rows that the copy and its check take a while.
	if err := db.GenerateSubscribers(context.Background(), content.Zalo, "z", 300000, fixedNow); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dest := filepath.Join(e.dir, "backup.db")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GO_TEST_RUN_AS_LOA="+strings.Join([]string{"--config", e.cfg, "db", "backup", dest}, "\x1f"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
	for !killed {
		select {
		case err := <-exited:
			t.Fatalf("the backup finished before it could be interrupted (%v): make the database bigger", err)
		default:
		}
		if _, err := os.Stat(dest + store.PartialSuffix); err == nil {
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			killed = true
			continue
		}
		runtime.Gosched()
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("an interrupted backup left %s", dest)
	}
	restored := newEnv(t, "")
	os.WriteFile(restored.cfg, []byte("ward:\n  name: x\nhttp:\n  addr: 127.0.0.1:0\nstore:\n  path: "+dest+store.PartialSuffix+"\n"), 0o600)
	if _, errs, code := restored.loa("serve"); code != exitFailure || !strings.Contains(errs, "sao lưu chưa xong") {
		t.Errorf("serve on an interrupted backup: %d %s", code, errs)
	}
	if _, errs, code := restored.loa("db", "check"); code != exitFailure || !strings.Contains(errs, "sao lưu chưa xong") {
		t.Errorf("db check on an interrupted backup: %d %s", code, errs)
	}
	if _, errs, code := e.loa("db", "backup", dest); code != exitFailure || !strings.Contains(errs, "sao lưu bị ngắt giữa chừng") {
		t.Errorf("a backup over the leftover: %d %s", code, errs)
	}
}
