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
	"ĐTN":      "Đoàn Thanh niên",
	"TN":       "thanh niên",
	"CCB":      "Cựu chiến binh",
	"ND":       "Nông dân",
	"CA":       "Công an",
	"VH-XH":    "văn hóa - xã hội",
	"TYT":      "Trạm Y tế",
	"PCBLGĐ":   "phòng, chống bạo lực gia đình",
	"BLTCSG":   "bạo lực trên cơ sở giới",
	"CTTN":     "Công tác thanh niên",
	"QH":       "Quốc hội",
	"HLHPN":    "Hội Liên hiệp Phụ nữ",
	"Zalo":     "Da lô", // read with Vietnamese sounds: espeak-ng switches to English on the brand
	"Telegram": "Tê lê gờ ram",
	"OA":       "Ô A",
	"LĐLĐ":     "Liên đoàn Lao động",
}

// codeWords are what the parts of a document's code mean, where they differ
// from the words alone ("TT" in a code is a circular, alone the standing body).
var codeWords = map[string]string{
	"TT": "thông tư", "BC": "báo cáo", "TB": "thông báo", "CT": "chỉ thị", "HD": "hướng dẫn", "KH": "kế hoạch",
	"QĐ": "quyết định", "NQ": "nghị quyết", "NĐ": "nghị định", "CV": "công văn", "L": "luật",
}

// docTypes are how a text names a document before its number ("Kế hoạch
// số 178/KH-UBND"): the code's type part is then not read again.
var docTypes = map[string]string{
	"kế hoạch": "KH", "quyết định": "QĐ", "nghị quyết": "NQ", "nghị định": "NĐ", "thông tư": "TT", "công văn": "CV",
	"báo cáo": "BC", "thông báo": "TB", "chỉ thị": "CT", "hướng dẫn": "HD", "luật": "L",
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
	dateRange = regexp.MustCompile(`(?i:(từ)\s+)?(?i:ngày\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s*[-–—]\s*(?:(?i:ngày)\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?`)
	yearRange = regexp.MustCompile(`\b(\d{4})\s*[-–—]\s*(\d{4})\b`)
	fullDate  = regexp.MustCompile(`(?i:(ngày)\s+)?\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)
	shortDate = regexp.MustCompile(`(?i:(ngày)\s+)?\b(\d{1,2})/(\d{1,2})\b`)
	clock     = regexp.MustCompile(`\b(\d{1,2})(?::|h|giờ\s*)(\d{2})\b|\b(\d{1,2})h\b`)
	phone     = regexp.MustCompile(`\b0\d(?:[ .]?\d){8,9}\b`) // 10–11 digits from 0, as grouped
	hotline   = regexp.MustCompile(`(?i)(gọi(?:\s+số)?|tổng đài|đường dây nóng|hotline|số điện thoại)(\s+)(\d{3,4})\b`)
	percent   = regexp.MustCompile(`(\d+(?:,\d+)?)\s*%`)
	decimal   = regexp.MustCompile(`\b(\d+),(\d+)\b`)
	thousands = regexp.MustCompile(`\b\d{1,3}(?:\.\d{3})+\b`)
	number    = regexp.MustCompile(`\d+`)
	spaces    = regexp.MustCompile(`[ \t]+`)
	heading   = regexp.MustCompile(`(?m)^(I{1,3}|IV|VI{0,3}|IX|X)\.\s`) // a plan's part headings, "III. KINH PHÍ"

	romanAfter = regexp.MustCompile(`(?i)(^|[\s(,;:])(phụ lục|phần|chương|mục|khóa|khoá|lần thứ|đại hội|quý)\s+((?-i:[IVXL]+))\b`)
	// A document's number with what the text calls it and what follows:
	// "Kế hoạch số 178/KH-UBND", "Luật số 91/2025/QH15".
	docFull    = regexp.MustCompile(`(?i:(kế hoạch|quyết định|nghị quyết|nghị định|thông tư|công văn|báo cáo|thông báo|chỉ thị|hướng dẫn|luật)\s+(số\s+)?)?(\d+)(?:/(\d{4}))?/([A-ZĐ][\p{L}&]*\d*(?:-[\p{L}&]+\d*)*)`)
	timeRange  = regexp.MustCompile(`(?i:(từ)\s+)?\b(\d{1,2})h(\d{2})?\s*[-–—]\s*(\d{1,2})h(\d{2})?\b`)
	formalDate = regexp.MustCompile(`(?i)\b(ngày)\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?\b`)
	monthYear  = regexp.MustCompile(`(?i)\b(tháng)\s+(\d{1,2})(?:/(\d{4}))?\b`)
	ordinal    = regexp.MustCompile(`(?i)\b(thứ)\s+(\d{1,2})\b`)
	money      = regexp.MustCompile(`\b(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ|VNĐ|VND)([^\p{L}]|$)`)
	fraction   = regexp.MustCompile(`(?i)\b(khoảng|hơn|gần|chiếm|trên|dưới|còn|tỷ lệ|tỉ lệ)\s+(\d{1,2})/(\d{1,2})\b`)
	allHours   = regexp.MustCompile(`\b24/7\b`)
	shortLine  = regexp.MustCompile(`\b(11[1-5])\b`)             // 111 to 115: the national short numbers
	freeLine   = regexp.MustCompile(`\b(1[89]00)[ .]?(\d{4})\b`) // 1800 1567: toll-free and paid lines
	slash      = regexp.MustCompile(`(\d)\s*/\s*(\d)`)
	abbrevDot  = regexp.MustCompile(`\b(TM|KT|TL|TUQ)\.\s*`) // "TM. ỦY BAN": the period is not a pause
)

var roman = map[string]string{"I": "một", "II": "hai", "III": "ba", "IV": "bốn", "V": "năm", "VI": "sáu", "VII": "bảy", "VIII": "tám", "IX": "chín", "X": "mười"}

// Text normalizes s for speaking.
func (n *Normalizer) Text(s string) string {
	s = content.Normalize(s)
	s = heading.ReplaceAllStringFunc(s, func(m string) string {
		return "Phần " + roman[heading.FindStringSubmatch(m)[1]] + ". "
	})
	s = romanAfter.ReplaceAllStringFunc(s, func(m string) string {
		p := romanAfter.FindStringSubmatch(m)
		v, ok := romanValue(p[3])
		if !ok {
			return m
		}
		if strings.EqualFold(p[2], "lần thứ") {
			return p[1] + p[2] + " " + ordinalWord(v)
		}
		return p[1] + p[2] + " " + Number(int64(v))
	})
	s = n.documents(s)
	s = timeRange.ReplaceAllStringFunc(s, func(m string) string {
		p := timeRange.FindStringSubmatch(m)
		from, ok1 := clockWords(p[2], p[3])
		to, ok2 := clockWords(p[4], p[5])
		if !ok1 || !ok2 {
			return m
		}
		lead := "từ"
		if p[1] != "" {
			lead = p[1]
		}
		return lead + " " + from + " đến " + to
	})
	s = dateRange.ReplaceAllStringFunc(s, func(m string) string {
		p := dateRange.FindStringSubmatch(m)
		from, ok1 := date(p[2], p[3], p[4])
		to, ok2 := date(p[5], p[6], p[7])
		if !ok1 || !ok2 {
			return m
		}
		lead := "từ"
		if p[1] != "" {
			lead = p[1] // as written: "Từ" at a sentence's start
		}
		return lead + " " + from + " đến " + to
	})
	s = yearRange.ReplaceAllStringFunc(s, func(m string) string {
		p := yearRange.FindStringSubmatch(m)
		return num(p[1]) + " đến " + num(p[2])
	})
	s = formalDate.ReplaceAllStringFunc(s, func(m string) string {
		p := formalDate.FindStringSubmatch(m)
		if d, ok := date(p[2], p[3], p[4]); ok {
			return p[1] + strings.TrimPrefix(d, "ngày")
		}
		return m
	})
	s = monthYear.ReplaceAllStringFunc(s, func(m string) string {
		p := monthYear.FindStringSubmatch(m)
		mm, _ := strconv.Atoi(p[2])
		if mm < 1 || mm > 12 {
			return m
		}
		out := p[1] + " " + month(mm)
		if p[3] != "" {
			out += " năm " + num(p[3])
		}
		return out
	})
	s = allHours.ReplaceAllString(s, "hai mươi tư trên bảy")
	s = fraction.ReplaceAllStringFunc(s, func(m string) string {
		p := fraction.FindStringSubmatch(m)
		return p[1] + " " + num(p[2]) + " phần " + num(p[3])
	})
	s = fullDate.ReplaceAllStringFunc(s, func(m string) string {
		p := fullDate.FindStringSubmatch(m)
		if d, ok := date(p[2], p[3], p[4]); ok {
			return withLead(p[1], d)
		}
		return m
	})
	s = shortDate.ReplaceAllStringFunc(s, func(m string) string {
		p := shortDate.FindStringSubmatch(m)
		if d, ok := date(p[2], p[3], ""); ok {
			return withLead(p[1], d)
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
	s = ordinal.ReplaceAllStringFunc(s, func(m string) string {
		p := ordinal.FindStringSubmatch(m)
		v, _ := strconv.Atoi(p[2])
		return p[1] + " " + ordinalWord(v)
	})
	s = money.ReplaceAllStringFunc(s, func(m string) string {
		p := money.FindStringSubmatch(m)
		return num(strings.ReplaceAll(p[1], ".", "")) + " đồng" + p[2]
	})
	s = phone.ReplaceAllStringFunc(s, Digits)
	s = freeLine.ReplaceAllStringFunc(s, func(m string) string {
		p := freeLine.FindStringSubmatch(m)
		return Digits(p[1]) + ", " + Digits(p[2])
	})
	s = hotline.ReplaceAllStringFunc(s, func(m string) string {
		p := hotline.FindStringSubmatch(m)
		return p[1] + p[2] + Digits(p[3])
	})
	s = shortLine.ReplaceAllStringFunc(s, Digits)
	s = percent.ReplaceAllStringFunc(s, func(m string) string {
		return decimalWords(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m), "%"))) + " phần trăm"
	})
	s = thousands.ReplaceAllStringFunc(s, func(m string) string { return num(strings.ReplaceAll(m, ".", "")) })
	s = decimal.ReplaceAllStringFunc(s, decimalWords)
	s = slash.ReplaceAllString(s, "$1 trên $2")
	s = abbrevDot.ReplaceAllString(s, "$1 ")
	s = n.abbreviations(s)
	s = n.lowerCapitals(s)
	s = number.ReplaceAllStringFunc(s, num)
	s = strings.NewReplacer("&", " và ", "–", ", ", "—", ", ", " - ", ", ").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
	}
	return strings.Join(lines, "\n")
}

// withLead puts a date after the word "ngày" as the text wrote it, or after
// "ngày" when it had none.
func withLead(lead, d string) string {
	if lead == "" {
		return d
	}
	return lead + strings.TrimPrefix(d, "ngày")
}

// lowerCapitals writes runs of two or more words in capitals, as headings
// and letterheads have them ("ỦY BAN NHÂN DÂN", "KINH PHÍ THỰC HIỆN"), as a
// sentence does ("Ủy ban nhân dân"): a synthesizer spells out what looks
// like an abbreviation.
func (n *Normalizer) lowerCapitals(s string) string {
	lines := strings.Split(s, "\n")
	for li, line := range lines {
		words := strings.Split(line, " ")
		caps := func(w string) bool {
			core := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
			if len([]rune(core)) < 2 || n.dict[core] != "" {
				return false
			}
			return strings.ToUpper(core) == core && strings.ToLower(core) != core
		}
		for i := 0; i < len(words); {
			j := i
			for j < len(words) && caps(words[j]) {
				j++
			}
			if j-i >= 2 {
				for k := i; k < j; k++ {
					lw := []rune(strings.ToLower(words[k]))
					if k == i {
						for x, r := range lw {
							if unicode.IsLetter(r) {
								lw[x] = unicode.ToUpper(r)
								break
							}
						}
					}
					words[k] = string(lw)
				}
			}
			if j == i {
				j++
			}
			i = j
		}
		lines[li] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}

// clockWords reads "5" "30" as "năm giờ ba mươi" (a range leaves out "phút").
func clockWords(h, m string) (string, bool) {
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 24 || mm > 59 {
		return "", false
	}
	if mm == 0 {
		return num(h) + " giờ", true
	}
	return num(h) + " giờ " + num(m), true
}

// ordinalWord is n as an ordinal: "nhất", "hai", "ba", "tư", "năm", …
func ordinalWord(n int) string {
	switch n {
	case 1:
		return "nhất"
	case 4:
		return "tư"
	}
	return Number(int64(n))
}

// romanValue reads a Roman numeral up to 89.
func romanValue(s string) (int, bool) {
	vals := map[rune]int{'I': 1, 'V': 5, 'X': 10, 'L': 50}
	total, prev := 0, 0
	rs := []rune(strings.ToUpper(s))
	for i := len(rs) - 1; i >= 0; i-- {
		v := vals[rs[i]]
		if v < prev {
			total -= v
		} else {
			total += v
			prev = v
		}
	}
	return total, total > 0 && total < 90
}

// documents reads documents' numbers: "Kế hoạch số 178/KH-UBND ngày … của
// UBND thành phố" says the number once, the type once, and the issuer with
// "của" (unless the text says "của …" right after); "/QH15" is "của Quốc
// hội khóa mười lăm".
func (n *Normalizer) documents(s string) string {
	var b strings.Builder
	last := 0
	for _, ix := range docFull.FindAllStringSubmatchIndex(s, -1) {
		part := func(k int) string {
			if ix[2*k] < 0 {
				return ""
			}
			return s[ix[2*k]:ix[2*k+1]]
		}
		named, so, number, year, code := part(1), part(2), part(3), part(4), part(5)
		if _, err := strconv.Atoi(code); err == nil {
			continue // "3/4/2026" is a date
		}
		parts := strings.Split(code, "-")
		var words []string
		switch {
		case named != "" && so != "":
			words = append(words, named+" số "+num(number))
		case named != "":
			words = append(words, named+" "+num(number))
		default:
			words = append(words, num(number))
		}
		if year != "" {
			words = append(words, "năm "+num(year))
		}
		issuerFollows := strings.HasPrefix(strings.TrimSpace(afterDate(s[ix[1]:])), "của")
		if len(parts) > 1 && codeWords[parts[0]] == "" && !qhTerm.MatchString(parts[0]) {
			// "8935/BNV-CTTN&BĐG": the issuer, then its unit; no type in the code
			var unit []string
			for _, p := range parts[1:] {
				unit = append(unit, n.codePart(p))
			}
			words = append(words, "của "+n.codePart(parts[0])+", "+strings.Join(unit, " "))
			b.WriteString(s[last:ix[0]])
			b.WriteString(strings.Join(words, " "))
			last = ix[1]
			continue
		}
		for i, p := range parts {
			if qh := qhTerm.FindStringSubmatch(p); qh != nil {
				words = append(words, "của Quốc hội khóa "+num(qh[1]))
				continue
			}
			if i == 0 && len(parts) > 1 && named != "" && docTypes[strings.ToLower(named)] == p {
				continue // "Kế hoạch số 178/KH-…": the type was said
			}
			w := n.codePart(p)
			if i == 0 && len(parts) > 1 && named == "" {
				words = append(words, w) // the type, when the text did not say it
				continue
			}
			if i == len(parts)-1 && (len(parts) > 1 || named != "") {
				if issuerFollows {
					continue
				}
				words = append(words, "của "+w)
				continue
			}
			words = append(words, w)
		}
		b.WriteString(s[last:ix[0]])
		b.WriteString(strings.Join(words, " "))
		last = ix[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

var (
	qhTerm   = regexp.MustCompile(`^QH(\d{1,2})$`)
	dateNext = regexp.MustCompile(`^\s*(?:,\s*)?(?i:ngày)\s+\d{1,2}(?:/\d{1,2}/\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})`)
)

// afterDate is what follows a document's number once its date is skipped.
func afterDate(s string) string {
	if m := dateNext.FindString(s); m != "" {
		return s[len(m):]
	}
	return s
}

// codePart reads one part of a document's code.
func (n *Normalizer) codePart(p string) string {
	var out []string
	for _, q := range strings.Split(p, "&") {
		switch {
		case codeWords[q] != "":
			out = append(out, codeWords[q])
		case n.dict[q] != "":
			out = append(out, n.dict[q])
		default:
			out = append(out, q)
		}
	}
	return strings.Join(out, " và ")
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
