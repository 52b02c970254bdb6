package eval

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/govbulletin/bulletin/indexer/dedup"
)

// DedupReport is the re-post detector's figures on the labelled dev set
// (testdata/dedup): pair precision and recall and group accuracy on the
// half the thresholds were set on and on the held-out half.
type DedupReport struct {
	Halves []dedup.Figures `json:"halves"`
}

// RunDedup scores the re-post detector on testdata/dedup under root.
func RunDedup(root string) (*DedupReport, error) {
	figs, err := dedup.Evaluate(filepath.Join(root, "testdata", "dedup"))
	if err != nil {
		return nil, fmt.Errorf("re-post dev set: %w", err)
	}
	return &DedupReport{Halves: figs}, nil
}

// Print writes the report as text.
func (r *DedupReport) Print(w io.Writer) {
	fmt.Fprintln(w, "re-posts (testdata/dedup):")
	for _, f := range r.Halves {
		fmt.Fprintf(w, "  %-8s %4d articles %4d groups %5d true pairs: precision %.4f recall %.4f group accuracy %.4f\n",
			f.Split, f.Articles, f.Groups, f.TruePairs, f.Precision, f.Recall, f.GroupAccuracy)
	}
}
