package indexer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A page's district applies only when it is given: front matter, or
// --district for a folder of one district's bulletins. It is never inferred
// from one article of a page and spread to the others.
func TestPageDistrictOnlyWhenGiven(t *testing.T) {
	in := t.TempDir()
	page := strings.Join([]string{
		"顺义区后沙峪镇新建社区食堂",
		"本报讯（记者 甲）顺义区后沙峪镇日前新建两家社区食堂，老人可就近用餐。",
		"南京地铁新线开通运营",
		"新华社南京1月1日电 南京地铁一条新线1日开通运营，全长约30公里。",
		"（新华社南京1月1日电）",
		"新年贺词温暖人心",
		"本报讯 新年贺词在干部群众中引起热烈反响。",
	}, "\n") + "\n"
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(in, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("page.txt", page)
	write("given.txt", "---\ndistricts: [丰台区]\n---\n"+page)

	districts := func(cfg Config) map[string][]string {
		t.Helper()
		dir := t.TempDir()
		if _, err := Build(context.Background(), dir, cfg, in); err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, a := range storedArticles(t, dir) {
			out[a.Source+":"+a.Title] = a.Districts
		}
		return out
	}

	got := districts(Config{})
	for key, want := range map[string]string{
		"page.txt:顺义区后沙峪镇新建社区食堂": "顺义区",
		"page.txt:南京地铁新线开通运营":    "",
		"page.txt:新年贺词温暖人心":      "",
		"given.txt:南京地铁新线开通运营":   "丰台区",
		"given.txt:新年贺词温暖人心":     "丰台区",
	} {
		ds, ok := got[key]
		if !ok {
			t.Errorf("no article %s (have %v)", key, got)
			continue
		}
		if want == "" && len(ds) > 0 || want != "" && (len(ds) == 0 || ds[0] != want) {
			t.Errorf("%s: districts %v, want %q", key, ds, want)
		}
	}

	// --district 昌平: every article gets 昌平区 first, before what its
	// text names; front matter still overrides.
	got = districts(Config{District: "昌平"})
	for key, want := range map[string]string{
		"page.txt:顺义区后沙峪镇新建社区食堂": "昌平区,顺义区",
		"page.txt:南京地铁新线开通运营":    "昌平区",
		"given.txt:新年贺词温暖人心":     "丰台区",
	} {
		if ds := strings.Join(got[key], ","); ds != want {
			t.Errorf("--district: %s: districts %s, want %s", key, ds, want)
		}
	}

	if _, err := Build(context.Background(), t.TempDir(), Config{District: "浦东新区"}, in); err == nil {
		t.Error("a district of another region was accepted")
	}
}
