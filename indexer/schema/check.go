package schema

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The values an article may hold, whichever way it comes in (a file, the
// write API, a watched folder, the write log): every path that makes an
// article checks it with these functions, so that what one path takes
// another never refuses (an article served after a write and dropped when
// the log is replayed would be lost).

// MaxIDLen is the longest id an article can have, in bytes.
const MaxIDLen = 512

// FieldError says which field of an article holds a value that is refused,
// and why. Field is the field's name as given (e.g. "date", or "pubDate"
// for an export that names it so).
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%q %s", e.Field, e.Reason) }

// CheckID checks an article id: 1 to MaxIDLen bytes of valid UTF-8 with
// no control character (NUL, newline, DEL, C1) and not only spaces. An id
// that is not valid UTF-8 cannot be kept as given (JSON turns its bad
// bytes into U+FFFD), so it would come back as another id.
func CheckID(id string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return &FieldError{"id", "is empty"}
	case len(id) > MaxIDLen:
		return &FieldError{"id", fmt.Sprintf("is longer than %d bytes", MaxIDLen)}
	case !utf8.ValidString(id):
		return &FieldError{"id", "is not valid UTF-8"}
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return &FieldError{"id", fmt.Sprintf("holds a control character (U+%04X)", r)}
		}
	}
	return nil
}

// Visible reports whether a text (a title, a body) holds something to
// show: a letter, digit, punctuation mark or symbol, not only spaces,
// zero-width or other invisible format characters (U+200B, U+200C,
// U+2060, U+FEFF, U+00AD), control characters or combining marks.
func Visible(text string) bool {
	for _, r := range text {
		if r != utf8.RuneError && unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) && r != '\u3164' && r != '\uffa0' {
			return true
		}
	}
	return false
}

// CheckText checks a title or body under the name field: a FieldError
// when it is empty once spaces and invisible characters are left out
// (Visible). Every path that makes an article checks its title and body
// with it.
func CheckText(field, text string) error {
	if !Visible(text) {
		return &FieldError{field, "is empty (it holds no visible character)"}
	}
	return nil
}

// CheckDate checks a date given as YYYY-MM-DD: a real calendar day from
// 1949 to 2100. "" (no date) passes.
func CheckDate(field, date string) error {
	if date == "" {
		return nil
	}
	ok := len(date) == 10 && date[4] == '-' && date[7] == '-'
	var y, m, d int
	if ok {
		_, err := fmt.Sscanf(date, "%4d-%2d-%2d", &y, &m, &d)
		ok = err == nil && allDigits(date[:4]+date[5:7]+date[8:]) && ValidDate(y, m, d)
	}
	if !ok {
		return &FieldError{field, fmt.Sprintf("%q is not a date: want YYYY-MM-DD, a day from 1949 to 2100", date)}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidDate checks a calendar date in the range bulletins can have.
func ValidDate(y, m, d int) bool {
	if y < 1949 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// CheckName checks one name of a list (a district, a topic) under field:
// not empty, no control character, at most 64 characters.
func CheckName(field, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return &FieldError{field, "holds an empty name"}
	case utf8.RuneCountInString(name) > 64:
		return &FieldError{field, fmt.Sprintf("holds a name longer than 64 characters (%.20q…)", name)}
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return &FieldError{field, fmt.Sprintf("holds a name with a control character (%q)", name)}
		}
	}
	return nil
}
