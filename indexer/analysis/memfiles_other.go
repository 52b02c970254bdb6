//go:build !linux

package analysis

import "errors"

// memFiles is Linux only; elsewhere the dictionaries go to a temporary
// folder (see dictFiles).
func memFiles(map[string][]byte) (map[string]string, func(), error) {
	return nil, nil, errors.New("no memory files on this system")
}
