package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/report"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

func (a *app) subscribersCommand() *cobra.Command {
	cmd := group("subscribers", "Người nhận tin / subscribers")
	importCmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Nhập số điện thoại người dân đã đồng ý (cho Zalo ZNS) / import consenting residents' phone numbers (for Zalo ZNS)",
		Long: `Cột / columns: phone, name, topics (số trên phiếu 1–3 hoặc tên; để trống: chỉ thông báo chung / the form's numbers or names; empty: general notices only),
consent_date (dd/mm/yyyy), source, evidence (số phiếu đăng ký có chữ ký, mã biểu mẫu / the signed form's number, the web form's receipt).
Mọi lỗi được báo theo dòng và cột; có lỗi thì không nhập gì.
Every problem is reported by row and column; with any, nothing is imported.`,
		Args: args(1, "FILE.csv"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			f, err := os.Open(argv[0])
			if err != nil {
				return err
			}
			defer f.Close()
			subs, errs := residents.ReadPhones(argv[0], f, a.today())
			if err := a.refuseImport(errs); err != nil {
				return err
			}
			if err := daemon.NewResidents(a.cfg, db, a.now).Import(cmd.Context(), a.who(), subs); err != nil {
				return err
			}
			a.printf("Đã nhập %d người nhận có số điện thoại.\n", "Imported %d subscribers with phone numbers.\n", len(subs))
			return nil
		}),
	}
	var channel string
	list := &cobra.Command{
		Use:   "list [--channel zalo|telegram]",
		Short: "Liệt kê người nhận / list subscribers",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if ch := content.ParseChannel(channel); ch != content.Zalo && ch != content.Telegram {
				return usagef("--channel là zalo hoặc telegram, không phải %q", "--channel is zalo or telegram, not %q", channel)
			}
			subs, err := daemon.NewResidents(a.cfg, db, a.now).List(cmd.Context(), content.ParseChannel(channel))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("MÃ\tTÊN\tĐIỆN THOẠI\tCHỦ ĐỀ\tĐỒNG Ý\tNGUỒN\tTÌNH TRẠNG", "ID\tNAME\tPHONE\tTOPICS\tCONSENT\tSOURCE\tSTATUS"))
			for _, s := range subs {
				consent := "—"
				if !s.ConsentedAt.IsZero() { // kept after a withdrawal, as the evidence
					consent = content.DateOf(s.ConsentedAt).Short()
				}
				var topics []string
				for _, t := range s.Topics {
					topics = append(topics, t.Label(a.lang))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ExternalID, s.Name, s.Phone, strings.Join(topics, "; "), consent, strings.Join(nonEmpty(s.ConsentSource, s.Evidence), " · "), s.StatusLabel(a.lang))
			}
			tw.Flush()
			a.printf("%d người.\n", "%d subscribers.\n", len(subs))
			return nil
		}),
	}
	list.Flags().StringVar(&channel, "channel", "zalo", "zalo hoặc/or telegram")
	cmd.Aliases = []string{"residents"}
	retention := &cobra.Command{
		Use:   "retention",
		Short: "Áp dụng thời hạn lưu ngay (loa serve làm hằng ngày lúc 03:30) / apply the retention now (loa serve does it daily at 03:30)",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if !a.who().MayPlan() {
				return staff.ErrForbidden
			}
			r, err := daemon.ApplyRetention(cmd.Context(), a.cfg, db, a.now())
			if err != nil {
				return err
			}
			a.printf("Đã thay %d mã người nhận trong sổ gửi cũ, xóa %d người đã rút lại đồng ý, %d người theo dõi không trả lời, %d tệp outbox.\n",
				"Replaced %d recipient ids in the old ledger, deleted %d who withdrew, %d followers who never answered, %d outbox files.\n",
				r.Pseudonymized, r.Withdrawn, r.Unanswered, r.OutboxFiles)
			return nil
		}),
	}
	cmd.AddCommand(importCmd, list, a.signUpFormCommand(), a.deleteResidentCommand(), a.requestsCommand(), retention)
	return cmd
}

func (a *app) signUpFormCommand() *cobra.Command {
	var from, count, year int
	var out string
	form := &cobra.Command{
		Use:   "form [--from N] [--count N] [--out FILE.html|FILE.pdf]",
		Short: "In phiếu đăng ký nhận tin Zalo (A4, đánh số) / print numbered A4 sign-up forms for Zalo messages",
		Long: `Mỗi phiếu có số (PĐK-năm-số), tóm tắt thông báo về dữ liệu cá nhân, các chủ đề để đánh dấu và chỗ ký.
Số phiếu là bằng chứng đồng ý ghi ở cột evidence khi nhập danh sách.
Each form has its number (PĐK-year-n), the privacy notice in short, the topics to tick and a signature; the
number is the consent's evidence the import's evidence column names.`,
		Args: args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if count < 1 || count > 500 || from < 1 {
				return usagef("--count từ 1 đến 500, --from từ 1", "--count is 1 to 500, --from at least 1")
			}
			if year == 0 {
				year = a.today().Year
			}
			page, err := privacy.SignUpForm(daemon.Notice(a.cfg), year, from, count)
			if err != nil {
				return err
			}
			if out == "" {
				out = fmt.Sprintf("phieu-dang-ky-%d-%04d.html", year, from)
			}
			if strings.HasSuffix(strings.ToLower(out), ".pdf") {
				if page, err = report.PrintPDF(cmd.Context(), report.FindChromium(), page); err != nil {
					return err
				}
			}
			if err := os.WriteFile(out, page, 0o640); err != nil {
				return err
			}
			a.printf("Đã ghi %d phiếu (%s → %s) vào %s.\n", "Wrote %d forms (%s → %s) to %s.\n", count,
				privacy.FormNumber(year, from), privacy.FormNumber(year, from+count-1), out)
			return nil
		},
	}
	form.Flags().IntVar(&from, "from", 1, "số phiếu đầu / the first form's number")
	form.Flags().IntVar(&count, "count", 20, "số phiếu / how many forms")
	form.Flags().IntVar(&year, "year", 0, "năm trên phiếu / the year on the forms (default this year)")
	form.Flags().StringVar(&out, "out", "", "tệp ghi ra (.html hoặc .pdf) / the file to write (.html or .pdf)")
	return form
}

func (a *app) deleteResidentCommand() *cobra.Command {
	var channel, via string
	del := &cobra.Command{
		Use:   "delete ID [--channel zalo|telegram] [--via paper]",
		Short: "Xóa dữ liệu một người theo yêu cầu của họ / delete a resident's data at their request",
		Long: `Xóa bản ghi người nhận (mã, tên, điện thoại, chủ đề, đồng ý), thay mã của họ trong sổ gửi bằng mã ẩn danh
(số liệu báo cáo giữ nguyên), xóa khỏi các tệp outbox, và không để lại bản sao nào trong tệp cơ sở dữ liệu.
ID là mã Telegram, mã Zalo hoặc số điện thoại.
Deletes the record (id, name, phone, topics, consent), replaces their id in the ledger (the report's counts stay),
purges the outbox files, and leaves no copy in the database file. ID is a Telegram or Zalo id or a phone number.`,
		Args: args(1, "ID"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			reg := daemon.NewResidents(a.cfg, db, a.now)
			found, err := reg.Find(cmd.Context(), a.who(), argv[0])
			if err != nil {
				return err
			}
			var match []residents.Subscriber
			for _, s := range found {
				if channel == "" || s.Channel == content.ParseChannel(channel) {
					match = append(match, s)
				}
			}
			switch len(match) {
			case 0:
				return content.Errorf("không có người nhận %q", "no subscriber %q", argv[0])
			case 1:
			default:
				return usagef("%q có trên nhiều kênh: thêm --channel zalo hoặc --channel telegram", "%q is on several channels: add --channel zalo or --channel telegram", argv[0])
			}
			if err := reg.Forget(cmd.Context(), a.who(), match[0], via); err != nil {
				return err
			}
			a.printf("Đã xóa dữ liệu của %s trên %s; sổ gửi chỉ còn số lượng.\n", "Deleted %s's data on %s; the ledger keeps only counts.\n",
				argv[0], match[0].Channel.Label(a.lang))
			return nil
		}),
	}
	del.Flags().StringVar(&channel, "channel", "", "zalo hoặc/or telegram")
	del.Flags().StringVar(&via, "via", "cli", "yêu cầu đến qua / how the request came: paper, phone, dashboard, cli")
	return del
}

func (a *app) requestsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "requests",
		Short: "Các yêu cầu của người dân về dữ liệu (xem, sửa, rút lại, xóa) và hạn xử lý / residents' requests about their data and their deadlines",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			reqs, err := daemon.NewResidents(a.cfg, db, a.now).Requests(cmd.Context(), time.Time{})
			if err != nil {
				return err
			}
			now := a.now()
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("SỐ\tLOẠI\tQUA\tNHẬN\tHẠN\tXONG\tGHI CHÚ", "ID\tKIND\tVIA\tRECEIVED\tDUE\tDONE\tNOTE"))
			late := 0
			for _, r := range reqs {
				done := "—"
				if !r.Open() {
					done = localTime(r.DoneAt)
				}
				if r.Late(now) {
					late++
					done += a.t(" (QUÁ HẠN)", " (LATE)")
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, privacy.KindLabel(r.Kind, a.lang), r.Via, localTime(r.ReceivedAt), localTime(r.DueAt), done, r.Note)
			}
			tw.Flush()
			a.printf("%d yêu cầu, %d quá hạn.\n", "%d requests, %d late.\n", len(reqs), late)
			return nil
		}),
	}
	var kind, via, note string
	add := &cobra.Command{
		Use:   "add --kind see|change|withdraw|delete [--via paper] [--note …]",
		Short: "Ghi một yêu cầu nhận tại phường (hạn theo privacy.request_days) / record a request received at the office",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			id, err := daemon.NewResidents(a.cfg, db, a.now).Receive(cmd.Context(), a.who(), kind, via, note)
			if err != nil {
				return err
			}
			a.printf("Đã ghi yêu cầu #%d, hạn %s.\n", "Recorded request #%d, due %s.\n", id, localTime(privacy.Due(a.now(), a.cfg.Privacy.RequestDays)))
			return nil
		}),
	}
	add.Flags().StringVar(&kind, "kind", "", "see, change, withdraw, delete")
	add.Flags().StringVar(&via, "via", "paper", "paper, phone, office")
	add.Flags().StringVar(&note, "note", "", "ghi chú, không ghi dữ liệu cá nhân / a note, without personal data")
	done := &cobra.Command{
		Use:   "done ID [--note …]",
		Short: "Đánh dấu đã xử lý một yêu cầu / mark a request done",
		Args:  args(1, "ID"),
		RunE: a.withStoreID("ID", func(cmd *cobra.Command, id int64, _ []string, db *store.DB) error {
			if err := daemon.NewResidents(a.cfg, db, a.now).Finish(cmd.Context(), a.who(), id, note); err != nil {
				return err
			}
			a.printf("Đã xử lý yêu cầu #%d.\n", "Request #%d is done.\n", id)
			return nil
		}),
	}
	done.Flags().StringVar(&note, "note", "", "ghi chú / a note")
	cmd.AddCommand(add, done)
	return cmd
}

// refuseImport prints every problem an import found and, with any, fails
// it as a whole.
func (a *app) refuseImport(errs []error) error {
	for _, e := range errs {
		fmt.Fprintln(a.stderr, localize(e, a.lang))
	}
	if len(errs) > 0 {
		return content.Errorf("%d lỗi; chưa nhập gì", "%d problems; nothing was imported", len(errs))
	}
	return nil
}
