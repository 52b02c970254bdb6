package dedup

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Record is one article of a labelled dev-set file (JSON Lines): Truth
// names the notice it is a copy of, so that two records with the same Truth
// are copies and two with different Truth are not. Kind says how it was
// made (for reading misses).
type Record struct {
	ID    string `json:"id"`
	Date  string `json:"date"`
	Title string `json:"title"`
	Body  string `json:"body"`
	Truth string `json:"truth"`
	Kind  string `json:"kind"`
}

// Figures are the pair and group figures of one labelled file.
type Figures struct {
	Split        string  // the file's name without .jsonl
	Articles     int     // records
	Groups       int     // distinct Truth values
	TruePairs    int     // pairs with the same Truth
	FoundPairs   int     // pairs the detector put in one group
	CorrectPairs int     // pairs both
	Precision    float64 // CorrectPairs / FoundPairs (1 when none found)
	Recall       float64 // CorrectPairs / TruePairs (1 when none true)
	// GroupAccuracy is the share of true groups the detector found
	// exactly: the same members, no more, no fewer.
	GroupAccuracy float64
}

func (f Figures) String() string {
	return fmt.Sprintf("%s: %d articles, %d groups, %d true pairs, %d found, %d correct: precision %.4f recall %.4f group accuracy %.4f",
		f.Split, f.Articles, f.Groups, f.TruePairs, f.FoundPairs, f.CorrectPairs, f.Precision, f.Recall, f.GroupAccuracy)
}

// Splits are the files of the dev set, in the order Evaluate reports them:
// dev is what the thresholds were tuned on, heldout was never looked at
// while tuning.
var splits = [...]string{"dev", "heldout"}

// Evaluate runs a Detector with the default thresholds over each split of
// the dev set in dir (dev.jsonl, heldout.jsonl; testdata/dedup in the
// repository) and returns their figures.
func Evaluate(dir string) ([]Figures, error) {
	var out []Figures
	for _, s := range splits {
		recs, err := ReadRecords(filepath.Join(dir, s+".jsonl"))
		if err != nil {
			return nil, err
		}
		f, _ := Score(recs, DefaultThresholds())
		f.Split = s
		out = append(out, f)
	}
	return out, nil
}

// ReadRecords reads a labelled JSON Lines file. A bad line is an error
// naming the file, line and field.
func ReadRecords(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dev set: %w", err)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	seen := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		switch {
		case r.ID == "":
			return nil, fmt.Errorf("%s:%d: field id: empty", path, n)
		case r.Truth == "":
			return nil, fmt.Errorf("%s:%d: field truth: empty", path, n)
		case seen[r.ID]:
			return nil, fmt.Errorf("%s:%d: field id: %q repeated", path, n, r.ID)
		}
		seen[r.ID] = true
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// Miss is a pair the detector got wrong.
type Miss struct {
	A, B  Record
	Found bool  // grouped but not copies (false positive), else a missed copy
	Match Match // the check of the pair
}

// Score adds the records, in order, to a new Detector with thresholds th
// and scores the groups it forms against Truth. It also returns the pairs
// it got wrong.
func Score(recs []Record, th Thresholds) (Figures, []Miss) {
	d := New(th)
	for _, r := range recs {
		d.Add(r.ID, r.Date, r.Title, r.Body)
	}
	byID := make(map[string]Record, len(recs))
	truth := map[string][]string{}
	for _, r := range recs {
		byID[r.ID] = r
		truth[r.Truth] = append(truth[r.Truth], r.ID)
	}
	found := map[string][]string{}
	for _, r := range recs {
		rep := d.Rep(r.ID)
		found[rep] = append(found[rep], r.ID)
	}
	f := Figures{Articles: len(recs), Groups: len(truth)}
	var misses []Miss
	sketches := map[string]*sketch{}
	sk := func(r Record) *sketch {
		if s, ok := sketches[r.ID]; ok {
			return s
		}
		s := newSketch(r.Title, r.Body)
		sketches[r.ID] = s
		return s
	}
	for _, ids := range found {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				f.FoundPairs++
				a, b := byID[ids[i]], byID[ids[j]]
				if a.Truth == b.Truth {
					f.CorrectPairs++
				} else {
					misses = append(misses, Miss{A: a, B: b, Found: true, Match: compare(sk(a), sk(b), th)})
				}
			}
		}
	}
	exact := 0
	for _, ids := range truth {
		f.TruePairs += len(ids) * (len(ids) - 1) / 2
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				a, b := byID[ids[i]], byID[ids[j]]
				if d.Rep(a.ID) != d.Rep(b.ID) {
					misses = append(misses, Miss{A: a, B: b, Match: compare(sk(a), sk(b), th)})
				}
			}
		}
		got := d.Group(ids[0])
		if len(got) == len(ids) && !slices.ContainsFunc(got, func(id string) bool { return byID[id].Truth != byID[ids[0]].Truth }) {
			exact++
		}
	}
	f.Precision, f.Recall = 1, 1
	if f.FoundPairs > 0 {
		f.Precision = float64(f.CorrectPairs) / float64(f.FoundPairs)
	}
	if f.TruePairs > 0 {
		f.Recall = float64(f.CorrectPairs) / float64(f.TruePairs)
	}
	if len(truth) > 0 {
		f.GroupAccuracy = float64(exact) / float64(len(truth))
	}
	return f, misses
}
