package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfMemoryPages caps the memory of one PDFium instance (64 KiB pages):
// 1 GiB. A PDF that needs more fails with a reason; nothing else is lost.
const pdfMemoryPages = 16384

// pdfMaxPages caps the pages read from one PDF file.
const pdfMaxPages = 5000

// pdfEngine starts PDFium once, when the first PDF is read, and hands out
// instances. It is safe for concurrent use: each file gets its own
// instance (its own WebAssembly memory, released when the file is done),
// at most pdfMaxInstances at a time; the others wait.
type pdfEngine struct {
	once sync.Once
	pool pdfium.Pool
	err  error
}

const pdfMaxInstances = 2

func (e *pdfEngine) instance() (pdfium.Pdfium, error) {
	e.once.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithMemoryLimitPages(pdfMemoryPages)
		// Compiling PDFium's 5.8 MB of WebAssembly to machine code takes
		// seconds; wazero keeps the result in the user's cache folder, so
		// only the first run pays. Without a usable folder, every run
		// compiles.
		if dir, err := os.UserCacheDir(); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "bulletin", "wazero")); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		e.pool, e.err = webassembly.Init(webassembly.Config{
			MinIdle: 0, MaxIdle: pdfMaxInstances, MaxTotal: pdfMaxInstances,
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // no file system: PDFs are read from memory
			Stdout:        io.Discard,
			Stderr:        io.Discard,
		})
		if e.err != nil {
			e.err = fmt.Errorf("starting the PDF engine: %w", e.err)
		}
	})
	if e.err != nil {
		return nil, e.err
	}
	return e.pool.GetInstance(10 * time.Minute)
}

func (e *pdfEngine) close() {
	if e.pool != nil {
		e.pool.Close()
	}
}

// pdfReason words PDFium's load errors for a user.
func pdfReason(err error) error {
	switch {
	case errors.Is(err, pdferrors.ErrPassword):
		return errors.New("encrypted PDF: it needs a password to open (save an unprotected copy to index it)")
	case errors.Is(err, pdferrors.ErrSecurity):
		return errors.New("encrypted PDF with an unsupported security handler (save an unprotected copy to index it)")
	case errors.Is(err, pdferrors.ErrFormat), errors.Is(err, pdferrors.ErrFile):
		return errors.New("corrupt PDF: not a readable PDF file")
	}
	return fmt.Errorf("corrupt PDF: %v", err)
}

// scannedMinChars: a page with fewer characters in its text layer than this
// and at least one image is taken for a scanned page.
const scannedMinChars = 16

// readPDF reads a PDF: the text layer of each page, laid out (layout.go),
// scanned pages through OCR when it is available; then split into articles.
func (r *Reader) readPDF(ctx context.Context, data []byte) (*Page, error) {
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i < 0 {
		return nil, errors.New("corrupt PDF: no %PDF header")
	}
	var (
		problems      []Problem
		pages         []layoutPage
		scanned, bad  []int
		n             int
		ocrSkip       string
		scannedMissed int
	)
	// The pages are read in runs of pdfRunPages, each in a fresh PDFium
	// instance: PDFium keeps what it parsed (fonts, page dictionaries) for
	// the life of a document, and WebAssembly memory only grows, so one
	// instance for a long PDF would grow with it (measured: 96 MB of heap
	// at 200 pages, 184 MB at 500). Reopening the file costs milliseconds.
	for start := 0; start == 0 || start < n; start += pdfRunPages {
		err := r.withPDF(data, func(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) error {
			if start == 0 {
				pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
				if err != nil {
					return pdfReason(err)
				}
				if pc.PageCount <= 0 {
					return errors.New("PDF without pages")
				}
				n = pc.PageCount
				if n > pdfMaxPages {
					problems = append(problems, Problem{Reason: fmt.Sprintf("only the first %d of %d pages read", pdfMaxPages, n)})
					n = pdfMaxPages
				}
				pages = make([]layoutPage, n)
			}
			var run []int // scanned pages of this run
			for i := start; i < min(n, start+pdfRunPages); i++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				p, images, err := pdfPageText(inst, doc, i)
				if err != nil {
					bad = append(bad, i+1)
					continue
				}
				// Characters become fragments at once: a long PDF holds a
				// page's worth of characters at a time.
				p = upright(p)
				p.boxes = fragments(p.boxes)
				pages[i] = p
				if images > 0 && visibleChars(p.boxes) < scannedMinChars || p.unmapped > visibleChars(p.boxes) {
					// A scan, or text in fonts without a Unicode map
					// (older e-papers): read by OCR like a scan.
					run = append(run, i)
				}
			}
			scanned = append(scanned, run...)
			if len(run) == 0 {
				return nil
			}
			if ok, why := r.ocrReady(); !ok {
				ocrSkip = why
				scannedMissed += len(run)
				return nil
			}
			for _, i := range run {
				p, err := r.ocrPDFPage(ctx, inst, doc, i, pages[i].dpi)
				if err != nil {
					problems = append(problems, Problem{Reason: fmt.Sprintf("page %d: %v", i+1, err)})
					continue
				}
				pages[i] = p
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(bad) > 0 {
		problems = append(problems, Problem{Reason: unreadablePages(bad, n)})
	}
	outs := layoutDoc(pages)
	page, err := pageFromLaidOut(outs, Meta{})
	if err != nil {
		if ocrSkip != "" {
			return nil, errors.New("scanned PDF (no text layer): " + ocrSkip)
		}
		if len(problems) > 0 {
			return nil, errors.New(problems[0].Reason)
		}
		return nil, err
	}
	if ocrSkip != "" {
		problems = append(problems, Problem{Reason: fmt.Sprintf("%d scanned page(s) without a usable text layer not read: %s", scannedMissed, ocrSkip)})
	}
	page.Problems = append(problems, page.Problems...)
	return page, nil
}

// pdfRunPages is how many pages one PDFium instance reads.
const pdfRunPages = 50

// withPDF opens the PDF in a fresh PDFium instance, calls fn, and closes
// both.
func (r *Reader) withPDF(data []byte, fn func(pdfium.Pdfium, references.FPDF_DOCUMENT) error) error {
	inst, err := r.pdf.instance()
	if err != nil {
		return err
	}
	defer inst.Close()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return pdfReason(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	return fn(inst, doc.Document)
}

// visibleChars counts the characters of a page's text that are not space.
func visibleChars(bs []box) int {
	n := 0
	for _, b := range bs {
		for _, c := range b.text {
			if !unicode.IsSpace(c) {
				n++
			}
		}
	}
	return n
}

// pdfPageText reads the characters of page i with their boxes and sizes,
// and counts its image objects (at most 64).
func pdfPageText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (layoutPage, int, error) {
	var p layoutPage
	pg, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return p, 0, errors.New("unreadable page")
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: pg.Page})
	ref := requests.Page{ByReference: &pg.Page}
	if w, err := inst.FPDF_GetPageWidthF(&requests.FPDF_GetPageWidthF{Page: ref}); err == nil {
		p.w = float64(w.PageWidth)
	}
	if h, err := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: ref}); err == nil {
		p.h = float64(h.PageHeight)
	}
	images := 0
	if oc, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref}); err == nil {
		for k := 0; k < oc.Count && k < 4096 && images < 64; k++ {
			o, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: k})
			if err != nil {
				continue
			}
			if t, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o.PageObject}); err == nil && t.Type == enums.FPDF_PAGEOBJ_IMAGE {
				images++
				if sz, err := inst.FPDFImageObj_GetImagePixelSize(&requests.FPDFImageObj_GetImagePixelSize{ImageObject: o.PageObject}); err == nil && p.w > 0 {
					// The scan's own resolution, if the image fills the
					// page width: OCR reads best at it.
					p.dpi = max(p.dpi, int(float64(sz.Width)*72/p.w))
				}
			}
		}
	}
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: ref})
	if err != nil {
		return p, images, nil // no text layer
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	cc, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return p, images, nil
	}
	for k := 0; k < cc.Count; k++ {
		u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: k})
		if err != nil {
			continue
		}
		c := rune(u.Unicode)
		if u.Unicode == 0 || u.Unicode > unicode.MaxRune || (c >= 0xe000 && c <= 0xf8ff) {
			p.unmapped++ // a glyph with no Unicode (no ToUnicode map)
			continue
		}
		if unicode.IsSpace(c) || unicode.IsControl(c) || c == 0xfffd || c == 0xfffe || (c >= 0xd800 && c <= 0xdfff) {
			continue
		}
		// The loose box spans the font's ascent to descent and the glyph's
		// advance: every character of a line gets the same height on the
		// same baseline whatever its shape (，。 sit low in theirs), and
		// its height is the type size's measure. One call instead of
		// three (box, origin, size): the text layer is read at twice the
		// speed.
		lb, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: k})
		if err != nil {
			continue
		}
		rc := lb.Rect
		b := box{text: string(c), l: float64(rc.Left), r: float64(rc.Right), b: float64(rc.Bottom), t: float64(rc.Top)}
		if b.t < b.b {
			b.t, b.b = b.b, b.t
		}
		b.size = b.t - b.b
		p.boxes = append(p.boxes, b)
	}
	return p, images, nil
}

// pageFromLaidOut makes a bulletin page of the laid-out pages of a document
// (PDF or scanned), split into articles by SplitPage; an article gets the
// masthead date of the page where it starts.
func pageFromLaidOut(outs []laidOut, meta Meta) (*Page, error) {
	var sb strings.Builder
	type mark struct {
		line int
		date string
	}
	var marks []mark
	line := 1
	date := ""
	for _, o := range outs {
		t := strings.TrimSpace(o.text)
		if o.date != "" {
			date = o.date
		}
		if t == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
			line += 2
		}
		marks = append(marks, mark{line, date})
		sb.WriteString(t)
		line += strings.Count(t, "\n")
	}
	text := sb.String()
	raws := SplitPage(text)
	if len(raws) == 0 {
		return nil, errors.New("no text")
	}
	page := &Page{Shared: true, Text: text}
	for _, ra := range raws {
		d := Doc{Title: ra.Title, Body: ra.Body, Line: ra.Line, Given: meta}
		if d.Given.Date == "" {
			for _, m := range marks {
				if m.line <= ra.Line {
					d.Given.Date = m.date
				}
			}
		}
		if meta.Title != "" && len(raws) > 1 {
			d.Given.Title = ""
		}
		page.Docs = append(page.Docs, d)
	}
	return page, nil
}

// unreadablePages words the pages PDFium could not load, in one line however
// many they are (a damaged page tree can claim thousands).
func unreadablePages(bad []int, n int) string {
	var list []string
	for k, p := range bad {
		if k == 8 {
			list = append(list, "…")
			break
		}
		list = append(list, fmt.Sprint(p))
	}
	return fmt.Sprintf("%d of %d pages unreadable (page %s)", len(bad), n, strings.Join(list, ", "))
}
