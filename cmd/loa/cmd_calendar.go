package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/store"
)

func (a *app) calendarCommand() *cobra.Command {
	var year int
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "Lịch các ngày lễ, chiến dịch và số tin theo trạng thái / the year's observances, campaign windows and messages by state",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if year == 0 {
				year = a.today().Year
			}
			db, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			campaigns, err := a.deskOver(db).Campaigns(ctx, year)
			if err != nil {
				return err
			}
			byKey := map[string]editorial.CampaignSummary{}
			for _, c := range campaigns {
				byKey[c.ObservanceKey] = c
			}
			a.printf("Lịch truyền thông năm %d — %s\n\n", "Campaign calendar %d — %s\n\n", year, a.cfg.Ward.Name)
			for _, o := range a.cfg.Calendar {
				a.printObservance(o, byKey, year)
			}
			if len(campaigns) == 0 {
				a.printf("Chưa có chiến dịch nào năm %d. Tạo bằng: loa campaign create --year %d\n",
					"No campaigns in %d yet. Create them with: loa campaign create --year %d\n", year, year)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, "năm / year (default: this year)")
	return cmd
}

// campaignName is c's name in the CLI's language: the office's own name
// in Vietnamese, the observance's English name with --lang en.
func (a *app) campaignName(c content.Campaign) string {
	if a.lang == i18n.English {
		for _, o := range a.cfg.Calendar {
			if o.Key == c.ObservanceKey {
				return o.CampaignName(c.Year, a.lang)
			}
		}
	}
	return c.Name
}

func (a *app) printObservance(o content.Observance, byKey map[string]editorial.CampaignSummary, year int) {
	name := o.Name
	if a.lang == "en" && o.NameEN != "" {
		name = o.NameEN
	}
	c, has := byKey[o.Key]
	if !has {
		c.Campaign = o.CampaignFor(year)
	}
	when := c.Starts.DayMonth()
	if c.Ends != c.Starts {
		when += " – " + c.Ends.DayMonth()
	}
	fmt.Fprintf(a.stdout, "%-13s  %s\n", when, name)
	indent := strings.Repeat(" ", 15)
	if !o.Enabled && !has {
		fmt.Fprintln(a.stdout, indent+a.t("(đang tắt trong cấu hình)", "(disabled in the configuration)"))
		fmt.Fprintln(a.stdout)
		return
	}
	days := c.From.DaysUntil(c.To) + 1
	fmt.Fprintf(a.stdout, "%s%s %s – %s (%s) · %s\n", indent, a.t("Chiến dịch:", "Campaign:"),
		c.From.Short(), c.To.Short(), a.t("%d ngày", "%d days", days), a.campaignStatus(c.Campaign))
	switch {
	case !has:
		fmt.Fprintln(a.stdout, indent+a.t("Chưa tạo chiến dịch.", "Campaign not created yet."))
	default:
		fmt.Fprintf(a.stdout, "%s%s %s\n", indent, a.t("Tin:", "Messages:"), a.stateCounts(c.Messages))
	}
	fmt.Fprintln(a.stdout)
}

// campaignStatus says where today stands relative to the window.
func (a *app) campaignStatus(c content.Campaign) string {
	today := a.today()
	switch {
	case today.Before(c.From):
		return a.t("còn %d ngày nữa", "starts in %d days", today.DaysUntil(c.From))
	case today.After(c.To):
		return a.t("đã kết thúc", "ended")
	default:
		return a.t("đang diễn ra, còn %d ngày", "running, %d days left", today.DaysUntil(c.To))
	}
}

func (a *app) stateCounts(counts map[content.State]int) string {
	var parts []string
	for _, s := range content.States {
		if n := counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.Label(a.lang)))
		}
	}
	if len(parts) == 0 {
		return a.t("chưa có", "none yet")
	}
	return strings.Join(parts, ", ")
}

func (a *app) campaignCommand() *cobra.Command {
	cmd := group("campaign", "Chiến dịch / campaigns")
	var listYear int
	list := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê chiến dịch / list campaigns",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			cs, err := a.deskOver(db).Campaigns(cmd.Context(), listYear)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("CHIẾN DỊCH\tCỬA SỔ\tTIN\tTÊN", "CAMPAIGN\tWINDOW\tMESSAGES\tNAME"))
			for _, c := range cs {
				fmt.Fprintf(tw, "%s\t%s – %s\t%s\t%s\n", c.Key(), c.From.Short(), c.To.Short(), a.stateCounts(c.Messages), a.campaignName(c.Campaign))
			}
			return tw.Flush()
		}),
	}
	list.Flags().IntVar(&listYear, "year", 0, "chỉ năm này / only this year")

	var year, from int
	create := &cobra.Command{
		Use:   "create --year YEAR [--from YEAR]",
		Short: "Tạo chiến dịch của một năm, hoặc chép từ năm khác / create a year's campaigns, or copy them from another year",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if year < 2000 || year > 2100 {
				return usagef("cần --year (ví dụ --year 2027)", "--year is required (e.g. --year 2027)")
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			desk := a.deskOver(db)
			now := a.now()
			if from == 0 {
				created, err := desk.CreateYear(cmd.Context(), year, a.who().Name, now)
				for _, c := range created {
					a.printf("Đã tạo %s: %s – %s\n", "Created %s: %s – %s\n", c.Key(), c.From.Short(), c.To.Short())
				}
				if err == nil && len(created) == 0 {
					a.printf("Các chiến dịch năm %d đã có sẵn.\n", "The campaigns of %d exist already.\n", year)
				}
				return err
			}
			copied, err := desk.CopyYear(cmd.Context(), from, year, a.who().Name, now)
			for _, r := range copied {
				if r.Skipped != "" {
					a.printf("Bỏ qua %s: %s\n", "Skipped %s: %s\n", r.From.Key(), r.Skipped)
					continue
				}
				a.printf("Đã chép %s → %s: %d tin (thành bản nháp chờ duyệt lại), %d lịch gửi\n",
					"Copied %s → %s: %d messages (now drafts to approve again), %d schedules\n",
					r.From.Key(), r.Campaign.Key(), r.Messages, r.Schedules)
			}
			return err
		},
	}
	create.Flags().IntVar(&year, "year", 0, "năm cần tạo / the year to create")
	create.Flags().IntVar(&from, "from", 0, "chép nội dung từ năm này / copy content from this year")
	cmd.AddCommand(list, create)
	return cmd
}
