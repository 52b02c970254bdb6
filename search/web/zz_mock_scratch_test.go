package web_test

// TEMPORARY: a fake API until the real server exists. Delete me.

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/search/web"
)

type mockDoc struct {
	ID, Title, Body, Date string
	Year                  int
	Districts, Topics     []string
}

var mockDocs = []mockDoc{
	{"a1", "补齐回天短板 提供人才公寓等2300余套", "养老方面，8项养老设施全部投用，增加机构养老设施5处、社区养老驿站22处。人才公寓等2300余套。", "2021-05-10", 2021, []string{"昌平区"}, []string{"养老服务", "教育"}},
	{"a2", "造林1.4万亩", "昌平区今年造林1.4万亩，养老也有提及。", "2021-05-10", 2021, []string{"昌平区"}, []string{"生态环境"}},
	{"a3", "新一轮回天行动计划取得积极成效", "强化居家养老导向，推进助餐、助浴。接诉即办。", "2024-01-20", 2024, []string{"昌平区"}, []string{"教育", "养老服务"}},
	{"a4", "南中轴国际文化科技园", "丰台区人才公寓建设，养老驿站配套。", "2024-01-20", 2024, []string{"丰台区"}, []string{"产业发展"}},
	{"a5", "酒仙桥旧改", "朝阳区旧改。", "2024-01-20", 2024, []string{"朝阳区"}, []string{"住房保障"}},
	{"x1", `注入演练<script>window.__xss=1</script>`, "朝阳区开展注入演练 <script>window.__xss=1</script>\n第二段 <img src=x onerror=\"window.__xss=1\"> 注入演练结束 & 完成", "2024-02-01", 2024, []string{"朝阳区"}, []string{"社会治理"}},
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeBrowser()
	os.Exit(code)
}

func startSearch(t *testing.T, cors []string) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler(web.Options{}))
	mux.HandleFunc("/api/search", func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); slices.Contains(cors, o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		p := r.URL.Query()
		q := p.Get("q")
		page, _ := strconv.Atoi(p.Get("page"))
		size, _ := strconv.Atoi(p.Get("size"))
		page, size = max(page, 1), cmp(size, 10)
		match := func(d mockDoc, skip string) bool {
			if q != "" && !strings.Contains(d.Title+d.Body, q) {
				return false
			}
			for _, f := range []string{"district", "topic", "year"} {
				vals := p[f]
				if f == skip || len(vals) == 0 {
					continue
				}
				have := map[string][]string{"district": d.Districts, "topic": d.Topics, "year": {strconv.Itoa(d.Year)}}[f]
				ok := false
				for _, v := range vals {
					ok = ok || slices.Contains(have, v)
				}
				if !ok {
					return false
				}
			}
			return true
		}
		var hits []map[string]any
		for _, d := range mockDocs {
			if !match(d, "") {
				continue
			}
			snip := html.EscapeString(d.Body)
			if q != "" {
				snip = strings.ReplaceAll(snip, html.EscapeString(q), "<mark>"+html.EscapeString(q)+"</mark>")
			}
			hits = append(hits, map[string]any{"id": d.ID, "title": d.Title, "date": d.Date, "year": d.Year,
				"districts": d.Districts, "topics": d.Topics, "source": "x.txt", "url": "", "snippet": snip, "score": 1.0})
		}
		facets := map[string][]map[string]any{}
		for _, f := range []string{"district", "topic", "year"} {
			counts := map[string]int{}
			for _, d := range mockDocs {
				if !match(d, f) {
					continue
				}
				for _, v := range map[string][]string{"district": d.Districts, "topic": d.Topics, "year": {strconv.Itoa(d.Year)}}[f] {
					counts[v]++
				}
			}
			var list []map[string]any
			for v, c := range counts {
				list = append(list, map[string]any{"value": v, "count": c})
			}
			sort.Slice(list, func(i, j int) bool { return list[i]["count"].(int) > list[j]["count"].(int) })
			facets[f] = list
		}
		total := len(hits)
		lo, hi := min((page-1)*size, total), min(page*size, total)
		resp := map[string]any{"query": q, "total": total, "took_ms": 1.2, "page": page, "size": size, "hits": hits[lo:hi], "facets": facets}
		if q == "养老驿战" {
			resp["did_you_mean"] = "养老驿站"
		}
		json.NewEncoder(w).Encode(resp)
	})
	mux.HandleFunc("/api/articles/{id}", func(w http.ResponseWriter, r *http.Request) {
		for _, d := range mockDocs {
			if d.ID == r.PathValue("id") {
				json.NewEncoder(w).Encode(map[string]any{"id": d.ID, "title": d.Title, "body": d.Body, "date": d.Date, "year": d.Year,
					"districts": d.Districts, "topics": d.Topics, "source": "x.txt", "url": "javascript:alert(1)"})
				return
			}
		}
		w.WriteHeader(404)
		w.Write([]byte(`{"error":{"code":"not_found","message":"no such article"}}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func cmp(a, def int) int {
	if a <= 0 {
		return def
	}
	return a
}
