// Package activities is the ward's work that Loa does not send itself but
// reports: direct communication (conferences, thematic sessions at a
// residential block or a women's union branch, talks, dialogues, launch
// ceremonies, walks, contests, trainings) with their participants, the
// documents the ward issued, the printed materials, and the articles on
// its web portal or fan page. The report that goes up counts them beside
// what Loa sent; the officer records them by form, CLI or CSV.
package activities

import (
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Category is what sort of record a kind is.
type Category string

// The categories.
const (
	Direct   Category = "direct"   // a session with people present
	Document Category = "document" // a document the ward issued
	Material Category = "material" // printed or displayed materials
	Article  Category = "article"  // articles online
)

// Kind is one kind of record, named as wards write it.
type Kind struct {
	Key      string
	Category Category
	Label    i18n.Text
}

// Kinds are every kind, in the order reports list them.
var Kinds = []Kind{
	{"hoi-nghi", Direct, i18n.Text{VI: "Hội nghị tuyên truyền", EN: "Awareness conference"}},
	{"sinh-hoat-chuyen-de", Direct, i18n.Text{VI: "Sinh hoạt chuyên đề tại tổ dân phố, chi hội phụ nữ", EN: "Thematic session at a residential block or women's union branch"}},
	{"noi-chuyen", Direct, i18n.Text{VI: "Buổi nói chuyện chuyên đề", EN: "Talk"}},
	{"doi-thoai", Direct, i18n.Text{VI: "Đối thoại", EN: "Dialogue"}},
	{"le-phat-dong", Direct, i18n.Text{VI: "Lễ phát động, mít tinh", EN: "Launch ceremony or rally"}},
	{"di-bo", Direct, i18n.Text{VI: "Diễu hành, đi bộ đồng hành", EN: "Walk or parade"}},
	{"hoi-thi", Direct, i18n.Text{VI: "Hội thi", EN: "Contest"}},
	{"tap-huan", Direct, i18n.Text{VI: "Tập huấn, bồi dưỡng", EN: "Training"}},
	{"ke-hoach", Document, i18n.Text{VI: "Kế hoạch", EN: "Plan"}},
	{"cong-van", Document, i18n.Text{VI: "Công văn chỉ đạo, hướng dẫn", EN: "Directive letter"}},
	{"thong-bao", Document, i18n.Text{VI: "Thông báo", EN: "Notice"}},
	{"to-roi", Material, i18n.Text{VI: "Tờ rơi, tờ gấp", EN: "Leaflets"}},
	{"ap-phich", Material, i18n.Text{VI: "Áp phích", EN: "Posters"}},
	{"pano", Material, i18n.Text{VI: "Pa nô", EN: "Pano boards"}},
	{"co-pheon", Material, i18n.Text{VI: "Cờ phướn, cờ dây", EN: "Flags"}},
	{"man-hinh-led", Material, i18n.Text{VI: "Lượt trình chiếu trên màn hình LED", EN: "LED screen slots"}},
	{"bai-cong-thong-tin", Article, i18n.Text{VI: "Tin, bài trên Cổng thông tin điện tử phường", EN: "Articles on the ward's web portal"}},
	{"bai-trang-mang", Article, i18n.Text{VI: "Tin, bài trên trang mạng xã hội của phường", EN: "Posts on the ward's fan page"}},
}

// KindOf returns the kind with key, and whether there is one.
func KindOf(key string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Key == key {
			return k, true
		}
	}
	return Kind{}, false
}

// Record is one activity, document, material or article.
type Record struct {
	ID           int64
	Campaign     string // "action-month/2026"
	CampaignID   int64
	Kind         string // a Kinds key
	Date         content.Date
	Title        string // what it was: the session's name, the document's title
	Place        string // where (direct)
	Unit         string // the unit in charge (direct)
	Number       string // the document's number and symbol, "178/KH-UBND"
	Count        int    // materials and articles: how many (1 for a session or a document)
	Participants int    // direct: people present
	Women        int    // direct: of them, women
	Link         string // an article's address
	Notes        string
	CreatedBy    string
	CreatedAt    time.Time
	Files        []File
}

// Men is how many of the participants were men (or not counted as women).
func (r Record) Men() int { return r.Participants - r.Women }

// KindLabel names the record's kind in lang.
func (r Record) KindLabel(lang string) string {
	k, _ := KindOf(r.Kind)
	return k.Label.In(lang)
}

// Category is the record's category.
func (r Record) Category() Category {
	k, _ := KindOf(r.Kind)
	return k.Category
}

// File is an attachment (a photo, the minutes), kept in the database so a
// backup holds it.
type File struct {
	ID      int64
	Name    string
	Type    string // image/jpeg, image/png, application/pdf
	Size    int
	Data    []byte // only when read for download
	By      string
	Created time.Time
}

// FieldError is a problem with one field, named as the CSV's column.
type FieldError struct {
	Field string
	Err   error
}

func (f FieldError) Error() string { return f.Localize(i18n.English) }

// Localize says the problem in lang.
func (f FieldError) Localize(lang string) string { return f.Field + ": " + i18n.Error(f.Err, lang) }

// The CSV's columns, in the order a template lists them.
var Columns = []string{"loai", "ngay", "chien_dich", "ten", "dia_diem", "don_vi", "so_hieu", "so_luong", "so_nguoi", "so_nu", "lien_ket", "ghi_chu"}

// Check puts r in canonical form and returns its problems, each named by
// its column. today bounds the date: nothing is recorded before it happens.
func (r *Record) Check(today content.Date) []FieldError {
	var errs []FieldError
	bad := func(field, vi, en string, args ...any) {
		errs = append(errs, FieldError{field, i18n.Errorf(vi, en, args...)})
	}
	for _, s := range []*string{&r.Title, &r.Place, &r.Unit, &r.Number, &r.Link, &r.Notes} {
		*s = strings.TrimSpace(content.Normalize(*s))
	}
	k, ok := KindOf(r.Kind)
	if !ok {
		bad("loai", "%q không phải loại hoạt động (xem loa activities kinds)", "%q is not a kind of activity (see loa activities kinds)", r.Kind)
		return errs
	}
	switch {
	case r.Date.IsZero():
		bad("ngay", "cần ngày (ví dụ 25/11/2026)", "the date is required (e.g. 25/11/2026)")
	case r.Date.After(today):
		bad("ngay", "%s là ngày chưa tới: chỉ ghi việc đã làm", "%s has not come yet: record only what was done", r.Date.Short())
	}
	if r.Count < 0 || r.Participants < 0 || r.Women < 0 {
		bad("so_luong", "số không được âm", "numbers cannot be negative")
	}
	switch k.Category {
	case Direct:
		if r.Place == "" {
			bad("dia_diem", "cần địa điểm", "the place is required")
		}
		if r.Unit == "" {
			bad("don_vi", "cần đơn vị chủ trì", "the unit in charge is required")
		}
		if r.Participants == 0 {
			bad("so_nguoi", "cần số người tham dự", "the number of participants is required")
		}
		if r.Women > r.Participants {
			bad("so_nu", "%d nữ nhiều hơn %d người tham dự", "%d women is more than the %d participants", r.Women, r.Participants)
		}
		r.Count = 1
	case Document:
		if r.Number == "" {
			bad("so_hieu", "cần số, ký hiệu văn bản (ví dụ 178/KH-UBND)", "the document's number is required (e.g. 178/KH-UBND)")
		}
		if r.Title == "" {
			bad("ten", "cần trích yếu văn bản", "the document's title is required")
		}
		r.Count = 1
	case Material, Article:
		if r.Count == 0 {
			bad("so_luong", "cần số lượng", "the count is required")
		}
		if r.Participants != 0 || r.Women != 0 {
			bad("so_nguoi", "chỉ hoạt động trực tiếp có người tham dự", "only direct activities have participants")
		}
	}
	if r.Link != "" && !strings.HasPrefix(r.Link, "https://") && !strings.HasPrefix(r.Link, "http://") {
		bad("lien_ket", "%q không phải địa chỉ trang (https://…)", "%q is not a web address (https://…)", r.Link)
	}
	return errs
}

// Summary is a campaign's (or a year's) records counted as reports count.
type Summary struct {
	Sessions     int            // direct activities
	Participants int            // at them
	Women        int            // of them women
	ByKind       map[string]int // records (sessions, documents) or counts (materials, articles) by kind
	Documents    int
	Materials    int // items printed or shown
	Articles     int
}

// Men is the participants who were not women.
func (s Summary) Men() int { return s.Participants - s.Women }

// Sum counts records.
func Sum(rs []Record) Summary {
	s := Summary{ByKind: map[string]int{}}
	for _, r := range rs {
		switch r.Category() {
		case Direct:
			s.Sessions++
			s.Participants += r.Participants
			s.Women += r.Women
			s.ByKind[r.Kind]++
		case Document:
			s.Documents++
			s.ByKind[r.Kind]++
		case Material:
			s.Materials += r.Count
			s.ByKind[r.Kind] += r.Count
		case Article:
			s.Articles += r.Count
			s.ByKind[r.Kind] += r.Count
		}
	}
	return s
}

// String is a short description for lists.
func (r Record) String() string {
	switch r.Category() {
	case Direct:
		return fmt.Sprintf("%s %s, %s (%s): %d người, %d nữ", r.Date.Short(), r.KindLabel("vi"), r.Place, r.Unit, r.Participants, r.Women)
	case Document:
		return fmt.Sprintf("%s %s số %s: %s", r.Date.Short(), r.KindLabel("vi"), r.Number, r.Title)
	}
	return fmt.Sprintf("%s %s: %d", r.Date.Short(), r.KindLabel("vi"), r.Count)
}
