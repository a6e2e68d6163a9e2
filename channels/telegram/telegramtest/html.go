package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// supportedTags are the tags of Telegram's HTML parse mode.
var supportedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true, "strike": true, "del": true,
	"span": true, "tg-spoiler": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// parseHTML returns the visible text of s as Telegram's HTML parse mode reads
// it, or the error detail TDLib gives ("Unsupported start tag ...").
func parseHTML(s string) (string, error) {
	var out strings.Builder
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+end]
			if strings.HasPrefix(tag, "/") {
				name := strings.ToLower(strings.TrimSpace(tag[1:]))
				if len(stack) == 0 {
					return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				if want := stack[len(stack)-1]; want != name {
					return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, want, name)
				}
				stack = stack[:len(stack)-1]
			} else {
				name := strings.ToLower(tag)
				if j := strings.IndexFunc(name, unicode.IsSpace); j >= 0 {
					name = name[:j]
				}
				if !supportedTags[name] {
					return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
				}
				stack = append(stack, name)
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end > 0 && end < 10 {
				if r, ok := entity(s[i+1 : i+end]); ok {
					out.WriteRune(r)
					i += end + 1
					continue
				}
			}
			out.WriteByte('&') // not an entity: kept as it is
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			out.WriteRune(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1])
	}
	return out.String(), nil
}

// entity decodes the named entities TDLib knows and numeric ones.
func entity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	if strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X") {
		n, err := strconv.ParseUint(name[2:], 16, 32)
		return rune(n), err == nil
	}
	if strings.HasPrefix(name, "#") {
		n, err := strconv.ParseUint(name[1:], 10, 32)
		return rune(n), err == nil
	}
	return 0, false
}

// reservedMarkdownV2 must be escaped with '\' in MarkdownV2 outside entities.
const reservedMarkdownV2 = "_*[]()~`>#+-=|{}.!"

// parseMarkdownV2 is a reduced MarkdownV2 check: every reserved character
// must be escaped, except the paired markers * _ ~ ` which must balance.
// It is enough to catch unescaped text, which is what clients get wrong.
func parseMarkdownV2(s string) (string, error) {
	var out strings.Builder
	open := map[byte]int{}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] >= 1 && s[i+1] <= 126:
			out.WriteByte(s[i+1])
			i++
		case strings.IndexByte("*_~`", c) >= 0:
			open[c]++
		case strings.IndexByte(reservedMarkdownV2, c) >= 0:
			return "", fmt.Errorf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
		default:
			out.WriteByte(c)
		}
	}
	for c, n := range open {
		if n%2 != 0 {
			name := map[byte]string{'*': "Bold", '_': "Italic", '~': "Strikethrough", '`': "Code"}[c]
			return "", fmt.Errorf("Can't find end of %s entity at byte offset %d", name, strings.LastIndexByte(s, c))
		}
	}
	return out.String(), nil
}
