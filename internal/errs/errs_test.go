package errs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOf(t *testing.T) {
	full := &os.PathError{Op: "write", Path: filepath.Join("idx", "api.log"), Err: syscall.ENOSPC}
	for _, c := range []struct {
		err  error
		kind Kind
		code string
	}{
		{errors.New("boom"), Internal, "internal"},
		{Errorf(Invalid, "bad_id", "bad"), Invalid, "bad_id"},
		{fmt.Errorf("write: %w", Errorf(NotFound, "not_found", "none")), NotFound, "not_found"},
		// A full disk, however deep, and also under an Internal error.
		{fmt.Errorf("log: write: %w", full), Insufficient, "disk_full"},
		{&Error{Kind: Internal, Code: "write_failed", Message: "the write failed", Err: fmt.Errorf("log: %w", full)}, Insufficient, "disk_full"},
		// A kind other than Internal is the answer even when the cause is a full disk.
		{&Error{Kind: Unavailable, Code: "busy", Message: "busy", Err: full}, Unavailable, "busy"},
		{&Error{Kind: Internal, Code: "write_failed", Message: "the write failed", Err: errors.New("x")}, Internal, "write_failed"},
	} {
		e := Of(c.err)
		if e.Kind != c.kind || e.Code != c.code || KindOf(c.err) != c.kind {
			t.Errorf("Of(%v) = %v %q, want %v %q", c.err, e.Kind, e.Code, c.kind, c.code)
		}
		if c.code == "disk_full" && !errors.Is(e, syscall.ENOSPC) {
			t.Errorf("Of(%v) lost its cause (for the log)", c.err)
		}
	}
	if Of(nil) != nil || KindOf(nil) != Internal {
		t.Error("Of(nil) is not nil, or KindOf(nil) not Internal")
	}
}
