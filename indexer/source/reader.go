package source

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
)

// Options say how a Reader reads files.
type Options struct {
	// OCR says whether scanned PDF pages are read with tesseract.
	OCR OCRMode
}

// A Reader reads input files of every supported type. It starts the PDF
// engine when it meets the first PDF and looks for tesseract when it meets
// the first scanned page, once each. It is safe for concurrent use by the
// indexer's workers; Close releases the PDF engine.
type Reader struct {
	opts Options
	pdf  *pdfEngine
	ocr  ocrTool
}

// NewReader returns a Reader with the given options.
func NewReader(opts Options) *Reader { return &Reader{opts: opts, pdf: &pdfEngine{}} }

// Close releases the PDF engine, if it was started. The Reader must not be
// used after.
func (r *Reader) Close() { r.pdf.close() }

// Read parses one input file by its extension. An error means nothing of
// the file is usable; partial problems are listed in Page.Problems.
// Documents get the fields their text states of itself (the number line
// under the title, the signature under the text: see docfields.go); JSON
// Lines records only those they give.
func (r *Reader) Read(ctx context.Context, name string, data []byte) (*Page, error) {
	var (
		page *Page
		err  error
	)
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".pdf":
		page, err = r.readPDF(ctx, data)
	case ".docx":
		page, err = ReadDOCX(data)
	case ".doc", ".wps":
		return nil, errLegacy(ext)
	case ".jsonl":
		return readText(name, data)
	default:
		page, err = readText(name, data)
	}
	if err != nil {
		return nil, err
	}
	addStatedFields(page)
	return page, nil
}

// errLegacy is the reason a legacy binary Word or WPS file is not read.
func errLegacy(ext string) error {
	app := "Word"
	if ext == ".wps" {
		app = "WPS Writer"
	}
	return errors.New("legacy " + ext + " document not read: open it in " + app + " and save it as .docx (Word document) to index it")
}

// UnsupportedReason says why a file of a type no reader handles is skipped.
func UnsupportedReason(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == "" {
		ext = "without an extension"
	}
	return "file type " + ext + " is not read (want .txt, .md, .html, .htm, .shtml, .jsonl, .pdf or .docx)"
}
