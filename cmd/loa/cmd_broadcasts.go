package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/loudspeaker"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/store"
)

func (a *app) broadcastsCommand() *cobra.Command {
	var date string
	var week, audio bool
	cmd := &cobra.Command{
		Use:   "broadcasts [--date dd/mm/yyyy] [--week] [--audio]",
		Short: "Lịch phát thanh, kịch bản và âm thanh cho đài truyền thanh / the radio rota, scripts and audio",
		Long: `In lịch phát thanh với trạng thái, và ghi cho mỗi ngày vào loudspeaker.dir/YYYY-MM-DD/:
kịch bản in A4 (.html), bản chữ (.txt), bảng ngày (lich.html, lich.csv) và, với --audio, âm thanh (.wav, .mp3).
Prints the rota with states and writes, per day, under loudspeaker.dir/YYYY-MM-DD/: A4 scripts (.html),
text (.txt), the day sheet (lich.html, lich.csv) and, with --audio, audio (.wav, .mp3).`,
		Args: args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			day, err := a.dayFlag(date)
			if err != nil {
				return err
			}
			days := 1
			if week {
				day = day.AddDays(-((int(day.Weekday()) + 6) % 7)) // from Monday
				days = 7
			}
			radio := a.radio(db)
			scripts, err := radio.Scripts(cmd.Context(), day, days)
			if err != nil {
				return err
			}
			if audio {
				failed, err := radio.Synthesize(cmd.Context(), scripts)
				if errors.Is(err, speech.ErrNoSynth) {
					a.printf("Không có espeak-ng: chỉ có kịch bản, không có âm thanh (apt-get install espeak-ng lame).\n",
						"No espeak-ng: scripts only, no audio (apt-get install espeak-ng lame).\n")
				} else if err != nil {
					return err
				}
				for _, err := range failed {
					a.log.Error("synthesize", "err", err)
				}
			}
			if err := radio.Write(day, days, scripts); err != nil {
				return err
			}
			a.printRota(scripts, day, days)
			return nil
		}),
	}
	cmd.Flags().StringVar(&date, "date", "", "ngày / the day (default today)")
	cmd.Flags().BoolVar(&week, "week", false, "cả tuần, từ thứ Hai / the whole week from Monday")
	cmd.Flags().BoolVar(&audio, "audio", false, "tạo âm thanh bằng espeak-ng / synthesize audio with espeak-ng")

	var campaign, operator string
	rota := &cobra.Command{
		Use:   "rota --campaign C",
		Short: "Lập lịch luân phiên các kịch bản vào các khung giờ / fill the slots with the campaign's scripts in turn",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			c, err := a.campaignFlag(cmd.Context(), db, campaign)
			if err != nil {
				return err
			}
			rota, err := a.radio(db).MakeRota(cmd.Context(), a.who(), c, operator)
			if errors.Is(err, loudspeaker.ErrNoScripts) {
				return content.Errorf("chiến dịch %s không có kịch bản loa nào", "campaign %s has no loudspeaker script", campaign)
			}
			if err != nil {
				return err
			}
			for _, sc := range rota.Removed {
				a.printf("Bỏ lịch #%d (%s) của lịch phát cũ.\n", "Removed schedule #%d (%s) of the previous rota.\n", sc.ID, sc.Spec)
			}
			for _, r := range rota.Added {
				a.printf("Lịch #%d: khung %s (%s), %d kịch bản luân phiên, giao cho %s.\n", "Schedule #%d: slot %s (%s), %d scripts in turn, assigned to %s.\n",
					r.Schedule, r.Slot.Label(), r.Slot.Name, r.Scripts, operator)
			}
			return nil
		}),
	}
	rota.Flags().StringVar(&campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	rota.Flags().StringVar(&operator, "operator", "operator", "người phát / who airs them")
	cmd.AddCommand(rota)
	return cmd
}

// radio is the ward radio's service over db.
func (a *app) radio(db *store.DB) *loudspeaker.Radio { return daemon.NewRadio(a.cfg, db, a.office(db)) }

// printScriptFiles lists the files of a radio task's script.
func (a *app) printScriptFiles(radio *loudspeaker.Radio, d scheduler.Delivery) {
	found := radio.Files(d.DueAt, d.MessageKey)
	if len(found) == 0 {
		a.printf("\nChưa có bản in và âm thanh: loa broadcasts --date %s --audio\n", "\nNo printout or audio yet: loa broadcasts --date %s --audio\n",
			content.DateOf(d.DueAt).Short())
		return
	}
	a.printf("\nTệp kèm:\n", "\nFiles:\n")
	for _, f := range found {
		fmt.Fprintf(a.stdout, "  %s\n", f)
	}
}

func (a *app) printRota(scripts []loudspeaker.Script, day content.Date, days int) {
	if len(scripts) == 0 {
		a.printf("Không có buổi phát nào từ %s (%d ngày).\n", "No broadcasts from %s (%d days).\n", day.Short(), days)
		return
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, a.t("NGÀY\tKHUNG\tTIÊU ĐỀ\tĐỌC\tDUYỆT\tTRẠNG THÁI\t", "DATE\tSLOT\tTITLE\tREADS\tAPPROVER\tSTATE\t"))
	for _, s := range scripts {
		flag := ""
		if s.Overflows() {
			flag = a.t("QUÁ KHUNG GIỜ", "OVERFLOWS THE SLOT")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", content.DateOf(s.At).Short(), s.Slot, s.Title, a.duration(s.Length()), s.Approver, s.StateText(a.lang), flag)
	}
	tw.Flush()
	a.printf("Kịch bản, bảng lịch và âm thanh ở %s\n", "Scripts, sheets and audio are in %s\n", a.cfg.Loudspeaker.Dir)
}
