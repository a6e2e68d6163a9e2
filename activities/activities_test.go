package activities_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// 16/12/2026, the day after the Action Month.
var now = time.Date(2026, 12, 16, 2, 0, 0, 0, time.UTC)

var officer = staff.Actor{Name: "canbo", Role: staff.Officer, Desk: staff.CLI}

func newRegistry(t *testing.T) (*activities.Registry, *store.DB) {
	t.Helper()
	db := storetest.Open(t, now)
	desk := &editorial.Desk{DB: db, Ward: "phường Lưu Kiếm", Calendar: content.Builtin(),
		Hotlines: map[string]string{"bao_ve_tre_em": "111", "cong_an": "113", "hoi_phu_nu": "0225 3 841 234"}, Pace: 200, MaxReading: 5 * time.Minute,
		Now: func() time.Time { return now }}
	if _, err := demo.Seed(context.Background(), db, desk, now); err != nil {
		t.Fatal(err)
	}
	return &activities.Registry{DB: db, Now: func() time.Time { return now }}, db
}

const goodCSV = "\ufeffloai,ngay,chien_dich,ten,dia_diem,don_vi,so_hieu,so_luong,so_nguoi,so_nu,lien_ket,ghi_chu\n" +
	"le-phat-dong,15/11/2026,action-month/2026,Lễ phát động Tháng hành động,Hội trường UBND phường,UBND phường,,,500,310,,\n" +
	"sinh-hoat-chuyen-de,20/11/2026,action-month/2026,\"Phòng, chống bạo lực gia đình\",Nhà văn hóa tổ dân phố 3,Chi hội Phụ nữ tổ 3,,,45,38,,\n" +
	"ke-hoach,05/11/2026,action-month/2026,Kế hoạch tổ chức Tháng hành động,,,178/KH-UBND,,,,,\n" +
	"to-roi,14/11/2026,action-month/2026,,,,,1.200,,,,in 1.200 tờ gấp\n" +
	"bai-cong-thong-tin,25/11/2026,evaw-day/2026,,,,,3,,,https://luukiem.haiphong.gov.vn/tin-tuc,\n"

func TestImportCountsAsReportsDo(t *testing.T) {
	g, _ := newRegistry(t)
	ctx := context.Background()
	n, errs := g.Import(ctx, officer, "hoat-dong.csv", strings.NewReader(goodCSV))
	if len(errs) > 0 || n != 5 {
		t.Fatalf("import: %d %v", n, errs)
	}
	rs, err := g.List(ctx, activities.Filter{Year: 2026})
	if err != nil || len(rs) != 5 {
		t.Fatalf("list: %d %v", len(rs), err)
	}
	s := activities.Sum(rs)
	if s.Sessions != 2 || s.Participants != 545 || s.Women != 348 || s.Men() != 197 || s.Documents != 1 || s.Materials != 1200 || s.Articles != 3 {
		t.Errorf("summary: %+v", s)
	}
	if rs[0].Kind != "ke-hoach" || rs[0].Number != "178/KH-UBND" || rs[0].Campaign != "action-month/2026" {
		t.Errorf("first by date: %+v", rs[0])
	}
	if got := rs[len(rs)-1]; got.Campaign != "evaw-day/2026" || got.Link == "" {
		t.Errorf("article: %+v", got)
	}
	if l := rs[1].KindLabel("vi"); l != "Tờ rơi, tờ gấp" {
		t.Errorf("label %q", l)
	}
}

// TestBadCSVReportsEveryProblemAndImportsNothing names each problem by row
// and column, in Vietnamese and English, and saves none of the rows.
func TestBadCSVReportsEveryProblemAndImportsNothing(t *testing.T) {
	g, _ := newRegistry(t)
	ctx := context.Background()
	bad := "loai,ngay,chien_dich,ten,dia_diem,don_vi,so_hieu,so_luong,so_nguoi,so_nu,lien_ket\n" +
		"le-phat-dong,15/11/2026,action-month/2026,Lễ phát động,Hội trường,UBND phường,,,500,310,\n" + // good
		"hop-mat,15/11/2026,action-month/2026,,,,,,,,\n" + // row 3: no such kind
		"hoi-thi,31/11/2026,action-month/2026,Hội thi,Nhà văn hóa,Đoàn TN,,,80,40,\n" + // row 4: no such date
		"doi-thoai,20/11/2026,action-month/2026,Đối thoại,,,,,30,45,\n" + // row 5: no place, unit; more women than people
		"ke-hoach,05/11/2026,action-month/2026,,,,,,,,\n" + // row 6: no number, no title
		"to-roi,14/11/2026,action-month/2026,,,,,nhiều,,,\n" + // row 7: count not a number
		"bai-trang-mang,25/11/2026,action-month/2025,,,,,2,,,luukiem.vn\n" + // row 8: no 2025 campaign; link not https
		"tap-huan,20/12/2026,action-month/2026,Tập huấn,Hội trường,Hội LHPN,,,40,30,\n" + // row 9: in the future
		"hoi-thi,20/11/2026,womens-day/2026,Hội thi,Nhà văn hóa,Đoàn TN,,,80,40,\n" // row 10: far from 8/3
	n, errs := g.Import(ctx, officer, "bad.csv", strings.NewReader(bad))
	if n != 0 {
		t.Errorf("imported %d", n)
	}
	var vi []string
	for _, e := range errs {
		vi = append(vi, i18n.Error(e, "vi"))
	}
	all := strings.Join(vi, "\n")
	for _, want := range []string{
		"bad.csv:3, cột loai: \"hop-mat\" không phải loại hoạt động",
		"bad.csv:4, cột ngay: \"31/11/2026\" không phải ngày",
		"bad.csv:5, cột dia_diem: cần địa điểm",
		"bad.csv:5, cột don_vi: cần đơn vị chủ trì",
		"bad.csv:5, cột so_nu: 45 nữ nhiều hơn 30 người tham dự",
		"bad.csv:6, cột so_hieu: cần số, ký hiệu văn bản",
		"bad.csv:6, cột ten: cần trích yếu văn bản",
		"bad.csv:7, cột so_luong: \"nhiều\" không phải một số",
		"bad.csv:8, cột lien_ket: \"luukiem.vn\" không phải địa chỉ trang",
		"bad.csv:8, cột chien_dich: chưa có chiến dịch action-month/2025",
		"bad.csv:9, cột ngay: 20/12/2026 là ngày chưa tới",
		"bad.csv:10, cột ngay: 20/11/2026 xa thời gian của chiến dịch womens-day/2026",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	if en := i18n.Error(errs[0], "en"); !strings.Contains(en, "bad.csv:3, column loai:") {
		t.Errorf("english: %q", en)
	}
	if rs, _ := g.List(ctx, activities.Filter{}); len(rs) != 0 {
		t.Errorf("%d records saved from a bad file", len(rs))
	}
	if _, errs := g.Import(ctx, staff.Actor{Name: "lanhdao", Role: staff.Leader}, "x.csv", strings.NewReader(goodCSV)); len(errs) != 1 || !errors.Is(errs[0], staff.ErrForbidden) {
		t.Errorf("a leader imported: %v", errs)
	}
}

// TestAttachmentsAreKeptAndBackedUp: a photo of the session and its minutes
// live in the database, so a backup holds them; other files are refused.
func TestAttachmentsAreKeptAndBackedUp(t *testing.T) {
	g, db := newRegistry(t)
	ctx := context.Background()
	r, err := g.Add(ctx, officer, activities.Record{Kind: "hoi-nghi", Campaign: "action-month/2026", Date: content.NewDate(2026, 11, 18),
		Title: "Hội nghị tuyên truyền", Place: "Hội trường UBND phường", Unit: "Phòng Văn hóa - Xã hội", Participants: 120, Women: 70})
	if err != nil {
		t.Fatal(err)
	}
	var pic bytes.Buffer
	_ = png.Encode(&pic, image.NewGray(image.Rect(0, 0, 20, 20)))
	minutes := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	if _, err := g.Attach(ctx, officer, r.ID, `C:\Users\lan\anh-hoi-nghi.png`, pic.Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Attach(ctx, officer, r.ID, "bien-ban.pdf", minutes); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Attach(ctx, officer, r.ID, "x.exe", []byte("MZ\x90\x00")); err == nil {
		t.Error("an executable was attached")
	}
	rs, _ := g.List(ctx, activities.Filter{ID: r.ID})
	if len(rs[0].Files) != 2 || rs[0].Files[0].Name != "anh-hoi-nghi.png" || rs[0].Files[1].Type != "application/pdf" {
		t.Fatalf("files: %+v", rs[0].Files)
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, dest, now); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if f, err := cp.ActivityFile(ctx, rs[0].Files[1].ID); err != nil || !bytes.Equal(f.Data, minutes) {
		t.Errorf("the backup lacks the minutes: %v", err)
	}
	if err := g.Remove(ctx, officer, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := g.File(ctx, rs[0].Files[0].ID); err == nil {
		t.Error("a removed activity's file is still there")
	}
}
