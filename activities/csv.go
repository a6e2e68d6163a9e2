package activities

import (
	"io"
	"strconv"
	"strings"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// ReadCSV reads records from a CSV with a header of Columns (loai, ngay,
// chien_dich are required; the others as the kind needs them). It returns
// every problem with its row and column, and with any problem the caller
// saves nothing. Campaigns are given as "action-month/2026".
func ReadCSV(name string, r io.Reader, today content.Date) ([]Record, []error) {
	t, errs := content.OpenTable(name, r, "loai", "ngay", "chien_dich")
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Record
	errs = t.Each(func(_ int, at func(string, error)) {
		var err error
		rec := Record{Kind: t.Get("loai"), Campaign: t.Get("chien_dich"), Title: t.Get("ten"), Place: t.Get("dia_diem"), Unit: t.Get("don_vi"),
			Number: t.Get("so_hieu"), Link: t.Get("lien_ket"), Notes: t.Get("ghi_chu")}
		if d := t.Get("ngay"); d != "" {
			if rec.Date, err = content.ParseVietnameseDate(d); err != nil {
				at("ngay", i18n.Errorf("%q không phải ngày (ví dụ 25/11/2026)", "%q is not a date (e.g. 25/11/2026)", d))
				rec.Date = today // checked as given no further
			}
		}
		if _, _, ok := strings.Cut(rec.Campaign, "/"); !ok {
			at("chien_dich", i18n.Errorf("%q không phải chiến dịch (ví dụ action-month/2026)", "%q is not a campaign (e.g. action-month/2026)", rec.Campaign))
		}
		for _, n := range []struct {
			col string
			dst *int
		}{{"so_luong", &rec.Count}, {"so_nguoi", &rec.Participants}, {"so_nu", &rec.Women}} {
			s := strings.ReplaceAll(strings.ReplaceAll(t.Get(n.col), ".", ""), " ", "") // 1.200 as written in Vietnam
			if s == "" {
				continue
			}
			v, err := strconv.Atoi(s)
			if err != nil {
				at(n.col, i18n.Errorf("%q không phải một số", "%q is not a number", t.Get(n.col)))
				continue
			}
			*n.dst = v
		}
		for _, fe := range rec.Check(today) {
			at(fe.Field, fe.Err)
		}
		out = append(out, rec)
	})
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, i18n.Errorf("%s: không có dòng nào", "%s: there are no rows", name))
	}
	return out, errs
}
