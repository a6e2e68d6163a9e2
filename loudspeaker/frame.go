package loudspeaker

import (
	"regexp"
	"strings"
	"text/template"
)

// Frame is what the radio reads before and after a script: templates
// over {{.Title}} and {{.Ward}} (loudspeaker.opening, loudspeaker.closing).
type Frame struct {
	Opening, Closing string
}

// The built-in frames: a notice, and a propaganda piece as ward radios
// announce their "bài tuyên truyền" (loudspeaker.style).
var Styles = map[string]Frame{
	"notice": {
		Opening: "Đài Truyền thanh {{.Ward}} xin thông báo: {{.Title}}.",
		Closing: "Đài Truyền thanh {{.Ward}} vừa thông báo: {{.Title}}. Xin cảm ơn bà con đã lắng nghe.",
	},
	"propaganda": {
		Opening: "Đây là Đài Truyền thanh {{.Ward}}. Kính thưa toàn thể nhân dân! Sau đây là bài tuyên truyền: «{{.Title}}».",
		Closing: "Bà con vừa nghe bài tuyên truyền «{{.Title}}». Đài Truyền thanh {{.Ward}} xin cảm ơn bà con đã lắng nghe.",
	},
}

// DefaultStyle is the frame when none is configured.
const DefaultStyle = "propaganda"

type frameData struct{ Title, Ward string }

func (f Frame) frame() Frame {
	if f.Opening == "" && f.Closing == "" {
		return Styles[DefaultStyle]
	}
	return f
}

func fill(tmpl, title, ward string) string {
	t, err := template.New("frame").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return tmpl // checked when the configuration was read
	}
	var b strings.Builder
	if err := t.Execute(&b, frameData{Title: strings.TrimSpace(title), Ward: ward}); err != nil {
		return tmpl
	}
	return strings.TrimSpace(b.String())
}

// salutation is a script's own greeting at its start ("Kính thưa bà con!",
// "Kính thưa toàn thể nhân dân,").
var salutation = regexp.MustCompile(`^\s*Kính thưa[^!.:,\n]*[!.:,]\s*`)

// Wrap frames a script: the opening and closing filled in for its title,
// and the body without its own greeting when the opening greets already.
func (f Frame) Wrap(ward, title, body string) (opening, text, closing string) {
	fr := f.frame()
	opening, closing = fill(fr.Opening, title, ward), fill(fr.Closing, title, ward)
	text = body
	if strings.Contains(opening, "Kính thưa") {
		text = salutation.ReplaceAllString(body, "")
	}
	return opening, text, closing
}
