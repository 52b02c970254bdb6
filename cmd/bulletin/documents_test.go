package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDocumentsEndToEnd indexes PDF and Word files the product has never
// seen (indexer/source/testdata/make-fixtures.sh made them: a two-column
// e-paper page, a scanned page, a WPS-style 简报 and LibreOffice's Word
// export) through `bulletin index`, beside bad files, and checks through
// `bulletin search` that each article is read right: title (no byline),
// first district, topics, date and year; a word broken across PDF lines
// is found; the bad files are listed with their reasons.
func TestDocumentsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes PDFs")
	}
	ocr := true
	if _, err := exec.LookPath("tesseract"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run the OCR check: tesseract is not installed")
		}
		t.Log("tesseract not installed: the scanned page is checked as skipped")
		ocr = false
	}
	in := t.TempDir()
	fix := filepath.Join("..", "..", "indexer", "source", "testdata")
	for _, f := range []string{"pdf/epaper.pdf", "pdf/epaper-spans.pdf", "pdf/scanned.pdf", "pdf/encrypted.pdf", "docx/jianbao.docx", "docx/tongbao.docx", "docx/tongbao.doc"} {
		data, err := os.ReadFile(filepath.Join(fix, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, filepath.Base(f)), data, 0o644)
		if f == "pdf/epaper.pdf" {
			os.WriteFile(filepath.Join(in, "truncated.pdf"), data[:len(data)/3], 0o644)
		}
	}
	os.WriteFile(filepath.Join(in, "photo.png"), []byte("\x89PNG\r\n\x1a\n"), 0o644)
	os.WriteFile(filepath.Join(in, ".hidden"), []byte("x"), 0o644)

	idx := filepath.Join(t.TempDir(), "idx")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"index", "--index", idx, in}, &out, &errb); code != 0 {
		t.Fatalf("index: exit %d\n%s", code, errb.String())
	}
	report := errb.String()
	skips := []struct{ file, reason string }{
		{"tongbao.doc", "save it as .docx"},
		{"encrypted.pdf", "encrypted PDF"},
		{"truncated.pdf", "corrupt PDF"},
		{"photo.png", "file type .png is not read"},
	}
	if !ocr {
		skips = append(skips, struct{ file, reason string }{"scanned.pdf", "tesseract"})
	}
	for _, s := range skips {
		if !strings.Contains(report, "skipped "+filepath.Join(in, s.file)+": ") || !strings.Contains(report, s.reason) {
			t.Errorf("report does not list %s as skipped with %q:\n%s", s.file, s.reason, report)
		}
	}
	if strings.Contains(report, ".hidden") {
		t.Errorf("a hidden file is listed:\n%s", report)
	}

	type hit struct {
		Title     string
		Date      string
		Year      int
		Districts []string
		Topics    []string
		Source    string
	}
	search := func(q string) []hit {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), []string{"search", "--index", idx, "--json", q}, &o, &e); code != 0 {
			t.Fatalf("search %s: %s", q, e.String())
		}
		var r struct{ Hits []hit }
		if err := json.Unmarshal(o.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return r.Hits
	}
	cases := []struct {
		query, title, source, district string
		topic, date                    string
		ocr                            bool
	}{
		// 接诉 | 即办 are broken across two lines of the PDF.
		{"接诉即办", "海淀区社区卫生服务中心延时服务覆盖全区", "epaper.pdf", "海淀区", "医疗卫生", "2025-04-18", false},
		{"养老助餐", "通州区新建二十家养老助餐点", "epaper.pdf", "通州区", "养老服务", "2025-04-18", false},
		// 学院路街 | 道, also broken across lines.
		{"学院路街道", "海淀区社区卫生服务中心延时服务覆盖全区", "epaper.pdf", "海淀区", "医疗卫生", "2025-04-18", false},
		{"九年一贯制学校", "大兴区新建三所九年一贯制学校", "epaper-spans.pdf", "大兴区", "教育", "2023-11-03", false},
		{"社区体育公园", "房山区长阳镇建成社区体育公园", "epaper-spans.pdf", "房山区", "文化体育", "2023-11-03", false},
		{"口袋公园", "望京街道建成六座口袋公园", "scanned.pdf", "朝阳区", "生态环境", "2024-09-20", true},
		{"小巷管家", "东城区推行“小巷管家”议事协商制度", "jianbao.docx", "东城区", "社会治理", "2025-06-03", false},
		{"加装电梯", "石景山区老旧小区加装电梯集中开工", "jianbao.docx", "石景山区", "住房保障", "2025-06-03", false},
		{"污水管网", "门头沟区推进山区村庄污水治理", "tongbao.docx", "门头沟区", "市政设施", "2025-07-08", false},
		{"暖心驿站", "顺义区为新就业群体建设暖心驿站", "tongbao.docx", "顺义区", "", "2025-07-08", false},
	}
	for _, c := range cases {
		if c.ocr && !ocr {
			continue
		}
		hs := search(c.query)
		i := slices.IndexFunc(hs, func(h hit) bool { return h.Title == c.title })
		if i < 0 {
			t.Errorf("%s: no hit titled %q in %+v", c.query, c.title, hs)
			continue
		}
		h := hs[i]
		if h.Source != c.source || len(h.Districts) == 0 || h.Districts[0] != c.district || h.Date != c.date || h.Year != 2000+int(c.date[2]-'0')*10+int(c.date[3]-'0') {
			t.Errorf("%s: %+v, want source %s, first district %s, date %s", c.query, h, c.source, c.district, c.date)
		}
		if c.topic != "" && !slices.Contains(h.Topics, c.topic) {
			t.Errorf("%s: topics %v lack %s", c.query, h.Topics, c.topic)
		}
		for _, bad := range []string{"记者", "通讯员", "责任编辑", "简报"} {
			if strings.Contains(h.Title, bad) {
				t.Errorf("%s: title %q holds %q", c.query, h.Title, bad)
			}
		}
	}

	// --ocr off: the scanned page is skipped with that reason, the rest read.
	idx2 := filepath.Join(t.TempDir(), "idx")
	errb.Reset()
	if code := run(context.Background(), []string{"index", "--index", idx2, "--ocr", "off", in}, &out, &errb); code != 0 {
		t.Fatalf("index --ocr off: exit %d\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "scanned.pdf: scanned PDF (no text layer): OCR is off (--ocr off)") {
		t.Errorf("--ocr off: the scanned page is not reported:\n%s", errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"index", "--index", idx2, "--ocr", "maybe", in}, &out, &errb); code == 0 {
		t.Error("--ocr maybe accepted")
	}
}
