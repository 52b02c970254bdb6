//go:build ignore

// gen writes ../xinxihua.docx, a Word document as offices save a State
// Council notice: the title, the number line under it, the salutation,
// the text, the signature (office, then date) and a note; core properties
// give the title. Run: go run gen.go (in this folder).
package main

import (
	"archive/zip"
	"log"
	"os"
	"strings"
)

func main() {
	f, err := os.Create("../xinxihua.docx")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			log.Fatal(err)
		}
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`)
	put("docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>国务院关于印发“十三五”国家信息化规划的通知</dc:title></cp:coreProperties>`)
	para := func(text, jc string, bold bool, size int) string {
		var ppr, rpr string
		if jc != "" {
			ppr = `<w:pPr><w:jc w:val="` + jc + `"/></w:pPr>`
		}
		if bold || size > 0 {
			rpr = "<w:rPr>"
			if bold {
				rpr += "<w:b/>"
			}
			if size > 0 {
				rpr += `<w:sz w:val="` + itoa(size) + `"/>`
			}
			rpr += "</w:rPr>"
		}
		return `<w:p>` + ppr + `<w:r>` + rpr + `<w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
	}
	body := []string{
		para("国务院关于印发“十三五”国家信息化规划的通知", "center", true, 44),
		para("国发〔2016〕73号", "center", false, 32),
		para("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "", false, 32),
		para("　　现将《“十三五”国家信息化规划》印发给你们，请认真贯彻执行。", "", false, 32),
		para("国务院", "right", false, 32),
		para("2016年12月15日", "right", false, 32),
		para("　　（此件公开发布）", "", false, 32),
	}
	put("word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+strings.Join(body, "")+`<w:sectPr/></w:body></w:document>`)
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
