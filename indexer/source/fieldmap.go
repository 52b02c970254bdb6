package source

import (
	"fmt"
	"strings"
)

// Article fields a JSON Lines line can give.
const (
	FieldID        = "id"
	FieldTitle     = "title"
	FieldBody      = "body"
	FieldDate      = "date"
	FieldYear      = "year"
	FieldSource    = "source"
	FieldURL       = "url"
	FieldDistricts = "districts"
	FieldTopics    = "topics"

	// The government-document fields.
	FieldDocNo    = "doc_no"
	FieldIssuer   = "issuer"
	FieldWritten  = "written"
	FieldIndexNo  = "index_no"
	FieldCategory = "category"
	FieldValidity = "validity"
)

// defaultNames are the names under which exports give each field, in order
// of preference.
var defaultNames = map[string][]string{
	FieldID:        {"id"},
	FieldTitle:     {"title"},
	FieldBody:      {"body", "content", "text"},
	FieldDate:      {"date", "pubDate", "publish_time", "published_at", "pubtimeStr"},
	FieldYear:      {"year"},
	FieldSource:    {"source"},
	FieldURL:       {"url", "link"},
	FieldDistricts: {"districts"},
	FieldTopics:    {"topics"},
	// gov.cn's exports: pcode, puborg, pubtimeStr.
	FieldDocNo:    {"doc_no", "文号", "发文字号", "pcode"},
	FieldIssuer:   {"issuer", "发文机关", "puborg"},
	FieldWritten:  {"written", "成文日期"},
	FieldIndexNo:  {"index_no", "索引号"},
	FieldCategory: {"category", "主题分类"},
	FieldValidity: {"validity", "有效性"},
}

// FieldMap names, for some article fields, the export's field that holds
// it (body → "正文"). Fields it does not name are found under their usual
// names. The zero value is valid; it is read-only once made.
type FieldMap map[string]string

// ParseFieldMap reads a --map value: body=FIELD,date=FIELD,...
func ParseFieldMap(spec string) (FieldMap, error) {
	m := FieldMap{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return nil, fmt.Errorf("--map %q: want FIELD=NAME, e.g. body=content", part)
		}
		if _, known := defaultNames[k]; !known {
			return nil, fmt.Errorf("--map %q: %q is not an article field (id, title, body, date, year, source, url, districts, topics, doc_no, issuer, written, index_no, category, validity)", part, k)
		}
		m[k] = v
	}
	return m, nil
}

// names returns the export's names for an article field.
func (m FieldMap) names(field string) []string {
	if n, ok := m[field]; ok {
		return []string{n}
	}
	return defaultNames[field]
}
