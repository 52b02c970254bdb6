package eval

import (
	"context"
	"os"
	"testing"
)

// Floors of the government-document dev set (testdata/govdocs), set from
// the first measurement (every field of every article right: 1.000) less
// a margin of one miss in about ten articles.
const (
	floorGovField         = 0.85
	floorGovFieldsOverall = 0.9
)

func TestGovFieldsFloors(t *testing.T) {
	rep, err := RunGovFields(context.Background(), "../..")
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		rep.Print(os.Stdout)
	}
	if rep.Articles < 10 {
		t.Errorf("%d articles scored, want the whole dev set", rep.Articles)
	}
	for _, s := range rep.Fields {
		if s.Accuracy < floorGovField {
			t.Errorf("%s accuracy %.3f < %.2f", s.Field, s.Accuracy, floorGovField)
		}
	}
	if rep.Overall < floorGovFieldsOverall {
		t.Errorf("overall accuracy %.3f < %.2f", rep.Overall, floorGovFieldsOverall)
	}
	for _, m := range rep.Misses {
		t.Log("miss:", m)
	}
}
