package enrich

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/source"
)

func newEnricher(t *testing.T, cfg Config) *Enricher {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDistricts(t *testing.T) {
	e := newEnricher(t, Config{})
	tests := []struct {
		name, title, body string
		want              []string // exact list, most relevant first
	}{
		{"short form", "昌平“两区”建设情况", "梳理空间资源建筑面积2000余万平方米。", []string{"昌平区"}},
		{"town names", "回龙观街道新建驿站", "回龙观街道和天通苑北街道居民受益。", []string{"昌平区"}},
		{"alias", "望京地区新开社区食堂", "望京的老人可以就近用餐。", []string{"朝阳区"}},
		{"朝阳 the word", "朝阳产业蓬勃发展", "海淀区的朝阳产业迎来新机遇，海淀区企业增加。", []string{"海淀区"}},
		{"通州 outside Beijing", "南通市通州区考察团来访", "江苏省南通市通州区代表团到大兴区考察，大兴区介绍经验。", []string{"大兴区"}},
		{"passing destination", "酒仙桥旧改居民搬入新居", "朝阳区酒仙桥旧改项目居民搬家至通州区某地，朝阳区统筹推进。", []string{"朝阳区"}},
		{"subject first", "丰台区园区开园", "丰台区与中关村发展集团合作，丰台区引进企业。中关村发展集团负责人介绍。", []string{"丰台区"}},
	}
	for _, tc := range tests {
		got := e.Districts(tc.title, tc.body)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: districts %v, want %v (scores %v)", tc.name, got, tc.want, e.Gazetteer.DistrictScores(tc.title, tc.body))
		}
	}
}

func TestOtherRegion(t *testing.T) {
	e := newEnricher(t, Config{Region: "上海市"})
	if got := e.Districts("浦东新区张江科学城新建学校", "浦东新区教育局介绍。"); len(got) == 0 || got[0] != "浦东新区" {
		t.Errorf("上海市: %v", got)
	}
	if got := e.Districts("昌平区新建学校", "昌平区教委介绍。"); len(got) != 0 {
		t.Errorf("a Beijing district found with region 上海市: %v", got)
	}
	if _, err := New(Config{Region: "火星市"}); err == nil {
		t.Error("unknown region accepted")
	}
}

func TestTopics(t *testing.T) {
	e := newEnricher(t, Config{})
	got := e.Topics("社区养老驿站开张", "新建社区养老驿站，为老年人提供助餐、助浴服务，养老服务更便利。")
	if len(got) == 0 || got[0] != "养老服务" {
		t.Errorf("topics %v", got)
	}
	if got := e.Topics("会议召开", "会议听取了汇报。"); len(got) != 0 {
		t.Errorf("generic prose got topics %v", got)
	}
}

func TestTaxonomyReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tax.yaml")
	os.WriteFile(path, []byte("topics:\n  - name: 冰雪运动\n    keywords:\n      滑雪: 3\n      冰场: 3\n"), 0o644)
	e := newEnricher(t, Config{TaxonomyFile: path})
	if got := e.Topics("滑雪场开放", "新建冰场和滑雪场，滑雪爱好者增多。"); strings.Join(got, ",") != "冰雪运动" {
		t.Errorf("topics %v", got)
	}
	if got := e.Taxonomy.Names(); len(got) != 1 {
		t.Errorf("names %v", got)
	}
	os.WriteFile(path, []byte("topics: [}"), 0o644)
	if _, err := New(Config{TaxonomyFile: path}); err == nil {
		t.Error("broken taxonomy accepted")
	}
}

func TestDefaultTaxonomyTopics(t *testing.T) {
	tax, err := LoadTaxonomy("")
	if err != nil {
		t.Fatal(err)
	}
	want := "教育,医疗卫生,养老服务,文化体育,交通出行,市政设施,生态环境,住房保障,社会治理,产业发展,农业农村"
	if got := strings.Join(tax.Names(), ","); got != want {
		t.Errorf("topics %s", got)
	}
}

func TestPageDate(t *testing.T) {
	tests := []struct {
		name, text string
		date       string
		year       int
	}{
		{"marked", "发布时间：2023-06-05 10:00\n正文提到2020年。", "2023-06-05", 2023},
		{"dateline", "本报北京2022年3月4日电 某区召开会议。", "2022-03-04", 2022},
		{"masthead line", "2021年5月10日 星期一\n\n标题\n\n正文。", "2021-05-10", 2021},
		{"latest year with 今年", "2019年开工，2021年投用，今年还将新建三处。", "", 2021},
		{"去年 without 今年", "2023年新建学校。去年9月开学。", "", 2024},
		{"plan years are not publication years", "2022年完成。将在2025年接续落实，计划2026年完工，到2027年全覆盖。", "", 2022},
		{"periods", "十四五时期（2021—2025年）规划。2022年推进。", "", 2022},
		{"截至 is past", "截至2020年，共完成造林。", "", 2020},
		{"nothing", "日前，某区召开会议。", "", 0},
	}
	for _, tc := range tests {
		d, y := PageDate(tc.text)
		if d != tc.date || y != tc.year {
			t.Errorf("%s: got %q %d, want %q %d", tc.name, d, y, tc.date, tc.year)
		}
	}
}

func TestTownNameVariants(t *testing.T) {
	e := newEnricher(t, Config{})
	if got := e.Districts("西红门镇新建公园", "西红门镇居民受益。"); len(got) == 0 || got[0] != "大兴区" {
		t.Errorf("西红门镇: %v", got)
	}
	found := false
	for _, w := range e.Gazetteer.DictWords() {
		found = found || w == "西红门镇"
	}
	if !found {
		t.Error("西红门镇 is not a dictionary word")
	}
}

// TestAmbiguousPlaceNames: names that are also common words or places
// elsewhere in China count only with evidence in the same article.
func TestAmbiguousPlaceNames(t *testing.T) {
	e := newEnricher(t, Config{})
	tests := []struct {
		name, title, body string
		want              string // first district, "" for none
	}{
		// Not Beijing at all.
		{"曙光 the dawn", "迎着新世纪的曙光奋力前行", "新世纪的曙光照亮前行的道路。", ""},
		{"河北 the province", "河北廊坊：临空经济区建设提速", "河北省廊坊市临空经济区内多个项目开工。", ""},
		{"天桥 in Hong Kong", "香港天桥连廊新年开放", "连接中环和上环的一段天桥连廊正式开放。", ""},
		{"向阳 the phrase", "向阳而生 逐梦前行", "孩子们就像向日葵，只要有阳光，就会向阳而生。", ""},
		{"温泉 tourism", "温泉旅游带火山城冬季经济", "重庆各大温泉景区迎来客流高峰，温泉旅游接待游客超过50万人次。", ""},
		{"古城 the old wall", "古城墙下过新年", "数万市民游客登上古城墙，在灯火中迎接新年。", ""},
		{"龙泉 the sword and the city", "龙泉宝剑锻造技艺后继有人", "在浙江省丽水市龙泉市，宝剑锻造技艺比赛落下帷幕。龙泉宝剑是非遗。", ""},
		{"宝山区 is Shanghai's", "宝山区新建学校", "上海宝山区新建两所学校。", ""},
		{"a name inside words", "交通运输加快发展", "重点加强交通运输、邮电通信建设。", ""},
		{"无力回天 the idiom", "无力回天的惋惜", "一场比赛的失利，有时是无力回天的遗憾。", ""},
		// A name right after another place's name is that place's; a name
		// that opens a longer ordinary word is no place (jieba's dictionary).
		{"新街口 of 南京", "南京：新街口步行街改造完成", "南京新街口步行街完成改造，夜间客流明显增加。", ""},
		{"鼓楼 of 西安", "西安鼓楼夜景亮灯", "西安鼓楼周边街区推出夜游线路。", ""},
		{"金盏花 the flower", "花坛换上春装", "园林工人在花坛里种下金盏花和郁金香。", ""},
		{"新华社 the agency", "新华社发布年度十大新闻", "新华社今天发布年度国内十大新闻。", ""},
		{"胜利油田 the oil field", "胜利油田原油稳产", "胜利油田今年原油产量保持稳定。", ""},
		// Beijing context built on common words: still no district.
		{"北京 and 温泉", "在北京过一个暖冬", "北京的市民选择到郊外泡温泉、赏古城、看曙光。", ""},
		{"北京 and 光明", "北京迎来光明前景", "北京的发展前景一片光明，胜利在望。", ""},
		{"北京 and 东风", "北京：借东风 谋新篇", "北京借改革东风，推动新村建设，城关各处焕然一新。", ""},
		{"北京 and 果园", "北京的春天", "在北京，果园里桃花盛开，清水潺潺，鼓楼下游人如织。", ""},
		{"北京 and 新华", "新华社北京电", "新华书店北京分店举办读书活动，宝山、龙泉两地作者到场。", ""},
		{"北京 and 迎风, 王平", "北京街头国旗迎风飘扬", "北京市民王平说，节日的北京处处红旗迎风招展，家家户户前门贴上了春联。", ""},
		// With evidence.
		{"suffix", "温泉镇百年古村变身文化客厅", "温泉镇的老宅院经过修缮。", "海淀区"},
		{"its district", "海淀：温泉村修缮老宅", "海淀区温泉村的老宅院经过修缮，温泉一带游人渐多。", "海淀区"},
		{"a landmark of it", "温泉一带新添乡村书房", "温泉一带与西北旺相邻，居民在西北旺上班。", "海淀区"},
		{"alias with its context", "回天地区新建学校", "回天地区又添新校。", "昌平区"},
		{"a district's name inside an institution's", "海淀法院开放日", "海淀法院举办公众开放日活动。", "海淀区"},
		{"a place's name inside a hospital's", "安贞医院新楼启用", "朝阳区安贞医院新门诊楼启用。", "朝阳区"},
		{"alias context after a quote", "“回天”行动计划取得成效", "“回天”行动计划推进顺利，天通苑居民受益。", "昌平区"},
	}
	for _, tc := range tests {
		got := e.Districts(tc.title, tc.body)
		first := ""
		if len(got) > 0 {
			first = got[0]
		}
		if first != tc.want || tc.want == "" && len(got) > 0 {
			t.Errorf("%s: districts %v, want %q (scores %v)", tc.name, got, tc.want, e.Gazetteer.DistrictScores(tc.title, tc.body))
		}
	}
}

// TestAmbiguityFromData: which names need evidence follows from jieba's
// frequencies and the division data, not from a list.
func TestAmbiguityFromData(t *testing.T) {
	g, err := NewGazetteer("")
	if err != nil {
		t.Fatal(err)
	}
	need := func(name string) (evidence, bool) {
		r := []rune(name)[0]
		for _, p := range g.byFirst.get(r) {
			if p.name == name {
				return p.need, true
			}
		}
		return 0, false
	}
	for _, tc := range []struct {
		name string
		want evidence
	}{
		{"光明", evDistrict}, {"胜利", evDistrict}, {"温泉", evDistrict}, {"古城", evDistrict},
		{"城关", evDistrict}, {"宝山", evDistrict}, {"朝阳", evDistrict},
		{"天竺", evRegion}, {"迎风", evDistrict}, {"王平", evDistrict},
		{"回龙观", evNone}, {"西红门", evNone}, {"西红门镇", evNone}, {"昌平区", evNone}, {"昌平", evNone},
	} {
		got, ok := need(tc.name)
		if !ok {
			t.Errorf("%s: not in the gazetteer", tc.name)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: needs %d, want %d", tc.name, got, tc.want)
		}
	}
	if _, ok := need("河北"); ok {
		t.Error("河北 (a province) is a town name")
	}
	for _, tc := range []struct {
		kind        nameKind
		freq, reuse int
		placeTag    bool
		want        evidence
	}{
		{kindTownShort, 0, 0, true, evNone},
		{kindTownShort, 0, reuseAlone, true, evDistrict},
		{kindTownShort, wordFreq, reuseAsWord, true, evDistrict},
		{kindTownShort, wordFreq, 0, true, evRegion},
		{kindTownShort, wordFreq, 0, false, evDistrict},
		{kindTown, 9999, 2, true, evNone},
		{kindTown, 0, 30, true, evNone},
		{kindDistrict, 9999, 99, true, evNone},
		{kindDistrictShort, wordFreq, 1, true, evNone},
		{kindDistrictShort, wordFreq, reuseAlone, true, evDistrict},
	} {
		if got := classify(tc.kind, tc.freq, tc.reuse, tc.placeTag); got != tc.want {
			t.Errorf("classify(%d, %d, %d, %v) = %d, want %d", tc.kind, tc.freq, tc.reuse, tc.placeTag, got, tc.want)
		}
	}
}

func TestForeignAffairsGetNoTopic(t *testing.T) {
	e := newEnricher(t, Config{})
	tests := []struct{ title, body string }{
		{"阿拉法特赴美会晤克林顿", "巴勒斯坦民族权力机构主席阿拉法特2日抵达华盛顿，与美国总统克林顿在白宫举行会晤，双方就中东和平进程交换意见。会晤后，阿拉法特在一所大学向学生发表演讲，呼吁国际社会关注难民子女的教育，帮助加沙地带的学校改善办学条件，让更多儿童入学。"},
		{"中非合作论坛峰会开幕", "中非合作论坛峰会4日在约翰内斯堡开幕。与会领导人表示，将在基础设施、农业、教育、卫生等领域深化合作。中方宣布将为非洲培训教师、设立奖学金，支持职业教育，帮助更多学生入学。峰会通过了宣言。"},
	}
	for _, tc := range tests {
		if got := e.Topics(tc.title, tc.body); len(got) != 0 {
			t.Errorf("%s: topics %v, want none", tc.title, got)
		}
	}
	// A district's education news that names a visiting delegation keeps its topic.
	if got := e.Topics("海淀区新建三所小学", "海淀区今年新建三所小学，新增学位2000个，秋季入学。外国代表团参观了新校园。"); len(got) == 0 || got[0] != "教育" {
		t.Errorf("education news: topics %v", got)
	}
}

func TestTownOfAnotherCounty(t *testing.T) {
	e := newEnricher(t, Config{})
	if got := e.Districts("北碚区温泉镇迎来游客", "北碚区温泉镇的温泉景区迎来客流高峰。"); len(got) != 0 {
		t.Errorf("a town of 重庆's 北碚区: %v", got)
	}
	if got := e.Districts("朝阳区望京街道开办食堂", "朝阳区望京街道居民受益。"); len(got) == 0 || got[0] != "朝阳区" {
		t.Errorf("a district of the region that other provinces also have: %v", got)
	}
}

// TestLongDocumentPassingMention: a long document about the whole country
// that names a Beijing place once is not about it; a long district article
// that keeps naming its district is.
func TestLongDocumentPassingMention(t *testing.T) {
	e := newEnricher(t, Config{})
	filler := strings.Repeat("全国各地加快推进经济社会发展，各项事业取得新的进展，人民生活水平不断提高。", 150)
	if got := e.Districts("国务院政府工作报告", filler+"石景山钢铁厂扩建工程完成。"+filler); len(got) != 0 {
		t.Errorf("national report: %v", got)
	}
	var b strings.Builder
	for i := 0; i < 150; i++ {
		b.WriteString("全区各项事业取得新的进展，人民生活水平不断提高。")
		if i%10 == 0 {
			b.WriteString("石景山区新建一批便民设施。")
		}
	}
	if got := e.Districts("石景山区工作总结", b.String()); len(got) == 0 || got[0] != "石景山区" {
		t.Errorf("long district article: %v", got)
	}
}

// TestShortArticleTopics: a brief has room for a keyword or two: it needs
// less evidence than a full article, and generic prose still gets none.
func TestShortArticleTopics(t *testing.T) {
	e := newEnricher(t, Config{})
	if got := e.Topics("社区食堂让老人吃上热乎饭", "中午，社区食堂里老人们排队打饭。街道今年将再建3家社区食堂，为行动不便的老人送餐上门。"); len(got) == 0 || got[0] != "养老服务" {
		t.Errorf("brief about an elderly canteen: topics %v", got)
	}
	if got := e.Topics("会议召开", "会议听取了工作汇报，研究部署下一步工作。"); len(got) != 0 {
		t.Errorf("generic brief: topics %v", got)
	}
	for _, tc := range []struct {
		n    int
		want float64
	}{{0, ShortScore}, {ShortText, ShortScore}, {2 * ShortText, (ShortScore + MinScore) / 2}, {3 * ShortText, MinScore}, {10000, MinScore}} {
		if got := minScoreFor(tc.n); got != tc.want {
			t.Errorf("minScoreFor(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

// TestDocDate: a document read on its own is dated by what it states of
// itself (title, document number, speech, adoption or signing line) before
// the years its text names; years it aims at or looks back on never win.
func TestDocDate(t *testing.T) {
	tests := []struct {
		name, title, body string
		date              string
		year              int
	}{
		{"title year over later years in the text", "2012年政府工作报告", "一、2011年工作回顾\n到2015年，城镇化率达到51.5%。2020年全面建成小康社会。", "", 2012},
		{"title year and its speech line", "2024年政府工作报告", "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n到2035年基本实现现代化。", "2024-03-05", 2024},
		{"speech line without a title year", "政府工作报告", "——2012年3月5日在第十一届全国人民代表大会第五次会议上\n“十二五”时期的目标：到2015年。", "2012-03-05", 2012},
		{"adoption line", "第十一届全国人民代表大会第五次会议关于政府工作报告的决议", "(2012年3月14日第十一届全国人民代表大会第五次会议通过)\n会议同意报告提出的2013年目标，到2020年实现。", "2012-03-14", 2012},
		{"document number, any brackets", "山东省人民政府关于加快发展养老服务业的意见", "鲁政发〔2014〕20号\n各市人民政府：\n到2020年，全面建成养老服务体系。", "", 2014},
		{"document number in square brackets", "关于印发实施方案的通知", "京政办发[2019]7号\n到2022年完成。", "", 2019},
		{"document number in a title", "国务院关于促进节约集约用地的通知（国发〔2008〕3号）", "到2020年，土地利用效率提高。", "", 2008},
		{"signing date in Chinese numerals", "关于表彰先进集体的决定", "各区人民政府：\n到2025年，再表彰一批。\n北京市人民政府\n二〇二三年十二月五日", "2023-12-05", 2023},
		{"signing date in digits", "关于开展检查的通知", "各单位：\n将于2025年复查。\n区政府办公室\n2024年6月3日", "2024-06-03", 2024},
		{"a cited document number is not the document's", "关于做好供暖工作的通知", "各街道：\n根据《北京市供热采暖管理办法》（市政府令〔2010〕216号），2023年供暖季将于11月15日开始。", "", 2023},
		{"title aims at a year", "到2035年基本建成美丽北京", "2023年，全市空气质量持续改善。", "", 2023},
		{"title looks back on a year", "2023年工作总结", "过去一年，全区完成各项任务。", "", 0},
		{"period in a title", "十四五规划（2021—2025年）", "2021年，规划开局。", "", 2021},
		{"a report opening with a review of a year is of the year after", "政府工作报告", "各位代表：\n一、2011年工作回顾\n今年的主要目标。", "", 2012},
		{"a look-back deep in the text never wins", "某区工作情况", "今年以来，全区推进各项工作。\n" + strings.Repeat("各项工作稳步推进。\n", 10) + "附：2011年工作回顾。", "", 0},
		{"years in Chinese numerals", "国民经济计划的报告", "一九五八年，我国钢产量大幅增长。", "", 1958},
		{"a long text: the years it keeps naming", "工作报告", "2011年，经济平稳较快发展。2011年，粮食增产。" + strings.Repeat("各项事业全面进步，人民生活持续改善。", 120) + "做好2022年冬奥会申办工作。", "", 2011},
		{"a short text: its latest year", "工作动态", "2011年，经济平稳较快发展。2011年，粮食增产。2012年，新建学校3所。", "", 2012},
		{"a title naming a vision year", "聚焦2035年远景目标", "2024年，全区推进各项工作。", "", 2024},
		{"a title year beyond next year", "2090年的城市", "2024年，专家展望未来城市。", "", 2024},
		{"an event's year is not the date", "2022年冬奥会场馆向公众开放", "2023年，场馆接待游客10万人次。", "", 2023},
		{"a year something runs since is past", "学校建设稳步推进", "2020年以来，全区累计新建学校12所。", "", 0},
		{"nothing", "某区召开会议", "日前，某区召开会议。", "", 0},
	}
	for _, tc := range tests {
		d, y := DocDate(analysis.Normalize(tc.title), analysis.Normalize(tc.body))
		if d != tc.date || y != tc.year {
			t.Errorf("%s: got %q %d, want %q %d", tc.name, d, y, tc.date, tc.year)
		}
	}
}

func TestFoldChineseDate(t *testing.T) {
	for in, want := range map[string]string{
		"二〇一四年三月五日":    "2014年3月5日",
		"二〇一四年十二月三十一日": "2014年12月31日",
		"二○二三年十月":      "2023年10月",
		"三年来":          "三年来",
		"2014年二十二月一日":  "2014年二十二月一日", // no such month
	} {
		if got := source.FoldChineseDate(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestWalkingAndCyclingRoutes: walking and cycling routes (慢行步道, 绿道骑行,
// 步道) are transport (交通出行), not rural affairs, even along villages.
func TestWalkingAndCyclingRoutes(t *testing.T) {
	e := newEnricher(t, Config{})
	tests := []struct{ title, body string }{
		{"雁栖湖环湖慢行步道全线贯通", "日前，怀柔区雁栖湖环湖慢行步道全线贯通。步道全长12公里，沿线串联起湖畔多个村庄和3处观景平台，市民可以沿湖徒步赏景。步道采用透水铺装，沿途配建休息驿站和指示标识。"},
		{"绿道骑行成周末新时尚", "初春时节，金海湖畔的绿道迎来不少骑行爱好者。这条绿道全长26公里，不少市民周末带着家人来绿道骑行。镇里还在绿道沿线设置了共享单车停放点和骑行驿站。"},
		{"滨河步道向市民开放", "凉水河滨河步道日前向市民开放，步道宽3米，可供市民散步、慢跑。"},
	}
	for _, tc := range tests {
		got := e.Topics(analysis.Normalize(tc.title), analysis.Normalize(tc.body))
		if len(got) == 0 || got[0] != "交通出行" || strings.Contains(strings.Join(got, ","), "农业农村") {
			t.Errorf("%s: topics %v, want 交通出行 first and not 农业农村", tc.title, got)
		}
	}
}

func TestEventName(t *testing.T) {
	for after, want := range map[string]bool{
		"冬奥会场馆向公众开放": true,
		"上海世博会筹备":    true,
		"北京奥运会":      true,
		"全区工作会议召开":   false,
		"工作会召开":      false,
		"会上，":        false,
		"，会议":        false,
		"经济社会发展":     false,
		"以来":         false,
	} {
		if got := eventName(after); got != want {
			t.Errorf("%s: %v, want %v", after, got, want)
		}
	}
}
