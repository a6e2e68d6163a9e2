package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/store"
)

func (a *app) showCommand() *cobra.Command {
	var version int
	var raw bool
	cmd := &cobra.Command{
		Use:   "show MESSAGE",
		Short: "Xem một tin, từng kênh với giới hạn của nó / show a message, each variant with its limits",
		Args:  args(1, "MESSAGE"),
		RunE: a.withDesk(func(cmd *cobra.Command, argv []string, desk *editorial.Desk) error {
			p, err := desk.Preview(cmd.Context(), argv[0], version, raw)
			var ve *editorial.VersionError
			if errors.As(err, &ve) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			m := p.Message
			fmt.Fprintf(a.stdout, "#%d  %s/%s  %s\n", m.ID, m.Campaign, m.Key, p.Draft.Title)
			approved := a.t("chưa có", "none")
			if m.ApprovedVersion > 0 {
				approved = fmt.Sprint(m.ApprovedVersion)
			}
			a.printf("Trạng thái: %s · phiên bản %d/%d · bản đã duyệt: %s · chủ đề: %s\n",
				"State: %s · version %d/%d · approved version: %s · topic: %s\n",
				m.State.Label(a.lang), p.Version, m.Version, approved, p.Draft.Topic)
			if m.RejectReason != "" {
				a.printf("Lý do từ chối: %s\n", "Rejected because: %s\n", m.RejectReason)
			}
			if !raw {
				a.printf("Xem trước như gửi ngày %s.\n", "Preview as sent on %s.\n", p.Day.Short())
			}
			for _, v := range p.Variants {
				if v.Text == "" {
					fmt.Fprintf(a.stdout, "\n── %s: %s\n", v.Channel, a.t("(trống, kênh này bỏ qua tin)", "(empty: this channel skips the message)"))
					continue
				}
				fmt.Fprintf(a.stdout, "\n── %s (%s)\n%s\n", v.Channel, a.measure(v.Channel, v.Measure, p.Draft.Image != ""), v.Text)
			}
			for _, pr := range p.Problems {
				fmt.Fprintln(a.stdout, a.t("\ncảnh báo: ", "\nwarning: ")+pr.Localize(a.lang))
			}
			return nil
		}),
	}
	cmd.Flags().IntVar(&version, "version", 0, "phiên bản cần xem / the version to show (default the newest)")
	cmd.Flags().BoolVar(&raw, "raw", false, "không điền mẫu / show templates unrendered")
	return cmd
}

// measure describes a variant against its channel's limit.
func (a *app) measure(ch content.Channel, m content.Measure, image bool) string {
	switch ch {
	case content.Telegram:
		s := a.t("%d/%d ký tự", "%d/%d characters", m.Length, m.Limit)
		if m.Parts > 1 {
			s += a.t(", gửi thành %d tin", ", sent as %d messages", m.Parts)
		}
		if image {
			s += a.t(", kèm ảnh", ", with a picture")
		}
		return s
	case content.Zalo:
		return a.t("%d/%d ký tự", "%d/%d characters", m.Length, m.Limit)
	case content.Loudspeaker:
		pace := a.cfg.Content.Pace
		return a.t("%d âm tiết, đọc khoảng %s ở %d âm tiết/phút", "%d syllables, reads in about %s at %d a minute",
			m.Syllables, i18n.Duration(m.Reading), pace)
	case content.Banner:
		return a.t("%d khẩu hiệu", "%d slogans", m.Slogans)
	}
	return ""
}

// campaignFlag finds the campaign a --campaign flag names ("action-month/2026").
func (a *app) campaignFlag(ctx context.Context, db *store.DB, key string) (content.Campaign, error) {
	if _, err := campaignRef(key); err != nil {
		return content.Campaign{}, err
	}
	return a.deskOver(db).Campaign(ctx, key)
}

// campaignRef checks a --campaign flag ("action-month/2026") and returns its year.
func campaignRef(key string) (int, error) {
	_, yearText, ok := strings.Cut(key, "/")
	year := campaignYear(key)
	if !ok || year == 0 || yearText == "" {
		return 0, usagef("--campaign có dạng ngày-lễ/năm, ví dụ action-month/2026", "--campaign looks like observance/year, e.g. action-month/2026")
	}
	return year, nil
}

// dayFlag is the day a --date flag names, today when it is empty.
func (a *app) dayFlag(date string) (content.Date, error) {
	if date == "" {
		return a.today(), nil
	}
	d, err := content.ParseVietnameseDate(date)
	if err != nil {
		return content.Date{}, usageError{err}
	}
	return d, nil
}

// campaignYear returns the year of a campaign key "observance/year".
func campaignYear(key string) int {
	_, y, _ := strings.Cut(key, "/")
	n, _ := strconv.Atoi(y)
	return n
}

// localTime shows an instant in the ward's zone, "14:05 25/11/2026".
func localTime(t time.Time) string { return t.In(content.Zone).Format("15:04 02/01/2006") }

func (a *app) historyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "history MESSAGE",
		Short: "Các phiên bản và nhật ký của một tin / a message's versions and audit log",
		Args:  args(1, "MESSAGE"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			m, err := a.deskOver(db).Resolve(cmd.Context(), argv[0])
			if err != nil {
				return err
			}
			h, err := a.deskOver(db).History(cmd.Context(), m)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "#%d %s/%s\n\n", m.ID, m.Campaign, m.Key)
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("BẢN\tLÚC\tNGƯỜI SOẠN\tTIÊU ĐỀ", "VERSION\tAT\tAUTHOR\tTITLE"))
			for _, v := range h.Versions {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", v.Number, localTime(v.CreatedAt), v.CreatedBy, v.Title)
			}
			tw.Flush()
			fmt.Fprintln(a.stdout)
			tw = tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("LÚC\tNGƯỜI\tVIỆC\tCHI TIẾT", "AT\tWHO\tACTION\tDETAIL"))
			for _, e := range h.Log {
				action, detail := e.Say(a.lang)
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", localTime(e.At), e.Actor, action, detail)
			}
			return tw.Flush()
		}),
	}
}
