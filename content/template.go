package content

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
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
	Day     Date    // the day the template fails on, when it renders on others
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
	if e.Day.IsZero() {
		return e.brief(lang)
	}
	if lang == "en" {
		return fmt.Sprintf("%s (when sent on %s)", e.brief(lang), e.Day.Short())
	}
	return fmt.Sprintf("%s (khi gửi ngày %s)", e.brief(lang), e.Day.Short())
}

func (e *TemplateError) brief(lang string) string {
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

// MaxRendered bounds a rendered text in bytes; no channel takes more.
const MaxRendered = 256 << 10

// Render executes text as a Go text/template with data. Text without "{{" is
// returned unchanged. A missing field or map key is an error, so a misspelt
// hotline name is caught when the message is saved.
//
// Rendering is bounded: a template may not define or call templates, range
// over anything but a field of the data (so no "{{range 1000000000}}"), or
// ask printf for a width of thousands; its output stops at MaxRendered.
// Without loops over numbers or recursion, a template's running time is
// bounded by its length.
func Render(key string, ch Channel, text string, data TemplateData) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	t, err := template.New("text").Option("missingkey=error").Parse(text)
	if err == nil {
		err = bounded(t)
	}
	if err == nil {
		b := &limitedBuilder{max: MaxRendered}
		if err = t.Execute(b, data); err == nil {
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

type limitedBuilder struct {
	strings.Builder
	max int
}

var errTooLong = fmt.Errorf("the text would be longer than %d KiB", MaxRendered>>10)

func (b *limitedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, errTooLong
	}
	return b.Builder.Write(p)
}

var bigWidthRE = regexp.MustCompile(`%[-+# 0]*(\*|\d{4,}|\.\*|\.\d{4,}|\d*\.\d{4,})`)

// bounded refuses what could make a template run without end or produce
// without bound.
func bounded(t *template.Template) error {
	if len(t.Templates()) > 1 {
		return fmt.Errorf("{{define}} and {{block}} are not allowed")
	}
	var walk func(n parse.Node) error
	walk = func(n parse.Node) error {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return nil
			}
			for _, c := range n.Nodes {
				if err := walk(c); err != nil {
					return err
				}
			}
		case *parse.TemplateNode:
			return fmt.Errorf("{{template}} is not allowed")
		case *parse.RangeNode:
			if len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
				return fmt.Errorf("{{range}} may only go over a field, e.g. {{range $k, $v := .Hotlines}}")
			}
			switch n.Pipe.Cmds[0].Args[0].(type) {
			case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode:
			default:
				return fmt.Errorf("{{range}} may only go over a field, e.g. {{range $k, $v := .Hotlines}}")
			}
			return errors.Join(walk(n.List), walk(n.ElseList))
		case *parse.IfNode:
			return errors.Join(walkPipe(n.Pipe), walk(n.List), walk(n.ElseList))
		case *parse.WithNode:
			return errors.Join(walkPipe(n.Pipe), walk(n.List), walk(n.ElseList))
		case *parse.ActionNode:
			return walkPipe(n.Pipe)
		}
		return nil
	}
	return walk(t.Root)
}

// walkPipe refuses printf formats with huge widths or precisions.
func walkPipe(p *parse.PipeNode) error {
	if p == nil {
		return nil
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			if s, ok := a.(*parse.StringNode); ok && bigWidthRE.MatchString(s.Text) {
				return fmt.Errorf("the format %q asks for too wide a field", s.Text)
			}
		}
	}
	return nil
}
