package eval

import (
	"context"
	"os"
	"testing"
)

// Floors of the real-text set (testdata/real), set from the first
// measurement after the splitting and district work (split accuracy 1.000,
// district precision 1.000 and recall 0.929, no unsupported district, 72 of
// 72 reports whole, 2 of 7,005 report paragraphs tagged, both naming a real
// Beijing place), less a margin. The targets: no sign-off line as a
// title, at most 3 % of a page's articles with a district their text does
// not name, at most 0.3 % of non-Beijing text given a Beijing district.
const (
	floorSplit           = 0.9
	floorPrecision       = 0.9
	floorRecall          = 0.85
	ceilUnsupportedShare = 0.03
	ceilForeignShare     = 0.003
	ceilBodyRunes        = 8000
)

func TestRealTextFloors(t *testing.T) {
	rep, err := RunReal(context.Background(), "../..")
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		rep.Print(os.Stdout)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
	}
	if rep.SplitAccuracy < floorSplit {
		fail("split accuracy %.3f below %.2f", rep.SplitAccuracy, floorSplit)
	}
	if rep.SignoffTitles > 0 {
		fail("%d sign-off lines as titles", rep.SignoffTitles)
	}
	if rep.MaxBodyRunes > ceilBodyRunes {
		fail("a body of %d characters on a page of short items", rep.MaxBodyRunes)
	}
	if rep.Precision < floorPrecision || rep.Recall < floorRecall {
		fail("district precision %.3f (floor %.2f), recall %.3f (floor %.2f)", rep.Precision, floorPrecision, rep.Recall, floorRecall)
	}
	if rep.UnsupportedShare > ceilUnsupportedShare {
		fail("%.1f%% of articles got a district their text does not support", 100*rep.UnsupportedShare)
	}
	if rep.ReportsWhole != rep.Reports || rep.Reports < 70 {
		fail("%d of %d work reports kept whole", rep.ReportsWhole, rep.Reports)
	}
	if rep.ForeignShare > ceilForeignShare {
		fail("%.2f%% of non-Beijing paragraphs got a Beijing district", 100*rep.ForeignShare)
	}
	if t.Failed() {
		rep.Print(os.Stderr)
	}
}
