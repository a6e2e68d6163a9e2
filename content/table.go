package content

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/loa-ward/loa/i18n"
)

// Table is a CSV file read row by row with its columns found by name, for
// imports that report every problem by row and column.
type Table struct {
	name string
	cr   *csv.Reader
	col  map[string]int
	rec  []string
	Row  int // the current row, 1-based, counting the header
}

// OpenTable reads the header of the CSV in r (a byte-order mark and the
// case of names are ignored) and checks that every required column is
// there, naming each that is not.
func OpenTable(name string, r io.Reader, required ...string) (*Table, []error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, []error{Errorf("%s: không đọc được dòng tiêu đề: %s", "%s: cannot read the header row: %s", name, err)}
	}
	t := &Table{name: name, cr: cr, col: map[string]int{}, Row: 1}
	for i, h := range header {
		t.col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var errs []error
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			errs = append(errs, Errorf("%s: thiếu cột %q (cần: %s)", "%s: the column %q is missing (needed: %s)", name, c, strings.Join(required, ", ")))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return t, nil
}

// Next moves to the next row; false at the end. A row CSV cannot parse
// comes back as err, and reading goes on.
func (t *Table) Next() (ok bool, err error) {
	t.Row++
	t.rec, err = t.cr.Read()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	return true, err
}

// Get is the current row's cell in column c, trimmed and NFC; "" when the
// file has no such column or the row is short.
func (t *Table) Get(c string) string {
	if i, ok := t.col[c]; ok && i < len(t.rec) {
		return strings.TrimSpace(Normalize(t.rec[i]))
	}
	return ""
}

// Each calls row for every row the CSV can read, with the row's number and
// a way to record a problem at one of its columns; a row CSV cannot parse
// is a problem of its own. It returns every problem, in order.
func (t *Table) Each(row func(n int, at func(column string, err error))) []error {
	var errs []error
	for {
		more, err := t.Next()
		if !more {
			return errs
		}
		n := t.Row
		at := func(column string, e error) {
			errs = append(errs, CellError{File: t.name, Row: n, Column: column, Err: e})
		}
		if err != nil {
			at("-", err)
			continue
		}
		row(n, at)
	}
}

// CellError is a problem at a row and column of a file an import reads.
type CellError struct {
	File   string
	Row    int
	Column string // "-" for the row as a whole
	Err    error
}

func (c CellError) Error() string { return c.Localize(i18n.English) }

// Unwrap is the problem itself.
func (c CellError) Unwrap() error { return c.Err }

// Localize says where and what in lang: "hoat-dong.csv:3, cột so_luong: …".
func (c CellError) Localize(lang string) string {
	return i18n.Sprintf(lang, "%s:%d, cột %s: %s", "%s:%d, column %s: %s", c.File, c.Row, c.Column, i18n.Error(c.Err, lang))
}
