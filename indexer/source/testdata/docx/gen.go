//go:build ignore

// gen writes jianbao.docx, a two-article Word 简报 as WPS and Chinese Word
// save it: a title paragraph, heading styles named "标题 1" (WPS) with an
// outline level, a byline, a table, core properties (title, created date).
// Run: go run gen.go (in this folder).
package main

import (
	"archive/zip"
	"log"
	"os"
	"strings"
)

func main() {
	f, err := os.Create("jianbao.docx")
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
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`)
	put("word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)
	put("docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>社区治理工作简报（第12期）</dc:title><dc:creator>东城区社区建设办公室</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2025-06-02T17:30:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-06-05T02:00:00Z</dcterms:modified></cp:coreProperties>`)
	put("word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="3"><w:name w:val="标题 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="a4"><w:name w:val="Table Grid"/></w:style>
</w:styles>`)
	p := func(style, text string) string {
		ppr := ""
		if style != "" {
			ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
		}
		// Word splits a paragraph into runs where formatting or editing
		// changed; split at the middle to exercise joining runs.
		r := []rune(text)
		h := len(r) / 2
		return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + string(r[:h]) + `</w:t></w:r><w:r><w:rPr><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t>` + string(r[h:]) + `</w:t></w:r></w:p>`
	}
	cell := func(s string) string {
		return `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>` + p("", s) + `</w:tc>`
	}
	row := func(cs ...string) string {
		var b strings.Builder
		b.WriteString(`<w:tr>`)
		for _, c := range cs {
			b.WriteString(cell(c))
		}
		b.WriteString(`</w:tr>`)
		return b.String()
	}
	body := strings.Join([]string{
		p("a3", "社区治理工作简报"),
		p("", "第12期"),
		p("", "东城区社区建设办公室编　2025年6月3日"),
		p("2", "东城区推行“小巷管家”议事协商制度"),
		p("", "记者 王磊"),
		p("", "今年以来，东城区在各街道推行“小巷管家”议事协商制度，由居民推选的小巷管家每周巡查胡同，收集环境卫生、停车秩序等方面的问题，提交社区议事会协商解决。"),
		p("", "东华门街道把议事会开到胡同口，居民围坐在一起商量公共空间怎么用。对于议事会解决不了的问题，街道通过接诉即办机制转交相关部门，办理结果在社区公告栏公示。"),
		p("3", "议事会开展情况"),
		`<w:tbl><w:tblPr><w:tblStyle w:val="a4"/></w:tblPr>` +
			row("街道", "议事会场次", "解决问题") +
			row("东华门街道", "36场", "121件") +
			row("景山街道", "28场", "94件") + `</w:tbl>`,
		p("", "区社区建设办公室表示，下一步将总结推广议事协商经验，让更多居民参与社区治理。"),
		p("2", "石景山区老旧小区加装电梯集中开工"),
		p("", "通讯员 刘洋"),
		p("", "日前，石景山区八角街道、鲁谷街道的十二个老旧小区加装电梯项目集中开工。这批电梯预计年内完工投用，将惠及一千余户居民，其中不少是行动不便的老年人。"),
		p("", "为解决加装电梯过程中的意见分歧，街道组织设计单位入户讲解方案，对低楼层住户关心的采光、噪音等问题逐一回应。区住房城乡建设委对项目审批实行并联办理，审批时间压缩了一半。"),
	}, "")
	put("word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>`+body+`<w:sectPr/></w:body></w:document>`)
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
}
