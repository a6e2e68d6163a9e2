package dashboard_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loa-ward/loa/activities"
)

// upload posts a file in a multipart form as the page's own form does.
func (c *client) uploadFile(path, field, name string, data []byte) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func TestActivitiesPage(t *testing.T) {
	w := newWard(t)
	canbo := w.client("canbo")
	form := url.Values{"kind": {"sinh-hoat-chuyen-de"}, "campaign": {"action-month/2026"}, "date": {"2026-11-20"}, "title": {"Phòng, chống bạo lực gia đình"},
		"place": {"Nhà văn hóa tổ dân phố 3"}, "unit": {"Chi hội Phụ nữ tổ 3"}, "participants": {"45"}, "women": {"38"}}
	if res := canbo.post("/activities", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	bad := url.Values{"kind": {"doi-thoai"}, "campaign": {"action-month/2026"}, "date": {"2026-11-21"}, "place": {"Hội trường"}, "unit": {"UBND"},
		"participants": {"30"}, "women": {"45"}}
	res, body := canbo.postBody("/activities", bad, sameOrigin(w))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "45 nữ nhiều hơn 30 người tham dự") || !strings.Contains(body, `value="Hội trường"`) {
		t.Errorf("a bad form: %d", res.StatusCode)
	}
	csv := "loai,ngay,chien_dich,ten,dia_diem,don_vi,so_hieu,so_luong,so_nguoi,so_nu\n" +
		"ke-hoach,05/11/2026,action-month/2026,Kế hoạch,,,178/KH-UBND,,,\n" +
		"to-roi,14/11/2026,action-month/2026,,,,,nhiều,,\n" +
		"hoi-thi,20/11/2026,action-month/2026,Hội thi,,,,,,\n"
	res, body = canbo.uploadFile("/activities/import", "file", "hoat-dong.csv", []byte(csv))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "hoat-dong.csv:3, cột so_luong") || !strings.Contains(body, "hoat-dong.csv:4, cột dia_diem") ||
		!strings.Contains(body, "hoat-dong.csv:4, cột so_nguoi") {
		t.Errorf("a bad CSV: %d\n%s", res.StatusCode, body)
	}
	rs, _ := (&activities.Registry{DB: w.db, Now: w.now}).List(context.Background(), activities.Filter{})
	if len(rs) != 1 {
		t.Fatalf("%d records after a bad CSV", len(rs))
	}
	good := strings.ReplaceAll(strings.ReplaceAll(csv, ",nhiều,", ",1.200,"), "hoi-thi,20/11/2026,action-month/2026,Hội thi,,,,,,", "hoi-thi,20/11/2026,action-month/2026,Hội thi,Nhà văn hóa,Đoàn TN,,,80,40")
	if res, body := canbo.uploadFile("/activities/import", "file", "hoat-dong.csv", []byte(good)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a good CSV: %d\n%s", res.StatusCode, body)
	}
	var pic bytes.Buffer
	_ = png.Encode(&pic, image.NewGray(image.Rect(0, 0, 16, 16)))
	if res, _ := canbo.uploadFile(fmt.Sprintf("/activities/%d/files", rs[0].ID), "file", "ảnh sinh hoạt.png", pic.Bytes()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach: %d", res.StatusCode)
	}
	_, page := canbo.get("/activities?campaign=action-month/2026")
	for _, want := range []string{"2 hoạt động trực tiếp", "125 lượt người tham dự (78 nữ, 47 nam)", "1 văn bản", "1200 tài liệu", "178/KH-UBND", "ảnh sinh hoạt.png"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	rs, _ = (&activities.Registry{DB: w.db, Now: w.now}).List(context.Background(), activities.Filter{ID: rs[0].ID})
	if res, body := w.client("lanhdao").get(fmt.Sprintf("/activities/files/%d", rs[0].Files[0].ID)); res.StatusCode != http.StatusOK || body != pic.String() {
		t.Errorf("a leader downloads the photo: %d", res.StatusCode)
	}
	if _, page := w.client("lanhdao").get("/activities"); strings.Contains(page, `action="/activities/import"`) {
		t.Error("a leader is offered the import")
	}
}

func TestActivitiesPageInTheBrowser(t *testing.T) {
	ctx := browser(t)
	dir := screenshots(t)
	w := newWard(t)
	canbo := w.client("canbo")
	canbo.post("/activities", url.Values{"kind": {"le-phat-dong"}, "campaign": {"action-month/2026"}, "date": {"2026-11-15"}, "title": {"Lễ phát động Tháng hành động"},
		"place": {"Hội trường UBND phường"}, "unit": {"UBND phường"}, "participants": {"500"}, "women": {"310"}})
	err := do(ctx,
		signIn(w.srv.URL, "canbo"),
		chromedp.Navigate(w.srv.URL+"/activities"),
		waitText(`#totals`, "500 lượt người"),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=place]`), "Nhà văn hóa tổ 5"),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=unit]`), "Chi đoàn tổ 5"),
		chromedp.SetValue(chromedp.CSS(`#add select[name=kind]`), "hoi-thi"),
		chromedp.SetValue(chromedp.CSS(`#add input[name=date]`), "2026-11-22"),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=participants]`), "60"),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=women]`), "35"),
		chromedp.Click(chromedp.CSS(`#add button.primary`)),
		waitText(`#totals`, "560 lượt người"),
		shot(dir, "20-activities"),
		chromedp.Navigate(w.srv.URL+"/reports?campaign=action-month/2026"),
		waitText(`#figures`, "560"),
		shot(dir, "21-reports"),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// TestReportsPage: the officer writes a report's narrative and number; the
// documents carry them with the figures; a leader reads it but saves nothing.
func TestReportsPage(t *testing.T) {
	w := newWard(t)
	canbo := w.client("canbo")
	res, page := canbo.get("/reports?campaign=action-month/2026")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Kết quả thực hiện tháng hành động") || !strings.Contains(page, "Ngày Quốc tế xóa bỏ bạo lực") {
		t.Fatalf("reports page: %d", res.StatusCode)
	}
	form := url.Values{"campaign": {"action-month/2026"}, "number": {"215/BC-UBND"}, "date": {"2026-12-18"}, "subject": {"Kết quả thực hiện Tháng hành động năm 2026"},
		"strengths": {"Các tổ dân phố tham gia đầy đủ."}, "authority": {"TM. ỦY BAN NHÂN DÂN"}, "deputy": {"KT. CHỦ TỊCH"}, "signer_title": {"PHÓ CHỦ TỊCH"},
		"signer_name": {"Trần Văn Hùng"}, "recipients": {"Sở Nội vụ thành phố;\nLưu: VT, VH-XH."}}
	if res := canbo.post("/reports", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	res, body := canbo.get("/reports/file?campaign=action-month/2026&format=html")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("html: %d", res.StatusCode)
	}
	for _, want := range []string{"Số: 215/BC-UBND", "Lưu Kiếm, ngày 18 tháng 12 năm 2026", "Các tổ dân phố tham gia đầy đủ.", "Trần Văn Hùng", "- Lưu: VT, VH-XH.", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"} {
		if !strings.Contains(body, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	for _, format := range []string{"docx", "xlsx", "csv"} {
		res, body := canbo.get("/reports/file?campaign=action-month/2026&format=" + format + "&doc_lang=en")
		if res.StatusCode != http.StatusOK || len(body) < 100 || !strings.Contains(res.Header.Get("Content-Disposition"), "bao-cao-action-month-2026-en."+format) {
			t.Errorf("%s: %d %q", format, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
	}
	if _, page := w.client("lanhdao").get("/reports?campaign=action-month/2026"); strings.Contains(page, `<button class="primary">`) && strings.Contains(page, `action="/reports"`) && strings.Contains(page, ">Lưu<") {
		t.Error("a leader is offered to save the report")
	}
}
