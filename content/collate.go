package content

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SortVietnamese sorts ss in Vietnamese dictionary order (a ă â b c d đ e ê …,
// tones as secondary differences), where a byte sort would put every word
// starting with Ă, Â, Đ, Ô, Ơ or Ư after Z.
func SortVietnamese(ss []string) {
	c := collate.New(language.Vietnamese)
	slices.SortStableFunc(ss, c.CompareString)
}

// SortVietnameseFunc sorts xs by the Vietnamese order of key(x).
func SortVietnameseFunc[T any](xs []T, key func(T) string) {
	c := collate.New(language.Vietnamese)
	slices.SortStableFunc(xs, func(a, b T) int { return c.CompareString(key(a), key(b)) })
}
