package content

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/loa-ward/loa/i18n"
)

// Normalize returns s in Unicode NFC with every line break (see Lines)
// turned into "\n". Vietnamese typed with some keyboards, or pasted from
// macOS, arrives decomposed (NFD); NFC makes "Hưởng" one code point per letter.
func Normalize(s string) string {
	return norm.NFC.String(lineBreaks.Replace(s))
}

// lineBreaks turns the three ways a line can end into "\n".
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// Lines splits s into its lines. A line ends at "\n", "\r\n" or a lone "\r"
// (old Mac files, and YAML's own definition), the same breaks Normalize
// turns into "\n"; this is the one definition of a line that content files,
// their parser and their error positions use. A text without a break is
// one line; "" is one empty line.
func Lines(s string) []string {
	return strings.Split(lineBreaks.Replace(s), "\n")
}

// LineAt returns the 1-based line of the byte at offset in s, by Lines'
// definition of a line.
func LineAt(s string, offset int) int {
	return len(Lines(s[:min(max(offset, 0), len(s))]))
}

// Legacy encodings that Vietnamese text still arrives in from old Word and
// Excel files, and the usual way UTF-8 gets mangled.
const (
	EncodingTCVN3  = "TCVN3 (ABC, .VnTime)"
	EncodingVNI    = "VNI-Windows"
	EncodingLatin1 = "UTF-8 read as Windows-1252"
)

// EncodingError says a text looks like Vietnamese in a legacy encoding shown
// as Latin-1 ("Céng hßa x· héi" is TCVN3 for "Cộng hòa xã hội").
type EncodingError struct {
	Encoding string
	Line     int    // 1-based line within the text
	Sample   string // the suspicious words
}

func (e *EncodingError) Error() string { return e.Localize("en") }

// Localize returns the message in Vietnamese unless lang is "en".
func (e *EncodingError) Localize(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Brief(lang))
	}
	return fmt.Sprintf("dòng %d: %s", e.Line, e.Brief(lang))
}

// Brief is the message without the line, for where the line is shown already.
func (e *EncodingError) Brief(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("this looks like %s text, not Unicode: %q; convert it to Unicode (e.g. with Unikey's converter) and paste it again",
			e.Encoding, e.Sample)
	}
	return fmt.Sprintf("văn bản có vẻ là mã %s, không phải Unicode: %q; hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi dán lại",
		e.Encoding, e.Sample)
}

// CheckEncoding returns an *EncodingError for the first line of s that looks
// like TCVN3 or VNI text, or UTF-8 decoded as Windows-1252, and nil otherwise.
//
// TCVN3 and VNI are 8-bit encodings: shown as Latin-1 they contain no
// Vietnamese-only letter (ă, đ, ơ, ư, ạ, ế, …) but many Latin-1 letters that
// Vietnamese never uses (ß, Ü, ö, ø, ·). A line with at least two such
// letters and no Vietnamese-only letter is taken for legacy text.
func CheckEncoding(s string) error {
	for i, line := range strings.Split(s, "\n") {
		if enc, sample := legacyEncoding(line); enc != "" {
			return &EncodingError{Encoding: enc, Line: i + 1, Sample: sample}
		}
	}
	return nil
}

func legacyEncoding(line string) (encoding, sample string) {
	if strings.Contains(line, "á»") || strings.Contains(line, "áº") || strings.Contains(line, "Æ°") ||
		strings.Contains(line, "Ä‘") || strings.Contains(line, "Ã©") || strings.Contains(line, "Ã¡") {
		return EncodingLatin1, suspiciousWords(line, func(r rune) bool { return r == 'Ã' || r == 'Æ' || r == 'Ä' || r == '»' || r == 'º' })
	}
	var foreign, vietnamese, vni int
	for _, r := range line {
		switch {
		case isVietnameseOnly(r):
			vietnamese++
		case isForeignLatin1(r):
			foreign++
			if strings.ContainsRune(vniMarks, r) {
				vni++
			}
		}
	}
	if foreign < 2 || vietnamese > 0 {
		return "", ""
	}
	sample = suspiciousWords(line, isForeignLatin1)
	if vni*2 > foreign {
		return EncodingVNI, sample
	}
	return EncodingTCVN3, sample
}

// vniMarks are the Latin-1 letters VNI-Windows uses for tone and vowel marks
// after the base letter ("Vieät" for "Việt").
const vniMarks = "äåæëïöøûüÑÄÅÆËÏÖØÛÜ"

// vietnameseLatin1 are the Latin-1 letters Vietnamese uses.
const vietnameseLatin1 = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý"

func isForeignLatin1(r rune) bool {
	if r < 0xA0 || r > 0xFF {
		return r >= 0x80 && r < 0xA0 // C1 controls never belong in text
	}
	return !strings.ContainsRune(vietnameseLatin1, r) && !strings.ContainsRune("\u00a0«»°×÷±", r)
}

func isVietnameseOnly(r rune) bool {
	return (r >= 0x1EA0 && r <= 0x1EF9) || strings.ContainsRune("ĂăĐđƠơƯưĨĩŨũ", r)
}

// suspiciousWords returns up to three words of line that contain a rune for
// which bad reports true.
func suspiciousWords(line string, bad func(rune) bool) string {
	var words []string
	for _, w := range strings.Fields(line) {
		if strings.IndexFunc(w, bad) >= 0 {
			words = append(words, w)
			if len(words) == 3 {
				break
			}
		}
	}
	return strings.Join(words, " ")
}

// Length returns the length of s as Telegram and Zalo count it: Unicode code
// points after trimming leading and trailing white space. Not bytes, and not
// UTF-16 units: one emoji outside the BMP counts as one.
func Length(s string) int {
	return utf8.RuneCountInString(strings.TrimFunc(s, unicode.IsSpace))
}

// Channel limits in code points (reference/channel-apis.md §1.3 and §3.2).
const (
	TelegramTextLimit    = 4096
	TelegramCaptionLimit = 1024
	ZaloTextLimit        = 2000
)

// Fold is s for matching what people type: lower case, without tone marks
// or other accents, đ as d (i18n.Fold, which the labels use too).
func Fold(s string) string { return i18n.Fold(s) }

// UpperFirst is s with its first letter in capitals ("gia đình" → "Gia
// đình"), as a heading or a button starts.
func UpperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
