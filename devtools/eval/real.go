package eval

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/store"
)

// PageFigures are the split and district figures of a set of pages.
type PageFigures struct {
	// Expected articles, articles the indexer made, and expected articles
	// found with exactly their headline as title.
	Expected int `json:"expected_articles"`
	Got      int `json:"got_articles"`
	Matched  int `json:"matched_articles"`
	// SplitAccuracy is Matched / max(Expected, Got), summed over pages.
	SplitAccuracy float64 `json:"split_accuracy"`
	// SignoffTitles counts titles that are sign-off or credit lines.
	SignoffTitles int `json:"signoff_titles"`
	// MaxBodyRunes is the longest body on the pages.
	MaxBodyRunes int `json:"max_body_runes"`
	// Districts on the matched articles against the expected ones.
	DistrictTP int     `json:"district_tp"`
	DistrictFP int     `json:"district_fp"`
	DistrictFN int     `json:"district_fn"`
	Precision  float64 `json:"district_precision"`
	Recall     float64 `json:"district_recall"`
	// UnsupportedShare: share of matched articles given a district their
	// text does not support.
	UnsupportedShare float64 `json:"unsupported_district_share"`
	// Topics on the matched articles against the expected ones.
	TopicTP        int     `json:"topic_tp"`
	TopicFP        int     `json:"topic_fp"`
	TopicFN        int     `json:"topic_fn"`
	TopicPrecision float64 `json:"topic_precision"`
	TopicRecall    float64 `json:"topic_recall"`
}

// RealReport holds the figures of the real-text set.
type RealReport struct {
	// Dev: the pages the rules were developed on (testdata/real/pages);
	// HeldOut: pages written after the rules were set and not tuned on
	// (testdata/real/heldout).
	Dev     PageFigures `json:"dev_pages"`
	HeldOut PageFigures `json:"heldout_pages"`
	// Blind: pages written by a second author before reading the rules
	// (testdata/real/blind/pages, expected in testdata/real/blind/expected.tsv).
	Blind PageFigures `json:"blind_pages"`
	// BlindSentences: the sentences of testdata/real/blind/sentences.tsv,
	// by group (non-beijing, beijing-common, evidence).
	BlindSentences map[string]*SentenceFigures `json:"blind_sentences"`
	// Reports: government work reports, laid out one paragraph a line
	// under their title, kept as one article.
	Reports      int `json:"reports"`
	ReportsWhole int `json:"reports_whole"`
	// Years of the work reports read as a JSON Lines export: with their
	// `year` field and with it stripped (the year must come from the
	// text); of the resolutions on them, all and those with an adoption
	// line.
	ReportYears         YearFigures `json:"report_years"`
	ReportYearsStripped YearFigures `json:"report_years_without_field"`
	// ReportYearsTextOnly: the field stripped and the year cut from the
	// title: what the text alone tells (reported, not a floor).
	ReportYearsTextOnly YearFigures `json:"report_years_text_only"`
	ResolutionYears     YearFigures `json:"resolution_years"`
	AdoptedYears        YearFigures `json:"adopted_resolution_years"`
	// ReportsTagged: whole reports (about the whole country) given a
	// Beijing district.
	ReportsTagged int `json:"reports_tagged"`
	// Paragraphs of the reports that name neither 北京 nor a district of it,
	// and how many of them got a Beijing district.
	ForeignParagraphs int     `json:"non_beijing_paragraphs"`
	ForeignTagged     int     `json:"non_beijing_paragraphs_tagged"`
	ForeignShare      float64 `json:"non_beijing_tagged_share"`
	// Sentences in a Beijing context built on town names that are also
	// common words (testdata/real/common-words.tsv): how many of those that
	// name no district got one, and how many of those with evidence got
	// the right one first.
	CommonWordSentences int `json:"common_word_sentences"`
	CommonWordTagged    int `json:"common_word_sentences_tagged"`
	EvidenceSentences   int `json:"evidence_sentences"`
	EvidenceRight       int `json:"evidence_sentences_right"`
	// Problems lists the mismatches, for reading.
	Problems []string `json:"-"`
}

// SentenceFigures count sentences of one group and how many of them got
// what they should: no district for sentences that name none, the expected
// district first for the others.
type SentenceFigures struct {
	Sentences int `json:"sentences"`
	Right     int `json:"right"`
}

type expectedArticle struct {
	file, title string
	districts   []string
	topics      []string
}

// RunReal measures the real-text set under root (the repository root).
func RunReal(ctx context.Context, root string) (*RealReport, error) {
	dir := filepath.Join(root, "testdata", "real")
	exp, err := loadExpected(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		return nil, err
	}
	rep := &RealReport{}
	for _, set := range []struct {
		dir string
		fig *PageFigures
	}{{"pages", &rep.Dev}, {"heldout", &rep.HeldOut}} {
		if err := rep.pages(ctx, filepath.Join(dir, set.dir), exp, set.fig); err != nil {
			return nil, err
		}
	}
	en, err := enrich.New(enrich.Config{})
	if err != nil {
		return nil, err
	}
	if err := rep.reports(filepath.Join(dir, "reports.jsonl.gz"), en); err != nil {
		return nil, err
	}
	if err := rep.reportYears(filepath.Join(dir, "reports.jsonl.gz"), filepath.Join(dir, "report-years.tsv"), en); err != nil {
		return nil, err
	}
	if err := rep.commonWords(filepath.Join(dir, "common-words.tsv"), en); err != nil {
		return nil, err
	}
	blind := filepath.Join(dir, "blind")
	bexp, err := loadExpected(filepath.Join(blind, "expected.tsv"))
	if err != nil {
		return nil, err
	}
	if err := rep.pages(ctx, filepath.Join(blind, "pages"), bexp, &rep.Blind); err != nil {
		return nil, err
	}
	if err := rep.blindSentences(filepath.Join(blind, "sentences.tsv"), en); err != nil {
		return nil, err
	}
	return rep, nil
}

func loadExpected(path string) ([]expectedArticle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []expectedArticle
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 {
			return nil, fmt.Errorf("%s:%d: want file, title, districts", path, n)
		}
		e := expectedArticle{file: cols[0], title: cols[1]}
		if len(cols) > 2 && cols[2] != "" {
			e.districts = strings.Split(cols[2], ",")
		}
		if len(cols) > 3 && cols[3] != "" {
			e.topics = strings.Split(cols[3], ",")
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// sameTitle compares titles without their closing punctuation and spaces.
func sameTitle(a, b string) bool {
	trim := func(s string) string {
		return strings.Join(strings.Fields(strings.TrimRight(strings.TrimSpace(s), "。…")), " ")
	}
	return trim(a) == trim(b)
}

// signoff reports a title that is a sign-off or credit line: （新华社北京1月1日电）,
// （记者 张三摄）, （张明 赵天华）.
func signoff(title string) bool {
	t := strings.TrimSpace(title)
	if strings.HasPrefix(t, "（") && strings.HasSuffix(t, "）") || strings.HasSuffix(t, "摄") {
		return true
	}
	for _, end := range []string{"日电", "社电", "日讯"} {
		if strings.HasSuffix(t, end) {
			return true
		}
	}
	return false
}

func (rep *RealReport) pages(ctx context.Context, pagesDir string, exp []expectedArticle, fig *PageFigures) error {
	tmp, err := os.MkdirTemp("", "bulletin-real-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if _, err := indexer.Build(ctx, tmp, indexer.Config{}, pagesDir); err != nil {
		return err
	}
	gen, _, err := schema.Current(tmp)
	if err != nil {
		return err
	}
	r, err := store.Open(filepath.Join(gen, schema.StoreFile))
	if err != nil {
		return err
	}
	defer r.Close()
	byFile := map[string][]*schema.Article{}
	if err := r.Each(func(a *schema.Article) bool { byFile[a.Source] = append(byFile[a.Source], a); return true }); err != nil {
		return err
	}
	expByFile := map[string][]expectedArticle{}
	var files []string
	for _, e := range exp {
		if _, err := os.Stat(filepath.Join(pagesDir, e.file)); err != nil {
			continue // a page of the other set
		}
		if expByFile[e.file] == nil {
			files = append(files, e.file)
		}
		expByFile[e.file] = append(expByFile[e.file], e)
	}
	denom, supported, matchedArts := 0, 0, 0
	for _, file := range files {
		es, got := expByFile[file], byFile[file]
		fig.Expected += len(es)
		fig.Got += len(got)
		denom += max(len(es), len(got))
		used := map[*schema.Article]bool{}
		for _, a := range got {
			if signoff(a.Title) {
				fig.SignoffTitles++
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: sign-off line as title %q", file, a.Title))
			}
			if n := utf8.RuneCountInString(a.Body); n > fig.MaxBodyRunes {
				fig.MaxBodyRunes = n
			}
		}
		for _, e := range es {
			var found *schema.Article
			for _, a := range got {
				if !used[a] && sameTitle(a.Title, e.title) {
					found = a
					break
				}
			}
			if found == nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: no article titled %q", file, e.title))
				continue
			}
			used[found] = true
			fig.Matched++
			matchedArts++
			want := map[string]bool{}
			for _, d := range e.districts {
				want[d] = true
			}
			ok := true
			for _, d := range found.Districts {
				if want[d] {
					fig.DistrictTP++
				} else {
					fig.DistrictFP++
					ok = false
				}
			}
			for _, d := range e.districts {
				if !contains(found.Districts, d) {
					fig.DistrictFN++
				}
			}
			if ok {
				supported++
			}
			topicsOK := len(found.Topics) == len(e.topics)
			for _, tp := range found.Topics {
				if contains(e.topics, tp) {
					fig.TopicTP++
				} else {
					fig.TopicFP++
					topicsOK = false
				}
			}
			for _, tp := range e.topics {
				if !contains(found.Topics, tp) {
					fig.TopicFN++
				}
			}
			if !topicsOK {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %q topics %v, want %v", file, e.title, found.Topics, e.topics))
			}
			if !ok || len(found.Districts) < len(e.districts) {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %q districts %v, want %v", file, e.title, found.Districts, e.districts))
			}
		}
		for _, a := range got {
			if !used[a] {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: unexpected article %q (%d runes)", file, a.Title, utf8.RuneCountInString(a.Body)))
			}
		}
	}
	if denom > 0 {
		fig.SplitAccuracy = float64(fig.Matched) / float64(denom)
	}
	if n := fig.DistrictTP + fig.DistrictFP; n > 0 {
		fig.Precision = float64(fig.DistrictTP) / float64(n)
	} else {
		fig.Precision = 1
	}
	if n := fig.DistrictTP + fig.DistrictFN; n > 0 {
		fig.Recall = float64(fig.DistrictTP) / float64(n)
	}
	if n := fig.TopicTP + fig.TopicFP; n > 0 {
		fig.TopicPrecision = float64(fig.TopicTP) / float64(n)
	} else {
		fig.TopicPrecision = 1
	}
	if n := fig.TopicTP + fig.TopicFN; n > 0 {
		fig.TopicRecall = float64(fig.TopicTP) / float64(n)
	}
	if matchedArts > 0 {
		fig.UnsupportedShare = float64(matchedArts-supported) / float64(matchedArts)
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// reports reads the government work reports: each, laid out one paragraph a
// line under its title, must stay one article; each paragraph that names
// neither the region nor one of its districts must get no district.
func (rep *RealReport) reports(path string, en *enrich.Enricher) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dec := json.NewDecoder(zr)
	region := strings.TrimSuffix(en.Gazetteer.Region, "市")
	districts := en.Gazetteer.Districts()
	for {
		var r struct {
			Title   string `json:"title"`
			Content string `json:"content"`
		}
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		// The transcription ends with Wikisource's licence notice, which
		// is not part of the report.
		for _, notice := range []string{"本作品是中华人民共和国的", "\nPublic domain"} {
			if i := strings.Index(r.Content, notice); i >= 0 {
				r.Content = r.Content[:i]
			}
		}
		var lines []string
		for _, l := range strings.Split(r.Content, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		rep.Reports++
		arts := source.SplitPage(r.Title + "\n" + strings.Join(lines, "\n"))
		if len(arts) == 1 {
			rep.ReportsWhole++
		} else {
			titles := make([]string, 0, 4)
			for i, a := range arts {
				if i == 4 {
					titles = append(titles, "…")
					break
				}
				titles = append(titles, a.Title)
			}
			rep.Problems = append(rep.Problems, fmt.Sprintf("report %q split into %d: %q", r.Title, len(arts), titles))
		}
		if ds := en.Districts(analysis.Normalize(r.Title), analysis.Normalize(strings.Join(lines, "\n"))); len(ds) > 0 {
			rep.ReportsTagged++
			rep.Problems = append(rep.Problems, fmt.Sprintf("report %q (the whole country) got %v", r.Title, ds))
		}
		for _, p := range lines {
			norm := analysis.Normalize(p)
			if strings.Contains(norm, region) || namesAny(norm, districts) {
				continue
			}
			rep.ForeignParagraphs++
			if ds := en.Districts("", norm); len(ds) > 0 {
				rep.ForeignTagged++
				rep.Problems = append(rep.Problems, fmt.Sprintf("report %q: non-Beijing paragraph got %v: %.40s…", r.Title, ds, p))
			}
		}
	}
	if rep.ForeignParagraphs > 0 {
		rep.ForeignShare = float64(rep.ForeignTagged) / float64(rep.ForeignParagraphs)
	}
	return nil
}

// commonWords checks sentences built on town names that are also common
// words: `text<TAB>district` (district empty when the text names none).
func (rep *RealReport) commonWords(path string, en *enrich.Enricher) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for n, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "\t")
		if n == 0 || strings.TrimSpace(line) == "" {
			continue
		}
		want := ""
		if len(cols) > 1 {
			want = strings.TrimSpace(cols[1])
		}
		got := en.Districts("", analysis.Normalize(cols[0]))
		if want == "" {
			rep.CommonWordSentences++
			if len(got) > 0 {
				rep.CommonWordTagged++
				rep.Problems = append(rep.Problems, fmt.Sprintf("common words: %q got %v", cols[0], got))
			}
			continue
		}
		rep.EvidenceSentences++
		if len(got) > 0 && got[0] == want {
			rep.EvidenceRight++
		} else {
			rep.Problems = append(rep.Problems, fmt.Sprintf("common words: %q got %v, want %s", cols[0], got, want))
		}
	}
	return nil
}

// blindSentences checks testdata/real/blind/sentences.tsv:
// `text<TAB>district<TAB>group`.
func (rep *RealReport) blindSentences(path string, en *enrich.Enricher) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	rep.BlindSentences = map[string]*SentenceFigures{}
	for n, line := range strings.Split(string(data), "\n") {
		if n == 0 || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			return fmt.Errorf("%s:%d: want text, district, group", path, n+1)
		}
		want, group := strings.TrimSpace(cols[1]), strings.TrimSpace(cols[2])
		fig := rep.BlindSentences[group]
		if fig == nil {
			fig = &SentenceFigures{}
			rep.BlindSentences[group] = fig
		}
		fig.Sentences++
		got := en.Districts("", analysis.Normalize(cols[0]))
		if want == "" && len(got) == 0 || want != "" && len(got) > 0 && got[0] == want {
			fig.Right++
			continue
		}
		rep.Problems = append(rep.Problems, fmt.Sprintf("blind %s: %q got %v, want %q", group, cols[0], got, want))
	}
	return nil
}

func namesAny(text string, names []string) bool {
	for _, n := range names {
		if strings.Contains(text, n) {
			return true
		}
	}
	return false
}

// Print writes the figures and the mismatches.
func (rep *RealReport) Print(w io.Writer) {
	fmt.Fprintf(w, "real text (testdata/real)\n")
	for _, set := range []struct {
		name string
		fig  PageFigures
	}{{"dev pages", rep.Dev}, {"held-out pages", rep.HeldOut}, {"blind pages", rep.Blind}} {
		f := set.fig
		fmt.Fprintf(w, "  %s: %d articles expected, %d made, %d with their headline: split accuracy %.3f\n",
			set.name, f.Expected, f.Got, f.Matched, f.SplitAccuracy)
		fmt.Fprintf(w, "    sign-off lines as titles: %d; longest body: %d characters\n", f.SignoffTitles, f.MaxBodyRunes)
		fmt.Fprintf(w, "    districts: precision %.3f, recall %.3f (tp %d, fp %d, fn %d); articles with an unsupported district: %.1f%%\n",
			f.Precision, f.Recall, f.DistrictTP, f.DistrictFP, f.DistrictFN, 100*f.UnsupportedShare)
		fmt.Fprintf(w, "    topics: precision %.3f, recall %.3f (tp %d, fp %d, fn %d)\n",
			f.TopicPrecision, f.TopicRecall, f.TopicTP, f.TopicFP, f.TopicFN)
	}
	fmt.Fprintf(w, "  work reports kept whole: %d of %d; given a Beijing district: %d\n", rep.ReportsWhole, rep.Reports, rep.ReportsTagged)
	fmt.Fprintf(w, "  work-report years right: %d of %d (%.3f) with the year field, %d of %d (%.3f) without it, %d of %d (%.3f) from the text alone (no field, no year in the title); resolutions: %d of %d, with an adoption line: %d of %d\n",
		rep.ReportYears.Right, rep.ReportYears.Documents, rep.ReportYears.Share(),
		rep.ReportYearsStripped.Right, rep.ReportYearsStripped.Documents, rep.ReportYearsStripped.Share(),
		rep.ReportYearsTextOnly.Right, rep.ReportYearsTextOnly.Documents, rep.ReportYearsTextOnly.Share(),
		rep.ResolutionYears.Right, rep.ResolutionYears.Documents, rep.AdoptedYears.Right, rep.AdoptedYears.Documents)
	fmt.Fprintf(w, "  non-Beijing report paragraphs given a Beijing district: %d of %d (%.2f%%)\n",
		rep.ForeignTagged, rep.ForeignParagraphs, 100*rep.ForeignShare)
	fmt.Fprintf(w, "  Beijing-context sentences on common words given a district: %d of %d; with evidence, right district: %d of %d\n",
		rep.CommonWordTagged, rep.CommonWordSentences, rep.EvidenceRight, rep.EvidenceSentences)
	groups := make([]string, 0, len(rep.BlindSentences))
	for g := range rep.BlindSentences {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		f := rep.BlindSentences[g]
		fmt.Fprintf(w, "  blind sentences %s: %d of %d right\n", g, f.Right, f.Sentences)
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintln(w, "  mismatches:")
		ps := append([]string(nil), rep.Problems...)
		sort.Strings(ps)
		for _, p := range ps {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
}
