package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
)

// words are the dashboard's texts by key, Vietnamese and English: every
// word a page shows is here.
var words = map[string]i18n.Text{
	"activities":        {VI: "Hoạt động", EN: "Activities"},
	"reports":           {VI: "Báo cáo", EN: "Reports"},
	"approvals":         {VI: "Duyệt tin", EN: "Approvals"},
	"approve":           {VI: "Duyệt", EN: "Approve"},
	"approved_by":       {VI: "Người duyệt", EN: "Approved by"},
	"audience":          {VI: "Người nhận (ước tính)", EN: "Recipients (estimate)"},
	"banner":            {VI: "Băng rôn", EN: "Banner"},
	"calendar":          {VI: "Lịch", EN: "Calendar"},
	"campaign":          {VI: "Chiến dịch", EN: "Campaign"},
	"campaigns":         {VI: "Chiến dịch", EN: "Campaigns"},
	"channel":           {VI: "Kênh", EN: "Channel"},
	"chars":             {VI: "ký tự", EN: "characters"},
	"count":             {VI: "Số lượt", EN: "Count"},
	"diff":              {VI: "Thay đổi so với bản đã duyệt", EN: "Changes since the approved version"},
	"diff_first":        {VI: "Bản đầu tiên: chưa có bản nào được duyệt.", EN: "The first version: none was approved yet."},
	"done":              {VI: "Đã làm", EN: "Done"},
	"draft_new":         {VI: "Soạn tin mới", EN: "New message"},
	"edit":              {VI: "Sửa", EN: "Edit"},
	"editor":            {VI: "Soạn tin", EN: "Editor"},
	"error":             {VI: "Lỗi", EN: "Error"},
	"failures":          {VI: "Gửi lỗi cần xem", EN: "Failed deliveries to look at"},
	"fields":            {VI: "Chèn trường", EN: "Insert a field"},
	"history":           {VI: "Lịch sử", EN: "History"},
	"image":             {VI: "Ảnh gửi kèm (JPG, PNG, tối đa 5 MB)", EN: "Picture (JPG, PNG, up to 5 MB)"},
	"key":               {VI: "Khóa tin", EN: "Key"},
	"loudspeaker":       {VI: "Loa truyền thanh", EN: "Loudspeaker"},
	"message":           {VI: "Tin", EN: "Message"},
	"messages":          {VI: "Tin", EN: "Messages"},
	"minutes_reading":   {VI: "đọc khoảng", EN: "reads in about"},
	"my_work":           {VI: "Việc chờ tôi", EN: "Waiting for me"},
	"name":              {VI: "Tên đăng nhập", EN: "Login"},
	"next_days":         {VI: "Hôm nay và 7 ngày tới", EN: "Today and the next 7 days"},
	"no_problems":       {VI: "Không có sự cố.", EN: "No problems."},
	"nothing":           {VI: "Không có gì.", EN: "Nothing."},
	"not_done":          {VI: "Không làm được", EN: "Not done"},
	"note":              {VI: "Ghi chú", EN: "Note"},
	"parts":             {VI: "phần", EN: "parts"},
	"password":          {VI: "Mật khẩu", EN: "Password"},
	"pending_none":      {VI: "Không có tin nào chờ duyệt.", EN: "No message waits for approval."},
	"preview":           {VI: "Xem trước", EN: "Preview"},
	"print_slip":        {VI: "In phiếu duyệt", EN: "Print the approval slip"},
	"problems":          {VI: "Sự cố", EN: "Problems"},
	"reach":             {VI: "Số người nhận được", EN: "People reached"},
	"reason":            {VI: "Lý do", EN: "Reason"},
	"reject":            {VI: "Từ chối", EN: "Reject"},
	"rejected_drafts":   {VI: "Tin bị từ chối cần sửa", EN: "Rejected messages to fix"},
	"resend":            {VI: "Gửi lại", EN: "Resend"},
	"resend_confirm":    {VI: "Gửi lại các lượt này? Người nhận có thể nhận hai lần.", EN: "Resend these? Recipients may get it twice."},
	"run":               {VI: "Lượt gửi", EN: "Run"},
	"runs":              {VI: "Lượt gửi", EN: "Runs"},
	"save":              {VI: "Lưu nháp", EN: "Save draft"},
	"schedules":         {VI: "Lịch gửi", EN: "Schedules"},
	"server_error":      {VI: "Loa gặp lỗi; đã ghi vào nhật ký để quản trị viên xem.", EN: "Loa hit an error; it is logged for the administrator."},
	"sign_in":           {VI: "Đăng nhập", EN: "Sign in"},
	"sign_out":          {VI: "Đăng xuất", EN: "Sign out"},
	"slip_title":        {VI: "PHIẾU DUYỆT NỘI DUNG TUYÊN TRUYỀN", EN: "CONTENT APPROVAL SLIP"},
	"slogans_list":      {VI: "Danh sách khẩu hiệu", EN: "Slogan list"},
	"spoken":            {VI: "Đọc cho loa (như máy đọc)", EN: "As the speech synthesizer reads it"},
	"state":             {VI: "Trạng thái", EN: "State"},
	"submit":            {VI: "Trình duyệt", EN: "Submit for approval"},
	"submitted_by":      {VI: "Người trình", EN: "Submitted by"},
	"tasks":             {VI: "Việc", EN: "Tasks"},
	"task_page":         {VI: "Việc của tôi", EN: "My task"},
	"day_sheet":         {VI: "Phiếu việc trong ngày", EN: "The day's task sheet"},
	"notices":           {VI: "Thông báo gửi tôi", EN: "Notices to me"},
	"zalo_window":       {VI: "Cán bộ ngoài cửa sổ Zalo (chưa nhắn cho OA trong 7 ngày: Loa báo họ qua kênh khác)", EN: "Staff outside Zalo's window (no message to the OA in 7 days: Loa tells them by another channel)"},
	"telegram":          {VI: "Telegram", EN: "Telegram"},
	"title":             {VI: "Tiêu đề", EN: "Title"},
	"today":             {VI: "Hôm nay", EN: "Today"},
	"topic":             {VI: "Chủ đề", EN: "Topic"},
	"version":           {VI: "Phiên bản", EN: "Version"},
	"when":              {VI: "Lúc", EN: "When"},
	"withdraw":          {VI: "Rút lại", EN: "Withdraw"},
	"zalo":              {VI: "Zalo", EN: "Zalo"},
	"month":             {VI: "Tháng", EN: "Month"},
	"prev":              {VI: "‹ Trước", EN: "‹ Previous"},
	"next":              {VI: "Sau ›", EN: "Next ›"},
	"day":               {VI: "Ngày", EN: "Day"},
	"banners_plan":      {VI: "Kế hoạch băng rôn", EN: "Banner plan"},
	"place":             {VI: "Vị trí", EN: "Place"},
	"responsible":       {VI: "Phụ trách", EN: "Responsible"},
	"waiting_approval":  {VI: "chờ duyệt", EN: "waiting for approval"},
	"live":              {VI: "Tự cập nhật", EN: "Updating live"},
	"window":            {VI: "Thời gian", EN: "Window"},
	"diff_current":      {VI: "Đây là bản đã duyệt; chưa có thay đổi nào sau đó.", EN: "This is the approved version; nothing changed since."},
	"radio_files":       {VI: "Tệp kịch bản và âm thanh ngày", EN: "Script and audio files of"},
	"radio_make":        {VI: "Tạo kịch bản in và âm thanh cho ngày này", EN: "Make the day's printouts and audio"},
	"consent_history":   {VI: "Lịch sử đồng ý", EN: "Consent history"},
	"save_schedule":     {VI: "Lưu lịch gửi", EN: "Save the schedule"},
	"radio_rota":        {VI: "Lịch phát thanh", EN: "Radio rota"},
	"zalo_reauth":       {VI: "Cấp quyền lại cho Loa", EN: "Authorize Loa again"},
	"zalo_reauth_help":  {VI: "Đăng nhập bằng tài khoản quản trị OA và đồng ý; địa chỉ trả về phải được khai báo trong ứng dụng Zalo:", EN: "Sign in as an OA admin and agree; the app must list this redirect address:"},
	"zalo_ok":           {VI: "Đã lưu token mới của OA.", EN: "The OA's new tokens are saved."},
	"disable":           {VI: "Khóa", EN: "Disable"},
	"enable":            {VI: "Mở lại", EN: "Enable"},
	"new_password":      {VI: "mật khẩu mới", EN: "new password"},
	"set_password":      {VI: "Đặt mật khẩu", EN: "Set password"},
	"user_add":          {VI: "Thêm tài khoản", EN: "Add an account"},
	"role":              {VI: "Vai trò", EN: "Role"},
	"listen":            {VI: "▶ Nghe thử (máy đọc)", EN: "▶ Listen (synthesized)"},
	"residents":         {VI: "Người nhận tin", EN: "Residents"},
	"sub_receives":      {VI: "đang nhận tin", EN: "receiving"},
	"sub_stopped":       {VI: "đã ngừng", EN: "stopped"},
	"sub_blocked":       {VI: "đã chặn", EN: "blocked"},
	"sub_waiting":       {VI: "theo dõi, chưa chọn (không nhận tin)", EN: "following, not chosen (receive nothing)"},
	"by_topic":          {VI: "Theo chủ đề (đang nhận)", EN: "By topic (receiving)"},
	"find_resident":     {VI: "Tìm một người", EN: "Find a person"},
	"id_or_phone":       {VI: "Mã Zalo, chat Telegram hoặc số điện thoại", EN: "Zalo id, Telegram chat or phone"},
	"find":              {VI: "Tìm", EN: "Find"},
	"name_full":         {VI: "Họ tên", EN: "Name"},
	"consent":           {VI: "Đồng ý", EN: "Consent"},
	"forget":            {VI: "Xóa dữ liệu", EN: "Delete their data"},
	"forget_confirm":    {VI: "người này yêu cầu xóa", EN: "they asked for it"},
	"forgotten":         {VI: "Đã xóa dữ liệu của người này; sổ gửi chỉ giữ một mã thay thế.", EN: "Their data is deleted; the ledger keeps only a replacement id."},
	"residents_private": {VI: "Thông tin từng người chỉ cán bộ phụ trách danh sách và quản trị viên xem được.", EN: "Only the officer and the administrator see a person's data."},
	"downloads":         {VI: "Tải về", EN: "Downloads"},
	"radio_day":         {VI: "Lịch và kịch bản phát thanh ngày", EN: "Radio rota and scripts of"},
	"radio_week":        {VI: "Lịch phát thanh cả tuần", EN: "The week's radio rota"},
	"printable":         {VI: "bản in", EN: "printable"},
	"report":            {VI: "Báo cáo năm", EN: "Year report"},
	"settings":          {VI: "Cài đặt", EN: "Settings"},
	"health":            {VI: "Tình trạng", EN: "Health"},
	"backup_now":        {VI: "Sao lưu ngay", EN: "Back up now"},
	"backup_done":       {VI: "Đã sao lưu (đã kiểm tra toàn vẹn)", EN: "Backed up (integrity checked)"},
	"accounts":          {VI: "Tài khoản", EN: "Accounts"},
	"role_title":        {VI: "Vai trò, chức danh", EN: "Role, title"},
	"active":            {VI: "hoạt động", EN: "active"},
	"disabled":          {VI: "đã khóa", EN: "disabled"},
	"configuration":     {VI: "Cấu hình đang dùng (ẩn bí mật)", EN: "Effective configuration (secrets hidden)"},
	"schedule_add":      {VI: "Thêm lịch gửi", EN: "Add a schedule"},
	"schedule_kind":     {VI: "Kiểu", EN: "Kind"},
	"schedule_spec":     {VI: "Thời điểm", EN: "When"},
	"quiet":             {VI: "Giờ yên lặng (tùy chọn)", EN: "Quiet hours (optional)"},
	"remove":            {VI: "Xóa", EN: "Remove"},
	"recipients":        {VI: "Người nhận", EN: "Recipients"},
	"kind_at":           {VI: "Một lần (2026-11-15 07:30)", EN: "Once (2026-11-15 07:30)"},
	"kind_relative":     {VI: "So với ngày lễ (D-3 08:00)", EN: "From the observance (D-3 08:00)"},
	"kind_cron":         {VI: "Lặp lại (cron: 0 19 * * 1 = 19:00 thứ Hai)", EN: "Repeating (cron: 0 19 * * 1 = 19:00 Mondays)"},
	"kind_rotation":     {VI: "Luân phiên nhiều tin (cron)", EN: "Rotation of several messages (cron)"},
}

// word is key's text in lang; a missing key shows as itself, so a test
// finds it.
func word(lang, key string) string {
	if t, ok := words[key]; ok {
		return t.In(lang)
	}
	return key
}

// weekdays are the columns of the month grid, Monday first.
var weekdays = map[string][]string{
	"vi": {"Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"},
	"en": {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
}

var funcs = template.FuncMap{
	"t":            word,
	"tf":           func(lang, vi, en string, args ...any) string { return i18n.Sprintf(lang, vi, en, args...) },
	"clock":        func(t time.Time) string { return t.In(content.Zone).Format("15:04") },
	"when":         func(t time.Time) string { return t.In(content.Zone).Format("15:04 02/01/2006") },
	"date":         func(d content.Date) string { return d.Short() },
	"problem":      func(p content.Problem, lang string) string { return p.Localize(lang) },
	"errtext":      func(err error, lang string) string { return i18n.Error(err, lang) },
	"telegram":     telegramHTML,
	"diff":         diffHTML,
	"channel":      func(ch content.Channel, lang string) string { return word(lang, string(ch)) },
	"channels":     func() []content.Channel { return content.Channels },
	"roles":        func() []staff.Role { return staff.Roles },
	"hasChannel":   func(cs []content.Channel, ch content.Channel) bool { return slices.Contains(cs, ch) },
	"date_iso":     func(d content.Date) string { return d.String() },
	"kinds":        func() []string { return []string{"at", "relative", "cron", "rotation"} },
	"imagefield":   func(path, url string) map[string]string { return map[string]string{"Path": path, "URL": url} },
	"describe":     func(k scheduler.Kind, spec, lang string) string { return scheduler.Describe(k, spec, lang) },
	"topics":       func() []content.Topic { return content.Topics },
	"topic":        func(t content.Topic, lang string) string { return t.Label(lang) },
	"audience":     scheduler.DescribeAudience,
	"requestKind":  privacy.KindLabel,
	"requestKinds": func() []string { return privacy.Kinds },
	"audit": func(e staff.AuditEntry, lang string) [2]string {
		action, detail := e.Say(lang)
		return [2]string{action, detail}
	},
	"weekdays":  func(lang string) []string { return weekdays[lang] },
	"role":      func(r staff.Role, lang string) string { return r.Label(lang) },
	"minutes":   func(d time.Duration, lang string) string { return i18n.Duration(d).Localize(lang) },
	"add":       func(a, b int) int { return a + b },
	"via":       notify.ViaLabel,
	"join":      strings.Join,
	"leftovers": speech.Leftovers,
	"photoURL": func(ref string) string {
		if id, ok := strings.CutPrefix(ref, "photo:"); ok {
			return "/photos/" + id
		}
		return ""
	},
	// notice splits a notice into its subject (without "Loa: ") and text.
	"notice": func(s string) [2]string {
		subject, text, _ := strings.Cut(s, "\n")
		return [2]string{content.UpperFirst(strings.TrimSpace(strings.TrimPrefix(subject, "Loa: "))), strings.TrimSpace(text)}
	},
	"weekday":    func(t time.Time, lang string) string { return content.DateOf(t).WeekdayName(lang) },
	"upper":      strings.ToUpper,
	"splitLines": func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
	// pass gives a shared template a value and the page's language.
	"pass": func(lang string, v any) map[string]any { return map[string]any{"Lang": lang, "V": v} },
}

func itoa(n int) string { return strconv.Itoa(n) }

// telegramTags are the tags Telegram's HTML parse mode allows without
// attributes; <a href> is allowed for http(s) links.
var (
	telegramTag  = regexp.MustCompile(`&lt;(/?)(b|strong|i|em|u|ins|s|strike|del|code|pre|blockquote|tg-spoiler)&gt;`)
	telegramLink = regexp.MustCompile(`&lt;a href=&#34;(https?://[^&<>"]+)&#34;&gt;`)
)

// telegramHTML shows a Telegram variant as Telegram renders it: the text is
// escaped, then only Telegram's own tags come back.
func telegramHTML(s string) template.HTML {
	e := html.EscapeString(s)
	e = telegramTag.ReplaceAllString(e, "<$1$2>")
	e = telegramLink.ReplaceAllString(e, `<a href="$1" rel="noopener noreferrer">`)
	e = strings.ReplaceAll(e, "&lt;/a&gt;", "</a>")
	return template.HTML(balance(e)) // #nosec: built from escaped text
}

// balance closes tags left open (a draft being typed) so the page around
// the preview keeps its shape.
func balance(s string) string {
	var open []string
	tag := regexp.MustCompile(`<(/?)([a-z-]+)[^>]*>`)
	for _, m := range tag.FindAllStringSubmatch(s, -1) {
		if m[1] == "" {
			open = append(open, m[2])
		} else if n := len(open); n > 0 && open[n-1] == m[2] {
			open = open[:n-1]
		}
	}
	for i := len(open) - 1; i >= 0; i-- {
		s += "</" + open[i] + ">"
	}
	return s
}

// diffHTML shows what changed from old to new, word by word: deletions
// struck through, insertions marked.
func diffHTML(old, new string) template.HTML {
	dmp := diffmatchpatch.New()
	ds := dmp.DiffCleanupSemantic(dmp.DiffMain(old, new, false))
	var b strings.Builder
	for _, d := range ds {
		text := html.EscapeString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			fmt.Fprintf(&b, "<ins>%s</ins>", text)
		case diffmatchpatch.DiffDelete:
			fmt.Fprintf(&b, "<del>%s</del>", text)
		default:
			b.WriteString(text)
		}
	}
	return template.HTML(b.String()) // #nosec: built from escaped text
}
