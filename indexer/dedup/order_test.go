package dedup

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestDevSetOrders adds the dev half in several orders: the bookkeeping
// holds after every addition and the figures do not depend on the order
// (a copy without its lead finds its notice whichever comes first).
func TestDevSetOrders(t *testing.T) {
	recs, err := ReadRecords(filepath.Join(devSetDir, "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Score(recs, DefaultThresholds())
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 1))
		rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		d := New(Thresholds{})
		for _, r := range recs {
			d.Add(r.ID, r.Date, r.Title, r.Body)
			if err := d.checkInvariants(); err != nil {
				t.Fatalf("order %d, after %s: %v", seed, r.ID, err)
			}
		}
		if got, _ := Score(recs, DefaultThresholds()); got != want {
			t.Errorf("order %d: %v\nfile order: %v", seed, got, want)
		}
	}
}
