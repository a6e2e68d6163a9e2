// Package i18n holds the words Loa shows people in Vietnamese (the default)
// and English: errors that can say themselves in either language, and the
// catalog of labels for the states of messages, runs, deliveries and
// banners. It imports nothing of ours, so every package may use it.
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
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

// Sprintf formats vi or en by lang; both take the same args.
func Sprintf(lang, vi, en string, args ...any) string {
	return fmt.Sprintf(Pick(lang, vi, en), args...)
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
// Localize("vi") the Vietnamese one. Both formats take the same args.
func Errorf(vi, en string, args ...any) error {
	return bilingual{fmt.Sprintf(vi, args...), fmt.Sprintf(en, args...)}
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
