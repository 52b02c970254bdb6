package errs

import (
	"errors"
	"fmt"
)

// Kind classifies errors so that each interface (HTTP, CLI) maps them to a
// status in one place.
type Kind int

const (
	Internal       Kind = iota // a fault of ours
	Invalid                    // bad parameters
	NotFound                   // no such article, page or route
	NotAllowed                 // a method the resource does not answer
	TooLarge                   // a request body over the server's limit
	Unavailable                // overloaded, deadline passed, or no index yet
	Unauthorized               // a write without a valid key
	Forbidden                  // writes are off
	TooMany                    // a client sending faster than it may
	NotImplemented             // a feature this server does not offer
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

// KindOf returns the kind of err (Internal when it has none).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
