package dedup

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestDevSetFloors holds the detector to its figures on both halves of the
// dev set: pair precision ≥ 0.99 and recall ≥ 0.95.
func TestDevSetFloors(t *testing.T) {
	figs, err := Evaluate(devSetDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 {
		t.Fatalf("want the dev and the held-out half, got %d", len(figs))
	}
	for _, f := range figs {
		t.Log(f)
		if f.TruePairs < 300 || f.Groups < 60 {
			t.Errorf("%s: %d pairs in %d groups: too small to measure", f.Split, f.TruePairs, f.Groups)
		}
		if f.Precision < 0.99 {
			t.Errorf("%s: precision %.4f < 0.99", f.Split, f.Precision)
		}
		if f.Recall < 0.95 {
			t.Errorf("%s: recall %.4f < 0.95", f.Split, f.Recall)
		}
	}
	if t.Failed() || testing.Verbose() {
		recs, err := ReadRecords(filepath.Join(devSetDir, "dev.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		_, misses := Score(recs, DefaultThresholds())
		for i, m := range misses {
			if i == 40 {
				break
			}
			t.Log(describeMiss(m))
		}
	}
}

func describeMiss(m Miss) string {
	what := "missed copy"
	if m.Found {
		what = "false copy"
	}
	return fmt.Sprintf("%s (containment %.3f, ratio %.3f, tokens ok %v):\n  %s %s [%s]\n  %s %s [%s]", what,
		m.Match.Containment, m.Match.LengthRatio, m.Match.TokensOK,
		m.A.Truth, m.A.Title, m.A.Kind, m.B.Truth, m.B.Title, m.B.Kind)
}
