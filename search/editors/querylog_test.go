package editors

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search"
)

func newPlanner(t *testing.T) *search.Planner {
	t.Helper()
	pl, err := search.NewPlanner("")
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func counts(t *testing.T, l *Local, days int) map[string]QueryStat {
	t.Helper()
	qs, err := l.Queries(context.Background(), QueryFilter{Days: days, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]QueryStat{}
	for _, q := range qs {
		out[q.Query] = q
	}
	return out
}

// drain waits until the writer has taken every queued record.
func drain(t *testing.T, l *Local) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); len(l.ql.ch) > 0; time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the writer does not drain its queue")
		}
	}
}

func files(t *testing.T, dir string) (names []string, bytes int64) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, e.Name())
		bytes += info.Size()
	}
	return names, bytes
}

// TestJournalFoldsAndReopens writes enough to fold the journal many times,
// closes, and reopens: the counts are whole, and the folder holds the
// day's summary only.
func TestJournalFoldsAndReopens(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, newPlanner(t), Options{JournalBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := 0; i < 600; i++ {
		l.RecordSearch(Search{Time: now, Query: []string{"养老驿站", "回天", "接诉即办"}[i%3], Total: uint64(i % 2), TookMS: 1})
		if i%100 == 0 {
			drain(t, l)
		}
	}
	l.RecordClick(Click{Time: now, Query: "回天", ID: "a", Rank: 1})
	l.RecordSearch(Search{Time: now, Query: "   "}) // not a query
	drain(t, l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if l.Dropped() != 0 {
		t.Fatalf("dropped %d", l.Dropped())
	}
	names, _ := files(t, filepath.Join(dir, queriesDir))
	if len(names) != 1 || !strings.HasSuffix(names[0], ".snap") {
		t.Errorf("after closing, the log holds %v, want the day's summary", names)
	}
	l, err = Open(dir, newPlanner(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c := counts(t, l, 1)
	if len(c) != 3 || c["养老驿站"].Count != 200 || c["回天"].Count != 200 || c["回天"].Clicks != 1 || c["接诉即办"].Clicks != 0 {
		t.Errorf("after reopening: %+v", c)
	}
}

// TestCrashKeepsTheJournal reads a day whose log was not closed: the
// journal's synced records count, a torn last line is left out.
func TestCrashKeepsTheJournal(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, newPlanner(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		l.RecordSearch(Search{Time: time.Now(), Query: "學位", Total: 3})
	}
	qdir := filepath.Join(dir, queriesDir)
	journal := ""
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		matches, _ := filepath.Glob(filepath.Join(qdir, "*.log"))
		if len(matches) == 1 {
			if raw, _ := os.ReadFile(matches[0]); strings.Count(string(raw), "\n") == 10 {
				journal = matches[0]
				break
			}
		}
		if time.Now().After(end) {
			t.Fatal("the journal was not synced within 10 s")
		}
	}
	// The process dies here: l is never closed. A torn line follows.
	f, err := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"t":1,"q":"学`)
	f.Close()

	l2, err := Open(dir, newPlanner(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if c := counts(t, l2, 1); len(c) != 1 || c["学位"].Count != 10 || c["学位"].Total != 3 {
		t.Errorf("after the crash: %+v", c)
	}
}

// TestRetention removes the days past --query-log-days and folds the
// journal of a past day into its summary.
func TestRetention(t *testing.T) {
	dir := t.TempDir()
	qdir := filepath.Join(dir, queriesDir)
	os.MkdirAll(qdir, 0o755)
	old := time.Now().AddDate(0, 0, -200).Format(dayLayout)
	yesterday := time.Now().AddDate(0, 0, -1).Format(dayLayout)
	ms := time.Now().AddDate(0, 0, -1).UnixMilli()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(qdir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(old+".snap", "{\"upto\":1}\n{\"q\":\"旧\",\"c\":5,\"n\":1,\"k\":0,\"l\":1}\n")
	write(old+".000002.log", "{\"t\":1,\"q\":\"旧\"}\n")
	write("."+yesterday+".snap.123456", "half")
	write(yesterday+".000001.log", strings.Repeat(`{"t":`+strconv.FormatInt(ms, 10)+`,"q":"昨天","n":2}`+"\n", 4))
	l, err := Open(dir, newPlanner(t), Options{Days: 180})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	names, _ := files(t, qdir)
	for _, n := range names {
		if strings.HasPrefix(n, old) || strings.HasPrefix(n, ".") {
			t.Errorf("%s is past the retention and still there", n)
		}
		if n == yesterday+".000001.log" {
			t.Errorf("yesterday's journal was not folded")
		}
	}
	if c := counts(t, l, 2); len(c) != 1 || c["昨天"].Count != 4 || c["昨天"].Total != 2 {
		t.Errorf("the last 2 days: %+v", c)
	}
	if c := counts(t, l, 1); len(c) != 0 {
		t.Errorf("today: %+v", c)
	}
}

// TestOffRecordsNothing: a log turned off keeps no file and lists nothing.
func TestOffRecordsNothing(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, newPlanner(t), Options{Days: -1})
	if err != nil {
		t.Fatal(err)
	}
	l.RecordSearch(Search{Time: time.Now(), Query: "回天"})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if names, _ := files(t, filepath.Join(dir, queriesDir)); len(names) != 0 {
		t.Errorf("an idle log wrote %v", names)
	}
	if c := counts(t, l, 7); len(c) != 0 {
		t.Errorf("an idle log lists %v", c)
	}
}

// TestMillionQueries logs 1,000,000 searches of a Zipf-distributed set of
// Chinese queries (the frequent few and a long tail, as search logs are)
// and reports the folder's size: the largest seen while writing (the
// summary and the current journal) and what is left after closing.
func TestMillionQueries(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million records")
	}
	dir := t.TempDir()
	l, err := Open(dir, newPlanner(t), Options{Queue: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields("养老驿站 接诉即办 回天 学位 医保 人才公寓 老旧小区 加装电梯 停车 地铁 公交 供暖 燃气 垃圾分类 公园 绿道 " +
		"河道 空气质量 社区 志愿者 党建 企业 园区 营商环境 农业 乡村振兴 合作社 图书馆 体育 文化 医院 幼儿园 教师 卫健委 街道 乡镇 通知 公告 政策 解读")
	query := func(rank uint64) string {
		n := uint64(len(words))
		return words[rank%n] + words[(rank/n)%n] + words[(rank/(n*n))%n]
	}
	zipf := rand.NewZipf(rand.New(rand.NewSource(1)), 1.1, 1, 199999)
	qdir := filepath.Join(dir, queriesDir)
	start := time.Now()
	var peak int64
	now := time.Now()
	for i := 0; i < 1000000; i++ {
		r := zipf.Uint64()
		l.RecordSearch(Search{Time: now, Query: query(r), Total: r % 7, TookMS: 2.5,
			Filters: map[string][]string{"district": {"昌平区"}}})
		if i%20000 == 0 {
			drain(t, l)
			if _, b := files(t, qdir); b > peak {
				peak = b
			}
		}
	}
	drain(t, l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if l.Dropped() != 0 {
		t.Fatalf("dropped %d", l.Dropped())
	}
	_, after := files(t, qdir)
	distinct := len(l.ql.cur)
	t.Logf("1,000,000 searches, %d distinct queries: %.1f MB on disk at most while writing, %.1f MB after closing; %.0f records/s",
		distinct, float64(max(peak, after))/1e6, float64(after)/1e6, 1e6/elapsed.Seconds())
	if max(peak, after) > 64<<20 {
		t.Errorf("the log of a million searches takes %d bytes", max(peak, after))
	}
}

// TestDayTurns: a record of the next day folds the day before into its
// summary and starts a journal of its own; the day before still counts.
func TestDayTurns(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, newPlanner(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	today, tomorrow := now.Format(dayLayout), now.AddDate(0, 0, 1).Format(dayLayout)
	l.RecordSearch(Search{Time: now, Query: "回天", Total: 1})
	l.RecordSearch(Search{Time: now.AddDate(0, 0, 1), Query: "明天", Total: 1})
	drain(t, l)
	qdir := filepath.Join(dir, queriesDir)
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		names, _ := files(t, qdir)
		if strings.Join(names, " ") == today+".snap "+tomorrow+".000001.log" {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("after the day turned: %v", names)
		}
	}
	if c := counts(t, l, 1); len(c) != 1 || c["回天"].Count != 1 {
		t.Errorf("today after the turn: %+v", c)
	}
	l.Close()
	l, err = Open(dir, newPlanner(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if c := counts(t, l, 1); len(c) != 1 || c["回天"].Count != 1 {
		t.Errorf("today after reopening: %+v", c)
	}
}

// TestFullDay: a day holding its most distinct queries drops new ones and
// counts them, and keeps counting the ones it holds.
func TestFullDay(t *testing.T) {
	l, err := Open(t.TempDir(), newPlanner(t), Options{MaxQueriesPerDay: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, q := range []string{"甲", "乙", "丙", "甲"} {
		l.RecordSearch(Search{Time: time.Now(), Query: q, Total: 1})
	}
	// The last record is written once 甲 counts twice.
	var c map[string]QueryStat
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if c = counts(t, l, 1); c["甲"].Count == 2 {
			break
		}
	}
	if l.Dropped() != 1 || len(c) != 2 || c["甲"].Count != 2 || c["乙"].Count != 1 {
		t.Errorf("dropped %d, counts %+v", l.Dropped(), c)
	}
}
