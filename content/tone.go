package content

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese writes the tone of an open syllable in oa, oe and uy two ways:
// on the first vowel ("hóa", "khỏe", "thủy": the old style, which the
// ward's documents and the ministries' slogan lists use) or on the second
// ("hoá", "khoẻ", "thuỷ"). Both are right and common, but NFC keeps them
// apart, so "chìa khoá để xoá" would not match "chìa khóa để xóa". Loa
// writes the old style everywhere and matches texts through it.

// toneMarks are the combining marks of the five tones (NFD).
var toneMarks = map[rune]bool{'\u0300': true, '\u0301': true, '\u0303': true, '\u0309': true, '\u0323': true}

// OldStyle returns s (in NFC) with the tone of every open oa, oe and uy
// syllable on its first vowel: "hoá" → "hóa", "thuỷ" → "thủy", "hoà" →
// "hòa". Closed syllables ("hoàng", "thuyền") and "qu" ("quý") are left
// as they are: both styles agree there.
func OldStyle(s string) string {
	d := []rune(norm.NFD.String(s))
	out := make([]rune, 0, len(d))
	for i := 0; i < len(d); i++ {
		r := d[i]
		lr := unicode.ToLower(r)
		// first vowel o/u, then a bare a/e/y with a tone mark, then the syllable ends
		if (lr == 'o' || lr == 'u') && i+2 < len(d) {
			next, mark := unicode.ToLower(d[i+1]), d[i+2]
			pair := (lr == 'o' && (next == 'a' || next == 'e')) || (lr == 'u' && next == 'y')
			endsAt := i + 3
			if pair && toneMarks[mark] && (endsAt >= len(d) || !isLetterOrMark(d[endsAt])) && !(lr == 'u' && i > 0 && unicode.ToLower(d[i-1]) == 'q') {
				out = append(out, r, mark, d[i+1])
				i += 2
				continue
			}
		}
		out = append(out, r)
	}
	return norm.NFC.String(string(out))
}

func isLetterOrMark(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) }

// MatchKey is a text as Loa compares it: NFC, old-style tones, lower case,
// single spaces, without final punctuation.
func MatchKey(s string) string {
	s = OldStyle(Normalize(s))
	out := make([]rune, 0, len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = len(out) > 0
			continue
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, unicode.ToLower(r))
	}
	k := string(out)
	for len(k) > 0 && (k[len(k)-1] == '!' || k[len(k)-1] == '.' || k[len(k)-1] == ';' || k[len(k)-1] == ',') {
		k = k[:len(k)-1]
	}
	return k
}
