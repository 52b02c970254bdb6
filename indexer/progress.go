package indexer

import (
	"io"

	"github.com/schollz/progressbar/v3"
)

// Progress shows files done on a terminal; it does nothing without a writer.
type Progress struct{ bar *progressbar.ProgressBar }

// NewProgress shows files done out of files on w (nil: nothing).
func NewProgress(w io.Writer, files int) *Progress {
	if w == nil || files < 20 {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions(files,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("indexing"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)}
}

// Add counts files done.
func (p *Progress) Add(files int, _ int64) {
	if p.bar != nil {
		p.bar.Add(files)
	}
}

// Done ends the display.
func (p *Progress) Done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
