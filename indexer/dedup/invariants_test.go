package dedup

import (
	"fmt"
	"slices"
)

// checkInvariants verifies the Detector's bookkeeping: every held article is
// in exactly one group, the group it names; a group's representative is
// its earliest member; no group is empty.
func (d *Detector) checkInvariants() error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	in := map[int32]int32{}
	for gi, g := range d.groups {
		if len(g.members) == 0 {
			return fmt.Errorf("group %d empty", gi)
		}
		for _, m := range g.members {
			if prev, ok := in[m]; ok {
				return fmt.Errorf("slot %d (%s) in groups %d and %d", m, d.slots[m].id, prev, gi)
			}
			in[m] = gi
			if !d.slots[m].live || d.slots[m].group != gi {
				return fmt.Errorf("slot %d (%s) in group %d names group %d (live %v)", m, d.slots[m].id, gi, d.slots[m].group, d.slots[m].live)
			}
		}
		if want := slices.MinFunc(g.members, d.order); g.rep != want {
			return fmt.Errorf("group %d: representative %s, want %s", gi, d.slots[g.rep].id, d.slots[want].id)
		}
	}
	for id, s := range d.ids {
		if _, ok := in[s]; !ok || d.slots[s].id != id {
			return fmt.Errorf("article %s (slot %d) in no group", id, s)
		}
	}
	if len(in) != len(d.ids) {
		return fmt.Errorf("%d articles in groups, %d held", len(in), len(d.ids))
	}
	return nil
}
