package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

func (a *app) runState(s scheduler.RunState) string { return s.Label(a.lang) }

func (a *app) deliveryState(s scheduler.DeliveryState) string { return s.Label(a.lang) }

func parseID(s, what string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s phải là một số, không phải %q", "%s must be a number, not %q", what, s)
	}
	return id, nil
}

func (a *app) deliveriesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deliveries [RUN]",
		Short: "Sổ gửi: số lượt theo trạng thái và các lỗi / the ledger: counts by state, and the failures",
		Args: func(_ *cobra.Command, argv []string) error {
			if len(argv) > 1 {
				return usagef("chỉ một lượt (RUN)", "at most one RUN")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, argv []string) error {
			var runID int64
			if len(argv) == 1 {
				var err error
				if runID, err = parseID(argv[0], "RUN"); err != nil {
					return err
				}
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			l, err := a.office(db).Ledger(cmd.Context(), runID)
			if errors.Is(err, office.ErrNoRun) {
				return content.Errorf("không có lượt %d", "there is no run %d", runID)
			}
			if err != nil {
				return err
			}
			a.printLedger(l)
			return nil
		},
	}
	var unknown, dead bool
	resend := &cobra.Command{
		Use:   "resend --unknown|--dead RUN",
		Short: "Gửi lại các lượt không rõ hoặc đã bỏ cuộc của một lượt gửi / resend a run's unknown or dead deliveries",
		Long: `--unknown: các lượt có thể đã đến nơi (mất câu trả lời, dừng đột ngột); chỉ gửi lại khi bạn chắc chắn.
--dead: các lượt đã thử hết số lần (ví dụ sau khi kênh bị gián đoạn); được thử lại từ đầu.
--unknown: deliveries that may have arrived (an answer lost, a crash); resend only when you are sure.
--dead: deliveries that used up their attempts (e.g. after an outage); tried again from the start.`,
		Args: args(1, "RUN"),
		RunE: a.withStoreID("RUN", func(cmd *cobra.Command, runID int64, _ []string, db *store.DB) error {
			var states []scheduler.DeliveryState
			if unknown {
				states = append(states, scheduler.Unknown)
			}
			if dead {
				states = append(states, scheduler.Dead)
			}
			if len(states) == 0 {
				return usagef("chọn lượt cần gửi lại: --unknown và/hoặc --dead", "say which deliveries to resend: --unknown and/or --dead")
			}
			for _, st := range states {
				n, err := a.office(db).Resend(cmd.Context(), a.who(), runID, st)
				if err != nil {
					return err
				}
				a.printf("Đã đưa %d lượt %s của lượt #%d vào hàng chờ; dịch vụ sẽ gửi lại.\n",
					"Queued %d %s deliveries of run #%d again; the daemon will send them.\n", n, a.deliveryState(st), runID)
			}
			return nil
		}),
	}
	resend.Flags().BoolVar(&unknown, "unknown", false, "các lượt không rõ / the unknown deliveries")
	resend.Flags().BoolVar(&dead, "dead", false, "các lượt đã bỏ cuộc / the dead deliveries")
	cmd.AddCommand(resend)
	return cmd
}

func (a *app) tasksCommand() *cobra.Command {
	var mine, overdue bool
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "Việc giao cho người: phát thanh, treo băng rôn, đăng nhóm Zalo / deliveries a person completes",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			tasks, err := a.office(db).Tasks(cmd.Context(), a.who(), office.TaskFilter{Mine: mine, Overdue: overdue})
			if err != nil {
				return err
			}
			a.printTasks(tasks)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&mine, "mine", false, "chỉ việc của tôi (--as) / only mine (--as)")
	cmd.Flags().BoolVar(&overdue, "overdue", false, "chỉ việc quá hạn / only overdue ones")
	var note, reason string
	var reach int
	done := &cobra.Command{
		Use:   "done ID",
		Short: "Xác nhận đã làm (đã phát, đã treo, đã đăng) / confirm a task done",
		Args:  args(1, "ID"),
		RunE: func(cmd *cobra.Command, argv []string) error {
			if reach < 0 {
				return usagef("--reach không âm", "--reach cannot be negative")
			}
			return a.completeTask(cmd, argv[0], true, note, reach)
		},
	}
	done.Flags().StringVar(&note, "note", "", "ghi chú / a note")
	done.Flags().IntVar(&reach, "reach", 0, "số người nhận được (ví dụ số thành viên nhóm Zalo) / how many people it reached")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Nội dung cần đăng, đọc hoặc treo / what to post, read or hang",
		Args:  args(1, "ID"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, _ []string, db *store.DB) error {
			d, m, err := a.office(db).Task(cmd.Context(), id)
			if errors.Is(err, office.ErrNoTask) {
				return content.Errorf("không có việc %d", "there is no task %d", id)
			}
			if err != nil {
				return err
			}
			a.printf("Việc #%d · %s → %s · giao cho %s · %s\n\n", "Task #%d · %s → %s · assigned to %s · %s\n\n",
				d.ID, a.channel(d.Channel), d.Recipient, d.Assignee, a.deliveryState(d.State))
			fmt.Fprintln(a.stdout, m.Text)
			if m.Image != "" {
				a.printf("\nẢnh kèm: %s\n", "\nPicture: %s\n", m.Image)
			}
			if d.Channel == content.Loudspeaker {
				a.printScriptFiles(a.radio(db), d)
			}
			return nil
		}),
	}
	notDone := &cobra.Command{
		Use:   "not-done ID --reason …",
		Short: "Ghi nhận không làm được, kèm lý do / record a task not done, with the reason",
		Args:  args(1, "ID"),
		RunE: func(cmd *cobra.Command, argv []string) error {
			if strings.TrimSpace(reason) == "" {
				return usagef("cần --reason", "--reason is required")
			}
			return a.completeTask(cmd, argv[0], false, reason, 0)
		},
	}
	notDone.Flags().StringVar(&reason, "reason", "", "lý do / reason")
	var isBanner, revoke bool
	var to string
	link := &cobra.Command{
		Use:   "link ID [--banner] [--to NAME] [--revoke]",
		Short: "Liên kết mở việc trên điện thoại (hoặc thu hồi) / a link that opens the task on a phone (or revoke them)",
		Long: `In liên kết mới cho người làm việc này (mỗi người một liên kết, hết hạn theo delivery.link_ttl), để gửi hoặc in.
--banner: ID là một dòng băng rôn. --revoke: mọi liên kết đã gửi của việc này thôi mở được.
Prints a new link for each person the task is theirs (one each, ending after delivery.link_ttl), to send or print.
--banner: ID is a banner line. --revoke: every link sent for this task stops working.`,
		Args: args(1, "ID"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, _ []string, db *store.DB) error {
			ctx, links := cmd.Context(), a.links(db)
			kind := field.Delivery
			if isBanner {
				kind = field.Banner
			}
			if revoke {
				n, err := links.Revoke(ctx, a.who(), kind, id)
				if err != nil {
					return err
				}
				a.printf("Đã thu hồi %d liên kết của việc #%d.\n", "Revoked %d links of task #%d.\n", n, id)
				return nil
			}
			assignee := ""
			if kind == field.Banner {
				ls, err := a.office(db).Banners(ctx, banner.Filter{ID: id})
				if err != nil {
					return err
				}
				if len(ls) == 0 {
					return content.Errorf("không có dòng băng rôn %d", "there is no banner line %d", id)
				}
				assignee = ls[0].Responsible
			} else {
				d, _, err := a.office(db).Task(ctx, id)
				if errors.Is(err, office.ErrNoTask) {
					return content.Errorf("không có việc %d", "there is no task %d", id)
				}
				if err != nil {
					return err
				}
				assignee = d.Assignee
			}
			people, err := links.Owners(ctx, assignee)
			if err != nil {
				return err
			}
			if to != "" {
				people = slices.DeleteFunc(people, func(u staff.User) bool { return u.Name != to })
			}
			if len(people) == 0 {
				return content.Errorf("việc #%d giao cho %q nhưng không có tài khoản nào nhận (tạo bằng loa user add)",
					"task #%d is assigned to %q but no account takes it (create one with loa user add)", id, assignee)
			}
			for _, u := range people {
				l, err := links.Issue(ctx, a.who(), kind, id, u)
				if err != nil {
					return err
				}
				a.printf("%s (%s), đến %s:\n  %s\n", "%s (%s), until %s:\n  %s\n", u.FullName, u.Name, localTime(l.Expires), l.URL)
			}
			return nil
		}),
	}
	link.Flags().BoolVar(&isBanner, "banner", false, "ID là một dòng băng rôn / ID is a banner line")
	link.Flags().BoolVar(&revoke, "revoke", false, "thu hồi mọi liên kết của việc / revoke the task's links")
	link.Flags().StringVar(&to, "to", "", "chỉ cho người này / only for this person")
	cmd.AddCommand(show, done, notDone, link)
	return cmd
}

func (a *app) completeTask(cmd *cobra.Command, ref string, done bool, note string, reach int) error {
	id, err := parseID(ref, "ID")
	if err != nil {
		return err
	}
	db, err := a.openStore(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := a.office(db).Confirm(cmd.Context(), a.who(), id, office.Confirmation{Done: done, Note: note, Reach: reach})
	if err != nil {
		return err
	}
	a.printf("Việc #%d (%s, %s): %s, ghi nhận bởi %s.\n", "Task #%d (%s, %s): %s, recorded by %s.\n",
		d.ID, d.Channel, d.MessageKey, a.deliveryState(d.State), d.ConfirmedBy)
	return nil
}

func (a *app) printLedger(l office.Ledger) {
	if r := l.Run; r != nil {
		a.printf("Lượt #%d: %s v%d lúc %s · %s\n", "Run #%d: %s v%d at %s · %s\n", r.ID, r.MessageKey, r.Version, localTime(r.DueAt), a.runState(r.State))
		if r.Note != "" {
			fmt.Fprintln(a.stdout, "  "+r.Note)
		}
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, a.t("KÊNH\tTRẠNG THÁI\tSỐ LƯỢT", "CHANNEL\tSTATE\tCOUNT"))
	for _, ch := range content.Channels {
		for _, st := range scheduler.DeliveryStates {
			if n := l.Counts[ch][st]; n > 0 {
				fmt.Fprintf(tw, "%s\t%s\t%d\n", a.channel(ch), a.deliveryState(st), n)
			}
		}
	}
	for _, st := range banner.States() {
		if n := l.Banners[st]; n > 0 {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", a.t("băng rôn (kế hoạch)", "banner (plan)"), st.Label(a.lang), n)
		}
	}
	tw.Flush()
	for _, ch := range content.Channels {
		if n := l.Reach[ch]; n > 0 {
			a.printf("Qua người chuyển tiếp (nhóm Zalo, loa, băng rôn), %s đến thêm khoảng %d người.\n",
				"Through people (Zalo groups, radio, banners), %s reached about %d more people.\n", a.channel(ch), n)
		}
	}
	if len(l.Problems) > 0 {
		a.printf("\nCần xem (tối đa 50):\n", "\nNeeds attention (up to 50):\n")
		tw = tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
		for _, d := range l.Problems {
			why := d.Error
			if d.State == scheduler.NotDone {
				why = d.Note
			}
			fmt.Fprintf(tw, "#%d\t%s\t%s\t%s\t%s\n", d.ID, a.channel(d.Channel), d.Recipient, a.deliveryState(d.State), why)
		}
		tw.Flush()
	}
}

func (a *app) printTasks(t office.Tasks) {
	if len(t.Deliveries) == 0 && len(t.Banners) == 0 {
		a.printf("Không có việc nào đang chờ.\n", "No tasks waiting.\n")
		return
	}
	if len(t.Deliveries) > 0 {
		tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, a.t("SỐ\tLÚC\tKÊNH\tGIAO CHO\tTIN\t", "ID\tAT\tCHANNEL\tASSIGNED TO\tMESSAGE\t"))
		for _, d := range t.Deliveries {
			flag := ""
			if d.Overdue {
				flag = a.t("QUÁ HẠN", "OVERDUE")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s — %s\t%s\n", d.ID, localTime(d.DueAt), a.channel(d.Channel), d.Assignee, d.MessageKey, d.Title, flag)
		}
		tw.Flush()
		a.printf("Xác nhận: loa tasks done SỐ [--note …] hoặc loa tasks not-done SỐ --reason …\n",
			"Confirm with: loa tasks done ID [--note …] or loa tasks not-done ID --reason …\n")
		a.printf("Liên kết mở việc trên điện thoại: loa tasks link SỐ\n", "A link that opens a task on a phone: loa tasks link ID\n")
	}
	if len(t.Banners) > 0 {
		a.printf("\nBăng rôn hôm nay (ghi nhận: loa banners mark SỐ hung|removed):\n", "\nBanners today (record with: loa banners mark ID hung|removed):\n")
		for _, r := range t.Banners {
			fmt.Fprintf(a.stdout, "  #%d → %s: %s\n", r.Line.ID, r.Line.Responsible, r.Text())
		}
	}
}

// channel names a channel as the office says it: "Zalo", "Telegram", "loa",
// "băng rôn"; in English by its key.
func (a *app) channel(ch content.Channel) string { return ch.Label(a.lang) }
