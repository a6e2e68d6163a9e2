package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/report"
	"github.com/loa-ward/loa/store"
)

func (a *app) reportCommand() *cobra.Command {
	var year int
	var format, out, campaign string
	cmd := &cobra.Command{
		Use:   "report [--year Y | --campaign C] [--format text|docx|html|pdf|xlsx|csv] [--out FILE]",
		Short: "Báo cáo kết quả (năm, hoặc một chiến dịch) / the report of the year or of one campaign",
		Long: `Báo cáo gửi cấp trên, trình bày theo Nghị định 30/2020/NĐ-CP: docx (sửa trong Word), html (in A4), pdf (cần chromium),
xlsx (phụ lục số liệu), csv (phụ lục, mở được bằng Excel). text: bảng theo chiến dịch và số liệu theo cách báo cáo.
--campaign C (ví dụ action-month/2026) gồm cả các ngày lễ nằm trong thời gian của chiến dịch (25/11 trong Tháng hành động); --year đếm mỗi việc một lần.
Phần nhận định (ưu điểm, hạn chế, nguyên nhân, phương hướng), số văn bản và người ký do cán bộ viết trên trang Báo cáo của bảng điều khiển.

The report that goes up, laid out per Decree 30/2020: docx (edit in Word), html (print on A4), pdf (needs chromium), xlsx
(the figures' annex), csv (the annex for Excel). text: the table by campaign and the figures as reported. --campaign C
includes the observances inside its window (25/11 in the Action Month); --year counts each item once. The narrative,
the number and the signer are written on the dashboard's Reports page. --lang en writes the English version.`,
		Args: args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			ctx, o := cmd.Context(), a.office(db)
			if year == 0 {
				year = a.today().Year
			}
			scope := office.ReportScope{Year: year}
			name := "bao-cao-" + strconv.Itoa(year)
			if campaign != "" {
				c, err := a.campaignFlag(ctx, db, campaign)
				if err != nil {
					return err
				}
				scope = office.ReportScope{Campaign: c, Year: c.Year}
				name = "bao-cao-" + c.ObservanceKey + "-" + strconv.Itoa(c.Year)
			}
			airtime := a.radio(db).Airtime
			if format == "text" {
				if campaign == "" {
					rep, err := o.YearReport(ctx, year, airtime)
					if err != nil {
						return err
					}
					if err := rep.WriteText(a.stdout, a.lang, a.campaignName); err != nil {
						return err
					}
					a.printf("\n", "\n")
				}
				f, err := figuresOf(cmd, o, scope, airtime)
				if err != nil {
					return err
				}
				title := a.t("THEO CÁCH BÁO CÁO CẤP TRÊN, NĂM %d", "AS REPORTED UPWARDS, %d", year)
				if campaign != "" {
					title = a.t("KẾT QUẢ %s — %s", "RESULTS OF THE %s — %s", strings.ToUpper(a.campaignName(scope.Campaign)), a.cfg.Ward.Name)
				}
				return f.WriteText(a.stdout, title, a.lang, a.campaignName)
			}
			doc, err := o.Document(ctx, scope, a.lang, airtime)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			switch format {
			case "docx":
				err = doc.WriteDOCX(&buf, a.now())
			case "html":
				err = doc.WriteHTML(&buf)
			case "pdf":
				var page bytes.Buffer
				if err = doc.WriteHTML(&page); err == nil {
					var pdf []byte
					pdf, err = report.PrintPDF(ctx, report.FindChromium(), page.Bytes())
					buf.Write(pdf)
				}
			case "xlsx":
				err = doc.WriteXLSX(&buf)
			case "csv":
				err = doc.WriteCSV(&buf)
			default:
				return usagef("--format là text, docx, html, pdf, xlsx hoặc csv, không phải %q", "--format is text, docx, html, pdf, xlsx or csv, not %q", format)
			}
			if err != nil {
				return err
			}
			if out == "" {
				suffix := ""
				if a.lang == "en" {
					suffix = "-en"
				}
				out = filepath.Join("data", name+suffix+"."+format)
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o640); err != nil {
				return err
			}
			a.printf("Đã ghi %s.\n", "Wrote %s.\n", out)
			return nil
		}),
	}
	cmd.Flags().IntVar(&year, "year", 0, "năm / year (default this year)")
	cmd.Flags().StringVar(&campaign, "campaign", "", "một chiến dịch / one campaign, e.g. action-month/2026")
	cmd.Flags().StringVar(&format, "format", "text", "text, docx, html, pdf, xlsx, csv")
	cmd.Flags().StringVar(&out, "out", "", "tệp ghi ra / the file to write")
	return cmd
}

func figuresOf(cmd *cobra.Command, o *office.Office, s office.ReportScope, airtime func(title, script string) float64) (report.Figures, error) {
	if s.Campaign.ID != 0 {
		return o.CampaignFigures(cmd.Context(), s.Campaign, airtime)
	}
	return o.YearFigures(cmd.Context(), s.Year, airtime)
}
