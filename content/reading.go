package content

import (
	"strings"
	"time"
	"unicode"
)

// DefaultPace is the loudspeaker reading pace in syllables a minute. Outdoor
// speakers echo, so scripts are read slower than the 315 a minute of
// read-aloud speech (reference/vietnam-practice.md §1.6).
const DefaultPace = 200

// Syllables counts the syllables of Vietnamese text: written Vietnamese puts
// a space between syllables, so this is the number of space-separated tokens
// holding a letter or a digit.
func Syllables(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// ReadingTime estimates how long s takes to read aloud at pace syllables a
// minute (DefaultPace when pace is not positive), rounded to the second.
func ReadingTime(s string, pace int) time.Duration {
	if pace <= 0 {
		pace = DefaultPace
	}
	d := time.Duration(Syllables(s)) * time.Minute / time.Duration(pace)
	return d.Round(time.Second)
}
