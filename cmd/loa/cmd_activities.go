package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/store"
)

func (a *app) activitiesCommand() *cobra.Command {
	cmd := group("activities", "Hoạt động trực tiếp, văn bản, tài liệu, tin bài / activities, documents, materials, articles")
	kinds := &cobra.Command{
		Use:   "kinds",
		Short: "Các loại và cột CSV / the kinds and the CSV's columns",
		Args:  args(0, ""),
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("LOẠI\tNHÓM\tTÊN", "KIND\tGROUP\tNAME"))
			for _, k := range activities.Kinds {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Key, a.category(k.Category), k.Label.In(a.lang))
			}
			tw.Flush()
			a.printf("\nCột CSV: %s\n", "\nCSV columns: %s\n", strings.Join(activities.Columns, ","))
			a.printf("Bắt buộc: loai, ngay (dd/mm/yyyy), chien_dich (ví dụ action-month/2026); hoạt động trực tiếp: dia_diem, don_vi, so_nguoi (so_nu tùy chọn);\n"+
				"văn bản: so_hieu, ten; tài liệu và tin bài: so_luong.\n",
				"Required: loai, ngay (dd/mm/yyyy), chien_dich (e.g. action-month/2026); direct activities: dia_diem, don_vi, so_nguoi (so_nu optional);\n"+
					"documents: so_hieu, ten; materials and articles: so_luong.\n")
			return nil
		},
	}
	var r activities.Record
	var date string
	add := &cobra.Command{
		Use:   "add --kind K --campaign C --date dd/mm/yyyy [--title …] [--place …] [--unit …] [--number …] [--count N] [--participants N --women N] [--link URL]",
		Short: "Ghi một hoạt động / record one",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			d, err := content.ParseVietnameseDate(date)
			if err != nil {
				return usagef("--date %q không phải ngày (ví dụ 25/11/2026)", "--date %q is not a date (e.g. 25/11/2026)", date)
			}
			r.Date = d
			saved, err := daemon.NewActivities(db, a.now).Add(cmd.Context(), a.who(), r)
			if err != nil {
				return err
			}
			a.printf("Đã ghi #%d: %s.\n", "Recorded #%d: %s.\n", saved.ID, saved.String())
			return nil
		}),
	}
	f := add.Flags()
	f.StringVar(&r.Kind, "kind", "", "loại (loa activities kinds) / kind")
	f.StringVar(&r.Campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	f.StringVar(&date, "date", "", "ngày / date, dd/mm/yyyy")
	f.StringVar(&r.Title, "title", "", "tên, trích yếu / name or title")
	f.StringVar(&r.Place, "place", "", "địa điểm / place")
	f.StringVar(&r.Unit, "unit", "", "đơn vị chủ trì / unit in charge")
	f.StringVar(&r.Number, "number", "", "số, ký hiệu văn bản / document number, e.g. 178/KH-UBND")
	f.IntVar(&r.Count, "count", 0, "số lượng / count")
	f.IntVar(&r.Participants, "participants", 0, "số người tham dự / participants")
	f.IntVar(&r.Women, "women", 0, "trong đó nữ / of them women")
	f.StringVar(&r.Link, "link", "", "địa chỉ tin bài / the article's address")
	f.StringVar(&r.Notes, "note", "", "ghi chú / notes")
	importCmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Nhập từ CSV (xem loa activities kinds) / import a CSV (see loa activities kinds)",
		Long: `Mọi lỗi được báo theo dòng và cột; có lỗi thì không nhập gì.
Every problem is reported by row and column; with any, nothing is imported.`,
		Args: args(1, "FILE.csv"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			file, err := os.Open(argv[0])
			if err != nil {
				return err
			}
			defer file.Close()
			n, errs := daemon.NewActivities(db, a.now).Import(cmd.Context(), a.who(), filepath.Base(argv[0]), file)
			if err := a.refuseImport(errs); err != nil {
				return err
			}
			a.printf("Đã nhập %d dòng.\n", "Imported %d rows.\n", n)
			return nil
		}),
	}
	var year int
	var campaign string
	list := &cobra.Command{
		Use:   "list [--year Y] [--campaign C]",
		Short: "Liệt kê, kèm tổng / list them, with the totals",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			filter := activities.Filter{Year: year}
			if campaign != "" {
				c, err := a.campaignFlag(cmd.Context(), db, campaign)
				if err != nil {
					return err
				}
				filter.CampaignID = c.ID
			}
			rs, err := daemon.NewActivities(db, a.now).List(cmd.Context(), filter)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("SỐ\tNGÀY\tCHIẾN DỊCH\tLOẠI\tNỘI DUNG\tNGƯỜI (NỮ)\tSỐ LƯỢNG\tTỆP", "ID\tDATE\tCAMPAIGN\tKIND\tWHAT\tPEOPLE (WOMEN)\tCOUNT\tFILES"))
			for _, x := range rs {
				what := strings.Join(nonEmpty(x.Title, x.Number, x.Place, x.Unit, x.Link), " · ")
				people := ""
				if x.Category() == activities.Direct {
					people = fmt.Sprintf("%d (%d)", x.Participants, x.Women)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", x.ID, x.Date.Short(), x.Campaign, x.KindLabel(a.lang), what, people, x.Count, len(x.Files))
			}
			tw.Flush()
			s := activities.Sum(rs)
			a.printf("%d hoạt động trực tiếp, %d lượt người (%d nữ, %d nam); %d văn bản; %d tài liệu; %d tin bài.\n",
				"%d direct activities, %d participants (%d women, %d men); %d documents; %d materials; %d articles.\n",
				s.Sessions, s.Participants, s.Women, s.Men(), s.Documents, s.Materials, s.Articles)
			return nil
		}),
	}
	list.Flags().IntVar(&year, "year", 0, "năm / year")
	list.Flags().StringVar(&campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	attach := &cobra.Command{
		Use:   "attach ID FILE",
		Short: "Đính kèm ảnh hoặc biên bản (JPG, PNG, PDF; lưu trong cơ sở dữ liệu) / attach a photo or the minutes (kept in the database)",
		Args:  args(2, "ID FILE"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, argv []string, db *store.DB) error {
			data, err := os.ReadFile(argv[1])
			if err != nil {
				return err // said in both languages by run
			}
			file, err := daemon.NewActivities(db, a.now).Attach(cmd.Context(), a.who(), id, argv[1], data)
			if err != nil {
				return err
			}
			a.printf("Đã đính kèm %s (%d KB) vào #%d.\n", "Attached %s (%d KB) to #%d.\n", file.Name, (file.Size+1023)/1024, id)
			return nil
		}),
	}
	remove := &cobra.Command{
		Use:   "remove ID",
		Short: "Xóa một dòng ghi nhầm (cùng tệp đính kèm) / remove a record made by mistake (with its files)",
		Args:  args(1, "ID"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, _ []string, db *store.DB) error {
			if err := daemon.NewActivities(db, a.now).Remove(cmd.Context(), a.who(), id); err != nil {
				return err
			}
			a.printf("Đã xóa #%d.\n", "Removed #%d.\n", id)
			return nil
		}),
	}
	cmd.AddCommand(kinds, add, importCmd, list, attach, remove)
	return cmd
}

func (a *app) category(c activities.Category) string {
	switch c {
	case activities.Direct:
		return a.t("trực tiếp", "direct")
	case activities.Document:
		return a.t("văn bản", "document")
	case activities.Material:
		return a.t("tài liệu", "material")
	}
	return a.t("tin bài", "article")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
