package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestActivitiesFromTheCommandLine(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	mustContain(t, "kinds", e.ok("activities", "kinds"), "sinh-hoat-chuyen-de", "Sinh hoạt chuyên đề tại tổ dân phố, chi hội phụ nữ", "loai,ngay,chien_dich")
	mustContain(t, "add", e.ok("--as", "can-bo", "activities", "add", "--kind", "le-phat-dong", "--campaign", "action-month/2026", "--date", "15/11/2026",
		"--title", "Lễ phát động", "--place", "Hội trường UBND phường", "--unit", "UBND phường", "--participants", "500", "--women", "310"),
		"Đã ghi #1", "500 người, 310 nữ")
	if _, errs, code := e.loa("--as", "lanh-dao", "activities", "add", "--kind", "hoi-thi", "--campaign", "action-month/2026", "--date", "20/11/2026",
		"--place", "x", "--unit", "y", "--participants", "10"); code == exitOK || !strings.Contains(errs, "vai trò") {
		t.Errorf("a leader recorded an activity: %d %s", code, errs)
	}
	csv := filepath.Join(e.dir, "hoat-dong.csv")
	os.WriteFile(csv, []byte("loai,ngay,chien_dich,ten,so_hieu,so_luong\nke-hoach,05/11/2026,action-month/2026,Kế hoạch Tháng hành động,178/KH-UBND,\nto-roi,14/11/2026,action-month/2026,,,abc\n"), 0o600)
	_, errs, code := e.loa("activities", "import", csv)
	if code != exitFailure || !strings.Contains(errs, "hoat-dong.csv:3, cột so_luong: \"abc\" không phải một số") || !strings.Contains(errs, "chưa nhập gì") {
		t.Errorf("bad import: %d %s", code, errs)
	}
	os.WriteFile(csv, []byte("loai,ngay,chien_dich,ten,so_hieu,so_luong\nke-hoach,05/11/2026,action-month/2026,Kế hoạch Tháng hành động,178/KH-UBND,\nto-roi,14/11/2026,action-month/2026,,,1.200\n"), 0o600)
	mustContain(t, "import", e.ok("activities", "import", csv), "Đã nhập 2 dòng")
	photo := filepath.Join(e.dir, "anh.png")
	os.WriteFile(photo, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600)
	mustContain(t, "attach", e.ok("activities", "attach", "1", photo), "Đã đính kèm anh.png")
	mustContain(t, "list", e.ok("activities", "list", "--campaign", "action-month/2026"),
		"178/KH-UBND", "1 hoạt động trực tiếp, 500 lượt người (310 nữ, 190 nam); 1 văn bản; 1200 tài liệu; 0 tin bài.")
	mustContain(t, "english", e.ok("--lang", "en", "activities", "list", "--year", "2026"), "Launch ceremony or rally", "500 participants (310 women, 190 men)")
}
