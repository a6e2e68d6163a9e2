package content

import (
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/loa-ward/loa/i18n"
)

// Problem is one thing wrong with a draft. A warning does not stop the draft
// from being saved; an error does.
type Problem struct {
	Channel Channel // the variant, or "" for the message as a whole
	Line    int     // 1-based line within the variant, 0 when not about a line
	Warning bool
	Err     error // implements Localize(lang) where there is a Vietnamese text
}

func (p Problem) Error() string { return p.Localize("en") }

// Brief returns the problem for a place that shows its line already: the
// channel, then the message without the line within the variant.
func (p Problem) Brief(lang string) string {
	var b interface{ Brief(string) string }
	if !errors.As(p.Err, &b) {
		return p.Localize(lang)
	}
	if p.Channel == "" {
		return b.Brief(lang)
	}
	return string(p.Channel) + ": " + b.Brief(lang)
}

// Localize returns the problem in Vietnamese unless lang is "en".
func (p Problem) Localize(lang string) string {
	msg := p.Err.Error()
	var l interface{ Localize(string) string }
	if errors.As(p.Err, &l) {
		msg = l.Localize(lang)
	}
	if p.Channel == "" {
		return msg
	}
	return string(p.Channel) + ": " + msg
}

// Errorf returns an error for people: Error gives the English text,
// Localize("vi") the Vietnamese one. Both formats take the same args.
func Errorf(vi, en string, args ...any) error { return i18n.Errorf(vi, en, args...) }

// Localize says err in lang (see i18n.Error).
func Localize(err error, lang string) string { return i18n.Error(err, lang) }

// Rules are the settings Check applies.
type Rules struct {
	Data TemplateData // sample data the templates are rendered with
	// Days are the data of every other day the message can be sent on (the
	// campaign window): each template must render on each of them too.
	Days []TemplateData
	Pace int // loudspeaker pace in syllables a minute; DefaultPace if 0
	// MaxReading warns when a loudspeaker script reads longer; 0 disables.
	MaxReading time.Duration
}

var keyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Check normalizes d (NFC, line endings, trimmed variants and title) and
// returns it with every problem found. It is called when a draft is saved.
func Check(d Draft, r Rules) (Draft, []Problem) {
	var ps []Problem
	add := func(ch Channel, line int, warning bool, err error) {
		ps = append(ps, Problem{Channel: ch, Line: line, Warning: warning, Err: err})
	}
	d.Key = strings.TrimSpace(d.Key)
	d.Title = strings.TrimSpace(Normalize(d.Title))
	d.Image = strings.TrimSpace(d.Image)
	if !keyRE.MatchString(d.Key) {
		add("", 0, false, Errorf("khóa tin %q không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang (ví dụ phat-dong)",
			"message key %q is not valid: use lower-case ASCII letters, digits and dashes (e.g. phat-dong)", d.Key))
	}
	if d.Title == "" {
		add("", 0, false, Errorf("thiếu tiêu đề", "the title is empty"))
	}
	if err := CheckEncoding(d.Title); err != nil {
		add("", 0, false, err)
	}
	if d.Topic != TopicUnassigned && !ValidTopic(d.Topic) {
		add("", 0, false, Errorf("chủ đề %q không có; dùng một trong %s", "topic %q is unknown; use one of %s", d.Topic, topicList()))
	}
	for _, ch := range Channels {
		text := strings.TrimRightFunc(Normalize(d.Variants.Get(ch)), unicode.IsSpace)
		if ch == Banner {
			d.Variants.Set(ch, normalizeSlogans(text))
		} else {
			d.Variants.Set(ch, strings.TrimSpace(text))
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := CheckEncoding(text); err != nil {
			var ee *EncodingError
			errors.As(err, &ee)
			add(ch, ee.Line, false, err)
			continue
		}
		rendered, err := Render(d.Key, ch, text, r.Data)
		for _, day := range r.Days {
			if err != nil {
				break
			}
			if _, err = Render(d.Key, ch, text, day); err != nil {
				var te *TemplateError
				errors.As(err, &te)
				te.Day = day.Today
			}
		}
		if err != nil {
			var te *TemplateError
			errors.As(err, &te)
			add(ch, te.Line, false, err)
			continue
		}
		for _, p := range checkVariant(ch, rendered, d.Image != "", r) {
			add(ch, p.Line, p.Warning, p.Err)
		}
	}
	if d.Variants.IsEmpty() {
		add("", 0, false, Errorf("tin không có nội dung cho kênh nào", "the message has no text for any channel"))
	}
	return d, ps
}

// checkVariant applies the channel's own limits to rendered text.
func checkVariant(ch Channel, text string, image bool, r Rules) []Problem {
	var ps []Problem
	switch ch {
	case Telegram:
		visible := TelegramVisible(text)
		n := Length(visible)
		if image && n > TelegramCaptionLimit {
			ps = append(ps, Problem{Warning: true, Err: Errorf(
				"dài %d ký tự, quá %d ký tự của chú thích ảnh: ảnh sẽ được gửi riêng, rồi đến nội dung",
				"%d characters is over the %d of a photo caption: the photo goes first, then the text", n, TelegramCaptionLimit)})
		}
		if n > TelegramTextLimit {
			parts := len(Split(visible, TelegramTextLimit))
			if IsTelegramHTML(text) {
				ps = append(ps, Problem{Err: Errorf(
					"dài %d ký tự, quá giới hạn %d của Telegram; văn bản có định dạng không thể tự chia, hãy rút gọn",
					"%d characters is over Telegram's %d, and formatted text is not split: shorten it", n, TelegramTextLimit)})
			} else {
				ps = append(ps, Problem{Warning: true, Err: Errorf(
					"dài %d ký tự, quá %d: sẽ được gửi thành %d tin", "%d characters is over %d: it will go out as %d messages",
					n, TelegramTextLimit, parts)})
			}
		}
	case Zalo:
		if n := Length(text); n > ZaloTextLimit {
			ps = append(ps, Problem{Err: Errorf("dài %d ký tự, quá giới hạn %d ký tự của Zalo",
				"%d characters is over Zalo's limit of %d", n, ZaloTextLimit)})
		}
	case Loudspeaker:
		if d := ReadingTime(text, r.Pace); r.MaxReading > 0 && d > r.MaxReading {
			ps = append(ps, Problem{Warning: true, Err: Errorf("đọc mất khoảng %s, dài hơn %s cho phép",
				"reads in about %s, longer than the %s allowed", i18n.Duration(d), i18n.Duration(r.MaxReading))})
		}
	case Banner:
		for i, line := range strings.Split(text, "\n") {
			if n := Syllables(strings.TrimLeft(line, " -*•")); n > 30 {
				ps = append(ps, Problem{Line: i + 1, Warning: true, Err: Errorf(
					"khẩu hiệu dài %d âm tiết; khẩu hiệu thường từ 6 đến 20 âm tiết",
					"the slogan has %d syllables; slogans usually have 6 to 20", n)})
			}
		}
	}
	return ps
}

// normalizeSlogans keeps one slogan per line, dropping Markdown list markers
// and blank lines.
func normalizeSlogans(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimSpace(strings.TrimLeft(line, "-*•"))
		if line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func topicList() string {
	var ss []string
	for _, t := range Topics {
		ss = append(ss, string(t))
	}
	return strings.Join(ss, ", ")
}

// Errors returns the problems that are not warnings.
func Errors(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}
