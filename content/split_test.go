package content

import (
	"strings"
	"testing"
	"unicode"
)

// checkSplit asserts the promises of Split: every part fits and is trimmed
// and non-empty, the words come out in order with none lost or added, and a
// cut falls inside a word only when that word alone is longer than limit.
func checkSplit(t *testing.T, s string, limit int, parts []string) {
	t.Helper()
	var words []string
	for i, p := range parts {
		if p == "" || p != strings.TrimFunc(p, unicode.IsSpace) {
			t.Fatalf("part %d is empty or untrimmed: %q", i, p)
		}
		if n := Length(p); n > limit {
			t.Fatalf("part %d has %d code points, limit %d", i, n, limit)
		}
		words = append(words, strings.Fields(p)...)
	}
	want := strings.Fields(s)
	if strings.Join(words, "") != strings.Join(want, "") {
		t.Fatalf("text changed by splitting:\n got %q\nwant %q", words, want)
	}
	// Count how many words were cut: parts joined back word by word must
	// rebuild every original word; a cut word appears as two.
	long := 0
	for _, w := range want {
		if Length(w) > limit {
			long++
		}
	}
	if long == 0 && len(words) != len(want) {
		t.Fatalf("a word was cut although every word fits: %d words became %d", len(want), len(words))
	}
}

func TestSplit(t *testing.T) {
	para := func(n int, word string) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"fits", "  Một đoạn ngắn.  ", 100, []string{"Một đoạn ngắn."}},
		{"blank", " \n\t ", 10, nil},
		{"paragraphs", "Đoạn một câu.\n\nĐoạn hai câu.", 16, []string{"Đoạn một câu.", "Đoạn hai câu."}},
		{"sentences", "Câu một đây. Câu hai đây. Câu ba.", 26, []string{"Câu một đây. Câu hai đây.", "Câu ba."}},
		{"words", "một hai ba bốn năm sáu", 10, []string{"một hai ba", "bốn năm", "sáu"}},
		{"long word", "abcdefghij xy", 4, []string{"abcd", "efgh", "ij", "xy"}},
		{"exact", "ab cd", 2, []string{"ab", "cd"}},
		{"emoji count once", "😀😀 😀😀", 2, []string{"😀😀", "😀😀"}},
		// A paragraph break far back would leave a tiny part: the sentence end wins.
		{"prefer full parts", "Mở.\n\n" + "Câu dài một. Câu dài hai.", 20, []string{"Mở.\n\nCâu dài một.", "Câu dài hai."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.in, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
			checkSplit(t, tt.in, tt.limit, got)
		})
	}
	// A realistic long post: five paragraphs of ~1500 characters at 4096.
	long := strings.Repeat(para(140, "bình đẳng")+".\n\n", 5)
	parts := Split(long, TelegramTextLimit)
	checkSplit(t, long, TelegramTextLimit, parts)
	if len(parts) != 3 {
		t.Errorf("long post split into %d parts, want 3", len(parts))
	}
	for _, p := range parts {
		if !strings.HasSuffix(p, ".") {
			t.Errorf("part does not end at a paragraph: …%q", p[len(p)-20:])
		}
	}
}

var splitSeeds = []string{"", "a b c", "Đoạn một.\n\nĐoạn hai! Câu ba? Hết…", "😀😀😀 😀", "x\u00a0y\u2028z", "abcdefghijklmnop"}

// TestSplitMutations checks Split on a fixed set of mutated texts at limits
// from 1 to 40, the deterministic part of FuzzSplit.
func TestSplitMutations(t *testing.T) {
	var seeds [][]byte
	for _, s := range splitSeeds {
		seeds = append(seeds, []byte(s))
	}
	limit := 0
	mutations(t, seeds, 20000, func(t *testing.T, data []byte) {
		limit = limit%40 + 1
		if s := string(data); utf8Valid(s) {
			checkSplit(t, s, limit, Split(s, limit))
		}
	})
}

func FuzzSplit(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 1 || limit > 5000 || !utf8Valid(s) {
			return
		}
		checkSplit(t, s, limit, Split(s, limit))
	})
}
