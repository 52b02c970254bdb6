package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/yanyiwu/gojieba"
)

// The floor (bare gojieba over the corpus) and the indexing run.

type floorResult struct {
	articles int
	bytes    int64
	d        time.Duration
}

// floor segments the corpus's article texts (title and body) with a bare
// gojieba (its default dictionaries), search mode, HMM off, on one
// goroutine. Only the cutting is timed; the pages are generated again
// (same seed, same text) on the way rather than held in memory.
func floor(ctx context.Context, v *Vocab, cfg GenConfig, limit time.Duration) (floorResult, error) {
	var res floorResult
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	jb := gojieba.NewJieba()
	defer jb.Free()
	jb.CutForSearch("预热分词器：北京市昌平区回龙观街道养老驿站", false)
	g := v.NewGenerator(cfg)
	deadline := time.Now().Add(limit)
	for p, ok := g.Next(); ok; p, ok = g.Next() {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if time.Now().After(deadline) {
			break
		}
		for _, a := range p.Articles {
			t := time.Now()
			jb.CutForSearch(a.Title, false)
			jb.CutForSearch(a.Body, false)
			res.d += time.Since(t)
			res.articles++
			res.bytes += int64(len(a.Title) + len(a.Body))
		}
	}
	if res.articles == 0 || res.d <= 0 {
		return res, errors.New("bench: floor measured nothing")
	}
	return res, nil
}

type indexResult struct {
	wall         time.Duration
	cpu          time.Duration
	maxRSS       int64 // bytes
	peakAnon     int64 // sampled RssAnon, bytes
	peakFile     int64 // sampled RssFile, bytes
	afterRead    time.Duration
	articles     int
	reportedSecs float64
}

var reportRe = regexp.MustCompile(`indexed (\d+) articles from \d+ files \([\d.]+ MB\) in ([\d.]+)s`)

func indexRun(ctx context.Context, bin, indexDir, corpus string, corpusBytes int64) (indexResult, error) {
	var res indexResult
	var out tailBuffer
	cmd := exec.CommandContext(ctx, bin, "index", "--index", indexDir, corpus)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // never outlive the bench
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	t := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("bench: %s index: %w", bin, err)
	}
	// Sample the split of resident memory: anonymous (heap) against
	// file-backed (mapped index segments), every 200 ms while it runs.
	// Also note when the process has read as many bytes as the corpus holds:
	// what follows is flushing and merging the index.
	stop := make(chan struct{})
	sampled := make(chan [2]int64, 1)
	var readAll atomic.Int64 // ns after start; 0: not seen
	go func() {
		var peak [2]int64
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			anon, file := procRSS(cmd.Process.Pid)
			peak[0], peak[1] = max(peak[0], anon), max(peak[1], file)
			if readAll.Load() == 0 && procReadBytes(cmd.Process.Pid) >= corpusBytes {
				readAll.Store(int64(time.Since(t)))
			}
			select {
			case <-stop:
				sampled <- peak
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	res.wall = time.Since(t)
	close(stop)
	peak := <-sampled
	res.peakAnon, res.peakFile = peak[0], peak[1]
	if ns := readAll.Load(); ns > 0 {
		res.afterRead = res.wall - time.Duration(ns)
	}
	if err != nil {
		return res, fmt.Errorf("bench: %s index: %w\n%s", bin, err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.maxRSS = int64(ru.Maxrss) * 1024 // KiB on Linux
		res.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if m := reportRe.FindStringSubmatch(out.String()); m != nil {
		res.articles, _ = strconv.Atoi(m[1])
		res.reportedSecs, _ = strconv.ParseFloat(m[2], 64)
	}
	return res, nil
}

// tailBuffer keeps the last 64 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 64<<10 {
		t.b = append(t.b[:0], t.b[len(t.b)-64<<10:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
