package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
)

func (a *app) contentCommand() *cobra.Command {
	cmd := group("content", "Nội dung tin: nhập, xuất, xem, duyệt / messages: import, export, show, approve")
	cmd.AddCommand(a.importCommand(), a.exportCommand(), a.listCommand(), a.showCommand(), a.historyCommand())
	for _, t := range []struct {
		action content.Action
		vi, en string
		reason bool
		doneVI string
		doneEN string
	}{
		{content.ActSubmit, "Trình lãnh đạo duyệt", "submit for approval", false, "đã trình duyệt", "submitted"},
		{content.ActWithdraw, "Rút lại bản đã trình", "withdraw a submission", false, "đã rút về nháp", "withdrawn to draft"},
		{content.ActApprove, "Duyệt (lãnh đạo)", "approve (leader)", false, "đã duyệt", "approved"},
		{content.ActReject, "Từ chối, kèm lý do (lãnh đạo)", "reject with a reason (leader)", true, "đã từ chối", "rejected"},
		{content.ActArchive, "Lưu trữ, không gửi nữa", "archive: never send again", false, "đã lưu trữ", "archived"},
		{content.ActRestore, "Khôi phục bản lưu trữ thành nháp", "restore an archived message as a draft", false, "đã khôi phục thành nháp", "restored as a draft"},
	} {
		var reason string
		c := &cobra.Command{
			Use:   string(t.action) + " MESSAGE",
			Short: t.vi + " / " + t.en,
			Long: t.vi + " / " + t.en + ".\n\nMESSAGE: số tin, khóa tin, hoặc chiến-dịch/năm/khóa (ví dụ action-month/2026/phat-dong).\n" +
				"MESSAGE: the message id, its key, or observance/year/key.",
			Args: args(1, "MESSAGE"),
			RunE: func(cmd *cobra.Command, argv []string) error {
				if t.reason && strings.TrimSpace(reason) == "" {
					return usagef("cần --reason: lý do từ chối để người soạn sửa", "--reason is required: tell the author what to fix")
				}
				db, err := a.openStore(cmd.Context())
				if err != nil {
					return err
				}
				defer db.Close()
				desk := a.deskOver(db)
				m, err := desk.Transition(cmd.Context(), a.who(), argv[0], t.action, reason)
				if err != nil {
					return err
				}
				a.printf("Tin #%d %s (%s): %s, phiên bản %d.\n", "Message #%d %s (%s): %s, version %d.\n",
					m.ID, m.Key, m.Campaign, a.pick(t.doneVI, t.doneEN), m.Version)
				return nil
			},
		}
		if t.reason {
			c.Flags().StringVar(&reason, "reason", "", "lý do / reason")
		}
		cmd.AddCommand(c)
	}
	return cmd
}

func (a *app) importCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import DIR",
		Short: "Nhập các tệp Markdown (tất cả hoặc không gì cả) / import Markdown files, all or nothing",
		Args:  args(1, "DIR"),
		RunE: func(cmd *cobra.Command, argv []string) error {
			dir := argv[0]
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return content.Errorf("%s không phải là thư mục", "%s is not a directory", dir)
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			desk := a.deskOver(db)
			rep, err := desk.Import(cmd.Context(), os.DirFS(dir), dir, a.who().Name, a.now())
			if err != nil {
				return err
			}
			return a.reportImport(rep)
		},
	}
}

func (a *app) reportImport(rep editorial.ImportReport) error {
	for _, w := range rep.Warnings {
		fmt.Fprintln(a.stderr, a.t("cảnh báo: ", "warning: ")+w.Localize(a.lang))
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(a.stderr, e.Localize(a.lang))
	}
	if len(rep.Errors) > 0 {
		return content.Errorf("%d lỗi trong %d tệp; chưa nhập gì", "%d errors in %d files; nothing was imported", len(rep.Errors), rep.Files)
	}
	if rep.Files == 0 {
		return content.Errorf("không có tệp .md nào", "no .md files found")
	}
	r := rep.Result
	a.printf("Đã nhập %d tệp: %d tin mới, %d tin có phiên bản mới, %d không đổi, %d chiến dịch mới.\n",
		"Imported %d files: %d new messages, %d new versions, %d unchanged, %d new campaigns.\n",
		rep.Files, r.Created, r.Updated, r.Unchanged, r.Campaigns)
	return nil
}

func (a *app) exportCommand() *cobra.Command {
	var year int
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Xuất tin ra tệp Markdown / export messages as Markdown files",
		Args:  args(1, "DIR"),
		RunE: a.withDesk(func(cmd *cobra.Command, argv []string, desk *editorial.Desk) error {
			n, err := desk.Export(cmd.Context(), argv[0], year)
			if err != nil {
				return err
			}
			a.printf("Đã xuất %d tin vào %s.\n", "Exported %d messages to %s.\n", n, argv[0])
			return nil
		}),
	}
	cmd.Flags().IntVar(&year, "year", 0, "chỉ năm này / only this year")
	return cmd
}

func (a *app) listCommand() *cobra.Command {
	var f content.MessageFilter
	var state, campaign string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê tin / list messages",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if state != "" {
				names := make([]string, len(content.States))
				for i, s := range content.States {
					names[i] = string(s)
				}
				parsed, ok := i18n.Parse("message", state, names)
				if !ok {
					return usagef("--state phải là một trong: nháp, chờ duyệt, đã duyệt, bị từ chối, lưu trữ (hoặc draft, submitted, approved, rejected, archived)",
						"--state must be one of draft, submitted, approved, rejected, archived")
				}
				f.State = content.State(parsed)
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			ms, err := a.deskOver(db).Messages(cmd.Context(), f)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("SỐ\tCHIẾN DỊCH\tKHÓA\tTRẠNG THÁI\tBẢN\tTIÊU ĐỀ", "ID\tCAMPAIGN\tKEY\tSTATE\tVERSION\tTITLE"))
			n := 0
			for _, m := range ms {
				if campaign != "" && m.Campaign != campaign {
					continue
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", m.ID, m.Campaign, m.Key, m.State.Label(a.lang), m.Version, m.Title)
				n++
			}
			tw.Flush()
			a.printf("%d tin.\n", "%d messages.\n", n)
			return nil
		},
	}
	cmd.Flags().IntVar(&f.Year, "year", 0, "chỉ năm này / only this year")
	cmd.Flags().StringVar(&campaign, "campaign", "", "chỉ chiến dịch này, ví dụ action-month/2026 / only this campaign")
	cmd.Flags().StringVar(&state, "state", "", "chỉ trạng thái này / only this state")
	return cmd
}
