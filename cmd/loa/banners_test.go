package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

func TestBannerPlan(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	mustContain(t, "empty", e.ok("banners", "list"), "Chưa có băng rôn nào")
	add := e.ok("banners", "add", "--campaign", "action-month/2026", "--slogan", "1", "--place", "Trụ sở UBND phường", "--kind", "office",
		"--size", "6 × 0,8 m", "--who", "van-phong")
	mustContain(t, "add", add, "Dòng #1: 1 băng rôn «Hưởng ứng", "treo 14/11/2026, tháo 16/12/2026, van-phong phụ trách")

	// A slogan of one's own needs approval; the official list's, in any case and spacing, does not.
	if _, errs, code := e.loa("banners", "add", "--campaign", "action-month/2026", "--text", "Chợ mình văn minh", "--place", "Chợ", "--who", "x"); code != exitFailure ||
		!strings.Contains(errs, "--text: «Chợ mình văn minh» không có trong danh sách khẩu hiệu hay tin đã duyệt") {
		t.Errorf("unapproved text: %d %s", code, errs)
	}
	good := filepath.Join(e.dir, "bang-ron.csv")
	os.WriteFile(good, []byte("khau_hieu,vi_tri,loai,kich_thuoc,so_luong,ngay_treo,ngay_thao,phu_trach\n"+
		"Đầu tư cho bình đẳng giới là đầu tư cho tương lai,Đường Trần Phú,đường,\"5 × 0,8 m\",2,,,doan-thanh-nien\n"+
		"Giới tính không quyết định năng lực và trình độ,Ấp Bắc,đường,\"5 × 0,8 m\",3,13/11/2026,,doan-thanh-nien\n"), 0o600)
	bad := filepath.Join(e.dir, "sai.csv")
	os.WriteFile(bad, []byte("khau_hieu,vi_tri,so_luong,phu_trach\nBình đẳng giới,,hai,x\n,Chợ,1,\n"), 0o600)
	_, errs, code := e.loa("banners", "import", bad, "--campaign", "action-month/2026")
	if code != exitFailure {
		t.Fatalf("bad import: exit %d", code)
	}
	mustContain(t, "bad import", errs, "sai.csv:2, cột so_luong: \"hai\" không phải số", "sai.csv:2, cột vi_tri: cần vị trí treo",
		"sai.csv:3, cột khau_hieu: cần khẩu hiệu", "sai.csv:3, cột phu_trach: cần người hoặc đơn vị phụ trách", "4 lỗi; chưa nhập gì")
	mustContain(t, "after a bad import", e.ok("banners", "list"), "1 dòng, 1 băng rôn.")
	mustContain(t, "import", e.ok("banners", "import", good, "--campaign", "action-month/2026"), "Đã nhập 2 dòng")

	// By hang date, then place in Vietnamese order (Ấp, then Đường, then Trụ sở).
	list := e.ok("banners", "list")
	if !regexp.MustCompile(`(?s)13/11.*Ấp Bắc.*14/11.*Đường Trần Phú.*14/11.*Trụ sở UBND`).MatchString(list) {
		t.Errorf("order:\n%s", list)
	}
	mustContain(t, "list", list, "3 dòng, 6 băng rôn.")

	// Reminders: the day before and the day of hanging; once hung, the take-down day, then overdue.
	mustContain(t, "12/11", e.ok("banners", "remind", "--date", "12/11/2026"), "#3 → doan-thanh-nien: Nhắc việc: treo 3 băng rôn «Giới tính không quyết định năng lực và trình độ» tại Ấp Bắc, ngày 13/11/2026")
	if r := e.ok("banners", "remind", "--date", "13/11/2026"); strings.Count(r, "Nhắc việc: treo") != 3 {
		t.Errorf("13/11 reminders:\n%s", r)
	}
	if _, errs, code := e.loa("banners", "mark", "1", "removed"); code != exitFailure || !strings.Contains(errs, "không chuyển được từ \"dự kiến\" sang \"đã tháo\"") {
		t.Errorf("removing a banner never hung: %d %s", code, errs)
	}
	photo := filepath.Join(e.dir, "anh.jpg")
	os.WriteFile(photo, []byte("jpeg"), 0o600)
	if _, errs, code := e.loa("--as", "doan-thanh-nien", "banners", "mark", "2", "hung", "--photo", photo); code != exitFailure || !strings.Contains(errs, "ảnh phải là JPG hoặc PNG") {
		t.Errorf("a photo that is not a picture: %d %s", code, errs)
	}
	var jpg bytes.Buffer
	_ = jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 40, 30)), nil)
	os.WriteFile(photo, jpg.Bytes(), 0o600)
	mustContain(t, "mark", e.ok("--as", "doan-thanh-nien", "banners", "mark", "2", "hung", "--photo", photo), "Dòng #2: đã treo, ghi nhận bởi doan-thanh-nien")
	os.Remove(photo) // kept in the database, not as a path to this file
	func() {
		db, err := store.Open(context.Background(), e.db)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ls, _ := db.Banners(context.Background(), banner.Filter{ID: 2})
		var id int64
		fmt.Sscanf(ls[0].Photo, "photo:%d", &id)
		if p, err := db.Photo(context.Background(), id); err != nil || !bytes.Equal(p.Data, jpg.Bytes()) {
			t.Errorf("the photo is not kept: %q %v", ls[0].Photo, err)
		}
	}()
	if !regexp.MustCompile(`băng rôn \(kế hoạch\)\s+dự kiến\s+4\n(?s).*băng rôn \(kế hoạch\)\s+đã treo\s+2\n`).MatchString(e.ok("deliveries")) {
		t.Errorf("the ledger lacks the banners:\n%s", e.ok("deliveries"))
	}
	mustContain(t, "take-down day", e.ok("banners", "remind", "--date", "16/12/2026"), "#2 → doan-thanh-nien: Nhắc việc: hôm nay 16/12/2026 tháo 2 băng rôn")
	mustContain(t, "overdue", e.ok("banners", "remind", "--date", "18/12/2026"), "Quá hạn tháo 2 ngày")
	mustContain(t, "tasks", e.ok("--as", "doan-thanh-nien", "tasks", "--mine"), "Băng rôn hôm nay", "#3 → doan-thanh-nien: Chưa treo, trễ 15 ngày")
	// 15/12: #2 hangs as it should; the two never hung are still late.
	if r := e.ok("banners", "remind", "--date", "15/12/2026"); strings.Contains(r, "#2 →") || strings.Count(r, "Chưa treo") != 2 {
		t.Errorf("15/12:\n%s", r)
	}
	mustContain(t, "nothing in October", e.ok("banners", "remind", "--date", "15/10/2026"), "Không có việc treo, tháo băng rôn ngày 15/10/2026")

	// The XLSX export, read back.
	out := filepath.Join(e.dir, "ke-hoach.xlsx")
	mustContain(t, "export", e.ok("banners", "export", "--campaign", "action-month/2026", "--out", out), "(3 dòng)")
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The body and the motto side by side, the person by full name.
	for ref, want := range map[string]string{"A1": "ỦY BAN NHÂN DÂN", "A2": "PHƯỜNG LƯU KIẾM", "F1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "F2": "Độc lập - Tự do - Hạnh phúc",
		"C8": "Ấp Bắc", "C9": "Đường Trần Phú", "K9": "đã treo", "C10": "Trụ sở UBND phường", "D10": "trụ sở", "F11": "6", "I8": "Đoàn Thanh niên phường"} {
		if got, _ := f.GetCellValue("Kế hoạch", ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if b, _ := f.GetCellValue("Kế hoạch", "B10"); !strings.HasPrefix(b, "Hưởng ứng") {
		t.Errorf("B10 = %q, want the list's opening slogan", b)
	}
	html := filepath.Join(e.dir, "ke-hoach.html")
	e.ok("banners", "export", "--campaign", "action-month/2026", "--format", "html", "--out", html)
	mustContain(t, "html", string(must(os.ReadFile(html))), "KẾ HOẠCH TREO BĂNG RÔN, KHẨU HIỆU", "Lãnh đạo duyệt", "Ấp Bắc")
}

func TestSloganImport(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	file := filepath.Join(e.dir, "khau-hieu.txt")
	os.WriteFile(file, []byte("Nhóm 1:\n1. Phụ nữ Việt Nam tự tin, tự trọng, trung hậu, đảm đang\n2. phụ nữ việt nam tự tin,  tự trọng, trung hậu, đảm đang!\n"+
		"3. Bình đẳng giới vì sự phát triển bền vững\n"), 0o600)
	out := e.ok("slogans", "import", file, "--campaign", "vn-womens-day/2026", "--document", "CV 123/UBND-VHXH")
	mustContain(t, "import", out, "Đã thêm 3 khẩu hiệu vào danh sách vn-womens-day/2026 (1 câu trùng được gộp)")
	list := e.ok("slogans", "list", "--campaign", "vn-womens-day/2026")
	mustContain(t, "list", list, "Theo CV 123/UBND-VHXH:", "  1. Hưởng ứng Ngày Phụ nữ Việt Nam năm 2026", "  Nhóm 1", "  2. Phụ nữ Việt Nam tự tin", "  3. Bình đẳng giới")
	// Importing again adds nothing; the opening is not repeated.
	mustContain(t, "again", e.ok("slogans", "import", file, "--campaign", "vn-womens-day/2026"), "Đã thêm 0 khẩu hiệu")
	bad := filepath.Join(e.dir, "sai.csv")
	os.WriteFile(bad, []byte("nhom,khau_hieu\nA,Céng hßa x· héi chñ nghÜa\n"), 0o600)
	if _, errs, code := e.loa("slogans", "import", bad, "--campaign", "vn-womens-day/2026"); code != exitFailure || !strings.Contains(errs, "sai.csv:2, cột khau_hieu: văn bản có vẻ là mã TCVN3") {
		t.Errorf("legacy text: %d %s", code, errs)
	}
}

type alertLog struct{ got []scheduler.Alert }

func (l *alertLog) Alert(_ context.Context, a scheduler.Alert) { l.got = append(l.got, a) }

// TestDaemonRemindsOnTheDay is what `loa serve` does at 07:00: the
// responsible person hears of their work, and staff of an overdue take-down.
func TestDaemonRemindsOnTheDay(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	e.ok("banners", "add", "--campaign", "action-month/2026", "--text", "hành động ngay hôm nay,  bình đẳng giới trong tầm tay!", "--place", "Chợ", "--who", "ban-quan-ly-cho")
	e.ok("banners", "mark", "1", "hung")
	day := time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC) // 07:00 on 17/12 in Hanoi, the day after the take-down date
	a := &app{now: func() time.Time { return day }, lang: "vi", log: slog.New(slog.DiscardHandler)}
	if err := a.loadConfigFrom(e.cfg); err != nil {
		t.Fatal(err)
	}
	db, err := a.openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var l alertLog
	a.office(db).RemindBanners(context.Background(), &l) // 07:00
	a.office(db).RemindBanners(context.Background(), &l) // again, as after a restart: nothing more
	if len(l.got) != 2 || l.got[0].To != "ban-quan-ly-cho" || l.got[1].To != "" || !strings.Contains(l.got[0].Text, "Quá hạn tháo 1 ngày: 1 băng rôn «Hành động ngay hôm nay, bình đẳng giới trong tầm tay» tại Chợ") {
		t.Errorf("alerts: %+v", l.got)
	}
	// The next day before 07:00: not yet.
	day = day.Add(23 * time.Hour)
	l.got = nil
	a.office(db).RemindBanners(context.Background(), &l)
	if len(l.got) != 0 {
		t.Errorf("reminded at 06:00: %+v", l.got)
	}
	day = day.Add(2 * time.Hour)
	a.office(db).RemindBanners(context.Background(), &l)
	if len(l.got) != 2 || !strings.Contains(l.got[0].Text, "Quá hạn tháo 2 ngày") {
		t.Errorf("18/12 at 08:00: %+v", l.got)
	}
}
