package dashboard

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/report"
)

// The Reports page: the report that goes up, for a campaign (with the
// observances inside its window) or a year. The officer writes its
// narrative, number and signer here; the figures are counted each time;
// the document downloads as DOCX, printable A4, PDF, the XLSX annex, CSV.

type reportsData struct {
	Scope     office.ReportScope
	Query     string // "campaign=…" or "year=…", for the links
	Campaigns []editorial.CampaignSummary
	Draft     report.Draft
	Figures   report.Figures
	MayPlan   bool
	PDF       bool // chromium is here to print PDF
	Saved     bool
}

// reportScope reads ?campaign=action-month/2026 or ?year=2026 (this year by default).
func (d *Dashboard) reportScope(q *request) (office.ReportScope, string, error) {
	v := q.r.URL.Query()
	if q.r.Method == http.MethodPost {
		v = q.r.PostForm
	}
	if key := v.Get("campaign"); key != "" {
		c, err := d.cfg.Desk.Campaign(q.ctx(), key)
		if err != nil {
			return office.ReportScope{}, "", err
		}
		return office.ReportScope{Campaign: c, Year: c.Year}, "campaign=" + url.QueryEscape(key), nil
	}
	year := content.DateOf(d.now()).Year
	if y, err := strconv.Atoi(v.Get("year")); err == nil && y > 2000 && y < 2100 {
		year = y
	}
	return office.ReportScope{Year: year}, "year=" + strconv.Itoa(year), nil
}

func (d *Dashboard) reports(q *request) {
	s, query, err := d.reportScope(q)
	if err != nil {
		d.fail(q, err)
		return
	}
	data := reportsData{Scope: s, Query: query, MayPlan: q.actor().MayPlan(), PDF: report.FindChromium() != "", Saved: q.r.URL.Query().Get("saved") == "1"}
	if data.Campaigns, err = d.cfg.Desk.Campaigns(q.ctx(), s.Year); err != nil {
		d.fail(q, err)
		return
	}
	if data.Draft, err = d.cfg.Office.ReportDraft(q.ctx(), s); err != nil {
		d.fail(q, err)
		return
	}
	if s.Campaign.ID != 0 {
		data.Figures, err = d.cfg.Office.CampaignFigures(q.ctx(), s.Campaign, d.cfg.Radio.Airtime)
	} else {
		data.Figures, err = d.cfg.Office.YearFigures(q.ctx(), s.Year, d.cfg.Radio.Airtime)
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	d.render(q, http.StatusOK, "reports", "reports", word(q.lang, "reports"), data)
}

// saveReport keeps the officer's parts of a report.
func (d *Dashboard) saveReport(q *request) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 256<<10)
	if err := q.r.ParseForm(); err != nil {
		d.fail(q, i18n.Errorf("biểu mẫu quá lớn", "the form is too large"))
		return
	}
	s, query, err := d.reportScope(q)
	if err != nil {
		d.fail(q, err)
		return
	}
	f := q.r.PostFormValue
	dr := report.Draft{Scope: s.Key(), Number: f("number"), Subject: f("subject"),
		Text:       report.Narrative{Direction: f("direction"), Strengths: f("strengths"), Limits: f("limits"), Causes: f("causes"), Directions: f("directions")},
		Signer:     report.Signer{Authority: f("authority"), Deputy: f("deputy"), Title: f("signer_title"), Name: f("signer_name")},
		Recipients: strings.Split(f("recipients"), "\n")}
	if day := strings.TrimSpace(f("date")); day != "" {
		if dr.Date, err = content.ParseDate(day); err != nil {
			d.fail(q, i18n.Errorf("ngày %q không đúng", "the date %q is not valid", day))
			return
		}
	}
	if err := d.cfg.Office.SaveReportDraft(q.ctx(), q.actor(), dr); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/reports?"+query+"&saved=1", http.StatusSeeOther)
}

// reportFile sends the document: ?format=docx|html|pdf|xlsx|csv, &doc_lang=en for the English one.
func (d *Dashboard) reportFile(q *request) {
	s, _, err := d.reportScope(q)
	if err != nil {
		d.fail(q, err)
		return
	}
	lang := i18n.Vietnamese
	if q.r.URL.Query().Get("doc_lang") == i18n.English {
		lang = i18n.English
	}
	doc, err := d.cfg.Office.Document(q.ctx(), s, lang, d.cfg.Radio.Airtime)
	if err != nil {
		d.fail(q, err)
		return
	}
	name := fmt.Sprintf("bao-cao-%d", s.Year)
	if s.Campaign.ID != 0 {
		name = fmt.Sprintf("bao-cao-%s-%d", s.Campaign.ObservanceKey, s.Year)
	}
	if lang == i18n.English {
		name += "-en"
	}
	var buf bytes.Buffer
	switch format := q.r.URL.Query().Get("format"); format {
	case "docx":
		err = doc.WriteDOCX(&buf, d.now())
		if err == nil {
			send(q.w, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name+".docx", buf.Bytes())
		}
	case "html":
		if err = doc.WriteHTML(&buf); err == nil {
			send(q.w, "text/html; charset=utf-8", "", buf.Bytes())
		}
	case "pdf":
		if err = doc.WriteHTML(&buf); err == nil {
			var pdf []byte
			if pdf, err = report.PrintPDF(q.ctx(), report.FindChromium(), buf.Bytes()); err == nil {
				send(q.w, "application/pdf", name+".pdf", pdf)
			}
		}
	case "xlsx":
		if err = doc.WriteXLSX(&buf); err == nil {
			send(q.w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", buf.Bytes())
		}
	case "csv":
		if err = doc.WriteCSV(&buf); err == nil {
			send(q.w, "text/csv; charset=utf-8", name+".csv", buf.Bytes())
		}
	default:
		http.NotFound(q.w, q.r)
		return
	}
	if err != nil {
		d.fail(q, err)
	}
}
