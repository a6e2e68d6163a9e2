package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

func (a *app) scheduleCommand() *cobra.Command {
	cmd := group("schedule", "Lịch gửi / schedules")
	var f struct {
		campaign, messages, cron, at, rotation, channels, audience, quiet, mode string
		force                                                                   bool
		grace                                                                   time.Duration
	}
	add := &cobra.Command{
		Use:   "add --campaign C --message KEY (--cron SPEC | --at TIME | --rotation SPEC) --channels LIST",
		Short: "Thêm lịch gửi / add a schedule",
		Long: `Thêm lịch gửi / add a schedule.

  --cron "0 19 * * MON"       mỗi tối thứ Hai trong cửa sổ chiến dịch / every Monday evening in the campaign window
  --at "D-3 08:00"            3 ngày trước ngày lễ / three days before the observance
  --at "2026-11-25 07:30"     một thời điểm / a fixed time
  --rotation "30 5 * * *" --message a,b,c   luân phiên các tin / the messages in turn`,
		Args: args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc := scheduler.Schedule{Audience: f.audience, Quiet: f.quiet, Grace: f.grace, Mode: f.mode}
			set := 0
			if f.cron != "" {
				sc.Kind, sc.Spec, set = scheduler.KindCron, f.cron, set+1
			}
			if f.rotation != "" {
				sc.Kind, sc.Spec, set = scheduler.KindRotation, f.rotation, set+1
			}
			if f.at != "" {
				sc.Kind, sc.Spec, set = scheduler.KindAt, f.at, set+1
				if strings.HasPrefix(strings.TrimSpace(f.at), "D") {
					sc.Kind = scheduler.KindRelative
				}
			}
			if set != 1 {
				return usagef("cần đúng một trong --cron, --at, --rotation", "give exactly one of --cron, --at, --rotation")
			}
			for _, ch := range strings.Split(f.channels, ",") {
				if ch = strings.TrimSpace(ch); ch != "" {
					sc.Channels = append(sc.Channels, content.ParseChannel(ch))
				}
			}
			if _, err := campaignRef(f.campaign); err != nil {
				return err
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			desk := a.deskOver(db)
			id, err := desk.AddSchedule(cmd.Context(), a.who(), editorial.ScheduleRequest{Campaign: f.campaign, Keys: strings.Split(f.messages, ","), Schedule: sc, Force: f.force})
			var se *editorial.ScheduleError
			if errors.As(err, &se) {
				return usageError{se.Problems[0]}
			}
			if err != nil {
				return err
			}
			a.printf("Đã thêm lịch #%d. Xem trước: loa plan\n", "Added schedule #%d. Preview: loa plan\n", id)
			return nil
		},
	}
	fl := add.Flags()
	fl.StringVar(&f.campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	fl.StringVar(&f.messages, "message", "", "khóa tin (nhiều tin cách nhau dấu phẩy cho --rotation) / message key(s)")
	fl.StringVar(&f.cron, "cron", "", "biểu thức cron / cron expression")
	fl.StringVar(&f.at, "at", "", `"D-3 08:00" hoặc/or "2026-11-25 07:30"`)
	fl.StringVar(&f.rotation, "rotation", "", "cron cho luân phiên / cron for a rotation")
	fl.StringVar(&f.channels, "channels", "", "telegram,zalo,loudspeaker,banner")
	fl.StringVar(&f.audience, "audience", "all", "all | topic:T | chats:A,B | to:NAME")
	fl.StringVar(&f.quiet, "quiet", "", "giờ không gửi / quiet hours, e.g. 22:00-06:00")
	fl.BoolVar(&f.force, "force", false, "cho phép gửi tới người dân hơn một lần mỗi giờ / allow writing to residents more than hourly")
	fl.StringVar(&f.mode, "mode", "", "Zalo: promotion (mặc định / default), cs (người đã nhắn OA trong 7 ngày / followers who wrote within 7 days), zns:<template id> (theo số điện thoại / by phone number)")
	fl.DurationVar(&f.grace, "grace", 0, "gửi muộn tối đa / how late it may still go (default scheduler.grace)")

	var year int
	list := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê lịch gửi / list schedules",
		Args:  args(0, ""),
		RunE: a.withDesk(func(cmd *cobra.Command, _ []string, desk *editorial.Desk) error {
			rows, err := desk.Schedules(cmd.Context(), year)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("SỐ\tCHIẾN DỊCH\tKIỂU\tLỊCH\tKÊNH\tNGƯỜI NHẬN\tTIN\tNGUỒN", "ID\tCAMPAIGN\tKIND\tWHEN\tCHANNELS\tAUDIENCE\tMESSAGES\tSOURCE"))
			for _, r := range rows {
				when := scheduler.Describe(r.Kind, r.Spec, a.lang)
				if when == "" {
					when = r.Spec
				}
				if r.Quiet != "" {
					when += " (" + a.t("im lặng ", "quiet ") + r.Quiet + ")"
				}
				var chans []string
				for _, c := range r.Channels {
					chans = append(chans, a.channel(c))
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Campaign, i18n.Label("schedule", string(r.Kind), a.lang), when,
					strings.Join(chans, ", "), scheduler.DescribeAudience(r.Audience, a.lang), strings.Join(r.MessageKeys, ", "), i18n.Label("source", r.Source, a.lang))
			}
			return tw.Flush()
		}),
	}
	list.Flags().IntVar(&year, "year", 0, "chỉ năm này / only this year")
	remove := &cobra.Command{
		Use:   "remove ID",
		Short: "Bỏ lịch gửi (hủy các lượt chưa chạy) / remove a schedule (its runs not yet started are cancelled)",
		Args:  args(1, "ID"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, _ []string, db *store.DB) error {
			n, err := a.deskOver(db).RemoveSchedule(cmd.Context(), a.who(), id)
			if err != nil {
				return err
			}
			a.printf("Đã bỏ lịch #%d; %d lượt chưa chạy đã hủy.\n", "Removed schedule #%d; %d runs not yet started were cancelled.\n", id, n)
			return nil
		}),
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}
