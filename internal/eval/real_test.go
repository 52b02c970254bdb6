package eval

import (
	"context"
	"os"
	"testing"
)

// Floors of the real-text set (testdata/real), set from the first
// measurement after the splitting and district work (split accuracy 1.000,
// district precision 1.000 and recall 0.929, no unsupported district, 72 of
// 72 reports whole, none of them given a Beijing district as a whole, 2 of
// 7,005 report paragraphs tagged, both naming a real Beijing place), less a
// margin. The targets: no sign-off line as a
// title, at most 3 % of a page's articles with a district their text does
// not name, at most 0.3 % of non-Beijing text given a Beijing district.
const (
	floorSplit           = 0.9
	floorPrecision       = 0.9
	floorRecall          = 0.85
	floorTopic           = 0.8 // topics: dev precision 0.893, recall 1.000
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
	for name, f := range map[string]PageFigures{"dev": rep.Dev, "held-out": rep.HeldOut} {
		if f.Expected == 0 {
			fail("%s: no pages", name)
		}
		if f.SplitAccuracy < floorSplit {
			fail("%s: split accuracy %.3f below %.2f", name, f.SplitAccuracy, floorSplit)
		}
		if f.SignoffTitles > 0 {
			fail("%s: %d sign-off lines as titles", name, f.SignoffTitles)
		}
		if f.MaxBodyRunes > ceilBodyRunes {
			fail("%s: a body of %d characters on a page of short items", name, f.MaxBodyRunes)
		}
		if f.Precision < floorPrecision || f.Recall < floorRecall {
			fail("%s: district precision %.3f (floor %.2f), recall %.3f (floor %.2f)", name, f.Precision, floorPrecision, f.Recall, floorRecall)
		}
		if f.TopicPrecision < floorTopic || f.TopicRecall < floorTopic {
			fail("%s: topic precision %.3f, recall %.3f (floor %.2f)", name, f.TopicPrecision, f.TopicRecall, floorTopic)
		}
		if f.UnsupportedShare > ceilUnsupportedShare {
			fail("%s: %.1f%% of articles got a district their text does not support", name, 100*f.UnsupportedShare)
		}
	}
	if rep.ReportsWhole != rep.Reports || rep.Reports < 70 {
		fail("%d of %d work reports kept whole", rep.ReportsWhole, rep.Reports)
	}
	if rep.ReportsTagged > 2 {
		fail("%d national work reports got a Beijing district", rep.ReportsTagged)
	}
	if rep.CommonWordSentences < 20 || rep.CommonWordTagged > 0 {
		fail("%d of %d Beijing-context sentences on common words got a district", rep.CommonWordTagged, rep.CommonWordSentences)
	}
	if rep.EvidenceRight < rep.EvidenceSentences {
		fail("%d of %d sentences with evidence got the right district", rep.EvidenceRight, rep.EvidenceSentences)
	}
	if rep.ForeignShare > ceilForeignShare {
		fail("%.2f%% of non-Beijing paragraphs got a Beijing district", 100*rep.ForeignShare)
	}
	if t.Failed() {
		rep.Print(os.Stderr)
	}
}
