// Package speech turns written Vietnamese into what a reader or a
// text-to-speech engine should say: dates ("28/6" → "ngày hai mươi tám
// tháng sáu"), ranges ("15/11–15/12" → "từ ngày … đến ngày …"), years,
// numbers (with the mốt, lăm, tư and linh rules), times, phone numbers digit
// by digit, percentages, document numbers ("48/2009/NĐ-CP") and
// abbreviations (UBND, HĐND, MTTQ, LHPN, BĐG, BLGĐ, TDP, …). espeak-ng reads
// none of these correctly on its own (reference/vietnam-practice.md §1.5).
package speech

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/loa-ward/loa/content"
)

// Abbreviations is the built-in dictionary; a ward adds its own with
// Normalizer.Extra.
var Abbreviations = map[string]string{
	"UBND":     "Ủy ban nhân dân",
	"HĐND":     "Hội đồng nhân dân",
	"UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
	"MTTQ":     "Mặt trận Tổ quốc",
	"LHPN":     "Liên hiệp Phụ nữ",
	"BĐG":      "bình đẳng giới",
	"BLGĐ":     "bạo lực gia đình",
	"TDP":      "tổ dân phố",
	"KH":       "kế hoạch",
	"NĐ":       "nghị định",
	"NQ":       "nghị quyết",
	"QĐ":       "quyết định",
	"CV":       "công văn",
	"CP":       "Chính phủ",
	"TTg":      "Thủ tướng",
	"PCT":      "Phó Chủ tịch",
	"CT":       "Chủ tịch",
	"TT":       "Thường trực",
	"TM":       "thay mặt",
	"KT":       "ký thay",
	"VT":       "văn thư",
	"VHXH":     "văn hóa - xã hội",
	"VHXX":     "văn hóa - xã hội", // as the 2026 plan writes the office's code
	"VHTTDL":   "Văn hóa, Thể thao và Du lịch",
	"LĐTBXH":   "Lao động - Thương binh và Xã hội",
	"BNV":      "Bộ Nội vụ",
	"TP":       "thành phố",
	"VN":       "Việt Nam",
	"THCS":     "trung học cơ sở",
	"THPT":     "trung học phổ thông",
	"b/c":      "báo cáo",
}

// Normalizer holds the dictionary in use.
type Normalizer struct {
	Extra map[string]string // the ward's own abbreviations, over the built-in ones
	words []string          // dictionary keys, longest first
	dict  map[string]string
}

// New returns a normalizer with the built-in dictionary and extra.
func New(extra map[string]string) *Normalizer {
	n := &Normalizer{Extra: extra, dict: map[string]string{}}
	for k, v := range Abbreviations {
		n.dict[k] = v
	}
	for k, v := range extra {
		n.dict[k] = v
	}
	for k := range n.dict {
		n.words = append(n.words, k)
	}
	sort.Slice(n.words, func(i, j int) bool { return len(n.words[i]) > len(n.words[j]) })
	return n
}

var (
	docRef    = regexp.MustCompile(`(\d+)/(\d{4})/([A-ZĐ][\p{L}&]*(?:-[\p{L}&]+)*)`) // 48/2009/NĐ-CP
	docRefNoY = regexp.MustCompile(`(\d+)/([A-ZĐ][\p{L}&]*(?:-[\p{L}&]+)*)`)         // 178/KH-UBND
	dateRange = regexp.MustCompile(`(từ\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s*[-–—]\s*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?`)
	yearRange = regexp.MustCompile(`\b(\d{4})\s*[-–—]\s*(\d{4})\b`)
	fullDate  = regexp.MustCompile(`(ngày\s+)?\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)
	shortDate = regexp.MustCompile(`(ngày\s+)?\b(\d{1,2})/(\d{1,2})\b`)
	clock     = regexp.MustCompile(`\b(\d{1,2})(?::|h|giờ\s*)(\d{2})\b|\b(\d{1,2})h\b`)
	phone     = regexp.MustCompile(`\b0\d(?:[ .]?\d){8,9}\b|\b1[89]00[ .]?\d{4}\b`) // 10–11 digits from 0, as grouped
	hotline   = regexp.MustCompile(`(?i)(gọi|số|tổng đài|đường dây nóng|hotline|qua số)(\s+)(\d{3,4})\b`)
	percent   = regexp.MustCompile(`(\d+(?:,\d+)?)\s*%`)
	decimal   = regexp.MustCompile(`\b(\d+),(\d+)\b`)
	thousands = regexp.MustCompile(`\b\d{1,3}(?:\.\d{3})+\b`)
	number    = regexp.MustCompile(`\d+`)
	spaces    = regexp.MustCompile(`[ \t]+`)
	heading   = regexp.MustCompile(`(?m)^(I{1,3}|IV|VI{0,3}|IX|X)\.\s`) // a plan's part headings, "III. KINH PHÍ"
)

var roman = map[string]string{"I": "một", "II": "hai", "III": "ba", "IV": "bốn", "V": "năm", "VI": "sáu", "VII": "bảy", "VIII": "tám", "IX": "chín", "X": "mười"}

// Text normalizes s for speaking.
func (n *Normalizer) Text(s string) string {
	s = content.Normalize(s)
	s = heading.ReplaceAllStringFunc(s, func(m string) string {
		return "Phần " + roman[heading.FindStringSubmatch(m)[1]] + ". "
	})
	s = docRef.ReplaceAllStringFunc(s, func(m string) string {
		p := docRef.FindStringSubmatch(m)
		return num(p[1]) + " năm " + num(p[2]) + " " + n.code(p[3])
	})
	s = docRefNoY.ReplaceAllStringFunc(s, func(m string) string {
		p := docRefNoY.FindStringSubmatch(m)
		if _, err := strconv.Atoi(p[2]); err == nil {
			return m
		}
		return num(p[1]) + " " + n.code(p[2])
	})
	s = dateRange.ReplaceAllStringFunc(s, func(m string) string {
		p := dateRange.FindStringSubmatch(m)
		from, ok1 := date(p[2], p[3], p[4])
		to, ok2 := date(p[5], p[6], p[7])
		if !ok1 || !ok2 {
			return m
		}
		return "từ " + from + " đến " + to
	})
	s = yearRange.ReplaceAllStringFunc(s, func(m string) string {
		p := yearRange.FindStringSubmatch(m)
		return num(p[1]) + " đến " + num(p[2])
	})
	s = fullDate.ReplaceAllStringFunc(s, func(m string) string {
		p := fullDate.FindStringSubmatch(m)
		if d, ok := date(p[2], p[3], p[4]); ok {
			return d
		}
		return m
	})
	s = shortDate.ReplaceAllStringFunc(s, func(m string) string {
		p := shortDate.FindStringSubmatch(m)
		if d, ok := date(p[2], p[3], ""); ok {
			return d
		}
		return m
	})
	s = clock.ReplaceAllStringFunc(s, func(m string) string {
		p := clock.FindStringSubmatch(m)
		if p[3] != "" {
			if h, _ := strconv.Atoi(p[3]); h <= 24 {
				return num(p[3]) + " giờ"
			}
			return m
		}
		h, _ := strconv.Atoi(p[1])
		mm, _ := strconv.Atoi(p[2])
		if h > 24 || mm > 59 {
			return m
		}
		if mm == 0 {
			return num(p[1]) + " giờ"
		}
		return num(p[1]) + " giờ " + num(p[2]) + " phút"
	})
	s = phone.ReplaceAllStringFunc(s, Digits)
	s = hotline.ReplaceAllStringFunc(s, func(m string) string {
		p := hotline.FindStringSubmatch(m)
		return p[1] + p[2] + Digits(p[3])
	})
	s = percent.ReplaceAllStringFunc(s, func(m string) string {
		return decimalWords(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m), "%"))) + " phần trăm"
	})
	s = thousands.ReplaceAllStringFunc(s, func(m string) string { return num(strings.ReplaceAll(m, ".", "")) })
	s = decimal.ReplaceAllStringFunc(s, decimalWords)
	s = n.abbreviations(s)
	s = number.ReplaceAllStringFunc(s, num)
	s = strings.NewReplacer("&", " và ", "–", ", ", "—", ", ", " - ", ", ").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
	}
	return strings.Join(lines, "\n")
}

// date reads day/month[/year], or false when it is not a date.
func date(d, m, y string) (string, bool) {
	dd, _ := strconv.Atoi(d)
	mm, _ := strconv.Atoi(m)
	if dd < 1 || dd > 31 || mm < 1 || mm > 12 {
		return "", false
	}
	out := "ngày " + day(dd) + " tháng " + month(mm)
	if y != "" {
		out += " năm " + num(y)
	}
	return out, true
}

func num(s string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return s
	}
	if len(s) > 1 && s[0] == '0' && len(s) > 2 {
		return Digits(s) // a leading zero: a code, read digit by digit
	}
	return Number(n)
}

func decimalWords(m string) string {
	whole, frac, ok := strings.Cut(m, ",")
	if !ok {
		return num(whole)
	}
	return num(whole) + " phẩy " + num(frac)
}

// code reads a document code such as "NĐ-CP" or "KH-UBND" part by part.
func (n *Normalizer) code(c string) string {
	var out []string
	for _, part := range strings.Split(c, "-") {
		for _, p := range strings.Split(part, "&") {
			if v, ok := n.dict[p]; ok {
				out = append(out, v)
			} else {
				out = append(out, p)
			}
		}
	}
	return strings.Join(out, " ")
}

// abbreviations replaces whole words of the dictionary, longest first.
func (n *Normalizer) abbreviations(s string) string {
	for _, w := range n.words {
		if !strings.Contains(s, w) {
			continue
		}
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, w)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			before, after := rest[:i], rest[i+len(w):]
			if boundary(before, true) && boundary(after, false) {
				b.WriteString(before)
				b.WriteString(n.dict[w])
			} else {
				b.WriteString(before)
				b.WriteString(w)
			}
			rest = after
		}
		s = b.String()
	}
	return s
}

// boundary reports whether the text next to a match ends (or starts) a word.
func boundary(s string, before bool) bool {
	if s == "" {
		return true
	}
	var r rune
	if before {
		r = []rune(s)[len([]rune(s))-1]
	} else {
		r = []rune(s)[0]
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// Leftovers are the words of spoken text the synthesizer would still read
// badly: a token in capitals (an abbreviation nobody expanded), one with a
// digit, a slash. A person checks them before the audio is made.
func Leftovers(spoken string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.Fields(spoken) {
		w = strings.Trim(w, ".,;:!?()«»\"'…–-")
		if w == "" || seen[w] {
			continue
		}
		caps := 0
		letters := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					caps++
				}
			}
		}
		if strings.ContainsAny(w, "0123456789/") || (letters >= 2 && caps == letters) {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
