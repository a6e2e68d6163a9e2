package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split cuts s into parts of at most limit code points each (as Length
// counts), for channels that cap a message's length. It cuts at the last
// paragraph break that fits, else the last line break, else the last end of
// a sentence, else the last space; a boundary of a higher kind is preferred
// unless it would leave a part less than half full. It never cuts inside a
// word, unless one word alone is longer than limit. Parts are trimmed; text
// of only white space gives no parts. limit must be positive.
func Split(s string, limit int) []string {
	s = strings.TrimFunc(s, unicode.IsSpace)
	var parts []string
	for s != "" {
		if Length(s) <= limit {
			return append(parts, s)
		}
		cut := cutPoint(s, limit)
		parts = append(parts, strings.TrimRightFunc(s[:cut], unicode.IsSpace))
		s = strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
	}
	return parts
}

// cutPoint returns the byte index at which to end the first part of s, which
// starts with a non-space and is longer than limit code points.
func cutPoint(s string, limit int) int {
	end := byteIndexAfterRunes(s, limit) // s[:end] holds exactly limit runes
	half := byteIndexAfterRunes(s, limit/2)
	var best [4]int // last cut of each kind within s[:end]: paragraph, line, sentence, word
	for i, r := range s[:end] {
		if !unicode.IsSpace(r) {
			continue
		}
		// A cut at i ends the part before this space.
		if i == 0 {
			continue
		}
		kind := 3
		switch {
		case r == '\n' && strings.HasPrefix(strings.TrimLeft(s[i+1:], " \t"), "\n"):
			kind = 0
		case r == '\n':
			kind = 1
		case endsSentence(s[:i]):
			kind = 2
		}
		best[kind] = i
		for k := kind + 1; k < len(best); k++ {
			best[k] = i // a paragraph break is also a line break, a sentence end, a space
		}
	}
	// The space right after the limit also ends a word that fits.
	if r, _ := utf8.DecodeRuneInString(s[end:]); unicode.IsSpace(r) {
		best[3] = end
		if endsSentence(s[:end]) {
			best[2] = max(best[2], end)
		}
	}
	for _, cut := range best {
		if cut >= half && cut > 0 {
			return cut
		}
	}
	for _, cut := range best {
		if cut > 0 {
			return cut
		}
	}
	return end // one word longer than limit: cut it at the limit
}

// endsSentence reports whether s ends with sentence punctuation, possibly
// followed by closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…' || r == ';'
}

func byteIndexAfterRunes(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
