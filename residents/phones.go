package residents

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// ReadPhones reads residents who gave their phone number with consent (on
// the paper sign-up form, or a web form) for Zalo ZNS: a CSV with a header
// naming phone, name, topics (what they ticked: keys, names or the form's
// numbers 1–3, "1,3", "gia đình; bình đẳng giới"; none ticked is general
// notices only, never all), consent_date (dd/mm/yyyy), source (where it was
// given) and evidence (the signed form's number, the web form's receipt).
// It returns every problem with its row and column; with any problem,
// nothing should be saved.
func ReadPhones(name string, r io.Reader, today content.Date) ([]Subscriber, []error) {
	t, errs := content.OpenTable(name, r, "phone", "name", "consent_date", "source", "evidence")
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Subscriber
	seen := map[string]int{}
	for {
		more, err := t.Next()
		if !more {
			break
		}
		row := t.Row
		at := func(column, vi, en string, args ...any) {
			errs = append(errs, content.Errorf("%s:%d, cột %s: "+vi, "%s:%d, column %s: "+en, append([]any{name, row, column}, args...)...))
		}
		if err != nil {
			at("-", "%s", "%s", err)
			continue
		}
		get := t.Get
		s := Subscriber{Channel: content.Zalo, Name: get("name"), ConsentSource: get("source"), Evidence: get("evidence")}
		phone, ok := NormalizePhone(get("phone"))
		if !ok {
			at("phone", "%q không phải số điện thoại Việt Nam (ví dụ 0912345678)", "%q is not a Vietnamese phone number (e.g. 0912345678)", get("phone"))
		} else if first, dup := seen[phone]; dup {
			at("phone", "%s đã có ở dòng %d", "%s is already on row %d", phone, first)
		}
		seen[phone] = row
		s.Phone, s.ExternalID = phone, "phone:"+phone
		for _, x := range splitTopics(get("topics")) {
			topic, ok := ParseTopic(x)
			if !ok {
				at("topics", "%q không phải chủ đề (1 gia đình, 2 bình đẳng giới, 3 phòng, chống bạo lực)", "%q is not a topic (1 family, 2 gender-equality, 3 violence-prevention)", strings.TrimSpace(x))
			} else if !slices.Contains(s.Topics, topic) {
				s.Topics = append(s.Topics, topic)
			}
		}
		consent, err := content.ParseVietnameseDate(get("consent_date"))
		switch {
		case err != nil:
			at("consent_date", "%q không phải ngày (ví dụ 25/11/2026): không có ngày đồng ý thì không được gửi", "%q is not a date (e.g. 25/11/2026): without a consent date nothing may be sent", get("consent_date"))
		case consent.After(today):
			at("consent_date", "%s là ngày trong tương lai", "%s is in the future", consent.Short())
		}
		s.ConsentAt = consent.Time(12, 0)
		if s.ConsentSource == "" {
			at("source", "cần ghi nguồn đồng ý (ví dụ phiếu đăng ký tổ dân phố 3)", "say where consent was given (e.g. the block 3 sign-up form)")
		}
		if s.Evidence == "" {
			at("evidence", "cần ghi bằng chứng đồng ý: số phiếu đăng ký có chữ ký, hoặc mã biểu mẫu trên mạng", "give the consent's evidence: the signed form's number, or the web form's receipt")
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// NormalizePhone turns a Vietnamese mobile number into Zalo's form,
// "84" and nine digits: 0912 345 678, +84 912 345 678 → 84912345678.
func NormalizePhone(s string) (string, bool) {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '.' || r == '-' || r == '+' || r == '(' || r == ')' {
			return -1
		}
		return 'x'
	}, s)
	switch {
	case strings.HasPrefix(digits, "84"):
		digits = digits[2:]
	case strings.HasPrefix(digits, "0"):
		digits = digits[1:]
	}
	if len(digits) != 9 || strings.Contains(digits, "x") || digits[0] == '0' {
		return "", false
	}
	return "84" + digits, true
}

// ParseTopic reads a topic as the sign-up form and a list may write it:
// its key, its Vietnamese name (with or without tone marks) or its number
// on the form (1 family, 2 gender equality, 3 violence prevention).
func ParseTopic(s string) (content.Topic, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(content.Topics) {
		return content.Topics[n-1], true
	}
	keys := make([]string, len(content.Topics))
	for i, t := range content.Topics {
		keys[i] = string(t)
	}
	k, ok := i18n.Parse("topic", s, keys)
	return content.Topic(k), ok
}

// splitTopics splits a list of topics at ";" or "|", and at "," unless the
// comma is inside a name ("phòng, chống bạo lực").
func splitTopics(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' }) {
		if _, ok := ParseTopic(part); ok {
			out = append(out, part)
			continue
		}
		for _, x := range strings.Split(part, ",") {
			if strings.TrimSpace(x) != "" {
				out = append(out, x)
			}
		}
	}
	return out
}
