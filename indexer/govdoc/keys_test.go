package govdoc

import (
	"slices"
	"testing"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

func TestOwnAndCitedKeys(t *testing.T) {
	if got := OwnKeys("京政办发[2016]26号"); !slices.Equal(got, []string{"京政办发〔2016〕26号", "政办发〔2016〕26号", "办发〔2016〕26号"}) {
		t.Errorf("OwnKeys: %v", got)
	}
	if got := OwnKeys("无"); got != nil {
		t.Errorf("OwnKeys(无): %v", got)
	}
	got := CitedKeys("京政办发〔2016〕26号", "关于印发的通知", "根据北京市人民政府京政发（2015）17号文件和京政办发〔2016〕26号")
	for _, want := range []string{"京政办发〔2016〕26号", "京政发〔2015〕17号"} {
		if !slices.Contains(got, want) {
			t.Errorf("CitedKeys lacks %s: %v", want, got)
		}
	}
	seen := map[string]bool{}
	for _, k := range got {
		if seen[k] {
			t.Errorf("CitedKeys repeats %s: %v", k, got)
		}
		seen[k] = true
	}
}

// Written finds the number as the text prints it, whatever its brackets,
// and only that number (not another issuer's with the same year and serial).
func TestWritten(t *testing.T) {
	n, _ := Parse("京政发〔2015〕17号")
	for _, c := range []struct {
		text string
		want []string
	}{
		{"根据京政发[2015]17号文件", []string{"京政发[2015]17号"}},
		{"北京市人民政府京政发（2015）17号", []string{"京政发(2015)17号"}},
		{"鲁政发〔2015〕17号", nil},
		{"京政发〔2015〕18号", nil},
		{"京政发〔2015〕17号与京政发【2015】17号", []string{"京政发〔2015〕17号", "京政发【2015】17号"}},
	} {
		got := Written(analysis.Normalize(c.text), n)
		if !slices.Equal(got, c.want) {
			t.Errorf("Written(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
