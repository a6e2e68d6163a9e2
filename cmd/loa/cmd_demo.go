package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/store"
)

func (a *app) demoCommand() *cobra.Command {
	cmd := group("demo", "Dữ liệu mẫu / demo data")
	cmd.AddCommand(&cobra.Command{
		Use:   "seed",
		Short: "Nạp nội dung mẫu năm 2026 của phường Lưu Kiếm / load the 2026 demo content of phường Lưu Kiếm",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			r, err := demo.Seed(cmd.Context(), db, a.deskOver(db), a.now())
			if err != nil {
				return err
			}
			i := r.Import.Result
			a.printf("Dữ liệu mẫu %d: %d chiến dịch mới, %d tin mới (%d không đổi), %d tin đã chuyển trạng thái, %d khẩu hiệu mới.\n",
				"Demo %d: %d new campaigns, %d new messages (%d unchanged), %d moved to their state, %d new slogans.\n",
				demo.Year, len(r.Campaigns), i.Created, i.Unchanged, r.Moved, r.Slogans)
			if len(r.Skipped) > 0 {
				a.printf("Bỏ qua ngày lễ đang tắt: %s\n", "Skipped disabled observances: %s\n", strings.Join(r.Skipped, ", "))
			}
			for _, w := range r.Import.Warnings {
				a.printf("cảnh báo: %s\n", "warning: %s\n", w.Localize(a.lang))
			}
			return nil
		}),
	})
	return cmd
}
