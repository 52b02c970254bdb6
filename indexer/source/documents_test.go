package source

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/klippa-app/go-pdfium/requests"
)

// Tests of the PDF, OCR and Word readers on fixtures the product has never
// seen (testdata/make-fixtures.sh made them with chromium, a real CJK font
// and LibreOffice), read through one Reader as the indexer does.

var (
	sharedOnce   sync.Once
	sharedReader *Reader
)

// testReader is one Reader for the package's tests: the PDF engine starts
// once (about 3 s).
func testReader() *Reader {
	sharedOnce.Do(func() { sharedReader = NewReader(Options{}) })
	return sharedReader
}

func readDocFixture(t *testing.T, r *Reader, path string) (*Page, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return r.Read(context.Background(), path, data)
}

func docByTitle(p *Page, part string) *Doc {
	for i := range p.Docs {
		if strings.Contains(p.Docs[i].Title, part) {
			return &p.Docs[i]
		}
	}
	return nil
}

func logDocs(t *testing.T, p *Page) {
	t.Helper()
	for _, d := range p.Docs {
		t.Logf("article %q date=%q body=%.60q", d.Title, d.Given.Date, d.Body)
	}
}

func TestEPaperPDF(t *testing.T) {
	p, err := readDocFixture(t, testReader(), "testdata/pdf/epaper.pdf")
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, p)
	if len(p.Docs) != 2 || len(p.Problems) != 0 {
		logDocs(t, p)
		t.Fatalf("%d articles, problems %v; want 2 articles, none", len(p.Docs), p.Problems)
	}
	cases := []struct {
		title       string // exact title: the headline, its two lines joined
		first, last string // the body opens and ends so
		has         []string
	}{
		{"海淀区社区卫生服务中心延时服务覆盖全区", "——家门口看病", "少花钱。",
			[]string{"区卫生健康委还结合接诉即办工单", "学院路街道社区卫生服务中心"}},
		// Begins at the foot of the first column, goes on at the top of the second.
		{"通州区新建二十家养老助餐点", "本报讯 近日", "安全的助餐服务。",
			[]string{"已全部投入运营，覆盖永顺"}},
	}
	for i, c := range cases {
		d := p.Docs[i]
		if d.Title != c.title {
			t.Errorf("article %d: title %q, want %q", i, d.Title, c.title)
		}
		if d.Given.Date != "2025-04-18" {
			t.Errorf("article %d: date %q, want the masthead's 2025-04-18", i, d.Given.Date)
		}
		if !strings.HasPrefix(d.Body, c.first) || !strings.HasSuffix(d.Body, c.last) {
			t.Errorf("article %d: body %.40q … %q", i, d.Body, d.Body[max(0, len(d.Body)-40):])
		}
		for _, h := range c.has {
			if !strings.Contains(d.Body, h) {
				t.Errorf("article %d: body lacks %q (a line joined back)", i, h)
			}
		}
		for _, bad := range []string{"本报记者", "责任编辑", "第1版", "- 1 -", "北京社区周报"} {
			if strings.Contains(d.Title+d.Body, bad) {
				t.Errorf("article %d holds %q (a byline, header or footer)", i, bad)
			}
		}
	}
}

// TestEPaperSpansPDF: a page of two articles, each a centred headline and
// byline close above its two columns; a paragraph runs from the foot of
// the first column to the top of the second.
func TestEPaperSpansPDF(t *testing.T) {
	p, err := readDocFixture(t, testReader(), "testdata/pdf/epaper-spans.pdf")
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, p)
	want := []struct{ title, has string }{
		{"大兴区新建三所九年一贯制学校", "由集团总校统一安排教研活动和教师培训。区教委还从骨干教师中选派"},
		{"房山区长阳镇建成社区体育公园", "增设了适合老年人的健身器材和休息座椅。"},
	}
	if len(p.Docs) != len(want) {
		logDocs(t, p)
		t.Fatalf("%d articles, want %d", len(p.Docs), len(want))
	}
	for i, w := range want {
		d := p.Docs[i]
		if d.Title != w.title || !strings.Contains(d.Body, w.has) || d.Given.Date != "2023-11-03" {
			t.Errorf("article %d: %q (date %q), body %.80q; want %q holding %q", i, d.Title, d.Given.Date, d.Body, w.title, w.has)
		}
		if strings.Contains(d.Body, "本报记者") || strings.Contains(d.Body, "通讯员") || strings.Contains(d.Body, "第1页") {
			t.Errorf("article %d holds a byline or the footer", i)
		}
	}
}

// TestRotatedPDF: a page whose text runs up the page (drawn turned) is
// turned upright, then read column by column.
func TestRotatedPDF(t *testing.T) {
	p, err := readDocFixture(t, testReader(), "testdata/pdf/rotated.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 1 || p.Docs[0].Title != "延庆区举办冰雪文化节" {
		logDocs(t, p)
		t.Fatalf("want one article titled 延庆区举办冰雪文化节")
	}
	for _, w := range []string{"让孩子们在家门口就能上冰上雪。", "邀请专业教练为青少年讲解滑雪要领"} {
		if !strings.Contains(p.Docs[0].Body, w) {
			t.Errorf("body lacks %q: %.80q", w, p.Docs[0].Body)
		}
	}
}

// TestScannedPDF reads the image-only page with tesseract. Without it the
// test skips, except in CI, where .ci/run installs it.
func TestScannedPDF(t *testing.T) {
	r := &Reader{pdf: testReader().pdf}
	if ok, why := r.ocrReady(); !ok {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the OCR test: %s", why)
		}
		t.Skip(why)
	}
	p, err := readDocFixture(t, r, "testdata/pdf/scanned.pdf")
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, p)
	logDocs(t, p)
	d := docByTitle(p, "街道建成六座口袋公园")
	if d == nil || len(p.Docs) != 1 {
		t.Fatalf("%d articles, want the one headline 望京街道建成六座口袋公园", len(p.Docs))
	}
	if d.Given.Date != "2024-09-20" {
		t.Errorf("date %q, want the masthead's 2024-09-20", d.Given.Date)
	}
	for _, w := range []string{"朝阳区望京街道", "口袋公园", "留白增绿"} {
		if !strings.Contains(d.Body, w) {
			t.Errorf("OCR'd body lacks %q", w)
		}
	}
	if strings.Contains(d.Title+d.Body, "记者 周洋") || strings.Contains(d.Title, "简报") {
		t.Errorf("byline or masthead in the article: %q", d.Title)
	}
}

func TestScannedPDFWithoutOCR(t *testing.T) {
	r := &Reader{opts: Options{OCR: OCROff}, pdf: testReader().pdf}
	_, err := readDocFixture(t, r, "testdata/pdf/scanned.pdf")
	if err == nil || !strings.Contains(err.Error(), "scanned PDF") || !strings.Contains(err.Error(), "--ocr off") {
		t.Fatalf("err %v, want a scanned PDF skipped because OCR is off", err)
	}
	// Without tesseract on PATH: the reason says what to install.
	t.Setenv("PATH", t.TempDir())
	r2 := &Reader{pdf: testReader().pdf}
	_, err = readDocFixture(t, r2, "testdata/pdf/scanned.pdf")
	if err == nil || !strings.Contains(err.Error(), "tesseract") || !strings.Contains(err.Error(), "apt-get install") {
		t.Fatalf("err %v, want the reason that tesseract is not installed", err)
	}
}

// TestOCRUnreadablePage: in a PDF of the e-paper page and a scanned page
// that OCR cannot read (stripes), the scan is reported by its page number
// and the e-paper's articles are kept.
func TestOCRUnreadablePage(t *testing.T) {
	r := &Reader{pdf: testReader().pdf}
	if ok, why := r.ocrReady(); !ok {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the OCR test: %s", why)
		}
		t.Skip(why)
	}
	data := joinPDFs(t, "testdata/pdf/epaper.pdf", "testdata/pdf/unreadable-scan.pdf")
	p, err := r.Read(context.Background(), "mixed.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 2 || docByTitle(p, "通州区新建二十家养老助餐点") == nil {
		logDocs(t, p)
		t.Errorf("%d articles, want the e-paper's two", len(p.Docs))
	}
	if len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Reason, "page 2: OCR found no readable text") {
		t.Errorf("problems %v, want page 2 unreadable by OCR", p.Problems)
	}
	// Alone, the unreadable scan is a skipped file with the reason.
	if _, err := readDocFixture(t, r, "testdata/pdf/unreadable-scan.pdf"); err == nil || !strings.Contains(err.Error(), "OCR found no readable text") {
		t.Errorf("err %v, want OCR found no readable text", err)
	}
}

func TestOCRUnreadableTSV(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t1000\t1400\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t100\t100\t400\t30\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t100\t100\t40\t30\t3\t~\n"
	if _, err := parseTSV([]byte(tsv)); err == nil || !strings.Contains(err.Error(), "no readable text") {
		t.Fatalf("err %v, want no readable text", err)
	}
	if _, err := parseTSV(nil); err == nil {
		t.Fatal("empty output read as a page")
	}
}

func TestBadPDFs(t *testing.T) {
	r := testReader()
	epaper, err := os.ReadFile("testdata/pdf/epaper.pdf")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := os.ReadFile("testdata/pdf/encrypted.pdf")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"encrypted", enc, "encrypted PDF"},
		{"truncated", epaper[:len(epaper)/3], "corrupt PDF"},
		{"not a PDF", []byte("<html>not a pdf</html>"), "no %PDF header"},
		{"garbage after header", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff, 0x00, 0x13}, 2000)...), "corrupt PDF"},
		{"empty", nil, "no %PDF header"},
	}
	for _, c := range cases {
		_, err := r.Read(context.Background(), c.name+".pdf", c.data)
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.reason)
		}
	}
}

func TestWordDocuments(t *testing.T) {
	cases := []struct {
		file   string
		titles []string
		date   string
		body   map[string][]string // title part → body holds
	}{
		// Written as WPS does: 标题 1 styles, a Title-style masthead.
		{"testdata/docx/jianbao.docx", []string{"东城区推行“小巷管家”议事协商制度", "石景山区老旧小区加装电梯集中开工"}, "2025-06-03",
			map[string][]string{"小巷管家": {"解决问题；东华门街道 | 36场 | 121件；景山街道", "议事会开展情况", "接诉即办"}, "加装电梯": {"八角街道"}}},
		// LibreOffice's Word export: Heading 1, a table, title and created.
		{"testdata/docx/tongbao.docx", []string{"门头沟区推进山区村庄污水治理", "顺义区为新就业群体建设暖心驿站"}, "2025-07-08",
			map[string][]string{"污水治理": {"潭柘寺镇 | 12个 | 18公里；"}, "暖心驿站": {"顺义区总工会"}}},
	}
	for _, c := range cases {
		p, err := readDocFixture(t, testReader(), c.file)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		checkDocs(t, p)
		if len(p.Docs) != len(c.titles) {
			logDocs(t, p)
			t.Fatalf("%s: %d articles, want %d", c.file, len(p.Docs), len(c.titles))
		}
		for i, want := range c.titles {
			d := p.Docs[i]
			if d.Title != want {
				t.Errorf("%s: article %d title %q, want %q", c.file, i, d.Title, want)
			}
			if d.Given.Date != c.date {
				t.Errorf("%s: article %d date %q, want %q", c.file, i, d.Given.Date, c.date)
			}
			if d.Given.Title != "" {
				t.Errorf("%s: the document title %q given to one of several articles", c.file, d.Given.Title)
			}
			for part, hs := range c.body {
				if !strings.Contains(d.Title, part) {
					continue
				}
				for _, h := range hs {
					if !strings.Contains(d.Body, h) {
						t.Errorf("%s: %q lacks %q", c.file, d.Title, h)
					}
				}
			}
			for _, bad := range []string{"记者 ", "通讯员 ", "简报", "区域工作通报"} {
				if strings.Contains(d.Body, bad) {
					t.Errorf("%s: %q holds %q (byline or masthead)", c.file, d.Title, bad)
				}
			}
		}
	}
}

// TestDOCXOneArticleGetsTitle: a document of one article gets the core title.
func TestDOCXOneArticleGetsTitle(t *testing.T) {
	data := buildDOCX(t, map[string]string{
		"docProps/core.xml": `<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>怀柔区开展防汛演练</dc:title><dcterms:created>2023-06-20T02:00:00Z</dcterms:created></cp:coreProperties>`,
		"word/document.xml": docXML(`<w:p><w:r><w:t>6月19日，怀柔区在雁栖镇开展防汛应急演练，检验了各部门协同处置能力。</w:t></w:r></w:p>`),
	})
	p, err := ReadDOCX(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 1 || p.Docs[0].Given.Title != "怀柔区开展防汛演练" || p.Docs[0].Given.Date != "2023-06-20" {
		t.Fatalf("got %+v", p.Docs)
	}
}

func TestBadWordFiles(t *testing.T) {
	legacy, err := os.ReadFile("testdata/docx/tongbao.doc")
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile("testdata/docx/jianbao.docx")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"legacy.doc", legacy, "save it as .docx"},
		{"legacy.wps", []byte("anything"), "save it as .docx"},
		{"renamed-legacy.docx", legacy, "save it unprotected as .docx"},
		{"truncated.docx", good[:len(good)/2], "corrupt .docx"},
		{"text.docx", []byte("just some text"), "corrupt .docx"},
		{"no-document.docx", buildDOCX(t, map[string]string{"word/styles.xml": "<w:styles/>"}), "no word/document.xml"},
		{"bad-xml.docx", buildDOCX(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p><w:t>半截"}), "corrupt .docx"},
		{"bomb.docx", docxBomb(t, false), "decompression bomb"},
		{"lying-bomb.docx", docxBomb(t, true), "corrupt .docx"},
	}
	for _, c := range cases {
		_, err := testReader().Read(context.Background(), c.name, c.data)
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.reason)
		}
	}
}

// docxBomb is a .docx whose document.xml expands to 200 MiB of spaces
// (about 200 KB compressed). With lie, its zip headers claim 16 bytes.
func docxBomb(t *testing.T, lie bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 200; i++ {
		w.Write(chunk)
	}
	zw.Close()
	b := buf.Bytes()
	if !lie {
		return b
	}
	// The central directory's uncompressed size (offset 24) and the data
	// descriptor's (offset 12) say 16 bytes.
	for _, h := range []struct {
		sig []byte
		at  int
	}{{[]byte{'P', 'K', 1, 2}, 24}, {[]byte{'P', 'K', 7, 8}, 12}} {
		i := bytes.LastIndex(b, h.sig)
		if i < 0 {
			t.Fatal("no zip header")
		}
		copy(b[i+h.at:i+h.at+8], []byte{16, 0, 0, 0, 0, 0, 0, 0}[:4])
	}
	return b
}

func docXML(body string) string {
	return `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
}

func buildDOCX(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDOCXTextParts: tables nested in tables, text boxes with their
// fallback copy, deleted revisions and field codes.
func TestDOCXTextParts(t *testing.T) {
	body := `<w:p><w:r><w:t>延庆区举办冰雪运动进社区活动，吸引了众多居民参加。</w:t></w:r>` +
		`<w:r><mc:AlternateContent xmlns:mc="m"><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框里的说明。</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框里的说明。</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:p><w:del><w:r><w:delText>删掉的话</w:delText></w:r></w:del><w:r><w:instrText>PAGE \* MERGEFORMAT</w:instrText></w:r><w:r><w:t>活动持续三天。</w:t></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>滑雪</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>冰壶</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>`
	p, err := ReadDOCX(buildDOCX(t, map[string]string{"word/document.xml": docXML(body)}))
	if err != nil {
		t.Fatal(err)
	}
	text := p.Text
	for _, want := range []string{"吸引了众多居民参加。", "文本框里的说明。", "活动持续三天。", "项目 | 滑雪 | 冰壶"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"删掉的话", "MERGEFORMAT"} {
		if strings.Contains(text, bad) {
			t.Errorf("text holds %q:\n%s", bad, text)
		}
	}
	if n := strings.Count(text, "文本框里的说明"); n != 1 {
		t.Errorf("text box read %d times", n)
	}
	if strings.Index(text, "文本框里的说明") < strings.Index(text, "吸引了众多居民参加") {
		t.Errorf("the text box comes before the paragraph that anchors it:\n%s", text)
	}
}

// TestLongPDFBoundedMemory reads a 500-page PDF made by repeating the
// e-paper page (qpdf or pdfium would do; here PDFium itself, through the
// engine the product uses, builds it) and checks every page was read.
func TestLongPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 500 pages")
	}
	data := repeatPDF(t, "testdata/pdf/epaper.pdf", 500)
	p, err := testReader().Read(context.Background(), "long.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 1000 {
		t.Errorf("%d articles from 500 pages of two, want 1000", len(p.Docs))
	}
	if len(p.Problems) != 0 {
		t.Errorf("problems: %v", p.Problems[:min(3, len(p.Problems))])
	}
}

// repeatPDF makes a PDF of n copies of the first page of a fixture, with
// PDFium (FPDF_ImportPages): the pages share their fonts, as the pages of
// one e-paper issue do.
func repeatPDF(t *testing.T, path string, n int) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := testReader().pdf.instance()
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	sdoc, err := inst.OpenDocument(&requests.OpenDocument{File: &src})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: sdoc.Document})
	ddoc, err := inst.FPDF_CreateNewDocument(&requests.FPDF_CreateNewDocument{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: ddoc.Document})
	rng := strings.TrimSuffix(strings.Repeat("1,", n), ",")
	if _, err := inst.FPDF_ImportPages(&requests.FPDF_ImportPages{Source: sdoc.Document, Destination: ddoc.Document, PageRange: &rng}); err != nil {
		t.Fatal(err)
	}
	out, err := inst.FPDF_SaveAsCopy(&requests.FPDF_SaveAsCopy{Document: ddoc.Document})
	if err != nil {
		t.Fatal(err)
	}
	return *out.FileBytes
}

// BenchmarkReadPDF measures the PDF reader (figures in README.md, never
// asserted): a 200-page e-paper PDF through the text layer, and 5 scanned
// pages through OCR (skipped without tesseract).
//
//	go test ./indexer/source -run '^$' -bench ReadPDF -benchtime 3x
//	BENCH_PDF=/tmp/long500.pdf go test ./indexer/source -run '^$' -bench ReadPDF/text -benchtime 1x
func BenchmarkReadPDF(b *testing.B) {
	t := &testing.T{}
	cases := []struct {
		name, file string
		pages      int
		ocr        bool
	}{
		{"text200", "testdata/pdf/epaper.pdf", 200, false},
		{"ocr5", "testdata/pdf/scanned.pdf", 5, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := &Reader{pdf: testReader().pdf}
			if ok, why := r.ocrReady(); c.ocr && !ok {
				b.Skip(why)
			}
			data := repeatPDF(t, c.file, c.pages)
			if f := os.Getenv("BENCH_PDF"); f != "" && !c.ocr {
				// A given file instead (devtools/pdfcompare/long-pdf.sh
				// makes long ones); pages/s then counts its pages.
				var err error
				if data, err = os.ReadFile(f); err != nil {
					b.Fatal(err)
				}
				c.pages = pdfPages(b, r, data)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p, err := r.Read(context.Background(), c.name+".pdf", data)
				if err != nil || len(p.Docs) == 0 {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.pages*b.N)/b.Elapsed().Seconds(), "pages/s")
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapSys)/(1<<20), "go-heap-MB")
		})
	}
}

func pdfPages(b *testing.B, r *Reader, data []byte) int {
	inst, err := r.pdf.instance()
	if err != nil {
		b.Fatal(err)
	}
	defer inst.Close()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		b.Fatal(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		b.Fatal(err)
	}
	return pc.PageCount
}

// joinPDFs makes one PDF of the pages of several, with PDFium.
func joinPDFs(t *testing.T, paths ...string) []byte {
	t.Helper()
	inst, err := testReader().pdf.instance()
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	ddoc, err := inst.FPDF_CreateNewDocument(&requests.FPDF_CreateNewDocument{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: ddoc.Document})
	at := 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sdoc, err := inst.OpenDocument(&requests.OpenDocument{File: &src})
		if err != nil {
			t.Fatal(err)
		}
		pc, _ := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: sdoc.Document})
		if _, err := inst.FPDF_ImportPages(&requests.FPDF_ImportPages{Source: sdoc.Document, Destination: ddoc.Document, Index: at}); err != nil {
			t.Fatal(err)
		}
		at += pc.PageCount
		inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: sdoc.Document})
	}
	out, err := inst.FPDF_SaveAsCopy(&requests.FPDF_SaveAsCopy{Document: ddoc.Document})
	if err != nil {
		t.Fatal(err)
	}
	return *out.FileBytes
}

// TestRealReportPDF: real text set in two columns over three pages (the
// 2010 government work report's opening): every paragraph comes out whole
// and in order, across columns and pages; the running header and the page
// numbers do not.
func TestRealReportPDF(t *testing.T) {
	p, err := readDocFixture(t, testReader(), "testdata/pdf/report-2010.pdf")
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, p)
	want, err := os.ReadFile("testdata/pdf/report-2010.txt")
	if err != nil {
		t.Fatal(err)
	}
	flat := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	got := flat(p.Text)
	at := 0
	for _, para := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		i := strings.Index(got[at:], flat(para))
		if i < 0 {
			t.Errorf("paragraph not whole or out of order: %.60q", para)
			continue
		}
		at += i + len(flat(para))
	}
	if strings.Contains(p.Text, "摘录") {
		t.Error("the running header is in the text")
	}
	for _, l := range strings.Split(p.Text, "\n") {
		if strings.TrimSpace(l) == "1" || strings.TrimSpace(l) == "2" || strings.TrimSpace(l) == "3" {
			t.Errorf("a page number is in the text: %q", l)
		}
	}
}

// TestDOCXHeadlineLike: a 简报 typed without heading styles: short bold
// (or centred) lines without closing punctuation start the articles.
func TestDOCXHeadlineLike(t *testing.T) {
	bold := func(s string) string {
		return `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t>` + s + `</w:t></w:r></w:p>`
	}
	plain := func(s string) string {
		return `<w:p><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>` + s + `</w:t></w:r></w:p>`
	}
	body := bold("大兴区开展夏季消防安全检查") + plain("记者 周宁") +
		plain("近日，大兴区消防救援支队联合各镇街对人员密集场所开展夏季消防安全检查，共检查单位三百余家，督促整改隐患一百二十处。") +
		plain("检查中，工作人员重点查看了电动自行车集中充电设施和疏散通道，并向商户发放消防安全提示。") +
		bold("平谷区大桃开始采摘上市") +
		plain("眼下，平谷区的早熟大桃陆续成熟，果农们忙着采摘、分拣、装箱，通过电商平台销往全国各地，合作社还组织了技术培训。")
	p, err := ReadDOCX(buildDOCX(t, map[string]string{"word/document.xml": docXML(body)}))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 2 || p.Docs[0].Title != "大兴区开展夏季消防安全检查" || p.Docs[1].Title != "平谷区大桃开始采摘上市" {
		logDocs(t, p)
		t.Fatalf("%d articles, want the two bold headlines as titles", len(p.Docs))
	}
	if strings.Contains(p.Docs[0].Body, "周宁") {
		t.Error("the byline is in the body")
	}
}
