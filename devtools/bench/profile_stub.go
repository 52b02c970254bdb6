//go:build !benchprof

package bench

import (
	"context"
	"errors"
)

// Without the benchprof tag the bench depends on the product only through
// the bulletin binary; the in-process profiling experiment needs the tag:
//
//	go run -tags benchprof ./cmd/bulletin-bench -profile DIR
const profileBuilt = false

func (r *runner) profile(context.Context, *Vocab, string, string) error {
	return errors.New("bench: -profile needs a build with -tags benchprof")
}
