package content

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

// TemplateData is what a message's text may refer to, e.g. "{{.Ward}}",
// "{{.Starts.Formal}}", "còn {{.DaysLeft}} ngày", "{{.Hotlines.tong_dai}}".
type TemplateData struct {
	Ward       string            // the ward's name, "phường Lưu Kiếm"
	Campaign   string            // the campaign's name with its year
	Observance string            // the observance's name
	Year       int               // the campaign's year
	Starts     Date              // first day of the observance
	Ends       Date              // last day of the observance
	From, To   Date              // the communication window
	Today      Date              // the day the text is sent
	DaysLeft   int               // days from Today to Starts; 0 on the day, negative after
	Hotlines   map[string]string // named phone numbers from the configuration
}

// DataFor returns the template data of c on day today.
func DataFor(ward string, o Observance, c Campaign, today Date, hotlines map[string]string) TemplateData {
	return TemplateData{
		Ward: ward, Campaign: c.Name, Observance: o.Name, Year: c.Year,
		Starts: c.Starts, Ends: c.Ends, From: c.From, To: c.To,
		Today: today, DaysLeft: today.DaysUntil(c.Starts), Hotlines: hotlines,
	}
}

// TemplateError says a variant's template does not parse or does not run.
type TemplateError struct {
	Message string  // the message's key
	Channel Channel // the variant
	Line    int     // 1-based line within the variant
	Detail  string  // what text/template said
}

func (e *TemplateError) Error() string { return e.Localize("en") }

// Localize returns the message in Vietnamese unless lang is "en".
func (e *TemplateError) Localize(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("message %s, variant %s, line %d: %s", e.Message, e.Channel, e.Line, e.Brief(lang))
	}
	return fmt.Sprintf("tin %s, bản %s, dòng %d: %s", e.Message, e.Channel, e.Line, e.Brief(lang))
}

// Brief is the message without message, variant and line, for where those
// are shown already.
func (e *TemplateError) Brief(lang string) string {
	if m := unknownFieldRE.FindStringSubmatch(e.Detail); m != nil {
		if lang == "en" {
			return fmt.Sprintf("template: there is no {{.%s}}; use %s", m[1], templateFields)
		}
		return fmt.Sprintf("lỗi mẫu (template): không có {{.%s}}; dùng %s", m[1], templateFields)
	}
	if m := missingHotlineRE.FindStringSubmatch(e.Detail); m != nil {
		if lang == "en" {
			return fmt.Sprintf("template: there is no hotline %q: add it under content.hotlines in the configuration", m[1])
		}
		return fmt.Sprintf("lỗi mẫu (template): chưa có số điện thoại %q: hãy thêm vào content.hotlines trong tệp cấu hình", m[1])
	}
	if lang == "en" {
		return "template: " + e.Detail
	}
	return "lỗi mẫu (template): " + e.Detail
}

var missingHotlineRE = regexp.MustCompile(`^<\.Hotlines\.\w+>: map has no entry for key "(\w+)"`)

var unknownFieldRE = regexp.MustCompile(`can't evaluate field (\w+) in type content\.TemplateData`)

const templateFields = ".Ward, .Campaign, .Observance, .Year, .Starts, .Ends, .From, .To, .Today, .DaysLeft, .Hotlines.<tên>"

var templateErrorRE = regexp.MustCompile(`^template: text:(\d+):(?:\d+:)? ?(?:executing "text" at )?(.*)$`)

// Render executes text as a Go text/template with data. Text without "{{" is
// returned unchanged. A missing field or map key is an error, so a misspelt
// hotline name is caught when the message is saved.
func Render(key string, ch Channel, text string, data TemplateData) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	t, err := template.New("text").Option("missingkey=error").Parse(text)
	if err == nil {
		var b strings.Builder
		if err = t.Execute(&b, data); err == nil {
			return b.String(), nil
		}
	}
	te := &TemplateError{Message: key, Channel: ch, Line: 1, Detail: err.Error()}
	if m := templateErrorRE.FindStringSubmatch(err.Error()); m != nil {
		te.Line, _ = strconv.Atoi(m[1])
		te.Detail = m[2]
	}
	return "", te
}
