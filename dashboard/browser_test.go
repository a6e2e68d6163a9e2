package dashboard_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loa-ward/loa/channels/outbox"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/scheduler"
)

// screenshots is where the browser tests leave a PNG of each step
// (LOA_SCREENSHOTS overrides it).
func screenshots(t *testing.T) string {
	dir := os.Getenv("LOA_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts Debian's chromium headless with a fresh profile. CI
// installs chromium (.ci/run); a machine without it skips the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser; its context has no timeout
		t.Fatalf("start chromium: %v", err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })
	return tctx
}

// waitText waits until the element sel holds want in its visible text. It
// asks again while a page is still loading (after a click that navigates).
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return waitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, want))
}

// waitGone waits until the element sel does not hold want.
func waitGone(sel, want string) chromedp.Action[chromedp.Void] {
	return waitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !e || !e.innerText.includes(%q); })()`, sel, want))
}

func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(20 * time.Second)
		var last error
		for time.Now().Before(deadline) {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, t)
			if err == nil && ok {
				return nil
			}
			last = err
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		return fmt.Errorf("waited 20 s for %s (last error %v)", expr, last)
	})
}

// shot saves the page as dir/name.png.
func shot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		png, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	})
}

// do runs steps in order, saying which one failed.
func do(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) error {
	for i, s := range steps {
		if err := chromedp.Do(ctx, s); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return nil
}

// void drops an action's value.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// setValue replaces a field's text as a paste does, so the preview follows.
func setValue(sel, text string) chromedp.Action[chromedp.Void] {
	return void(chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, sel, text)))
}

func signIn(base, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), demo.Password),
		chromedp.Click(chromedp.CSS(`section.login button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#work`)),
	)
}

func signOut() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Click(chromedp.CSS(`header .who button.link`)), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
}

// TestOfficerDraftsLeaderApprovesOnAPhone walks the desk as its people do,
// in a real browser: the officer drafts all four variants and watches the
// previews and a limit error follow the typing, submits; the leader on a
// phone-sized screen sees the diff and approves; the run shows on the
// calendar, and once sent (outbox) its counts show.
func TestOfficerDraftsLeaderApprovesOnAPhone(t *testing.T) {
	w := newWard(t)
	ctx := browser(t)
	dir := screenshots(t)
	base := w.srv.URL
	var url string
	picture := filepath.Join(t.TempDir(), "duong-day-nong.png")
	if err := os.WriteFile(picture, pngOf(1200, 630), 0o600); err != nil {
		t.Fatal(err)
	}

	steps := []chromedp.Action[chromedp.Void]{
		signIn(base, "canbo"),
		shot(dir, "01-today-officer"),
		chromedp.Navigate(base + "/messages/new?campaign=action-month/2026"),
		chromedp.WaitVisible(chromedp.CSS(`#editor`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=key]`), "duong-day-nong"),
		chromedp.SendKeys(chromedp.CSS(`input[name=title]`), "Đường dây nóng bảo vệ trẻ em"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=telegram]`), "<b>Đường dây nóng</b> của {{.Ward}}: gọi {{.Hotlines.bao_ve_tre_em}}"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=zalo]`), "Khi trẻ em bị xâm hại, hãy gọi {{.Hotlines.bao_ve_tre_em}} (miễn phí, 24/7)."),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=loudspeaker]`), "Kính thưa bà con! Khi phát hiện trẻ em bị xâm hại, hãy gọi ngay tổng đài 111."),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=banner]`), "Không bạo lực với trẻ em"),
		waitText(`.pv-telegram .bubble`, "Đường dây nóng của phường Lưu Kiếm: gọi 111"),
		waitText(`.pv-zalo .bubble`, "hãy gọi 111"),
		waitText(`.pv-loudspeaker .counter`, "đọc khoảng"),
		waitText(`.pv-banner`, "không có trong danh sách khẩu hiệu"),
		chromedp.SetUploadFiles(chromedp.CSS(`#editor input[type=file]`), []string{picture}),
		chromedp.WaitVisible(chromedp.CSS(`#image-field img.thumb`)),
		chromedp.WaitVisible(chromedp.CSS(`#preview .pv-image img`)),
		shot(dir, "02-editor-previews"),
		setValue(`textarea[name=zalo]`, strings.Repeat("Bình đẳng giới. ", 140)),
		waitText(`.pv-zalo .problems`, "2000"),
		shot(dir, "03-editor-limit-error"),
		setValue(`textarea[name=zalo]`, "Khi trẻ em bị xâm hại, hãy gọi {{.Hotlines.bao_ve_tre_em}} (miễn phí, 24/7)."),
		waitGone(`.pv-zalo .problems`, "2000"),
		chromedp.Click(chromedp.CSS(`#editor button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#submit`)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) (err error) {
			url, err = chromedp.Location()(ctx, t)
			return err
		}),
		shot(dir, "04-message-saved"),
		chromedp.Click(chromedp.CSS(`#submit`)),
		waitText(`h1`, "chờ duyệt"),
		signOut(),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		signIn(base, "lanhdao"),
		chromedp.Navigate(base + "/approvals"),
		waitText(`main`, "Đường dây nóng bảo vệ trẻ em"),
		waitText(`main`, "Đường dây nóng của phường Lưu Kiếm: gọi 111"), // rendered, not the template
		waitText(`main`, "Người trình: Nguyễn Thị Lan (demo)"),
		shot(dir, "05-leader-approvals-phone"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error { // the officer's message, among the demo's waiting ones
			_, err := chromedp.Click(chromedp.CSS(`article.pending a[href="`+url[strings.Index(url, "/messages/"):]+`"]`))(ctx, t)
			return err
		}),
		chromedp.WaitVisible(chromedp.CSS(`#approve`)),
		waitText(`#diff`, "Bản đầu tiên"),
		chromedp.Click(chromedp.CSS(`#approve`)),
		waitText(`h1`, "đã duyệt"),
		signOut(),
	}
	if err := do(ctx, steps...); err != nil {
		t.Fatalf("first round: %v", err)
	}
	id := url[strings.LastIndex(url, "/")+1:]

	// The officer changes the text; the leader sees what changed and approves again.
	steps = []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(1366, 900),
		signIn(base, "canbo"),
		chromedp.Navigate(base + "/messages/" + id + "/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#editor`)),
		setValue(`textarea[name=zalo]`, "Khi trẻ em bị bạo lực hoặc xâm hại, hãy gọi ngay {{.Hotlines.bao_ve_tre_em}} (miễn phí, 24/7)."),
		waitText(`.pv-zalo .bubble`, "bạo lực hoặc xâm hại"),
		chromedp.Click(chromedp.CSS(`#editor button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#submit`)),
		chromedp.Click(chromedp.CSS(`#submit`)),
		waitText(`h1`, "chờ duyệt"),
		signOut(),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		signIn(base, "lanhdao"),
		chromedp.Navigate(base + "/messages/" + id),
		chromedp.WaitVisible(chromedp.CSS(`#diff ins`)),
		waitText(`#diff ins`, "bạo lực hoặc"),
		shot(dir, "06-leader-diff-phone"),
		chromedp.Click(chromedp.CSS(`#approve`)),
		waitText(`h1`, "đã duyệt"),
		waitText(`#diff`, "Đây là bản đã duyệt"),
		shot(dir, "07-leader-approved-phone"),
	}
	if err := do(ctx, steps...); err != nil {
		t.Fatalf("second round: %v", err)
	}
	if m := w.message("action-month/2026/duong-day-nong"); m.State != content.StateApproved || m.ApprovedVersion != 2 {
		t.Fatalf("after the browser: %s v%d", m.State, m.ApprovedVersion)
	}

	// A schedule at 10:00 today: the run is on the calendar.
	bg := context.Background()
	sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: "2026-11-25 10:00", Channels: []content.Channel{content.Telegram, content.Zalo}, Audience: "all"}
	if _, err := w.desk.AddSchedule(bg, officer, editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{"duong-day-nong"}, Schedule: sc}); err != nil {
		t.Fatal(err)
	}
	w.tick()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/calendar?day=2026-11-25"),
		waitText(`#day`, "Đường dây nóng bảo vệ trẻ em"), waitText(`table.month td.today`, "10:00"), shot(dir, "08-calendar")); err != nil {
		t.Fatalf("calendar: %v", err)
	}

	// 10:00: the run goes out to the outbox; its counts show.
	w.advance(time.Hour)
	w.tick()
	out, err := outbox.New(t.TempDir(), w.now)
	if err != nil {
		t.Fatal(err)
	}
	disp := scheduler.NewDispatcher(w.db, map[content.Channel]scheduler.Sender{content.Telegram: out, content.Zalo: out}, w.sched.Render,
		scheduler.DispatchConfig{}, slog.New(slog.DiscardHandler), nil, w.now)
	dctx, stop := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { disp.Run(dctx); close(done) }()
	disp.Kick()
	runID := w.waitSent(t)
	stop()
	<-done
	w.tick() // the run is finished
	// An hour later the leader's session has gone idle: the officer signs in.
	if err := chromedp.Do(ctx, signIn(base, "canbo"), chromedp.Navigate(fmt.Sprintf("%s/runs/%d", base, runID)),
		waitText(`table.counts`, "đã gửi"), waitText(`#ledger`, "xong"), shot(dir, "09-run-counts"),
		// The campaign page's schedule form shows when a rule would send.
		chromedp.Navigate(base+"/campaigns/action-month/2026"),
		chromedp.WaitVisible(chromedp.CSS(`#schedule`)),
		waitText(`#history`, "24 đã gửi"),
		chromedp.SetValue(chromedp.CSS(`#schedule select[name=kind]`), "cron"),
		chromedp.SendKeys(chromedp.CSS(`#schedule input[name=spec]`), "0 19 * * 1"),
		chromedp.Click(chromedp.CSS(`#schedule input[value=zalo]`)),
		void(chromedp.Evaluate[bool](`(() => { const o = document.querySelector('#schedule select[name=message] option'); o.selected = true; o.parentElement.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)),
		waitText(`#schedule-preview`, "19:00 30/11/2026"),
		shot(dir, "10-campaign-schedule-form"),
		// A block leader on a phone: their day, with nothing to approve or edit.
		signOut(),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		signIn(base, "to-truong-1"),
		waitGone(`header nav`, "Soạn tin"),
		shot(dir, "11-block-leader-today-phone"),
		chromedp.Navigate(base+"/tasks"),
		chromedp.WaitVisible(chromedp.CSS(`main h1`)),
		shot(dir, "12-block-leader-tasks-phone")); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		t.Fatalf("run page: %v\n%s", err, text)
	}
}

// waitSent waits (real time: the dispatcher runs in goroutines) until the
// 10:00 run has nothing queued or sending, and returns it.
func (w *ward) waitSent(t *testing.T) int64 {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		rs, err := w.office.Recent(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Run.MessageKey != "duong-day-nong" {
				continue
			}
			busy, sent := 0, 0
			for _, states := range r.Counts {
				busy += states[scheduler.Queued] + states[scheduler.Sending]
				sent += states[scheduler.Sent]
			}
			if busy == 0 && sent > 0 {
				return r.Run.ID
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the run was not sent in 30 s")
	return 0
}
