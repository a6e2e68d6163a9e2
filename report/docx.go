package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// There is no well-kept Go library for DOCX within reach, so this is a
// small writer of WordprocessingML (ECMA-376): the few parts Word needs,
// one style sheet (Times New Roman 14 pt), the header and signature as
// borderless two-column tables, and paragraphs. The office opens and edits
// it in Word or LibreOffice.

// WriteDOCX writes d as a Word document, A4.
func (d Document) WriteDOCX(w io.Writer, made time.Time) error {
	z := zip.NewWriter(w)
	nation, words := d.Motto()
	var body strings.Builder
	// The header: issuer and number | motto, rule and place-date.
	left := []run{}
	if d.Parent != "" {
		left = append(left, run{text: d.Parent, size: 26})
	}
	body.WriteString(table([][][]para{{
		{{runs: append(left, run{text: d.Issuer, bold: true, size: 26}), center: true, rule: true}, {runs: []run{{text: d.NumberLine(), size: 26}}, center: true}},
		{{runs: []run{{text: nation, bold: true, size: 26}}, center: true}, {runs: []run{{text: words, bold: true, size: 28}}, center: true, rule: true},
			{runs: []run{{text: d.PlaceDate(), italic: true, size: 28}}, center: true}},
	}}, []int{3600, 5400}))
	body.WriteString(para{runs: []run{{text: d.Title(), bold: true}}, center: true, before: 360}.xml())
	body.WriteString(para{runs: []run{{text: d.Subject, bold: true}}, center: true, rule: true}.xml())
	for _, p := range d.Body() {
		pp := para{runs: []run{{text: p.Text, bold: p.Kind != "text"}}, indent: true, justify: true}
		if p.Kind == "heading" {
			pp.before = 120
		}
		body.WriteString(pp.xml())
	}
	to := []para{{runs: []run{{text: d.t("Nơi nhận:", "To:"), bold: true, italic: true, size: 24}}}}
	for _, r := range d.Recipients {
		to = append(to, para{runs: []run{{text: "- " + r, size: 22}}})
	}
	who := []para{{runs: []run{{text: d.Signer.Authority, bold: true}}, center: true}}
	if d.Signer.Deputy != "" {
		who = append(who, para{runs: []run{{text: d.Signer.Deputy, bold: true}}, center: true})
	}
	who = append(who, para{runs: []run{{text: d.Signer.Title, bold: true}}, center: true},
		para{runs: []run{{text: d.Signer.Name, bold: true}}, center: true, before: 1400})
	body.WriteString(table([][][]para{{to, who}}, []int{4200, 4800}))

	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>`},
		{"docProps/core.xml", fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>%s</dc:title><dc:creator>Loa</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created></cp:coreProperties>`,
			esc(d.Title()+" "+d.Subject), made.UTC().Format(time.RFC3339))},
		{"word/document.xml", doc},
	}
	for _, p := range parts {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: made})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, p.content); err != nil {
			return err
		}
	}
	return z.Close()
}

type run struct {
	text         string
	bold, italic bool
	size         int // half-points; 0: the default 14 pt
}

type para struct {
	runs                  []run
	center, justify, rule bool // rule: a short line under it, as the motto has
	indent                bool // a first-line indent of 1 cm
	before                int  // space before, in twentieths of a point
}

func (p para) xml() string {
	var b strings.Builder
	b.WriteString("<w:p><w:pPr>")
	if p.before > 0 {
		fmt.Fprintf(&b, `<w:spacing w:before="%d"/>`, p.before)
	}
	if p.rule {
		b.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	if p.indent {
		b.WriteString(`<w:ind w:firstLine="567"/>`)
	}
	switch {
	case p.center:
		b.WriteString(`<w:jc w:val="center"/>`)
	case p.justify:
		b.WriteString(`<w:jc w:val="both"/>`)
	}
	b.WriteString("</w:pPr>")
	for _, r := range p.runs {
		b.WriteString("<w:r><w:rPr>")
		if r.bold {
			b.WriteString("<w:b/>")
		}
		if r.italic {
			b.WriteString("<w:i/>")
		}
		if r.size > 0 {
			fmt.Fprintf(&b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.size, r.size)
		}
		fmt.Fprintf(&b, `</w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, esc(r.text))
	}
	b.WriteString("</w:p>")
	return b.String()
}

// table writes borderless rows of cells, each cell its paragraphs, with
// the columns' widths in twentieths of a point.
func table(rows [][][]para, widths []int) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString("</w:tblGrid>")
	for _, row := range rows {
		b.WriteString("<w:tr>")
		for i, cell := range row {
			fmt.Fprintf(&b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, widths[i])
			for _, p := range cell {
				b.WriteString(p.xml())
			}
			if len(cell) == 0 {
				b.WriteString("<w:p/>")
			}
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
