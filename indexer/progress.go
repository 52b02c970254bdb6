package indexer

import (
	"io"

	"github.com/schollz/progressbar/v3"
)

// progress shows files done on a terminal; it does nothing without a writer.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, files int) *progress {
	if w == nil || files < 20 {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(files,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("indexing"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) add(files int, _ int64) {
	if p.bar != nil {
		p.bar.Add(files)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
