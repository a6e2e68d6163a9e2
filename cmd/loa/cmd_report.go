package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/store"
)

func (a *app) reportCommand() *cobra.Command {
	var year int
	var format, out, campaign string
	cmd := &cobra.Command{
		Use:   "report [--year Y | --campaign C] [--format text|xlsx|html] [--out FILE]",
		Short: "Báo cáo kết quả năm theo chiến dịch / the year's report by campaign",
		Long: `Theo từng chiến dịch: tin đã duyệt, tin đến người dân và lỗi theo kênh, bài đăng nhóm Zalo, buổi phát thanh và số phút, băng rôn đã treo.
Per campaign: messages approved, deliveries and failures per channel, Zalo group posts, radio slots aired and their minutes, banners hung.

--campaign C (ví dụ action-month/2026): kết quả một chiến dịch theo cách báo cáo cấp trên, gồm cả các ngày lễ nằm trong thời gian của nó (25/11 trong Tháng hành động).
--campaign C (e.g. action-month/2026): one campaign's results as superiors count them, with the observances inside its window (25/11 in the Action Month).`,
		Args: args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if campaign != "" {
				if format != "text" {
					return usagef("--campaign chỉ có dạng text lúc này", "--campaign has only the text format for now")
				}
				c, err := a.campaignFlag(cmd.Context(), db, campaign)
				if err != nil {
					return err
				}
				f, err := a.office(db).CampaignFigures(cmd.Context(), c, a.radio(db).Airtime)
				if err != nil {
					return err
				}
				return f.WriteText(a.stdout, "KẾT QUẢ "+strings.ToUpper(c.Name)+" — "+a.cfg.Ward.Name)
			}
			if year == 0 {
				year = a.today().Year
			}
			rep, err := a.office(db).YearReport(cmd.Context(), year, a.radio(db).Airtime)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			switch format {
			case "text":
				if err := rep.WriteText(a.stdout); err != nil {
					return err
				}
				f, err := a.office(db).YearFigures(cmd.Context(), year, a.radio(db).Airtime)
				if err != nil {
					return err
				}
				a.printf("\n", "\n")
				return f.WriteText(a.stdout, "THEO CÁCH BÁO CÁO CẤP TRÊN, NĂM "+strconv.Itoa(year))
			case "xlsx":
				err = rep.WriteXLSX(&buf)
			case "html":
				err = rep.WriteHTML(&buf)
			default:
				return usagef("--format là text, xlsx hoặc html, không phải %q", "--format is text, xlsx or html, not %q", format)
			}
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join("data", "bao-cao-"+strconv.Itoa(year)+"."+format)
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
	cmd.Flags().StringVar(&format, "format", "text", "text, xlsx, html")
	cmd.Flags().StringVar(&out, "out", "", "tệp ghi ra / the file to write (xlsx, html)")
	return cmd
}
