package source

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestSplitSeedsGolden splits both seed pages and compares the articles
// with golden files (run with -update to rewrite them after a reviewed change).
func TestSplitSeedsGolden(t *testing.T) {
	pages, _ := filepath.Glob("../../seeds/*.txt")
	extra, _ := filepath.Glob("testdata/pages/*.txt")
	pages = append(pages, extra...)
	// The real-layout pages of the development set (one paragraph a line).
	real, _ := filepath.Glob("../../testdata/real/pages/*.txt")
	if len(real) < 4 {
		t.Fatal("real-layout pages not found")
	}
	pages = append(pages, real...)
	if len(pages) < 2 {
		t.Fatal("seed pages not found")
	}
	for _, p := range pages {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			page, err := ReadBulletin(data)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(page.Docs, "", "  ")
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(p), ".txt")+".json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
				t.Errorf("articles of %s differ from %s; run with -update after reviewing:\n%s", p, golden, got)
			}
		})
	}
}

func titles(text string) []string {
	var out []string
	for _, a := range SplitPage(text) {
		out = append(out, a.Title)
	}
	return out
}

func TestSplitPageRules(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // titles
		body []string // substrings of the joined bodies that must appear
	}{
		{
			name: "broken line is joined",
			text: "标题一行\n\n这是一段很长的正文，讲述了回天地区社区养老驿站和社区卫生服务中心的建设情况，多个方面都取得阶段性\n\n成效。下一句继续。\n",
			want: []string{"标题一行"},
			body: []string{"取得阶段性成效。"},
		},
		{
			name: "section heads stay inside an article with a byline",
			text: "## 主标题\n\n□本报记者 张三\n\n第一段正文内容，内容足够长，足够长，足够长，足够长。\n\n## 小节标题\n\n第二段正文内容。\n\n## 第二篇文章\n\n□本报记者 李四\n\n第二篇的正文。\n",
			want: []string{"主标题", "第二篇文章"},
			body: []string{"小节标题"},
		},
		{
			name: "kicker above a headline belongs to the next article",
			text: "## 甲文\n\n□本报记者 甲\n\n甲文正文。\n\n引题一行\n\n## 乙文\n\n□本报记者 乙\n\n乙文正文。\n",
			want: []string{"甲文", "乙文"},
		},
		{
			name: "dateline byline starts an article",
			text: "第一篇标题\n\n本报讯（记者 王五）日前，某区召开会议。\n\n第二篇标题\n\n本报讯（记者 赵六）近日，另一件事。\n",
			want: []string{"第一篇标题", "第二篇标题"},
		},
		{
			name: "no headline: title from the first sentence",
			text: "日前，某区新增12家定点医疗机构，方便群众就医。更多内容。\n",
			want: []string{"日前，某区新增12家定点医疗机构"},
		},
		{
			name: "markdown headings without bylines are articles",
			text: "# 第一篇\n\n正文一。\n\n# 第二篇\n\n正文二。\n",
			want: []string{"第一篇", "第二篇"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := titles(tc.text)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("titles = %q, want %q", got, tc.want)
			}
			var bodies []string
			for _, a := range SplitPage(tc.text) {
				bodies = append(bodies, a.Body)
			}
			all := strings.Join(bodies, "\n")
			for _, b := range tc.body {
				if !strings.Contains(all, b) {
					t.Errorf("bodies lack %q:\n%s", b, all)
				}
			}
			if strings.Contains(all, "本报记者") {
				t.Errorf("a byline leaked into a body:\n%s", all)
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	page, err := ReadBulletin([]byte("---\ntitle: 给定标题\ndate: 2023-04-05\ndistricts: [海淀区]\ntopics: 教育、医疗卫生\nurl: http://example.gov.cn/a\n---\n原标题\n\n正文内容。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Docs) != 1 {
		t.Fatalf("%d docs", len(page.Docs))
	}
	g := page.Docs[0].Given
	if g.Title != "给定标题" || g.Date != "2023-04-05" || len(g.Districts) != 1 || g.Districts[0] != "海淀区" ||
		strings.Join(g.Topics, ",") != "教育,医疗卫生" || g.URL != "http://example.gov.cn/a" {
		t.Errorf("given = %+v", g)
	}
	if page.Docs[0].Line != 8 {
		t.Errorf("line = %d, want 8 (after the front matter)", page.Docs[0].Line)
	}
	for fm, want := range map[string]int{"year: 2012": 2012, "year: \"2012年\"": 2012, "year: 去年": 0, "year: 1066": 0} {
		p, err := ReadBulletin([]byte("---\n" + fm + "\n---\n标题\n\n正文。\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Docs[0].Given.Year; got != want || (want == 0) != (len(p.Problems) == 1) {
			t.Errorf("%s: year %d, problems %v; want %d", fm, got, p.Problems, want)
		}
	}
	bad, err := ReadBulletin([]byte("---\ntitle: [unclosed\n---\n标题\n\n正文。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad.Problems) != 1 || len(bad.Docs) != 1 {
		t.Errorf("bad front matter: problems %v docs %d", bad.Problems, len(bad.Docs))
	}
}

func TestDecodeText(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("社区养老驿站，接诉即办。"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := DecodeText(gb); err != nil || s != "社区养老驿站，接诉即办。" {
		t.Errorf("GB18030: %q, %v", s, err)
	}
	if s, err := DecodeText([]byte("\xef\xbb\xbf养老")); err != nil || s != "养老" {
		t.Errorf("BOM: %q, %v", s, err)
	}
	for name, in := range map[string][]byte{"empty": []byte("  \n"), "binary": {0x89, 'P', 'N', 'G', 0, 0, 1}, "garbage": {0xff, 0xfe, 0xfd, 0x80, 0x81, 0xff}} {
		if _, err := DecodeText(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestSplitPageLinearTime: many broken lines joined into one paragraph
// must not take quadratic time (a hostile file could hang the indexer).
func TestSplitPageLinearTime(t *testing.T) {
	text := strings.Repeat("这是一个很长的段落没有结束这是一个很长的段落没有结束这是一个很长的段落没有结束这是一个很长的段落\n", 16000)
	done := make(chan int)
	go func() { done <- len(SplitPage(text)) }()
	select {
	case n := <-done:
		if n != 1 {
			t.Errorf("%d articles, want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SplitPage of 2 MB of broken lines took over 10 s")
	}
}

// TestSplitDensePages: pages laid out one paragraph a line, without blank
// lines, as e-paper and PDF exports come. Each case is a different layout
// rule; none of these lines is from the development pages.
func TestSplitDensePages(t *testing.T) {
	tests := []struct {
		name    string
		lines   []string
		want    []string // titles
		body    []string // substrings some body must hold
		notBody []string // substrings no body may hold
	}{
		{
			name: "a sign-off closes the article; the next headline has no dateline",
			lines: []string{
				"省城新建三座立交桥", "新华社广州3月2日电 广州市今年将新建三座立交桥，缓解城区交通拥堵。", "工程预计年底完工。", "（新华社广州3月2日电）",
				"秋收时节话丰收", "金秋十月，稻谷飘香。农民们在田间忙着收割，脸上洋溢着喜悦。", "今年粮食产量再创新高。", "（王刚 李丽）",
			},
			want:    []string{"省城新建三座立交桥", "秋收时节话丰收"},
			notBody: []string{"（新华社广州3月2日电）", "（王刚 李丽）"},
		},
		{
			name: "a photo item is titled by its caption and ends at the credit",
			lines: []string{
				"老街换新颜", "本报讯（记者 孙杰）老街改造工程日前完工，沿街店铺陆续开业。", "（图片）", "3月2日，市民在新开放的滨江步道散步。", "本报记者 李明摄",
				"春耕备耕有序推进", "本报讯（记者 周雪）眼下正值春耕备耕关键期，各地农资供应充足。",
			},
			want:    []string{"老街换新颜", "3月2日，市民在新开放的滨江步道散步", "春耕备耕有序推进"},
			notBody: []string{"李明摄", "（图片）"},
		},
		{
			name: "a run of short briefs without datelines",
			lines: []string{
				"国际简讯", "法国举行大规模罢工", "法国多个城市2日举行罢工，抗议养老金改革方案。", "澳大利亚山火持续蔓延", "澳大利亚东南部山火持续蔓延，当局呼吁居民撤离。",
				"印度发射通信卫星", "印度2日成功发射一颗通信卫星。", "（本栏均据新华社电）",
			},
			want:    []string{"法国举行大规模罢工", "澳大利亚山火持续蔓延", "印度发射通信卫星"},
			notBody: []string{"本栏均据新华社电"},
		},
		{
			name: "briefs without datelines after a long article with a dateline",
			lines: []string{
				"新加坡法院判处一名前高官入狱",
				"本报新加坡1月5日电 （记者 陈明）新加坡高等法院5日以贪污罪判处一名前交通部官员入狱14个月，并处罚款。法院认定，该官员在任职期间多次收受承包商提供的财物，为其在公共工程投标中谋取利益。",
				"据新加坡媒体报道，这是该国近十年来职级最高的官员贪污案。检方在庭审中出示了大量转账记录和通讯记录，被告当庭认罪。",
				"新加坡贪污调查局表示，将继续严查公共部门的贪污行为，维护廉洁政府的形象。分析人士指出，新加坡长期以来以严格的反腐制度著称，此案再次显示了其对贪污零容忍的态度。",
				"德首批女兵加入作战部队",
				"德国国防部2日宣布，首批244名女兵正式加入作战部队服役，这在德国历史上尚属首次。",
				"瑞士去年发现33例疯牛病",
				"瑞士联邦兽医局日前公布，去年全国共发现33例疯牛病，比前年减少一半。",
				"荷兰舞厅火灾死亡8人",
				"荷兰东部一家舞厅1日凌晨发生火灾，造成8人死亡、20多人受伤。",
			},
			want: []string{"新加坡法院判处一名前高官入狱", "德首批女兵加入作战部队", "瑞士去年发现33例疯牛病", "荷兰舞厅火灾死亡8人"},
		},
		{
			name: "subheads each followed by paragraphs of the same story",
			lines: []string{
				"老旧小区改造惠及十万户居民",
				"本报讯（记者 张华）今年以来，本市老旧小区综合整治全面提速，全年将惠及十万户居民。",
				"加装电梯进展顺利",
				"截至目前，全市已开工加装电梯三百余部，完工投用一百二十部。",
				"施工单位实行错峰作业，尽量减少对居民生活的影响。",
				"社区参与贯穿全程",
				"各社区组织居民议事会，就改造方案征求意见。",
				"改造完成后，小区还将引入物业服务，实现长效管理。",
			},
			want: []string{"老旧小区改造惠及十万户居民"},
		},
		{
			name: "parallel subheads with one paragraph each stay in the article",
			lines: []string{
				"全区扎实推进安全生产工作",
				"本报讯（记者 李强）近日，全区召开安全生产工作会议，部署下一阶段重点任务。会议要求各部门压实责任，确保全区安全形势稳定。各街道、各行业主管部门负责同志参加会议。",
				"加强组织领导",
				"各部门主要负责同志要亲自抓，层层压实安全生产责任。",
				"强化隐患排查",
				"对重点行业领域开展拉网式排查，发现问题立即整改。",
				"做好应急值守",
				"严格落实领导带班和值班制度，确保信息畅通。",
			},
			want: []string{"全区扎实推进安全生产工作"},
		},
		{
			name: "after subheads, a last one with one paragraph stays in the article",
			lines: []string{
				"回天地区公共服务持续补短板",
				"本报讯（记者 王芳）回天地区三年行动计划实施以来，一批教育、医疗、文体设施陆续建成投用，居民的获得感不断增强。",
				"教育资源加快补齐",
				"三年来，回天地区累计完工教育项目17项，增加学位5660个。多所学校实现集团化办学，优质教育资源向地区倾斜。",
				"新建学校还向周边居民开放体育场地，方便群众健身。",
				"交通出行更加便捷",
				"回龙观至上地自行车专用路开通后，日均骑行量超过五千人次，成为上班族通勤的新选择。",
			},
			want: []string{"回天地区公共服务持续补短板"},
		},
		{
			name: "credit lines with a photo number close their items",
			lines: []string{
				"加拿大举办冬季嘉年华",
				"本报渥太华2月3日电 （记者 刘晨）一年一度的冬季嘉年华3日在渥太华开幕，冰雕、冰上运动吸引大批游客。",
				"（本报渥太华电）（3）",
				"埃及金字塔景区游客回升",
				"埃及旅游部门日前表示，今年以来金字塔景区接待游客人数同比增长两成。",
				"（本报开罗电）（2）",
			},
			want:    []string{"加拿大举办冬季嘉年华", "埃及金字塔景区游客回升"},
			notBody: []string{"（本报渥太华电）", "（本报开罗电）"},
		},
		{
			name: "subheads of varied length with one paragraph each that go on with the story",
			lines: []string{
				"政务服务改革让群众少跑腿",
				"本报讯（记者 赵雷）本市深化政务服务改革，推出一批便民举措，群众办事更加方便快捷。记者走访多个政务服务中心，看到窗口前排队的人明显少了。",
				"让群众办事更方便",
				"目前，全市九成以上的政务服务事项实现网上办理，群众足不出户就能办成事。",
				"推动政务服务标准化规范化建设",
				"各区对照统一标准梳理办事指南，同一事项在不同区办理的材料和流程保持一致。",
			},
			want: []string{"政务服务改革让群众少跑腿"},
			body: []string{"推动政务服务标准化规范化建设"},
		},
		{
			name: "an item filed from another place than the article before it",
			lines: []string{
				"中国援建铁路带动沿线发展",
				"本报内罗毕1月2日电 （记者 刘峰）这条铁路开通以来，累计发送旅客逾千万人次。",
				"本地员工成为运营主力",
				"目前铁路员工中本地员工占比已超过八成。",
				"公司每年为当地培养数百名专业人才。",
				"加拿大渥太华冬季狂欢节开幕",
				"加拿大首都渥太华的冬季狂欢节1日开幕，冰雕展吸引了大批游客。",
				"（本报渥太华电）（3）",
			},
			want: []string{"中国援建铁路带动沿线发展", "加拿大渥太华冬季狂欢节开幕"},
			body: []string{"本地员工成为运营主力"},
		},
		{
			name: "a subhead with one paragraph before the article's own sign-off",
			lines: []string{
				"中国援建铁路带动沿线发展",
				"本报内罗毕1月2日电 （记者 刘峰）这条铁路开通以来，累计发送旅客逾千万人次。",
				"本地员工成为运营主力",
				"目前铁路员工中本地员工占比已超过八成。",
				"公司每年为当地培养数百名专业人才。",
				"沿线城镇产业加快发展",
				"铁路开通后，沿线城镇的物流、旅游和商贸业发展明显加快。",
				"（本报内罗毕电）",
			},
			want: []string{"中国援建铁路带动沿线发展"},
			body: []string{"沿线城镇产业加快发展"},
		},
		{
			name: "kicker, main headline and sub-headline",
			lines: []string{
				"乘势而上 开创新局", "全省重点项目签约总额创新高", "——来自项目现场的报道", "本报杭州3月2日电 （记者 钱程）全省重点项目集中签约仪式2日举行，签约总额创历史新高。",
			},
			want: []string{"全省重点项目签约总额创新高"},
			body: []string{"乘势而上 开创新局", "——来自项目现场的报道"},
		},
		{
			name: "an editor's note belongs to the article after it",
			lines: []string{
				"旧文标题示例", "本报讯 旧文的正文在这里结束。", "（本报记者 赵一）",
				"编者按：本版今起推出系列报道，关注城市更新中的新变化。", "城市更新系列之一", "老厂房变身创意园", "本报讯（记者 钱二）一座废弃多年的老厂房，如今变身文化创意园区。",
			},
			want: []string{"旧文标题示例", "老厂房变身创意园"},
			body: []string{"编者按：本版今起推出系列报道"},
		},
		{
			name: "a regulation printed whole stays one article",
			lines: []string{
				"某市物业管理条例", "（2023年9月1日某市人民代表大会常务委员会第五次会议通过）", "目录", "第一章 总则", "第二章 业主组织", "第三章 附则",
				"第一章 总则", "第一条 为了规范物业管理活动，制定本条例。", "第二条 本条例适用于本市行政区域内的物业管理活动。",
				"第二章 业主组织", "第三条 业主大会由物业管理区域内全体业主组成。", "第三章 附则", "第四条 本条例自2024年1月1日起施行。",
				"全市启动物业服务质量评价", "本报讯（记者 冯八）市住房城乡建设委日前启动物业服务质量评价工作。",
			},
			want: []string{"某市物业管理条例", "全市启动物业服务质量评价"},
			body: []string{"第一章 总则", "第四条 本条例自2024年1月1日起施行。"},
		},
		{
			name: "a speech with unnumbered section heads stays one article",
			lines: []string{
				"在全市经济工作会议上的讲话", "同志们：", "这次会议的主要任务是总结今年工作，部署明年任务。", "今年工作的基本情况",
				"今年以来，全市经济运行总体平稳，稳中有进。", "明年工作的总体要求", "做好明年工作，要坚持稳中求进工作总基调。",
			},
			want: []string{"在全市经济工作会议上的讲话"},
			body: []string{"明年工作的总体要求"},
		},
		{
			name: "subheads of an article with a byline stay inside it",
			lines: []string{
				"科技创新赋能乡村振兴", "本报记者 韩梅",
				"在山区的一个小村庄里，无人机正在为茶园喷洒农药，村民们在手机上查看土壤墒情。", "数字赋能 茶园增收",
				"村里引进智能灌溉系统后，茶叶产量提高了两成。", "人才回流 村庄焕新",
				"越来越多的年轻人回到家乡创业，开设网店销售农产品。",
				"城市书房夜间开放", "本报讯（记者 林木）全市首批城市书房日前开始夜间开放。",
			},
			want: []string{"科技创新赋能乡村振兴", "城市书房夜间开放"},
			body: []string{"数字赋能 茶园增收", "人才回流 村庄焕新"},
		},
		{
			name: "one article exported one paragraph a line keeps its subheads",
			lines: []string{
				"关于做好今年防汛工作的通报", "入汛以来，全市降雨量较常年同期偏多，防汛形势严峻。",
				"加强组织领导", "各单位要落实防汛责任制，主要负责同志要靠前指挥。",
				"强化隐患排查", "对危旧房屋、地下空间和低洼地区开展拉网式排查。",
				"做好应急值守", "严格执行领导带班和二十四小时值班制度。",
			},
			want: []string{"关于做好今年防汛工作的通报"},
			body: []string{"加强组织领导", "做好应急值守"},
		},
		{
			name: "one news article exported one paragraph a line keeps its subheads",
			lines: []string{
				"老旧小区改造惠及万户居民", "本报讯 今年全市计划改造老旧小区120个，惠及居民1万余户。",
				"先问需再改造", "改造前，街道逐户征求居民意见，确定改造清单。",
				"长效管理跟上", "改造完成后，小区引入专业物业，建立长效管理机制。",
			},
			want: []string{"老旧小区改造惠及万户居民"},
			body: []string{"先问需再改造", "长效管理跟上"},
		},
		{
			name: "a column of briefs with neither datelines nor sign-offs",
			lines: []string{
				"社区快讯", "东街社区开办老年课堂", "东街社区老年课堂日前开课，首期开设书法、合唱两门课程。",
				"西苑社区增设充电桩", "西苑社区新增电动自行车充电桩40个，缓解居民充电难。",
				"南湖社区举办亲子运动会", "南湖社区亲子运动会吸引200余个家庭参加。",
			},
			want: []string{"东街社区开办老年课堂", "西苑社区增设充电桩", "南湖社区举办亲子运动会"},
		},
		{
			name: "a page without sign-offs, datelines or masthead: headlines told by form",
			lines: []string{
				"河道治理让小河重现清澈", "去年以来，镇里对辖区三条小河开展综合治理，清淤疏浚二十余公里。", "如今，河水清了，岸边种上了垂柳，成了居民散步的好去处。",
				"夜市开张", "老街夜市上周末正式开张，六十多个摊位售卖小吃和文创产品。",
				"社区食堂推出老年餐桌服务", "为方便辖区老人就餐，社区食堂推出老年餐桌服务，八十岁以上老人享受优惠。",
			},
			want: []string{"河道治理让小河重现清澈", "夜市开张", "社区食堂推出老年餐桌服务"},
		},
		{
			name: "a headline about a law is news, not the law printed whole",
			lines: []string{
				"海外拾零", "泰国通过新的野生动物保护法", "泰国国会日前通过新的野生动物保护法，加大对非法贸易的处罚力度。",
				"秘鲁举办美食节", "秘鲁首都利马举办年度美食节，吸引数十万名游客。",
				"挪威开通电动渡轮航线", "挪威一条电动渡轮航线日前开通，全程零排放。", "本栏均据新华社电",
			},
			want:    []string{"泰国通过新的野生动物保护法", "秘鲁举办美食节", "挪威开通电动渡轮航线"},
			notBody: []string{"本栏均据新华社电", "海外拾零"},
		},
		{
			name: "a decision printed whole ends at its last article; the next headline starts an article",
			lines: []string{
				"某市人大常委会关于加强生态保护的决定", "（2020年6月1日某市人民代表大会常务委员会第三次会议通过）",
				"一、各级人民政府应当加强生态保护工作。", "二、本决定自公布之日起施行。",
				"律师说法", "租房押金迟迟不退怎么办", "租客王某退租后，房东以各种理由拖延退还押金。律师表示，租客可以依法维权。",
				"（作者单位：某律师事务所）",
			},
			want:    []string{"某市人大常委会关于加强生态保护的决定", "租房押金迟迟不退怎么办"},
			notBody: []string{"作者单位", "律师说法"},
		},
		{
			name: "kicker, main headline and sub-headline without dashes or spaces",
			lines: []string{
				"奋力谱写高质量发展新篇章", "全省经济工作会议在省城召开", "省委书记出席并讲话",
				"本报讯（记者 邓林）全省经济工作会议昨天在省城召开，总结今年经济工作，部署明年任务。",
			},
			want: []string{"全省经济工作会议在省城召开"},
		},
		{
			name: "a headline right above a photo titles the photo item",
			lines: []string{
				"旧文标题示例", "本报讯 旧文的正文在这里结束。", "（本报驻巴黎记者 陈晨）",
				"冬日暖阳", "（图片）", "12月5日，市民在湖边晒太阳。", "本报记者 王林摄",
				"新文标题示例", "本报讯 新文的正文在这里。",
			},
			want:    []string{"旧文标题示例", "冬日暖阳", "新文标题示例"},
			body:    []string{"12月5日，市民在湖边晒太阳。"},
			notBody: []string{"本报驻巴黎记者", "（图片）"},
		},
		{
			name: "one feature exported one paragraph a line keeps subheads of short phrases and phrase pairs",
			lines: []string{
				"新城建设纪实", "十年来，新城从一片农田成长为一座现代化城区。",
				"规划引领 高点起步", "新城坚持规划先行，一张蓝图绘到底。",
				"交通先行", "轨道交通和快速路网先后建成，通勤时间大大缩短。",
				"生态优先 绿色发展", "大尺度绿化让新城处处见绿。",
			},
			want: []string{"新城建设纪实"},
			body: []string{"交通先行", "生态优先 绿色发展"},
		},
		{
			name: "a headline that ends in an exclamation mark, above its dateline",
			lines: []string{
				"旧文标题示例", "本报讯 旧文的正文在这里结束。", "（本报记者 赵一）",
				"春天，你好！", "本报讯（记者 钱二）立春以来，全市气温回升，公园里迎春花竞相开放。", "市民纷纷走出家门踏青赏花。",
			},
			want: []string{"旧文标题示例", "春天，你好！"},
		},
		{
			name: "an exclamation inside an article stays body text",
			lines: []string{
				"老街新貌", "本报讯（记者 孙三）老街改造完工，街坊们都来看新貌。", "真是太好了！", "一位老人拉着记者的手说，住了几十年，从没见过老街这么漂亮。",
			},
			want: []string{"老街新貌"},
			body: []string{"真是太好了！"},
		},
		{
			name: "bullets before the headlines of briefs are not part of them",
			lines: []string{
				"海外简讯", "■智利发生五级地震", "智利北部2日发生五级地震，暂无人员伤亡报告。",
				"●冰岛火山再度喷发", "冰岛西南部一座火山2日再度喷发，附近居民已撤离。", "（均据新华社电）",
			},
			want:    []string{"智利发生五级地震", "冰岛火山再度喷发"},
			notBody: []string{"均据新华社电"},
		},
		{
			name:    "an editor's credit is not article text",
			lines:   []string{"社区食堂开张", "本报讯 社区食堂日前开张，老人可就近用餐。", "本版编辑：张丽"},
			want:    []string{"社区食堂开张"},
			notBody: []string{"本版编辑"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Join(tc.lines, "\n") + "\n"
			arts := SplitPage(text)
			var got, bodies []string
			for _, a := range arts {
				got = append(got, a.Title)
				bodies = append(bodies, a.Body)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("titles = %q, want %q", got, tc.want)
			}
			all := strings.Join(bodies, "\n")
			for _, b := range tc.body {
				if !strings.Contains(all, b) {
					t.Errorf("bodies lack %q:\n%s", b, all)
				}
			}
			for _, b := range tc.notBody {
				if strings.Contains(all, b) {
					t.Errorf("bodies hold %q:\n%s", b, all)
				}
			}
		})
	}
}

func TestSignoffLines(t *testing.T) {
	for line, want := range map[string]bool{
		"（新华社北京1月1日电）":    true,
		"（本报贝尔格莱德1月1日电）":  true,
		"本栏均据新华社电":        true,
		"据新华社电":           true,
		"（本报驻日本记者 孙东民）":   true,
		"（作者单位：某市中级人民法院）": true,
		"据悉":               false,
		"（人民日报记者 张三 李四）":   true,
		"（经济日报记者 王五）":      true,
		"新华社发":             true,
		"新华社发 王强摄":         true,
		"（文/张三 图/李四）":      true,
		"（据《人民日报》）":        true,
		"（来源：新华社）":         true,
		"（本文作者为某大学教授）":     true,
		"（据新华社电 记者 赵六）":    true,
		"（完）":              true,
		"（新华社记者鞠鹏摄）":       true,
		"（张明赵天华）":          true,
		"（张明 赵天华）":         true,
		"（据新华社乌鲁木齐1月2日电）":  true,
		"（本栏均据新华社电）":       true,
		"新华社记者 周密摄":        true,
		"本版编辑：张丽":          true,
		"（本报渥太华电）（3）":      true,
		"（本报开罗电）(2)":       true,
		"新华社记者 王强摄（1）":     true,
		"（3）":              false,
		"（图片）":             false,
		"举办首届读书节（2）":       false,
		"（以下简称“条例”）":       false,
		"（2023年9月1日会议通过）":  false,
		"（记者从会上获悉，项目已开工。）": false,
		"春耕备耕有序推进":         false,
	} {
		if got := isSignoff(line); got != want {
			t.Errorf("isSignoff(%q) = %v, want %v", line, got, want)
		}
	}
}

// TestSplitNarrowColumns: a page whose text is cut at a narrow column width
// (a PDF text layer, an OCR'd column) has no blank lines either, but its
// short lines are pieces of paragraphs: it must not split at each of them.
func TestSplitNarrowColumns(t *testing.T) {
	data, err := os.ReadFile("../../seeds/000_270e88606a5143bb.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	first := ""
	for _, l := range strings.Split(string(data), "\n") {
		r := []rune(strings.TrimSpace(l))
		if len(r) == 0 {
			continue
		}
		if first == "" {
			first = string(r)
		}
		if len(r) <= 30 {
			lines = append(lines, string(r)) // a headline
			continue
		}
		for len(r) > 18 {
			lines = append(lines, string(r[:18]))
			r = r[18:]
		}
		lines = append(lines, string(r))
	}
	arts := SplitPage(strings.Join(lines, "\n"))
	if len(arts) > 3 || len(arts) == 0 || arts[0].Title != first {
		var got []string
		for _, a := range arts {
			got = append(got, a.Title)
		}
		t.Errorf("%d articles %q; want at most 3, the first titled %q", len(arts), got, first)
	}
}

func TestBylines(t *testing.T) {
	for line, want := range map[string]bool{
		"□本报记者 张三":          true,
		"新华社记者 张三":          true,
		"人民日报记者 李四 王五":      true,
		"本报驻京记者 赵六":         true,
		"记者从区教委了解到，今年新增学位":  false,
		"新华社记者从有关部门获悉，项目开工": false,
		"全市记者节表彰大会召开":       false,
	} {
		if got := isByline(line); got != want {
			t.Errorf("isByline(%q) = %v, want %v", line, got, want)
		}
	}
}
