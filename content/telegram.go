package content

import (
	"html"
	"regexp"
)

// telegramTag matches the HTML tags Telegram's HTML parse mode supports.
var telegramTag = regexp.MustCompile(`(?i)</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|blockquote|tg-spoiler|tg-emoji|span)(\s[^<>]*)?>`)

// IsTelegramHTML reports whether the officer wrote Telegram formatting (such as
// <b>bold</b>) in s. Text without it is sent escaped, as plain text.
func IsTelegramHTML(s string) bool { return telegramTag.MatchString(s) }

// TelegramVisible returns the text Telegram counts: for formatted text, s
// without its tags and with entities decoded; otherwise s itself.
func TelegramVisible(s string) string {
	if !IsTelegramHTML(s) {
		return s
	}
	return html.UnescapeString(telegramTag.ReplaceAllString(s, ""))
}
