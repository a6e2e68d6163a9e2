package speech

import "strings"

var digitWords = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// Number reads n (0 ≤ n < 10^15) the way Vietnamese is spoken: 21 "hai mươi
// mốt", 24 "hai mươi tư", 15 "mười lăm", 105 "một trăm linh năm", 2026 "hai
// nghìn không trăm hai mươi sáu".
func Number(n int64) string {
	if n == 0 {
		return "không"
	}
	if n < 0 {
		return "âm " + Number(-n)
	}
	units := []string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ"}
	var groups []int64
	for x := n; x > 0; x /= 1000 {
		groups = append(groups, x%1000)
	}
	var parts []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		// A group after a larger one reads its hundreds even when zero:
		// 2026 → "hai nghìn không trăm hai mươi sáu".
		full := i < len(groups)-1
		parts = append(parts, hundreds(int(g), full))
		if units[i] != "" {
			parts = append(parts, units[i])
		}
	}
	return strings.Join(parts, " ")
}

// hundreds reads 1–999; full reads a zero hundreds digit ("không trăm").
func hundreds(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0 && u == 0:
	case t == 0:
		if h > 0 || full {
			w = append(w, "linh")
		}
		w = append(w, digitWords[u])
	case t == 1:
		w = append(w, "mười")
		if u == 5 {
			w = append(w, "lăm")
		} else if u > 0 {
			w = append(w, digitWords[u])
		}
	default:
		w = append(w, digitWords[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 4:
			w = append(w, "tư")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	}
	return strings.Join(w, " ")
}

// Digits reads each digit: 111 "một một một", 0225 "không hai hai năm".
func Digits(s string) string {
	var w []string
	for _, r := range s {
		if r >= '0' && r <= '9' {
			w = append(w, digitWords[r-'0'])
		}
	}
	return strings.Join(w, " ")
}

// month names as said in dates: "tháng tư", not "tháng bốn".
func month(m int) string {
	if m == 4 {
		return "tư"
	}
	return Number(int64(m))
}

// day as said in dates: days 1–10 take "mùng" ("ngày mùng một").
func day(d int) string {
	if d <= 10 {
		return "mùng " + Number(int64(d))
	}
	return Number(int64(d))
}
