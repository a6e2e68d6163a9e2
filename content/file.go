package content

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// File is one message as a Markdown file: YAML front matter naming the
// message, then one "## channel" section per variant.
//
//	---
//	key: phat-dong
//	campaign: action-month/2026
//	title: Phát động Tháng hành động
//	topic: gender-equality
//	---
//	## telegram
//	…
//	## banner
//	- Hưởng ứng Tháng hành động …
type File struct {
	Campaign  string // campaign key, "observance/year"
	Schedules []FileSchedule
	Draft
	// Lines records where things are in the file, so problems found later can
	// be reported as file:line.
	Lines FileLines
}

// FileLines are 1-based line numbers in a content file.
type FileLines struct {
	Fields    map[string]int  // front-matter key → line
	Sections  map[Channel]int // variant → line of the first line of its text
	Schedules []int           // line of each schedule entry
}

// FileSchedule is a schedule written in a file's front matter: exactly one
// of At ("D-3 08:00" relative to the observance, or "2026-11-15 07:30") and
// Cron ("0 19 * * MON", bounded by the campaign window).
type FileSchedule struct {
	At       string   `yaml:"at,omitempty"`
	Cron     string   `yaml:"cron,omitempty"`
	Channels []string `yaml:"channels,flow"`
	Audience string   `yaml:"audience,omitempty"` // all (default), topic:…, chats:…, to:…
	Grace    string   `yaml:"grace,omitempty"`    // e.g. 2h; default the configuration's
	Quiet    string   `yaml:"quiet,omitempty"`    // quiet hours, e.g. 22:00-06:00
	Mode     string   `yaml:"mode,omitempty"`     // Zalo: promotion (default) or cs
	Force    bool     `yaml:"force,omitempty"`    // allow a cron writing to residents more than hourly
}

// Line returns the file line of a problem.
func (l FileLines) Line(p Problem) int {
	if p.Channel == "" {
		return l.Fields["key"]
	}
	if start, ok := l.Sections[p.Channel]; ok {
		return start + max(p.Line, 1) - 1
	}
	return 0
}

// FileError is a problem at a line of a content file.
type FileError struct {
	File string
	Line int // 0 when the problem is the file as a whole
	Err  error
}

func (e *FileError) Error() string { return e.Localize("en") }

// Unwrap returns the underlying problem.
func (e *FileError) Unwrap() error { return e.Err }

// Localize returns "file:line: problem" with the problem in Vietnamese unless
// lang is "en".
func (e *FileError) Localize(lang string) string {
	msg := e.Err.Error()
	var l interface{ Localize(string) string }
	var p Problem
	switch {
	case errors.As(e.Err, &p):
		msg = p.Brief(lang)
	case errors.As(e.Err, &l):
		msg = l.Localize(lang)
	}
	if e.Line == 0 {
		return e.File + ": " + msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
}

const frontMatterFields = "key, campaign, title, topic, image, schedules (at, cron, channels, audience, grace, quiet, mode, force)"

type frontMatter struct {
	Key       string         `yaml:"key"`
	Campaign  string         `yaml:"campaign"`
	Title     string         `yaml:"title"`
	Topic     string         `yaml:"topic,omitempty"`
	Image     string         `yaml:"image,omitempty"`
	Schedules []FileSchedule `yaml:"schedules,omitempty"`
}

var (
	campaignKeyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*/[0-9]{4}$`)
	yamlLineRE    = regexp.MustCompile(`line (\d+): (.*)`)
	// unknownYAMLFieldRE matches yaml.v3's KnownFields error.
	unknownYAMLFieldRE = regexp.MustCompile(`^field (\S+) not found in type`)
)

// ParseFile reads a content file. name is used in errors only. It returns
// every problem it finds, each with its line.
func ParseFile(name string, data []byte) (File, []*FileError) {
	var errs []*FileError
	fail := func(line int, err error) { errs = append(errs, &FileError{File: name, Line: line, Err: err}) }
	if !utf8.Valid(data) {
		line := LineAt(string(data), firstInvalidUTF8(data))
		fail(line, Errorf("tệp không phải UTF-8 (có thể là mã TCVN3 hoặc VNI cũ); hãy lưu lại dưới dạng Unicode UTF-8",
			"the file is not UTF-8 (perhaps old TCVN3 or VNI); save it as Unicode UTF-8"))
		return File{}, errs
	}
	text := Normalize(strings.TrimPrefix(string(data), "\ufeff"))
	lines := Lines(text)
	if strings.TrimSpace(lines[0]) != "---" {
		fail(1, Errorf("tệp phải bắt đầu bằng dòng \"---\" của phần đầu YAML", `the file must start with a "---" line opening the YAML front matter`))
		return File{}, errs
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		fail(1, Errorf("phần đầu YAML không có dòng \"---\" đóng", `the YAML front matter has no closing "---" line`))
		return File{}, errs
	}
	f := File{Lines: FileLines{Fields: map[string]int{}, Sections: map[Channel]int{}}}
	front := strings.Join(lines[1:end], "\n")
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(front))
	dec.KnownFields(true)
	yamlOK := true
	if err := dec.Decode(&fm); err != nil && front != "" {
		yamlOK = false
		for _, msg := range strings.Split(err.Error(), "\n") {
			if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
				n, _ := strconv.Atoi(m[1])
				if u := unknownYAMLFieldRE.FindStringSubmatch(m[2]); u != nil {
					fail(n+1, Errorf("phần đầu YAML: không có trường %q; các trường là %s", "front matter: unknown field %q; fields are %s", u[1], frontMatterFields))
					continue
				}
				fail(n+1, Errorf("phần đầu YAML: %s", "front matter: %s", m[2]))
			} else if !strings.HasSuffix(msg, "unmarshal errors:") {
				fail(2, Errorf("phần đầu YAML: %s", "front matter: %s", strings.TrimPrefix(msg, "yaml: ")))
			}
		}
	}
	var node yaml.Node
	if yaml.Unmarshal([]byte(front), &node) == nil && len(node.Content) == 1 {
		m := node.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			f.Lines.Fields[m.Content[i].Value] = m.Content[i].Line + 1
			if m.Content[i].Value == "schedules" {
				for _, item := range m.Content[i+1].Content {
					f.Lines.Schedules = append(f.Lines.Schedules, item.Line+1)
				}
			}
		}
	}
	required := func(field, value string) {
		if strings.TrimSpace(value) == "" && yamlOK {
			fail(end+1, Errorf("thiếu trường %q trong phần đầu", "the front matter lacks %q", field))
		}
	}
	required("key", fm.Key)
	required("campaign", fm.Campaign)
	required("title", fm.Title)
	f.Campaign = strings.TrimSpace(fm.Campaign)
	if f.Campaign != "" && !campaignKeyRE.MatchString(f.Campaign) {
		fail(f.Lines.Fields["campaign"], Errorf("chiến dịch %q phải có dạng ngày-lễ/năm, ví dụ action-month/2026",
			"campaign %q must look like observance/year, e.g. action-month/2026", f.Campaign))
	}
	f.Key, f.Title, f.Topic, f.Image, f.Schedules = fm.Key, fm.Title, Topic(fm.Topic), fm.Image, fm.Schedules
	for i, sc := range f.Schedules {
		line := f.Lines.Fields["schedules"]
		if i < len(f.Lines.Schedules) {
			line = f.Lines.Schedules[i]
		}
		for _, e := range sc.problems() {
			fail(line, e)
		}
	}
	errs = append(errs, parseSections(name, lines, end+1, &f)...)
	return f, errs
}

// parseSections reads the "## channel" sections starting at lines[from].
func parseSections(name string, lines []string, from int, f *File) []*FileError {
	var errs []*FileError
	var current Channel
	var body []string
	skipping := false // inside a section already reported as wrong
	flush := func() {
		if current == "" {
			return
		}
		for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
			body = body[1:]
			f.Lines.Sections[current]++
		}
		f.Variants.Set(current, strings.TrimRightFunc(strings.Join(body, "\n"), unicode.IsSpace))
	}
	for i := from; i < len(lines); i++ {
		line := lines[i]
		// Indented headings are headings too, as in Markdown; otherwise an
		// indented "## x" line would become a heading once the text is trimmed.
		heading, ok := strings.CutPrefix(strings.TrimLeft(line, " \t"), "## ")
		if !ok {
			if current == "" && !skipping && strings.TrimSpace(line) != "" {
				skipping = true
				errs = append(errs, &FileError{name, i + 1, Errorf(
					"văn bản nằm ngoài mục; mở một mục bằng \"## telegram\", \"## zalo\", \"## loudspeaker\" hoặc \"## banner\"",
					`text outside a section; open one with "## telegram", "## zalo", "## loudspeaker" or "## banner"`)})
			}
			body = append(body, line)
			continue
		}
		flush()
		current, body, skipping = "", nil, true
		ch := Channel(strings.ToLower(strings.TrimSpace(heading)))
		switch {
		case !slices.Contains(Channels, ch):
			errs = append(errs, &FileError{name, i + 1, Errorf(
				"mục %q không có; các mục là telegram, zalo, loudspeaker, banner",
				"unknown section %q; sections are telegram, zalo, loudspeaker, banner", strings.TrimSpace(heading))})
		case f.Lines.Sections[ch] != 0:
			errs = append(errs, &FileError{name, i + 1, Errorf("mục %q lặp lại (đã có ở dòng %d)",
				"section %q appears twice (first at line %d)", ch, f.Lines.Sections[ch]-1)})
		default:
			current, skipping = ch, false
			f.Lines.Sections[ch] = i + 2
		}
	}
	flush()
	return errs
}

// problems checks what the content package can: one of at and cron, and
// known channels. The spec itself is checked where schedules are understood.
func (s FileSchedule) problems() []error {
	var errs []error
	if (s.At == "") == (s.Cron == "") {
		errs = append(errs, Errorf("lịch gửi cần đúng một trong at hoặc cron", "a schedule needs exactly one of at and cron"))
	}
	if len(s.Channels) == 0 {
		errs = append(errs, Errorf("lịch gửi cần channels, ví dụ [zalo, telegram]", "a schedule needs channels, e.g. [zalo, telegram]"))
	}
	for _, ch := range s.Channels {
		if !slices.Contains(Channels, Channel(ch)) {
			errs = append(errs, Errorf("kênh %q không có; các kênh là telegram, zalo, loudspeaker, banner",
				"channel %q is unknown; channels are telegram, zalo, loudspeaker, banner", ch))
		}
	}
	return errs
}

// FormatFile writes m, with the schedules its file defines, as a content
// file; ParseFile reads it back unchanged. A comment records the state and
// version, which importing does not change.
func FormatFile(m Message, schedules []FileSchedule) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	_ = enc.Encode(frontMatter{Key: m.Key, Campaign: m.Campaign, Title: m.Title, Topic: string(m.Topic), Image: m.Image, Schedules: schedules})
	_ = enc.Close()
	if m.State != "" {
		fmt.Fprintf(&b, "# state: %s, version %d (information only: importing never changes the state)\n", m.State, m.Version)
	}
	b.WriteString("---\n")
	for _, ch := range Channels {
		text := m.Variants.Get(ch)
		if text == "" {
			continue
		}
		if ch == Banner {
			text = "- " + strings.ReplaceAll(text, "\n", "\n- ")
		}
		fmt.Fprintf(&b, "## %s\n%s\n\n", ch, text)
	}
	return b.Bytes()
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}
