package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	lpdf "github.com/ledongthuc/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/tetratelabs/wazero"
)

func main() {
	lib := flag.String("lib", "pdfium", "pdfium, ledongthuc or pdfcpu")
	flag.Parse()
	path := flag.Arg(0)
	phrases := flag.Args()[1:]
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	start := time.Now()
	var pages int
	var text string
	var setup time.Duration
	switch *lib {
	case "pdfium":
		pool, err := webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1, FSConfig: wazero.NewFSConfig()})
		check(err)
		inst, err := pool.GetInstance(time.Minute)
		check(err)
		setup = time.Since(start)
		start = time.Now()
		doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		check(err)
		pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
		check(err)
		var sb strings.Builder
		for i := 0; i < pc.PageCount; i++ {
			r, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
			check(err)
			sb.WriteString(r.Text)
		}
		pages, text = pc.PageCount, sb.String()
	case "ledongthuc":
		r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
		check(err)
		var sb strings.Builder
		for i := 1; i <= r.NumPage(); i++ {
			for _, t := range r.Page(i).Content().Text {
				sb.WriteString(t.S)
			}
		}
		pages, text = r.NumPage(), sb.String()
	case "pdfcpu":
		// pdfcpu has no text extraction: the nearest is the pages' content
		// streams, which hold glyph codes, not text.
		dir, err := os.MkdirTemp("", "pdfcpu")
		check(err)
		defer os.RemoveAll(dir)
		check(api.ExtractContent(bytes.NewReader(data), dir, "p", nil, nil))
		ents, _ := os.ReadDir(dir)
		var sb strings.Builder
		for _, e := range ents {
			b, _ := os.ReadFile(dir + "/" + e.Name())
			sb.Write(b)
		}
		pages, text = len(ents), sb.String()
	default:
		fmt.Fprintln(os.Stderr, "unknown -lib")
		os.Exit(2)
	}
	el := time.Since(start)
	flat := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text)
	found := 0
	for _, p := range phrases {
		if strings.Contains(flat, p) {
			found++
		}
	}
	fmt.Printf("{\"lib\":%q,\"pages\":%d,\"setup_s\":%.2f,\"extract_s\":%.2f,\"pages_per_s\":%.0f,\"phrases_found\":%d,\"phrases\":%d}\n",
		*lib, pages, setup.Seconds(), el.Seconds(), float64(pages)/el.Seconds(), found, len(phrases))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
