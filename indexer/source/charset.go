package source

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// DecodeText returns the text of a plain-text file: UTF-8 (a BOM is dropped)
// or, when the bytes are not valid UTF-8, GB18030 if they decode cleanly to
// mostly Chinese text, else Big5 if that does. Empty files, binary files and text in neither encoding
// are errors.
func DecodeText(data []byte) (string, error) {
	return decodeBytes(data, "", false)
}

var (
	reMetaCharset = regexp.MustCompile(`(?is)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-.:]+)`)
	reXMLEncoding = regexp.MustCompile(`(?is)^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_\-.:]+)`)
)

// decodeHTML returns a web page as UTF-8. A BOM decides (UTF-8, UTF-16);
// otherwise the charset the page declares (<meta charset>, http-equiv
// Content-Type, an XML declaration) in its first 16 KB, checked against the
// bytes as described above.
func decodeHTML(data []byte) (string, error) {
	return decodeBytes(data, declaredCharset(data), true)
}

// decodeBytes decodes data given the charset label declared for it ("" for
// none). With boms (web pages), a byte-order mark decides the charset
// (UTF-8, UTF-16); otherwise a UTF-8 BOM is dropped.
func decodeBytes(data []byte, label string, boms bool) (string, error) {
	if boms {
		if len(bytes.TrimSpace(data)) == 0 {
			return "", errors.New("empty file")
		}
		for _, b := range []struct {
			bom   string
			label string
		}{{"\xef\xbb\xbf", "utf-8"}, {"\xff\xfe", "utf-16le"}, {"\xfe\xff", "utf-16be"}} {
			if bytes.HasPrefix(data, []byte(b.bom)) {
				enc, _ := charset.Lookup(b.label)
				return decodeWith(enc, data[len(b.bom):])
			}
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return "", errors.New("empty file")
	}
	if looksBinary(data) {
		return "", errors.New("binary file")
	}
	enc, name := charset.Lookup(label)
	isUTF8 := utf8.Valid(data)
	if isUTF8 && (enc == nil || name == "utf-8" || hasNonASCII(data)) {
		return string(data), nil
	}
	switch {
	case enc == nil, name == "utf-8", name == "gbk", name == "gb18030":
		// Undeclared, GB-family, or UTF-8 declared but not valid UTF-8.
		if s, ok := decodeGB18030(data); ok {
			return s, nil
		}
		if name == "gbk" || name == "gb18030" {
			return "", fmt.Errorf("invalid encoding: not valid %s", label)
		}
		// Traditional-script pages (Hong Kong, Taiwan, and sites that
		// serve a traditional version) come in Big5, not always labelled.
		if s, ok := decodeBig5(data); ok {
			return s, nil
		}
		return "", errors.New("invalid encoding: neither UTF-8, GB18030 nor Big5")
	}
	// Another declared charset. Chinese text mislabelled as Latin-1 is common.
	if strings.HasPrefix(name, "windows-125") || strings.HasPrefix(name, "iso-8859") {
		if s, ok := decodeGB18030(data); ok && hanCount(s)*2 >= nonASCIIRunes(s) {
			return s, nil
		}
	}
	return decodeWith(enc, data)
}

// declaredCharset finds the charset label a page declares near its top.
func declaredCharset(data []byte) string {
	head := data
	if len(head) > 16<<10 {
		head = head[:16<<10]
	}
	if m := reXMLEncoding.FindSubmatch(head); m != nil {
		return strings.ToLower(string(m[1]))
	}
	if m := reMetaCharset.FindSubmatch(head); m != nil {
		return strings.ToLower(string(m[1]))
	}
	return ""
}

func decodeGB18030(data []byte) (string, bool) {
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !mostlyText(string(dec)) {
		return "", false
	}
	return string(dec), true
}

// decodeBig5 decodes unlabelled Big5: it must decode without error to
// mostly text in which Han characters are most of what is not ASCII.
func decodeBig5(data []byte) (string, bool) {
	dec, err := traditionalchinese.Big5.NewDecoder().Bytes(data)
	if err != nil || !mostlyText(string(dec)) {
		return "", false
	}
	s := string(dec)
	return s, hanCount(s)*10 >= nonASCIIRunes(s)*8
}

func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	if enc == nil {
		return "", errors.New("invalid encoding")
	}
	dec, err := enc.NewDecoder().Bytes(data)
	if err != nil || !mostlyText(string(dec)) {
		return "", errors.New("invalid encoding: the bytes do not match the page's charset")
	}
	return strings.TrimPrefix(string(dec), "\ufeff"), nil
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func nonASCIIRunes(s string) int {
	n := 0
	for _, r := range s {
		if r >= utf8.RuneSelf {
			n++
		}
	}
	return n
}

// looksBinary reports NUL bytes or many control bytes in the first 8 KB.
func looksBinary(data []byte) bool {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*20 > len(head)
}

// mostlyText accepts decoded text in which Han characters, letters, digits,
// punctuation and spaces dominate and replacement characters are rare.
func mostlyText(s string) bool {
	total, good, bad := 0, 0, 0
	for _, r := range s {
		total++
		switch {
		case r == utf8.RuneError:
			bad++
		case unicode.Is(unicode.Han, r), unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsSymbol(r):
			good++
		}
	}
	return total > 0 && bad*100 <= total && good*10 >= total*9
}
