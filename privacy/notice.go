package privacy

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Notice is the ward's privacy notice, written from the configuration:
// who the controller is, what is kept and why, who processes it, how long
// it is kept and how a person uses their rights.
type Notice struct {
	Ward       string // "phường Lưu Kiếm"
	Controller string // "Ủy ban nhân dân phường Lưu Kiếm"
	Address    string
	Contact    string // a phone number or an e-mail address for requests
	URL        string // where the notice is served: public_url + /privacy; "" when Loa has no public address
	// RetentionMonths is how long after a campaign's year the ledger keeps
	// a recipient's id (it is then replaced); a person who withdrew is
	// deleted as long after their withdrawal.
	RetentionMonths int
	UnansweredDays  int // how long a Zalo follower who never answered the welcome is kept
	RequestDays     int // how long the ward has to carry out a request
}

// Complete is n with the configuration's defaults where it says nothing:
// the ward's People's Committee as controller, 24 months, 30 days, 15 days.
func (n Notice) Complete() Notice {
	if n.Controller == "" {
		n.Controller = "Ủy ban nhân dân " + n.Ward
	}
	if n.RetentionMonths <= 0 {
		n.RetentionMonths = 24
	}
	if n.UnansweredDays <= 0 {
		n.UnansweredDays = 30
	}
	if n.RequestDays <= 0 {
		n.RequestDays = DefaultDays
	}
	return n
}

// Section is a part of the notice: a heading and its paragraphs.
type Section struct {
	Title string
	Body  []string
}

// Link is the notice's address for a prompt, or where to ask for it.
func (n Notice) Link(lang string) string {
	if n.URL != "" {
		return n.URL
	}
	return i18n.Sprintf(lang, "hỏi %s", "ask %s", n.Complete().Controller)
}

// Summary is the notice in a few lines, for a consent prompt, a welcome
// and the paper form: the controller, what is kept, why, for how long,
// and the rights, with the link to the whole notice.
func (n Notice) Summary(lang string) string {
	n = n.Complete()
	return i18n.Sprintf(lang,
		"Bên kiểm soát dữ liệu: %s. Lưu: mã tài khoản (Telegram hoặc Zalo) hoặc số điện thoại, tên hiển thị, ngôn ngữ, chủ đề bạn chọn, thời điểm và cách bạn đồng ý; chỉ để gửi tin tuyên truyền của phường theo chủ đề bạn chọn. Telegram, Zalo là nền tảng chuyển tin. Lưu đến khi bạn rút lại đồng ý hoặc xóa; sổ gửi thay mã của bạn sau %d tháng. Bạn có quyền xem, sửa, rút lại đồng ý và xóa dữ liệu bất cứ lúc nào. Chi tiết: %s",
		"Data controller: %s. Kept: your account id (Telegram or Zalo) or phone number, display name, language, the topics you choose, when and how you agreed; only to send you the ward's messages on the topics you chose. Telegram and Zalo carry the messages. Kept until you withdraw or delete; the ledger replaces your id after %d months. You may see, change, withdraw and delete your data at any time. Details: %s",
		n.Controller, n.RetentionMonths, n.Link(lang))
}

// Sections are the whole notice in lang, as the /privacy page shows it.
func (n Notice) Sections(lang string) []Section {
	n = n.Complete()
	t := func(vi, en string, args ...any) string { return i18n.Sprintf(lang, vi, en, args...) }
	contact := strings.TrimSpace(strings.Join(nonEmpty(n.Address, n.Contact), " · "))
	if contact == "" {
		contact = t("trụ sở ủy ban", "the committee's office")
	}
	where := contact
	return []Section{
		{t("Ai giữ dữ liệu của bạn", "Who keeps your data"), []string{
			t("Bên kiểm soát dữ liệu cá nhân là %s (%s), theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định 356/2025/NĐ-CP.",
				"The controller of your personal data is %s (%s), under the Personal Data Protection Law 91/2025/QH15 and Decree 356/2025/NĐ-CP.", n.Controller, where),
		}},
		{t("Để làm gì", "What for"), []string{
			t("Chỉ để gửi cho bạn tin tuyên truyền của %s về gia đình, bình đẳng giới và phòng, chống bạo lực, theo các chủ đề bạn chọn, vào các dịp trong năm. Không quảng cáo, không dùng cho việc khác, không bán và không chuyển cho ai ngoài các nền tảng chuyển tin nêu dưới đây.",
				"Only to send you %s's messages about family, gender equality and preventing violence, on the topics you choose, around the year's occasions. No advertising, no other use, never sold, and passed to no one beyond the platforms named below.", n.Ward),
		}},
		{t("Những gì được lưu", "What is kept"), []string{
			t("Mã tài khoản: mã trò chuyện Telegram hoặc mã người dùng Zalo của bạn với trang của phường; hoặc số điện thoại nếu bạn đăng ký nhận tin Zalo theo số điện thoại (ZNS).",
				"Your account id: your Telegram chat id or your Zalo user id with the ward's page; or your phone number if you signed up for Zalo messages by phone (ZNS)."),
			t("Tên hiển thị, ngôn ngữ, các chủ đề bạn chọn.", "Your display name, language, the topics you chose."),
			t("Bằng chứng đồng ý: thời điểm, cách bạn đồng ý (nút bấm, tin trả lời, phiếu đăng ký có số), và thời điểm bạn rút lại nếu có.",
				"Proof of consent: when and how you agreed (a button, a reply, a numbered sign-up form), and when you withdrew, if you did."),
			t("Sổ gửi: tin nào đã gửi tới mã của bạn, khi nào, kết quả.", "The ledger: which message went to your id, when, and how it went."),
		}},
		{t("Ai xử lý", "Who processes it"), []string{
			t("Telegram và Zalo là nền tảng chuyển tin: họ nhận tin để đưa tới bạn, theo chính sách riêng của họ. Máy chủ của phường chạy Loa giữ dữ liệu; cán bộ phụ trách truyền thông xem được danh sách, lãnh đạo chỉ xem số lượng.",
				"Telegram and Zalo carry the messages to you, under their own policies. The ward's server running Loa keeps the data; the communications officer can see the list, leaders only the counts."),
		}},
		{t("Lưu bao lâu", "How long"), []string{
			t("Đến khi bạn rút lại đồng ý hoặc yêu cầu xóa. Trong sổ gửi, mã của bạn được thay bằng mã ẩn danh %d tháng sau năm của đợt truyền thông; người đã rút lại đồng ý được xóa hẳn sau %d tháng. Người theo dõi trang Zalo mà không trả lời tin chào được xóa sau %d ngày.",
				"Until you withdraw or ask for deletion. In the ledger your id is replaced by an anonymous one %d months after the campaign's year; a person who withdrew is deleted %d months later. A Zalo follower who never answers the welcome is deleted after %d days.",
				n.RetentionMonths, n.RetentionMonths, n.UnansweredDays),
		}},
		{t("Quyền của bạn và cách dùng", "Your rights and how to use them"), []string{
			t("Bạn có quyền biết, đồng ý hoặc không đồng ý, xem, sửa, rút lại đồng ý và xóa dữ liệu của mình. Im lặng không phải là đồng ý: không có gì được gửi trước khi bạn chọn.",
				"You may know, agree or refuse, see, change, withdraw and delete your data. Silence is not consent: nothing is sent before you choose."),
			t("Telegram: /toi xem dữ liệu, /chude đổi chủ đề, /stop ngừng nhận tin (rút lại đồng ý), /xoa xóa toàn bộ.",
				"Telegram: /toi to see your data, /chude to change topics, /stop to stop (withdraw consent), /xoa to delete everything."),
			t("Zalo: nhắn cho trang của phường TOI để xem, CHUDE để đổi chủ đề, DUNG để ngừng, XOA để xóa.",
				"Zalo: write to the ward's page TOI to see, CHUDE to change topics, DUNG to stop, XOA to delete."),
			t("Hoặc đến %s. Yêu cầu được ghi sổ và thực hiện trong %d ngày (yêu cầu qua Telegram, Zalo được thực hiện ngay).",
				"Or come to %s. Requests are recorded and carried out within %d days (those by Telegram or Zalo at once).", where, n.RequestDays),
		}},
	}
}

// Text is the whole notice as plain text.
func (n Notice) Text(lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", i18n.Sprintf(lang, "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN — %s", "PRIVACY NOTICE — %s", strings.ToUpper(n.Controller)))
	for _, s := range n.Sections(lang) {
		fmt.Fprintf(&b, "%s\n", s.Title)
		for _, p := range s.Body {
			fmt.Fprintf(&b, "  %s\n", p)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Held is everything Loa holds about one resident, as they see it when
// they ask (/toi on Telegram, TOI on Zalo).
type Held struct {
	Channel       content.Channel
	ID            string // chat id, Zalo user id, or "phone:84…"
	Name          string
	Language      string
	Topics        []content.Topic
	Phone         string
	ConsentAt     time.Time // zero: not consenting now
	ConsentedAt   time.Time // when consent was last given
	ConsentSource string
	Evidence      string
	WithdrawnAt   time.Time
	FollowedAt    time.Time
	Deliveries    int // messages the ledger holds sent to them
}

// Text is h for the person, in lang.
func (h Held) Text(lang string) string {
	t := func(vi, en string, args ...any) string { return i18n.Sprintf(lang, vi, en, args...) }
	when := func(x time.Time) string {
		if x.IsZero() {
			return "—"
		}
		return x.In(content.Zone).Format("15:04 02/01/2006")
	}
	var topics []string
	for _, tp := range h.Topics {
		topics = append(topics, tp.Label(lang))
	}
	if len(topics) == 0 {
		topics = []string{t("chưa chọn", "none chosen")}
	}
	lines := []string{
		t("Dữ liệu của bạn mà phường đang giữ:", "The data the ward holds about you:"),
		t("• Kênh: %s, mã: %s", "• Channel: %s, id: %s", h.Channel.Label(lang), h.ID),
		t("• Tên hiển thị: %s", "• Display name: %s", cmp.Or(h.Name, "—")),
		t("• Ngôn ngữ: %s", "• Language: %s", cmp.Or(h.Language, "vi")),
		t("• Chủ đề: %s", "• Topics: %s", strings.Join(topics, "; ")),
	}
	if h.Phone != "" {
		lines = append(lines, t("• Số điện thoại: %s", "• Phone: %s", h.Phone))
	}
	if !h.FollowedAt.IsZero() {
		lines = append(lines, t("• Theo dõi trang Zalo của phường lúc: %s", "• Followed the ward's Zalo page at: %s", when(h.FollowedAt)))
	}
	lines = append(lines,
		t("• Đồng ý lúc: %s (cách: %s)", "• Agreed at: %s (how: %s)", when(h.ConsentedAt), cmp.Or(h.ConsentSource, "—")))
	if h.Evidence != "" {
		lines = append(lines, t("• Bằng chứng đồng ý: %s", "• Proof of consent: %s", h.Evidence))
	}
	switch {
	case !h.WithdrawnAt.IsZero():
		lines = append(lines, t("• Đã rút lại đồng ý lúc: %s — không nhận tin", "• Withdrew at: %s — receives nothing", when(h.WithdrawnAt)))
	case h.ConsentAt.IsZero():
		lines = append(lines, t("• Chưa đồng ý — không nhận tin", "• Has not agreed — receives nothing"))
	default:
		lines = append(lines, t("• Đang nhận tin", "• Receiving messages"))
	}
	lines = append(lines, t("• Sổ gửi: %d tin đã gửi tới mã này", "• Ledger: %d messages sent to this id", h.Deliveries))
	return strings.Join(lines, "\n")
}
