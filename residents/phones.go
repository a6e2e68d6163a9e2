package residents

import (
	"io"
	"strings"

	"github.com/loa-ward/loa/content"
)

// ReadPhones reads residents who gave their phone number with consent (from
// paper sign-up forms, say) for Zalo ZNS: a CSV with a header naming phone,
// name, topics (optional, "family,gender-equality"; all when empty),
// consent_date (dd/mm/yyyy) and source. It returns every problem with its
// row and column; with any problem, nothing should be saved.
func ReadPhones(name string, r io.Reader, today content.Date) ([]Subscriber, []error) {
	t, errs := content.OpenTable(name, r, "phone", "name", "consent_date", "source")
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
		s := Subscriber{Channel: content.Zalo, Name: get("name"), ConsentSource: get("source"), Topics: content.Topics}
		phone, ok := NormalizePhone(get("phone"))
		if !ok {
			at("phone", "%q không phải số điện thoại Việt Nam (ví dụ 0912345678)", "%q is not a Vietnamese phone number (e.g. 0912345678)", get("phone"))
		} else if first, dup := seen[phone]; dup {
			at("phone", "%s đã có ở dòng %d", "%s is already on row %d", phone, first)
		}
		seen[phone] = row
		s.Phone, s.ExternalID = phone, "phone:"+phone
		if t := get("topics"); t != "" {
			s.Topics = nil
			for _, x := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
				topic := content.Topic(strings.TrimSpace(x))
				if !content.ValidTopic(topic) {
					at("topics", "%q không phải chủ đề (family, gender-equality, violence-prevention)", "%q is not a topic (family, gender-equality, violence-prevention)", x)
				}
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
