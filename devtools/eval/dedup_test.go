package eval

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunDedup(t *testing.T) {
	rep, err := RunDedup("../..")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Print(&b)
	t.Log(b.String())
	if len(rep.Halves) != 2 || !strings.Contains(b.String(), "heldout") {
		t.Fatalf("report: %s", b.String())
	}
	if _, err := RunDedup(t.TempDir()); err == nil {
		t.Fatal("no dev set: want an error")
	}
}
