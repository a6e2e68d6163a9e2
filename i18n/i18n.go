// Package i18n holds the words Loa shows people in Vietnamese (the default)
// and English: errors that can say themselves in either language, and the
// catalog of labels for the states of messages, runs, deliveries and
// banners. It imports nothing of ours, so every package may use it.
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"
)

// The languages. Anything but English is Vietnamese.
const (
	Vietnamese = "vi"
	English    = "en"
)

// Valid reports whether lang is a language Loa speaks.
func Valid(lang string) bool { return lang == Vietnamese || lang == English }

// Pick returns vi or en by lang, as they are.
func Pick(lang, vi, en string) string {
	if lang == English {
		return en
	}
	return vi
}

// Sprintf formats vi or en by lang; both take the same args, and a
// Localizer among them is said in lang.
func Sprintf(lang, vi, en string, args ...any) string {
	return fmt.Sprintf(Pick(lang, vi, en), In(lang, args)...)
}

// Localizer is a value, usually an error, that can say itself in a language.
type Localizer interface {
	Localize(lang string) string
}

// Error says err in lang: the first Localizer in its chain, else its text.
func Error(err error, lang string) string {
	var l Localizer
	if errors.As(err, &l) {
		return l.Localize(lang)
	}
	return err.Error()
}

// Text is a Vietnamese text and its English translation.
type Text struct{ VI, EN string }

// In returns the text in lang.
func (t Text) In(lang string) string { return Pick(lang, t.VI, t.EN) }

// bilingual is an error with a text in each language.
type bilingual Text

func (b bilingual) Error() string               { return b.EN }
func (b bilingual) Localize(lang string) string { return Text(b).In(lang) }

// Errorf returns an error for people: Error gives the English text,
// Localize("vi") the Vietnamese one. Both formats take the same args; an
// arg that is a Localizer (an error of ours, a Duration) is said in each
// language.
func Errorf(vi, en string, args ...any) error {
	return bilingual{fmt.Sprintf(vi, In(Vietnamese, args)...), fmt.Sprintf(en, In(English, args)...)}
}

// In returns args with each Localizer among them said in lang.
func In(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if l, ok := a.(Localizer); ok {
			a = l.Localize(lang)
		}
		out[i] = a
	}
	return out
}

// FileError is why a file could not be read, as people say it: "no such
// file", "permission denied", else the system's own words.
func FileError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Errorf("không có tệp này", "no such file")
	case errors.Is(err, fs.ErrPermission):
		return Errorf("không có quyền đọc", "permission denied")
	case errors.Is(err, fs.ErrInvalid):
		return Errorf("không phải tệp đọc được", "not a readable file")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return Errorf("không đọc được (%s)", "cannot read (%s)", pe.Err)
	}
	return err
}

// Duration is a length of time as people say it, to the second:
// "57 giây", "1 phút 08 giây", "5 phút", "1 giờ 05 phút" (English "57 s",
// "1 min 08 s", "5 min", "1 h 05 min").
type Duration time.Duration

// Localize says d in lang.
func (d Duration) Localize(lang string) string {
	t := time.Duration(d).Round(time.Second)
	h, m, s := int(t/time.Hour), int(t%time.Hour/time.Minute), int(t%time.Minute/time.Second)
	switch {
	case h > 0 && m == 0:
		return Sprintf(lang, "%d giờ", "%d h", h)
	case h > 0:
		return Sprintf(lang, "%d giờ %02d phút", "%d h %02d min", h, m)
	case m == 0:
		return Sprintf(lang, "%d giây", "%d s", s)
	case s == 0:
		return Sprintf(lang, "%d phút", "%d min", m)
	}
	return Sprintf(lang, "%d phút %02d giây", "%d min %02d s", m, s)
}

func (d Duration) String() string { return d.Localize(English) }

// Decimal is a number as people write it, to one decimal place: "0,7",
// "12" in Vietnamese (a decimal comma), "0.7" in English.
type Decimal float64

// Localize writes x in lang.
func (x Decimal) Localize(lang string) string {
	r := math.Round(float64(x)*10) / 10
	if r == math.Trunc(r) {
		return strconv.FormatFloat(r, 'f', 0, 64)
	}
	s := strconv.FormatFloat(r, 'f', 1, 64)
	if lang != English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func (x Decimal) String() string { return x.Localize(English) }
