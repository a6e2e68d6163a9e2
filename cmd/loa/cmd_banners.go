package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/store"
)

func (a *app) bannersCommand() *cobra.Command {
	cmd := group("banners", "Kế hoạch treo băng rôn, khẩu hiệu / the banner plan")
	var campaign string
	campaignOf := func(cmd *cobra.Command, db *store.DB) (content.Campaign, error) {
		return a.campaignFlag(cmd.Context(), db, campaign)
	}

	list := &cobra.Command{
		Use:   "list [--campaign C]",
		Short: "Liệt kê các dòng kế hoạch với trạng thái / list the plan's lines with their states",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			f := banner.Filter{}
			if campaign != "" {
				c, err := campaignOf(cmd, db)
				if err != nil {
					return err
				}
				f.CampaignID = c.ID
			}
			lines, err := a.office(db).Banners(cmd.Context(), f)
			if err != nil {
				return err
			}
			if len(lines) == 0 {
				a.printf("Chưa có băng rôn nào trong kế hoạch.\n", "No banners are planned.\n")
				return nil
			}
			today := a.today()
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("SỐ\tTREO\tTHÁO\tVỊ TRÍ\tSL\tKHẨU HIỆU\tPHỤ TRÁCH\tTRẠNG THÁI", "ID\tHANG\tDOWN\tPLACE\tN\tSLOGAN\tRESPONSIBLE\tSTATE"))
			total := 0
			for _, l := range lines {
				state := l.State.Label(a.lang)
				if l.Overdue(today) {
					state += a.t(" · QUÁ HẠN THÁO", " · OVERDUE")
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", l.ID, l.HangOn.DayMonth(), l.DownOn.DayMonth(), l.Place, l.Count, l.Slogan, l.Responsible, state)
				total += l.Count
			}
			tw.Flush()
			a.printf("%d dòng, %d băng rôn.\n", "%d lines, %d banners.\n", len(lines), total)
			return nil
		}),
	}

	var line banner.Line
	var slogan int
	var kind, hang, down string
	add := &cobra.Command{
		Use:   "add --campaign C (--slogan N | --text T) --place P --count N --who W",
		Short: "Thêm một dòng kế hoạch / add a line to the plan",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			c, err := campaignOf(cmd, db)
			if err != nil {
				return err
			}
			l := line
			if slogan > 0 {
				if l.Slogan, err = a.office(db).SloganNo(cmd.Context(), c, slogan); err != nil {
					return usageError{err}
				}
			}
			l.Slogan, l.Place = content.Normalize(strings.TrimSpace(l.Slogan)), content.Normalize(strings.TrimSpace(l.Place))
			if l.Kind, err = banner.ParseKind(kind); err != nil {
				return usageError{err}
			}
			l.HangOn, l.DownOn = banner.DefaultDates(c)
			for _, d := range []struct {
				flag string
				to   *content.Date
			}{{hang, &l.HangOn}, {down, &l.DownOn}} {
				if d.flag != "" {
					if *d.to, err = content.ParseVietnameseDate(d.flag); err != nil {
						return usageError{err}
					}
				}
			}
			if errs := l.Check(); len(errs) > 0 {
				return usageError{errs[0]}
			}
			one := []banner.Line{l}
			ids, err := a.office(db).AddBanners(cmd.Context(), a.who(), c, one)
			if err != nil {
				return a.refuseUnapproved(err, one, func(int) string { return "--text" })
			}
			l = one[0] // in its approved wording
			a.printf("Dòng #%d: %d băng rôn «%s» tại %s, treo %s, tháo %s, %s phụ trách.\n", "Line #%d: %d banners «%s» at %s, up %s, down %s, %s responsible.\n",
				ids[0], l.Count, l.Slogan, l.Place, l.HangOn.Short(), l.DownOn.Short(), l.Responsible)
			return nil
		}),
	}
	add.Flags().IntVar(&slogan, "slogan", 0, "số thứ tự câu trong danh sách khẩu hiệu của chiến dịch / the slogan's number in the campaign's list")
	add.Flags().StringVar(&line.Slogan, "text", "", "khẩu hiệu tự viết / a slogan of your own")
	add.Flags().StringVar(&line.Place, "place", "", "vị trí treo / where it hangs")
	add.Flags().StringVar(&kind, "kind", "street", "street, office, vehicle")
	add.Flags().StringVar(&line.Size, "size", "", `kích thước / size, e.g. "5 × 0,8 m"`)
	add.Flags().IntVar(&line.Count, "count", 1, "số lượng / how many")
	add.Flags().StringVar(&hang, "hang", "", "ngày treo / hang date (default: the day before the campaign)")
	add.Flags().StringVar(&down, "down", "", "ngày tháo / take-down date (default: the day after the campaign)")
	add.Flags().StringVar(&line.Responsible, "who", "", "người hoặc đơn vị phụ trách / who is responsible")
	add.Flags().StringVar(&line.Notes, "notes", "", "ghi chú / notes")

	importCmd := &cobra.Command{
		Use:   "import FILE.csv --campaign C",
		Short: "Nhập kế hoạch từ CSV / import plan lines from CSV",
		Long: `Cột / columns: khau_hieu, vi_tri, loai, kich_thuoc, so_luong, ngay_treo, ngay_thao, phu_trach, ghi_chu.
Ngày trống lấy ngày trước và sau chiến dịch. Mọi lỗi được báo theo dòng và cột; có lỗi thì không nhập gì.
Empty dates default to the day before and after the campaign. Every problem is reported by row and column; with any, nothing is imported.`,
		Args: args(1, "FILE.csv"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			c, err := campaignOf(cmd, db)
			if err != nil {
				return err
			}
			f, err := os.Open(argv[0])
			if err != nil {
				return err
			}
			defer f.Close()
			h, d := banner.DefaultDates(c)
			lines, errs := banner.ReadCSV(argv[0], f, h, d)
			if err := a.refuseImport(errs); err != nil {
				return err
			}
			if _, err := a.office(db).AddBanners(cmd.Context(), a.who(), c, lines); err != nil {
				return a.refuseUnapproved(err, lines, func(i int) string {
					return a.t("%s:%d, cột khau_hieu", "%s:%d, column khau_hieu", argv[0], i+2) // a line a row, after the header
				})
			}
			a.printf("Đã nhập %d dòng kế hoạch băng rôn cho %s.\n", "Imported %d banner lines for %s.\n", len(lines), campaign)
			return nil
		}),
	}

	var format, out string
	export := &cobra.Command{
		Use:   "export --campaign C [--format xlsx|html|csv] [--out FILE]",
		Short: "Xuất danh sách như văn phòng lưu (XLSX, HTML in được, CSV) / export the list as the office files it",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			c, err := campaignOf(cmd, db)
			if err != nil {
				return err
			}
			lines, err := a.office(db).Banners(cmd.Context(), banner.Filter{CampaignID: c.ID})
			if err != nil {
				return err
			}
			names, err := a.office(db).PeopleNames(cmd.Context())
			if err != nil {
				return err
			}
			sheet := banner.Sheet{Ward: a.cfg.Ward.Name, Campaign: c.Name, Today: a.today(), Lines: lines, Names: names}
			var buf bytes.Buffer
			switch format {
			case "xlsx":
				err = banner.WriteXLSX(&buf, sheet)
			case "html":
				err = banner.WriteHTML(&buf, sheet)
			case "csv":
				err = banner.WriteCSV(&buf, lines)
			default:
				return usagef("--format là xlsx, html hoặc csv, không phải %q", "--format is xlsx, html or csv, not %q", format)
			}
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join("data", fmt.Sprintf("bang-ron-%s-%d.%s", c.ObservanceKey, c.Year, format))
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o640); err != nil {
				return err
			}
			a.printf("Đã ghi %s (%d dòng).\n", "Wrote %s (%d lines).\n", out, len(lines))
			return nil
		}),
	}
	export.Flags().StringVar(&format, "format", "xlsx", "xlsx, html, csv")
	export.Flags().StringVar(&out, "out", "", "tệp ghi ra / the file to write")

	var photo, note string
	mark := &cobra.Command{
		Use:   "mark ID ordered|hung|removed [--photo FILE] [--note …]",
		Short: "Ghi nhận đã đặt in, đã treo, đã tháo / record a line ordered, hung or removed",
		Args:  args(2, "ID STATE"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, argv []string, db *store.DB) error {
			to, err := banner.ParseState(argv[1])
			if err != nil {
				return usageError{err}
			}
			ref := ""
			if photo != "" { // kept in the database, so a backup holds it
				b, err := os.ReadFile(photo)
				if err != nil {
					return err // said in both languages by run
				}
				p, err := field.KeepPhoto(cmd.Context(), db, a.who().Audit(), b, a.now())
				if err != nil {
					return content.Errorf("ảnh %[1]s: %[2]s", "photo %[1]s: %[3]s", photo, i18n.Error(err, i18n.Vietnamese), i18n.Error(err, i18n.English))
				}
				ref = p.Ref()
			}
			if err := a.office(db).MarkBanner(cmd.Context(), a.who(), id, to, ref, note); err != nil {
				return err
			}
			a.printf("Dòng #%d: %s, ghi nhận bởi %s.\n", "Line #%d: %s, recorded by %s.\n", id, to.Label(a.lang), a.who().Name)
			return nil
		}),
	}
	mark.Flags().StringVar(&photo, "photo", "", "ảnh chụp / a photo file")
	mark.Flags().StringVar(&note, "note", "", "ghi chú / a note")

	var date string
	remind := &cobra.Command{
		Use:   "remind [--date dd/mm/yyyy]",
		Short: "Nhắc việc treo, tháo trong ngày (loa serve nhắc lúc 07:00) / the day's hang and take-down reminders (loa serve sends them at 07:00)",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			day, err := a.dayFlag(date)
			if err != nil {
				return err
			}
			rs, err := a.office(db).BannerReminders(cmd.Context(), day)
			if err != nil {
				return err
			}
			if len(rs) == 0 {
				a.printf("Không có việc treo, tháo băng rôn ngày %s.\n", "No banners to hang or take down on %s.\n", day.Short())
			}
			for _, r := range rs {
				fmt.Fprintf(a.stdout, "#%d → %s: %s\n", r.Line.ID, r.Line.Responsible, r.Text())
			}
			return nil
		}),
	}
	remind.Flags().StringVar(&date, "date", "", "ngày / the day (default today)")

	for _, c := range []*cobra.Command{list, add, importCmd, export} {
		c.Flags().StringVar(&campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	}
	cmd.AddCommand(list, add, importCmd, export, mark, remind)
	return cmd
}

// refuseUnapproved prints, for an *office.UnapprovedSlogansError, where
// each refused slogan is, and returns err.
func (a *app) refuseUnapproved(err error, lines []banner.Line, where func(i int) string) error {
	var ue *office.UnapprovedSlogansError
	if errors.As(err, &ue) {
		for _, i := range ue.Lines {
			fmt.Fprintln(a.stderr, a.t("%s: «%s» không có trong danh sách khẩu hiệu hay tin đã duyệt của %s",
				"%s: «%s» is neither on the slogan list nor in an approved message of %s", where(i), lines[i].Slogan, ue.Campaign.Key()))
		}
	}
	return err
}
