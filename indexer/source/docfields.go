package source

// The government-document fields a page states of itself: the number line
// under a document's title (国发〔2016〕31号), the signature under its text
// (国务院 / 2016年5月28日) and, on web pages, the metadata block (信息公开,
// see docblock.go).

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
)

const (
	// numberHead is how many non-empty lines from a document's top its
	// number line is looked for in (the title, a red head, the number).
	numberHead = 8
	// signatureTail is how many non-empty lines from a document's end its
	// signature is looked for in.
	signatureTail = 8
	// maxSignatureOffices bounds the office lines of one signature (joint
	// documents sign with several).
	maxSignatureOffices = 6
)

var (
	// reNoteLine is a short parenthesised note under a signature:
	// （此件公开发布）, （此件主动公开）.
	reNoteLine = regexp.MustCompile(`^[（(][^（）()]{1,30}[）)]$`)
	// reNumberLabel is a label before a document number on its line.
	reNumberLabel = regexp.MustCompile(`^\s*(?:发文字号|文号|发文号|發文字號|文號)\s*[:：]?\s*`)
)

// numberLine returns the document number a line is only made of
// (京政办发〔2016〕26号, also in parentheses or after its label), in normal
// form.
func numberLine(l string) (string, bool) {
	l = strings.TrimSpace(l)
	if utf8.RuneCountInString(l) > 60 {
		return "", false
	}
	l = reNumberLabel.ReplaceAllString(l, "")
	if strings.HasPrefix(l, "（") && strings.HasSuffix(l, "）") {
		l = strings.TrimSuffix(strings.TrimPrefix(l, "（"), "）")
	} else if strings.HasPrefix(l, "(") && strings.HasSuffix(l, ")") {
		l = l[1 : len(l)-1]
	}
	n, ok := govdoc.Parse(l)
	if !ok {
		return "", false
	}
	return n.String(), true
}

// signDate returns the date of a line that is only a date, in digits or
// Chinese numerals (2016年5月28日, 二〇一六年五月二十八日).
func signDate(l string) (string, bool) {
	l = strings.TrimSpace(analysis.Normalize(l))
	if utf8.RuneCountInString(l) > 20 {
		return "", false
	}
	return OnlyDate(FoldChineseDate(l))
}

// signature reads a signature at the end of lines (non-empty, trimmed):
// one or more office lines, then a date line, perhaps with short notes
// after it. It returns the index of its first line, or -1.
func signature(lines []string) (offices []string, date string, at int) {
	end := len(lines)
	for k := 0; k < 2 && end > 0 && reNoteLine.MatchString(lines[end-1]); k++ {
		end--
	}
	if end < 2 {
		return nil, "", -1
	}
	d, ok := signDate(lines[end-1])
	if !ok {
		// The office and the date on one line (a PDF's layout may join
		// them): 国务院2013年9月10日, 国务院 2013年9月10日.
		office, date, glued := gluedSignature(lines[end-1])
		if !glued {
			return nil, "", -1
		}
		lines = append(append([]string(nil), lines[:end-1]...), office, date)
		end++
		d = date
		if dd, ok := signDate(date); ok {
			d = dd
		}
	}
	from := end - 1
	for from > 0 && end-1-from < maxSignatureOffices && govdoc.Office(lines[from-1]) {
		from--
	}
	if from == end-1 {
		return nil, "", -1
	}
	for _, l := range lines[from : end-1] {
		for _, o := range govdoc.SplitIssuers(l) {
			offices = appendNew(offices, o)
		}
	}
	return offices, d, from
}

// reTrailingDate is a date closing a line, in digits (after folding).
var reTrailingDate = regexp.MustCompile(`^(.*?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$`)

// gluedSignature splits a line made of an office's name and a date.
func gluedSignature(l string) (office, date string, ok bool) {
	l = strings.TrimSpace(FoldChineseDate(analysis.Normalize(l)))
	if utf8.RuneCountInString(l) > govdoc.MaxOfficeRunes+20 {
		return "", "", false
	}
	m := reTrailingDate.FindStringSubmatch(l)
	if m == nil || !govdoc.Office(m[1]) {
		return "", "", false
	}
	if _, ok := OnlyDate(m[2]); !ok {
		return "", "", false
	}
	return m[1], m[2], true
}

// numberBeforeSalutation reads a number line that a PDF's layout joined
// to the salutation under it: 国发〔2013〕37号各省、自治区…：.
func numberBeforeSalutation(l string) (string, bool) {
	i := strings.Index(l, "号")
	if i < 0 || !strings.HasSuffix(strings.TrimSpace(l), "：") || utf8.RuneCountInString(l) > 120 {
		return "", false
	}
	return numberLine(l[:i+len("号")])
}

// signatureEnd returns the end of the signature that opens units[i:] (see
// signature), or i when there is none.
func signatureEnd(units []unit, i int) int {
	var lines []string
	j := i
	for ; j < len(units) && j-i <= maxSignatureOffices+2; j++ {
		if units[j].kind != kS {
			break
		}
		lines = append(lines, units[j].text)
	}
	// The longest run of lines from i that reads as a signature.
	for n := len(lines); n >= 2; n-- {
		if _, _, at := signature(lines[:n]); at == 0 {
			return i + n
		}
	}
	return i
}

// statedFields reads what a document's text states of itself: the number
// line in its head and the signature at its end.
func statedFields(text string) govdoc.Fields {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var f govdoc.Fields
	for k, l := range lines {
		if k >= numberHead {
			break
		}
		if n, ok := numberLine(l); ok {
			f.DocNo = n
			break
		}
		if n, ok := numberBeforeSalutation(l); ok {
			f.DocNo = n
			break
		}
	}
	tail := lines
	if len(tail) > signatureTail {
		tail = tail[len(tail)-signatureTail:]
	}
	if offices, d, at := signature(tail); at >= 0 {
		f.Issuer, f.Written = offices, d
	}
	return f
}

// addFields fills the document fields of m that are still empty from f;
// a date written that is not a date is a Problem and is left out.
func (m *Meta) addFields(f govdoc.Fields) []Problem {
	var problems []Problem
	setEmpty := func(dst *string, v string) {
		if *dst == "" {
			*dst = strings.TrimSpace(v)
		}
	}
	setEmpty(&m.DocNo, f.DocNo)
	if len(m.Issuer) == 0 && len(f.Issuer) > 0 {
		m.Issuer = append([]string(nil), f.Issuer...)
	}
	if m.Written == "" && f.Written != "" {
		if d, ok := parseLooseDate(FoldChineseDate(analysis.Normalize(f.Written))); ok {
			m.Written = d
		} else {
			problems = append(problems, Problem{Reason: fmt.Sprintf("成文日期 %q is not a date; ignored", truncateRunes(f.Written, 40))})
		}
	}
	if m.Date == "" && m.Year == 0 && f.Published != "" {
		if d, ok := parseLooseDate(FoldChineseDate(analysis.Normalize(f.Published))); ok {
			m.Date = d
		} else {
			problems = append(problems, Problem{Reason: fmt.Sprintf("发布日期 %q is not a date; ignored", truncateRunes(f.Published, 40))})
		}
	}
	setEmpty(&m.IndexNo, f.IndexNo)
	setEmpty(&m.Category, f.Category)
	setEmpty(&m.Validity, f.Validity)
	return problems
}

// addStatedFields gives the documents of a page what their text states of
// itself (addFields: what the input gave already wins). A page holding one
// document is read whole (its number line may stand above the title);
// each article of a bulletin page is read on its own.
func addStatedFields(page *Page) {
	for i := range page.Docs {
		d := &page.Docs[i]
		text := d.Title + "\n" + d.Body
		if len(page.Docs) == 1 && page.Text != "" {
			text = page.Text
		}
		page.Problems = append(page.Problems, d.Given.addFields(statedFields(text))...)
	}
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// govFields reads the government-document fields of a JSON record (an
// export's line or a written article) into d. A field that is not what it
// should be (a number with no year, a date that is no date, a value too
// long to be one) is left out with the reason.
func (o jsonLine) govFields(fm FieldMap, d *Doc) (dropped []string) {
	g := &d.Given
	if k := o.pick(fm, FieldDocNo); o[k] != nil && !isNull(o[k]) {
		s, why := o.text(k, false)
		switch {
		case why != "":
			dropped = append(dropped, why+"; field ignored")
		case strings.TrimSpace(s) == "":
		default:
			if n, ok := numberLine(s); ok {
				g.DocNo = n
			} else if ns := govdoc.Find(s); len(ns) == 1 && utf8.RuneCountInString(s) <= govdoc.MaxValueRunes {
				g.DocNo = ns[0].String()
			} else {
				dropped = append(dropped, fmt.Sprintf("%q %s is not a document number with its year (京政办发〔2016〕26号); field ignored", k, short(o[k])))
			}
		}
	}
	if k := o.pick(fm, FieldIssuer); o[k] != nil && !isNull(o[k]) {
		var list []string
		if s, why := o.text(k, false); why == "" {
			list = govdoc.SplitIssuers(s)
		} else if l, why := o.list(k); why == "" {
			for _, x := range l {
				list = append(list, govdoc.SplitIssuers(x)...)
			}
		} else {
			dropped = append(dropped, why+"; field ignored")
		}
		for _, x := range list {
			g.Issuer = appendNew(g.Issuer, x)
		}
	}
	if k := o.pick(fm, FieldWritten); o[k] != nil && !isNull(o[k]) {
		if date, ok := jsonDate(o[k]); ok {
			g.Written = date
		} else {
			dropped = append(dropped, fmt.Sprintf("%q %s is not a date; field ignored", k, short(o[k])))
		}
	}
	for _, f := range []struct {
		field string
		dst   *string
	}{{FieldIndexNo, &g.IndexNo}, {FieldCategory, &g.Category}, {FieldValidity, &g.Validity}} {
		k := o.pick(fm, f.field)
		s, why := o.text(k, false)
		switch s = tidyLine(s); {
		case why != "":
			dropped = append(dropped, why+"; field ignored")
		case utf8.RuneCountInString(s) > govdoc.MaxValueRunes:
			dropped = append(dropped, fmt.Sprintf("%q is longer than %d characters; field ignored", k, govdoc.MaxValueRunes))
		default:
			*f.dst = s
		}
	}
	return dropped
}
