package content

import (
	"strings"
	"time"
)

// Renderer turns a message's variant into the text a channel shows on a
// given day. It is the one place templates are filled with the ward, the
// campaign and its dates, and the hotlines: the scheduler renders what it
// sends with it, and previews, task pages and radio scripts show the same.
type Renderer struct {
	Ward     string
	Calendar []Observance      // the configured observances; a campaign of another falls back to its own name
	Hotlines map[string]string // named phone numbers
}

// Observance returns the configured observance with key.
func (r Renderer) Observance(key string) (Observance, bool) {
	for _, o := range r.Calendar {
		if o.Key == key {
			return o, true
		}
	}
	return Observance{}, false
}

// Data is the template data of campaign c on day.
func (r Renderer) Data(c Campaign, day Date) TemplateData {
	o, ok := r.Observance(c.ObservanceKey)
	if !ok {
		o = Observance{Key: c.ObservanceKey, Name: c.Name}
	}
	return DataFor(r.Ward, o, c, day, r.Hotlines)
}

// Render fills the templates of text, message key's variant for ch, as it
// goes out on day in campaign c.
func (r Renderer) Render(key string, ch Channel, text string, c Campaign, day Date) (string, error) {
	return Render(key, ch, text, r.Data(c, day))
}

// Measure is a rendered text measured as its channel counts it.
type Measure struct {
	Length    int           // characters as the platform counts them (Telegram: visible text)
	Limit     int           // the platform's limit for one message; 0 when none
	Parts     int           // messages a long Telegram text is sent as (1 otherwise)
	Syllables int           // loudspeaker: syllables read
	Reading   time.Duration // loudspeaker: reading time at the pace
	Slogans   int           // banner: slogans, one a line
}

// MeasureText measures text, rendered for ch; pace is the loudspeaker's
// syllables a minute (DefaultPace when 0).
func MeasureText(ch Channel, text string, pace int) Measure {
	m := Measure{Parts: 1}
	switch ch {
	case Telegram:
		visible := TelegramVisible(text)
		m.Length, m.Limit = Length(visible), TelegramTextLimit
		m.Parts = max(1, len(Split(visible, TelegramTextLimit)))
	case Zalo:
		m.Length, m.Limit = Length(text), ZaloTextLimit
	case Loudspeaker:
		m.Length, m.Syllables, m.Reading = Length(text), Syllables(text), ReadingTime(text, pace)
	case Banner:
		m.Length, m.Slogans = Length(text), len(strings.Split(text, "\n"))
	}
	return m
}
