package errs

import (
	"errors"
	"fmt"
	"syscall"
)

// Kind classifies errors so that each interface (HTTP, CLI) maps them to a
// status in one place.
type Kind int

const (
	Internal         Kind = iota // a fault of ours
	Invalid                      // bad parameters
	NotFound                     // no such article, page or route
	NotAllowed                   // a method the resource does not answer
	TooLarge                     // a request body over the server's limit
	Unavailable                  // overloaded, deadline passed, or no index yet
	Unauthorized                 // a write without a valid key
	Forbidden                    // writes are off
	Timeout                      // a request body that stopped arriving
	UnsupportedMedia             // a request body of a type or encoding not taken
	Insufficient                 // no room left to store a write (a full disk)
	TooMany                      // a client sending faster than it may
	NotImplemented               // a feature this server does not offer
)

// Error is an error with a kind and a stable code for clients.
type Error struct {
	Kind    Kind
	Code    string // machine-readable, e.g. "invalid_page"
	Message string // for people; never holds internal paths
	Err     error  // the cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an Error of the given kind and code.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err (see Of); Internal for nil.
func KindOf(err error) Kind {
	if err == nil {
		return Internal
	}
	return Of(err).Kind
}

// Of returns err as an *Error: the first one in its chain; otherwise, or
// when that one is Internal, an Internal error with code "internal" — or
// an Insufficient one with code "disk_full" when the cause is a full disk
// (ENOSPC, matched with errors.Is): a fault of the machine, not of ours,
// which clients are told. nil for nil.
func Of(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal {
		return e
	}
	if errors.Is(err, syscall.ENOSPC) {
		return &Error{Kind: Insufficient, Code: "disk_full", Message: "the disk holding the index is full: the write was not stored (of a bulk write, not all); free some space and send it again", Err: err}
	}
	if e != nil {
		return e
	}
	return &Error{Kind: Internal, Code: "internal", Message: "internal error", Err: err}
}
