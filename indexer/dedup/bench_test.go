package dedup

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkDetector measures the time and memory of detection at 10k, 100k
// and 1M synthetic articles:
//
//	go test ./indexer/dedup -run '^$' -bench Detector -benchtime 1x -timeout 60m [-realdata PATH]
//
// Each synthetic article is 12 to 60 clauses (in paragraphs of 12) of real
// government text (the
// dev set's articles, and the work reports given with -realdata) drawn at
// random, so articles share phrases the way government text does without
// being copies; one article in ten is a re-post of an earlier one (prefix,
// source and editor lines, furniture, sometimes without its lead). Reported:
// wall and CPU ns per added article, bytes held per article (heap after a
// collection, the Detector alive, less the heap before), groups found,
// re-posts not grouped with their original (missed-copies) and groups
// holding copies of more than one original (mixed-groups).
func BenchmarkDetector(b *testing.B) {
	clauses := benchClauses(b)
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for range b.N {
				benchOnce(b, clauses, n)
			}
		})
	}
}

func benchOnce(b *testing.B, clauses []string, n int) {
	b.StopTimer()
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	origin := make([]int32, n) // the original each article copies (itself for originals)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	d := New(Thresholds{})
	type art struct {
		idx                   int32
		id, date, title, body string
	}
	const batch = 10_000
	var recent []art // originals a re-post may copy
	var took, cpu time.Duration
	for done := 0; done < n; {
		arts := make([]art, 0, batch)
		for len(arts) < batch && done+len(arts) < n {
			i := done + len(arts)
			a := art{idx: int32(i), id: fmt.Sprintf("a%07d", i), date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000).Format(time.DateOnly)}
			if len(recent) > 0 && rng.IntN(10) == 0 {
				src := recent[rng.IntN(len(recent))]
				origin[i] = src.idx
				a.title = "转发：" + src.title
				body := src.body
				if rng.IntN(3) == 0 {
					if _, rest, ok := strings.Cut(body, "\n"); ok && len(rest)*3 > len(body)*2 {
						body = rest
					}
				}
				a.body = "来源：区政府网站\n" + body + "\n责任编辑：王五\n【打印本页】【关闭窗口】"
			} else {
				origin[i] = int32(i)
				a.title = clauses[rng.IntN(len(clauses))]
				var sb strings.Builder
				for k := range 12 + rng.IntN(49) {
					if k > 0 && k%12 == 0 {
						sb.WriteString("。\n")
					} else if k > 0 {
						sb.WriteString("，")
					}
					sb.WriteString(clauses[rng.IntN(len(clauses))])
				}
				a.body = sb.String()
				if len(recent) < 1000 {
					recent = append(recent, a)
				} else {
					recent[rng.IntN(len(recent))] = a
				}
			}
			arts = append(arts, a)
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		for _, a := range arts {
			d.Add(a.id, a.date, a.title, a.body)
		}
		took += time.Since(start)
		cpu += cpuTime() - cpu0
		b.StopTimer()
		done += len(arts)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	held := int64(ms.HeapAlloc) - int64(before)
	// quality at scale: re-posts not grouped with their original, and
	// groups that hold copies of more than one original
	id := func(i int32) string { return fmt.Sprintf("a%07d", i) }
	missed := 0
	origins := map[string]map[int32]bool{} // representative → originals
	for i := range int32(n) {
		rep := d.Rep(id(i))
		if origin[i] != i && rep != d.Rep(id(origin[i])) {
			missed++
		}
		if origins[rep] == nil {
			origins[rep] = map[int32]bool{}
		}
		origins[rep][origin[i]] = true
	}
	groups, mixed := 0, 0
	for rep, set := range origins {
		if len(d.Group(rep)) > 1 {
			groups++
		}
		if len(set) > 1 {
			mixed++
		}
	}
	b.ReportMetric(float64(took.Nanoseconds())/float64(n), "ns/article")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/article")
	b.ReportMetric(float64(held)/float64(n), "B/article")
	b.ReportMetric(float64(held)/(1<<20), "MB-held")
	b.ReportMetric(float64(groups), "groups")
	b.ReportMetric(float64(missed), "missed-copies")
	b.ReportMetric(float64(mixed), "mixed-groups")
	runtime.KeepAlive(d)
}

// cpuTime is the CPU time the process has used (user and system, all
// threads: the collector's work included). Wall time alone misleads on a
// shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchClauses cuts real text into clauses (between ，；。 and line ends).
func benchClauses(b *testing.B) []string {
	var texts []string
	for _, s := range splits {
		recs, err := ReadRecords(filepath.Join(devSetDir, s+".jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			texts = append(texts, r.Body)
		}
	}
	if *realData != "" {
		f, err := os.Open(*realData)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var rep struct {
				Content string `json:"content"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
				b.Fatal(err)
			}
			texts = append(texts, rep.Content)
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, c := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune("，；。：\n！？", r) }) {
			c = strings.TrimSpace(c)
			if runes(c) >= 4 && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	b.Logf("%d clauses of real text", len(out))
	return out
}
