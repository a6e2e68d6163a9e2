package staffbot

import (
	"fmt"
	"strings"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
)

// short is an instant as staff read it in a chat: "07:30 25/11".
func short(l office.PlanLine) string { return l.At.In(content.Zone).Format("15:04 02/01") }

// planHTML is /plan: the next 7 days, at most 30 lines.
func planHTML(lines []office.PlanLine, lang string) string {
	if len(lines) == 0 {
		return i18n.Pick(lang, "Không có gì sẽ gửi trong 7 ngày tới.", "Nothing goes out in the next 7 days.")
	}
	var b strings.Builder
	b.WriteString(i18n.Pick(lang, "<b>7 ngày tới</b>\n", "<b>The next 7 days</b>\n"))
	for i, l := range lines {
		if i == 30 {
			b.WriteString(i18n.Sprintf(lang, "… và %d lượt nữa (loa plan)\n", "… and %d more (loa plan)\n", len(lines)-30))
			break
		}
		var chans []string
		for _, ch := range l.Channels {
			chans = append(chans, fmt.Sprintf("%s %d", ch.Label(lang), l.Audience[ch]))
		}
		approval := fmt.Sprintf("v%d", l.Version)
		if l.Waiting {
			approval = i18n.Pick(lang, "⏳ chờ duyệt", "⏳ awaiting approval")
		}
		fmt.Fprintf(&b, "%s · %s · %s · %s\n", short(l), telegram.EscapeHTML(l.Message), approval, strings.Join(chans, ", "))
	}
	return b.String()
}

// statusHTML is /status: the recent runs with their delivery counts.
func statusHTML(runs []office.RunSummary, lang string) string {
	if len(runs) == 0 {
		return i18n.Pick(lang, "Chưa có lượt gửi nào trong 7 ngày qua.", "No runs in the last 7 days.")
	}
	var b strings.Builder
	b.WriteString(i18n.Pick(lang, "<b>7 ngày qua</b>\n", "<b>The last 7 days</b>\n"))
	for _, r := range runs {
		var parts []string
		for _, ch := range content.Channels {
			for _, st := range scheduler.DeliveryStates {
				if n := r.Counts[ch][st]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s %s %d", ch.Label(lang), st.Label(lang), n))
				}
			}
		}
		fmt.Fprintf(&b, "#%d %s %s: %s. %s\n", r.Run.ID, r.Run.DueAt.In(content.Zone).Format("15:04 02/01"), telegram.EscapeHTML(r.Run.MessageKey),
			r.Run.State.Label(lang), strings.Join(parts, ", "))
	}
	return b.String()
}

// pendingHTML is the card of a message waiting for approval.
func pendingHTML(p editorial.Pending) string {
	m := p.Message
	summary := fmt.Sprintf("%s/%s v%d: %s", m.Campaign, m.Key, m.Version, m.Title)
	preview := ""
	if p.Preview != "" {
		preview = string(p.Channel) + ": " + p.Preview
	}
	return fmt.Sprintf("<b>#%d %s</b>\n\n%s", m.ID, telegram.EscapeHTML(summary), telegram.EscapeHTML(preview))
}

// card is a task as a message with a "done" button.
type card struct{ text, data string }

// taskCards are the cards of /tasks: deliveries, then the day's banner work.
func taskCards(t office.Tasks, lang string) []card {
	var out []card
	for _, d := range t.Deliveries {
		summary := fmt.Sprintf("%s · %s · %s — %s", d.DueAt.In(content.Zone).Format("15:04 02/01"), d.Channel.Label(lang), d.MessageKey, d.Title)
		out = append(out, card{fmt.Sprintf("#%d %s", d.ID, telegram.EscapeHTML(summary)), fmt.Sprintf("done:%d", d.ID)})
	}
	for _, r := range t.Banners {
		out = append(out, card{i18n.Sprintf(lang, "Băng rôn #%d %s", "Banner #%d %s", r.Line.ID, telegram.EscapeHTML(r.Text())), fmt.Sprintf("banner:%d", r.Line.ID)})
	}
	return out
}
