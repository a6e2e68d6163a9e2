package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/store"
)

func (a *app) slogansCommand() *cobra.Command {
	cmd := group("slogans", "Danh sách khẩu hiệu hằng năm / the yearly slogan lists")
	var campaign, document string
	importCmd := &cobra.Command{
		Use:   "import FILE --campaign C --document \"CV …\"",
		Short: "Nhập danh sách khẩu hiệu từ .txt, .csv hoặc .xlsx / import a slogan list from .txt, .csv or .xlsx",
		Long: `Tệp .txt: mỗi dòng một khẩu hiệu; dòng kết thúc bằng ":" là tên nhóm. Tệp .csv, .xlsx: cột khau_hieu và (tùy chọn) nhom.
Câu trùng được gộp; danh sách mở đầu bằng câu "Hưởng ứng … năm YYYY" của chiến dịch nếu chưa có.
.txt: one slogan a line; a line ending in ":" names a group. .csv, .xlsx: columns khau_hieu and (optional) nhom.
Repeats are folded; the list opens with the campaign's "Hưởng ứng … năm YYYY" line when it lacks one.`,
		Args: args(1, "FILE"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			c, err := a.campaignFlag(cmd.Context(), db, campaign)
			if err != nil {
				return err
			}
			f, err := os.Open(argv[0])
			if err != nil {
				return err
			}
			defer f.Close()
			read, folded, errs := banner.ReadSlogans(argv[0], f)
			if err := a.refuseImport(errs); err != nil {
				return err
			}
			n, skipped, err := a.office(db).AddSlogans(cmd.Context(), a.who(), c, document, read)
			if err != nil {
				return err
			}
			a.printf("Đã thêm %d khẩu hiệu vào danh sách %s (%d câu trùng được gộp).\n", "Added %d slogans to the list of %s (%d repeats folded).\n",
				n, campaign, folded+skipped)
			return nil
		}),
	}
	importCmd.Flags().StringVar(&document, "document", "", "văn bản hướng dẫn / the issuing document, e.g. \"CV 8935/BNV-CTTN&BĐG\"")
	list := &cobra.Command{
		Use:   "list --campaign C",
		Short: "In danh sách khẩu hiệu / print a slogan list",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			c, err := a.campaignFlag(cmd.Context(), db, campaign)
			if err != nil {
				return err
			}
			ss, err := a.office(db).Slogans(cmd.Context(), c)
			if err != nil {
				return err
			}
			if len(ss) == 0 {
				a.printf("Chưa có danh sách khẩu hiệu cho %s.\n", "No slogan list for %s yet.\n", campaign)
				return nil
			}
			doc, grp := "", ""
			for i, s := range ss {
				if s.Document != doc && s.Document != "" {
					doc = s.Document
					a.printf("Theo %s:\n", "Per %s:\n", doc)
				}
				if s.Group != grp {
					grp = s.Group
					fmt.Fprintf(a.stdout, "  %s\n", grp)
				}
				fmt.Fprintf(a.stdout, "%3d. %s\n", i+1, s.Text)
			}
			return nil
		}),
	}
	for _, c := range []*cobra.Command{importCmd, list} {
		c.Flags().StringVar(&campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	}
	cmd.AddCommand(importCmd, list)
	return cmd
}
