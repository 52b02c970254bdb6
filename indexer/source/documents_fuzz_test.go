package source

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz tests of the PDF, Word and OCR readers: whatever the bytes, reading
// never panics, never hangs the run, and yields valid articles or an error.

func FuzzReadPDF(f *testing.F) {
	addFiles(f, "testdata/pdf/*.pdf", func(b []byte) { f.Add(b) })
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	// OCR off: a fuzz input must not wait for tesseract.
	r := &Reader{opts: Options{OCR: OCROff}, pdf: testReader().pdf}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := r.Read(context.Background(), "f.pdf", data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty reason")
			}
			return
		}
		checkDocs(t, p)
		for _, d := range p.Docs {
			if !utf8.ValidString(d.Title) || !utf8.ValidString(d.Body) || strings.ContainsRune(d.Title+d.Body, 0) {
				t.Fatalf("invalid text from a PDF: %q", d.Title)
			}
		}
	})
}

func FuzzReadDOCX(f *testing.F) {
	addFiles(f, "testdata/docx/*.docx", func(b []byte) { f.Add(b) })
	f.Add(buildDOCX(f, map[string]string{"word/document.xml": docXML(`<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadDOCX(data)
		if err != nil {
			return
		}
		checkDocs(t, p)
	})
}

func FuzzParseTSV(f *testing.F) {
	f.Add([]byte("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t1000\t1400\t-1\t\n4\t1\t1\t1\t1\t0\t100\t100\t400\t30\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t100\t100\t40\t30\t96\t望京\n5\t1\t1\t1\t1\t2\t150\t100\t40\t30\t91\t街道\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseTSV(data)
		if err != nil {
			return
		}
		outs := layoutDoc([]layoutPage{p})
		if _, err := pageFromLaidOut(outs, Meta{}); err == nil && len(outs) != 1 {
			t.Fatal("one page in, not one out")
		}
	})
}
