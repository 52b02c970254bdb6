package analysis

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// memFiles writes each file to an anonymous memory file (memfd) and names it
// by its /proc/self/fd path, which C++ can open like any file. The memory
// goes when the descriptors are closed, or with the process, however it
// ends.
func memFiles(files map[string][]byte) (map[string]string, func(), error) {
	var open []*os.File
	cleanup := func() {
		for _, f := range open {
			f.Close()
		}
	}
	paths := map[string]string{}
	for name, data := range files {
		fd, err := unix.MemfdCreate("bulletin-"+name, unix.MFD_CLOEXEC)
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("memfd %s: %w", name, err)
		}
		f := os.NewFile(uintptr(fd), name)
		open = append(open, f)
		if _, err := f.Write(data); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("memfd %s: %w", name, err)
		}
		p := "/proc/self/fd/" + strconv.Itoa(fd)
		if _, err := os.Stat(p); err != nil { // no /proc
			cleanup()
			return nil, nil, err
		}
		paths[name] = p
	}
	return paths, cleanup, nil
}
