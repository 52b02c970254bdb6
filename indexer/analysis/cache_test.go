package analysis

// loaded reports how many segmenters are alive in the cache (tests).
func (c *segCache) loaded() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, slot := range c.live {
		select {
		case <-slot.ready:
			if slot.seg.Value() != nil {
				n++
			}
		default:
		}
	}
	return n
}
