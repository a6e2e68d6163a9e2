package banner

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/content"
)

// Slogan is one line of an official slogan list. A list read from a file
// carries only Group and Text; the list kept for a year's occasion also
// names them and the issuing document.
type Slogan struct {
	Year       int
	Observance string
	Document   string // the issuing document, e.g. "CV 8935/BNV-CTTN&BĐG"
	Group      string // the theme group, "" when the list has none
	Text       string
}

// Filter selects banner lines; zero fields match all.
type Filter struct {
	ID         int64
	CampaignID int64
	Year       int
}

// Opening is the line every year's list starts with.
func Opening(c content.Campaign) string { return "Hưởng ứng " + c.Name }

// ReadSlogans reads a slogan list from a plain-text file (one slogan a
// line; a line ending in ":" names the group of those after it), a CSV or
// an XLSX file (the first sheet) with a header naming khau_hieu (or text)
// and optionally nhom (or group). Text is NFC; trailing list numbers and
// bullets are dropped; a slogan repeated (ignoring case, spacing and final
// punctuation) is folded into its first line. It returns the slogans, how
// many were folded, and every problem by row and column.
func ReadSlogans(name string, r io.Reader) ([]Slogan, int, []error) {
	var rows [][]string
	var header bool
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", "":
		sc := bufio.NewScanner(r)
		group := ""
		for sc.Scan() {
			line := strings.TrimSpace(content.Normalize(sc.Text()))
			if strings.HasSuffix(line, ":") {
				group = strings.TrimSuffix(line, ":")
				rows = append(rows, nil) // keep row numbers
				continue
			}
			rows = append(rows, []string{group, line})
		}
		if err := sc.Err(); err != nil {
			return nil, 0, []error{fmt.Errorf("%s: %w", name, err)}
		}
	case ".csv":
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		all, err := cr.ReadAll()
		if err != nil {
			return nil, 0, []error{content.Errorf("%s: không đọc được CSV: %v", "%s: cannot read the CSV: %v", name, err)}
		}
		rows, header = all, true
	case ".xlsx":
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, 0, []error{err}
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, 0, []error{content.Errorf("%s: không đọc được tệp Excel: %v", "%s: cannot read the Excel file: %v", name, err)}
		}
		defer f.Close()
		if rows, err = f.GetRows(f.GetSheetName(0)); err != nil {
			return nil, 0, []error{fmt.Errorf("%s: %w", name, err)}
		}
		header = true
	default:
		return nil, 0, []error{content.Errorf("%s: cần tệp .txt, .csv hoặc .xlsx", "%s: needs a .txt, .csv or .xlsx file", name)}
	}
	textCol, groupCol, first := 1, 0, 0
	if header {
		if len(rows) == 0 {
			return nil, 0, []error{content.Errorf("%s: tệp trống", "%s: the file is empty", name)}
		}
		textCol, groupCol, first = -1, -1, 1
		for i, h := range rows[0] {
			switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(content.Normalize(h), "\ufeff"))) {
			case "khau_hieu", "khẩu hiệu", "text":
				textCol = i
			case "nhom", "nhóm", "group":
				groupCol = i
			}
		}
		if textCol < 0 {
			return nil, 0, []error{content.Errorf("%s: thiếu cột khau_hieu", "%s: the column khau_hieu is missing", name)}
		}
	}
	var out []Slogan
	var errs []error
	seen := map[string]int{}
	folded := 0
	for i := first; i < len(rows); i++ {
		rec := rows[i]
		cell := func(c int) string {
			if c >= 0 && c < len(rec) {
				return strings.TrimSpace(content.Normalize(rec[c]))
			}
			return ""
		}
		text := cleanSlogan(cell(textCol))
		if rec == nil || text == "" {
			continue
		}
		var enc *content.EncodingError
		if errors.As(content.CheckEncoding(text), &enc) {
			errs = append(errs, content.CellError{File: name, Row: i + 1, Column: "khau_hieu", Err: brief{enc}})
			continue
		}
		key := foldKey(text)
		if _, dup := seen[key]; dup {
			folded++
			continue
		}
		seen[key] = i + 1
		out = append(out, Slogan{Group: cell(groupCol), Text: content.OldStyle(text)}) // one spelling, so a list read again adds nothing
	}
	if len(errs) > 0 {
		return nil, 0, errs
	}
	return out, folded, nil
}

// cleanSlogan drops a list's numbering and bullets: "12. Bình đẳng…", "- Bình đẳng…".
func cleanSlogan(s string) string {
	s = strings.TrimLeft(s, "-–•*+ \t")
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }); i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		s = strings.TrimSpace(s[i+1:])
	}
	return s
}

// Same reports whether two slogans are the same but for case, spacing,
// final punctuation and where the tone marks sit ("khoá" is "khóa").
func Same(a, b string) bool { return foldKey(a) == foldKey(b) }

func foldKey(s string) string { return content.MatchKey(s) }

// brief is an encoding problem without its line, for a cell.
type brief struct{ e *content.EncodingError }

func (b brief) Error() string               { return b.e.Brief("en") }
func (b brief) Localize(lang string) string { return b.e.Brief(lang) }
