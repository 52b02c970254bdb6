package opensearch

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	osindex "github.com/govbulletin/bulletin/indexer/opensearch"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

var update = flag.Bool("update", false, "write the .golden files of what the engine sends")

// sent is one request to the cluster.
type sent struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   any    `json:"body,omitempty"`
}

// goldenWords are the words of the golden tests' vocabulary (pinyin
// queries and did_you_mean find their candidates among them), with the
// number of articles holding each.
var goldenWords = map[string]uint64{"养老": 40, "驿站": 12, "养老驿站": 9, "社区": 50, "食堂": 7, "昌平": 20, "首钢": 3}

// recordingView is the view of an index as the engine makes it, whose
// requests are recorded instead of sent; every answer is empty (no hits,
// no counts), so a search goes through every strategy of its plan.
func recordingView(t *testing.T, pairs bool) (*view, *[]sent) {
	t.Helper()
	seg, err := analysis.For(analysis.Dictionary{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := search.NewPlanner("")
	if err != nil {
		t.Fatal(err)
	}
	words := make([]string, 0, len(goldenWords))
	for w := range goldenWords {
		words = append(words, w)
	}
	sort.Strings(words)
	ov := &osVocab{index: "bulletins-golden"}
	ov.once.Do(func() {}) // loaded: the words above
	ov.snap.Store(&vocabSnap{v: search.NewVocab(goldenWords), words: words, field: map[string][2]uint64{}})
	e := &Engine{log: slog.New(slog.NewTextHandler(io.Discard, nil)), planner: pl, index: "bulletins-golden", seg: seg, vocab: ov, pairs: pairs}
	v := e.current()
	var log []sent
	v.do = func(_ context.Context, method, path string, body, _ any) error {
		log = append(log, sent{method, path, body})
		return nil
	}
	return v, &log
}

// checkGolden compares got, as indented JSON, with testdata/name.golden
// (written instead with -update).
func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("%s: the engine sends something else now (check, then run with -update):\n%s", path, diffLines(want, b.Bytes()))
	}
}

// diffLines is the first line where a and b differ, with its neighbours.
func diffLines(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			return "line " + itoa(i+1) + ":\n want " + string(x) + "\n got  " + string(y)
		}
	}
	return ""
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestGoldenSearches: the requests a search sends to the cluster, for each
// kind of query, every strategy of the plan included (all words with the
// pair group, any word, the advice's counts, the alternative query).
func TestGoldenSearches(t *testing.T) {
	for _, tc := range []struct {
		name  string
		req   search.Request
		pairs bool // the index has the pair field
	}{
		{"single-word", search.Request{Query: "养老"}, true},
		{"several-words", search.Request{Query: "昌平 养老 驿站"}, true},
		{"phrase", search.Request{Query: "养老驿站"}, true},
		{"quoted", search.Request{Query: `"社区 食堂"`}, true},
		{"no-pair-field", search.Request{Query: "社区食堂"}, false},
		{"district", search.Request{Query: "养老", Districts: []string{"昌平区", "朝阳区"}}, true},
		{"topic", search.Request{Query: "养老", Topics: []string{"养老服务"}}, true},
		{"year", search.Request{Query: "养老", Years: []int{2023, 2024}}, true},
		{"date-range", search.Request{Query: "养老", DateFrom: "2021-01-01", DateTo: "2024-12-31"}, true},
		{"date-order", search.Request{Query: "社区食堂", Sort: "date"}, true},
		{"listing", search.Request{Topics: []string{"教育"}, Page: 2, Size: 5}, true},
		{"past-window", search.Request{Query: "社区 食堂", Page: 4, Size: 10}, true},
		{"pinyin", search.Request{Query: "yanglao"}, true},
		{"typo", search.Request{Query: "养老驿战"}, true},
		{"syntax-exclude", search.Request{Query: "养老 -山东"}, true},
		{"syntax-only-exclusions", search.Request{Query: "-养老 -驿站"}, true},
		{"syntax-or-scopes", search.Request{Query: "标题:养老 | 发文机关:民政局 正文:驿站"}, true},
		{"syntax-phrase", search.Request{Query: `"养老服务驿站" -"山东省"`}, true},
		{"syntax-pinyin", search.Request{Query: "yanglao -山东"}, true},
		{"number", search.Request{Query: "京政发[2015]17号"}, true},
		{"number-words", search.Request{Query: "文号:京政发（2015）17号 养老 -驿站"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, log := recordingView(t, tc.pairs)
			if _, err := v.e.planner.Search(context.Background(), v, tc.req); err != nil {
				t.Fatal(err)
			}
			if len(*log) == 0 {
				t.Fatal("nothing sent")
			}
			checkGolden(t, "search-"+tc.name, *log)
		})
	}
}

// TestGoldenSuggest: a suggestion's title search (the words come from the
// vocabulary, read apart).
func TestGoldenSuggest(t *testing.T) {
	v, log := recordingView(t, true)
	if _, err := v.e.planner.Suggest(context.Background(), v, "养", 8); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "suggest", *log)
}

// TestGoldenMapping: the index a build creates: its mapping and the
// similarity of its text fields (indexer.OSMapping, indexer.OSSimilarity).
func TestGoldenMapping(t *testing.T) {
	meta := schema.Meta{Schema: schema.Version, Name: "bulletins-golden", Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Region: "北京市", Districts: []string{"东城区", "西城区"}, Topics: []string{"教育", "养老服务"}}
	checkGolden(t, "mapping", map[string]any{
		"settings": map[string]any{"index": map[string]any{"similarity": osindex.Similarity()}},
		"mappings": osindex.Mapping(meta),
	})
}
