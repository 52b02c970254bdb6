package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// OCRMode says whether scanned pages are read with OCR (--ocr).
type OCRMode int

const (
	// OCRAuto reads scanned pages with tesseract when it is installed.
	OCRAuto OCRMode = iota
	// OCROff never runs OCR; scanned pages are skipped with the reason.
	OCROff
)

// ParseOCRMode reads the value of --ocr: auto or off.
func ParseOCRMode(s string) (OCRMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return OCRAuto, nil
	case "off":
		return OCROff, nil
	}
	return OCRAuto, fmt.Errorf("--ocr %q: want auto or off", s)
}

func (m OCRMode) String() string {
	if m == OCROff {
		return "off"
	}
	return "auto"
}

// ocrLang is tesseract's model for Simplified Chinese (it reads the Latin
// letters and digits of Chinese text too).
const ocrLang = "chi_sim"

// ocrPageTimeout bounds tesseract on one page.
const ocrPageTimeout = 3 * time.Minute

// ocrMaxPixels caps the long side of a page rendered for OCR.
const ocrMaxPixels = 4200

// ocrTool finds tesseract and its chi_sim model once.
type ocrTool struct {
	once sync.Once
	path string // tesseract's path; "" when it cannot be used
	why  string // why not
}

// ocrReady says whether scanned pages can be read, and why not.
func (r *Reader) ocrReady() (bool, string) {
	if r.opts.OCR == OCROff {
		return false, "OCR is off (--ocr off)"
	}
	t := &r.ocr
	t.once.Do(func() {
		p, err := exec.LookPath("tesseract")
		if err != nil {
			t.why = "OCR needs tesseract, which is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, p, "--list-langs").CombinedOutput()
		if err != nil {
			t.why = fmt.Sprintf("OCR needs tesseract, which does not run: %v", err)
			return
		}
		for _, l := range strings.Fields(string(out)) {
			if l == ocrLang {
				t.path = p
				return
			}
		}
		t.why = "OCR needs tesseract's Simplified Chinese model, which is not installed (apt-get install tesseract-ocr-chi-sim)"
	})
	return t.path != "", t.why
}

// ocrPDFPage renders page i of a PDF and reads it with tesseract.
func (r *Reader) ocrPDFPage(ctx context.Context, inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i, scanDPI int) (layoutPage, error) {
	pg, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return layoutPage{}, errors.New("unreadable page")
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: pg.Page})
	ref := requests.Page{ByReference: &pg.Page}
	w, err1 := inst.FPDF_GetPageWidthF(&requests.FPDF_GetPageWidthF{Page: ref})
	h, err2 := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: ref})
	if err1 != nil || err2 != nil || w.PageWidth <= 0 || h.PageHeight <= 0 {
		return layoutPage{}, errors.New("page without a size")
	}
	// The scan's resolution when it is known and usable (upscaling a scan
	// loses characters: measured on the fixture, 150 dpi read right where
	// 300 did not), else 300 dpi.
	dpi := 300
	if scanDPI >= 100 && scanDPI <= 600 {
		dpi = scanDPI
	}
	if long := math.Max(float64(w.PageWidth), float64(h.PageHeight)); long*float64(dpi)/72 > ocrMaxPixels {
		dpi = int(ocrMaxPixels * 72 / long)
	}
	if dpi < 10 {
		return layoutPage{}, errors.New("page too large to render for OCR")
	}
	img, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{Page: ref, DPI: dpi, ImageFormat: requests.RenderImageFormatGrayscale})
	if err != nil {
		return layoutPage{}, fmt.Errorf("page could not be rendered for OCR: %v", err)
	}
	var buf bytes.Buffer
	err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img.Result.RenderedImage)
	img.Cleanup()
	if err != nil {
		return layoutPage{}, fmt.Errorf("page could not be rendered for OCR: %v", err)
	}
	return r.ocrImage(ctx, buf.Bytes(), dpi)
}

// ocrImage runs tesseract on an image and returns its words as a page in
// the image's pixels (y flipped to grow upwards).
func (r *Reader) ocrImage(ctx context.Context, img []byte, dpi int) (layoutPage, error) {
	ctx, cancel := context.WithTimeout(ctx, ocrPageTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.ocr.path, "stdin", "stdout", "-l", ocrLang, "--psm", "3", "--dpi", strconv.Itoa(dpi), "tsv")
	cmd.Stdin = bytes.NewReader(img)
	// One thread: pages of several files are read at once already.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return layoutPage{}, fmt.Errorf("OCR gave up after %v", ocrPageTimeout)
		}
		msg := strings.TrimSpace(errOut.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return layoutPage{}, fmt.Errorf("OCR failed: %v %s", err, msg)
	}
	p, err := parseTSV(out.Bytes())
	if err != nil {
		return layoutPage{}, err
	}
	return p, nil
}

// ocrMinConf is the mean word confidence (0-100) below which a page is
// taken for unreadable.
const ocrMinConf = 30

// parseTSV reads tesseract's TSV output: the page box (level 1), line boxes
// (level 4) and words (level 5). A line of words becomes one box with the
// line's extent, its words joined in tesseract's order (its word boxes are
// too rough for Chinese to be laid out one by one); tesseract has already
// found the columns, so lines never cross a gutter.
func parseTSV(data []byte) (layoutPage, error) {
	var p layoutPage
	type lineRow struct {
		left, top, w, h float64
		text            string
	}
	lines := map[string]*lineRow{}
	var order []string
	words, confSum := 0, 0.0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 11 || f[0] == "level" {
			continue
		}
		num := func(i int) float64 { v, _ := strconv.ParseFloat(f[i], 64); return v }
		key := f[1] + "/" + f[2] + "/" + f[3] + "/" + f[4]
		switch f[0] {
		case "1":
			p.w, p.h = math.Max(p.w, num(6)+num(8)), math.Max(p.h, num(7)+num(9))
		case "4":
			if lines[key] == nil {
				order = append(order, key)
			}
			lines[key] = &lineRow{left: num(6), top: num(7), w: num(8), h: num(9)}
		case "5":
			if len(f) < 12 {
				continue
			}
			t := strings.TrimSpace(f[11])
			l := lines[key]
			if t == "" || l == nil {
				continue
			}
			words++
			confSum += math.Max(num(10), 0)
			if needsSpace(lastRune(l.text), firstRune(t)) {
				l.text += " "
			}
			l.text += t
		}
	}
	if words == 0 || confSum/float64(words) < ocrMinConf {
		return p, errors.New("OCR found no readable text on the page")
	}
	for _, k := range order {
		l := lines[k]
		if l.text == "" {
			continue
		}
		// The type size: a line is a little taller than its characters.
		p.boxes = append(p.boxes, box{text: l.text, l: l.left, r: l.left + l.w, t: p.h - l.top, b: p.h - l.top - l.h, size: l.h * 0.85})
	}
	return p, nil
}
