package writes

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/internal/errs"
)

// BadArticle is the error of a written article that is refused, saying why.
func BadArticle(format string, args ...any) error {
	return errs.Errorf(errs.Invalid, "bad_article", format, args...)
}

// NotFound is the error of a deletion of ids the index does not hold.
func NotFound() error {
	return errs.Errorf(errs.NotFound, "not_found", "no article with this id")
}

// IsNotFound reports whether err is a NotFound.
func IsNotFound(err error) bool { return err != nil && errs.KindOf(err) == errs.NotFound }

// Unavailable is the error of a write that the cluster did not take:
// nothing of it is acknowledged, and the client may try again. err is the
// cause, for logs.
func Unavailable(err error) error {
	return &errs.Error{Kind: errs.Unavailable, Code: "cluster_unavailable", Message: "the OpenSearch cluster did not take the write; nothing of it is acknowledged, try again", Err: err}
}

// Failed gives err a kind: an *errs.Error is returned as it is, any other
// error (nil aside) becomes an internal "write_failed".
func Failed(err error) error {
	var se *errs.Error
	if err == nil || errors.As(err, &se) {
		return err
	}
	return &errs.Error{Kind: errs.Internal, Code: "write_failed", Message: "the write failed", Err: err}
}

// badArticle is the BadArticle of a refused value, err naming its field.
func badArticle(err error) error {
	return &errs.Error{Kind: errs.Invalid, Code: "bad_article", Message: err.Error(), Err: err}
}

// Districts checks the districts given to an article against the region's
// gazetteer and returns them by their gazetteer names, or an error naming
// the field and the first unknown one (enrich.Enricher.CheckDistricts).
// It must be safe for concurrent use.
type Districts interface {
	CheckDistricts(field string, names []string) ([]string, error)
}

// checkDistricts gives the districts of d their gazetteer names, or says
// which one ds does not know. A nil ds checks nothing.
func checkDistricts(ds Districts, d *source.Doc) error {
	if ds == nil || len(d.Given.Districts) == 0 {
		return nil
	}
	names, err := ds.CheckDistricts(source.FieldDistricts, d.Given.Districts)
	if err != nil {
		return err
	}
	d.Given.Districts = names
	return nil
}

// Parse reads the article of a PUT under id (the body's own id, if any,
// must be the same) by the write API's rules: the id by schema.CheckID,
// the body by source.ParseWrittenArticle (a bad value refuses the
// article), its districts by ds. Its errors are BadArticle, naming the
// field.
func Parse(id string, body []byte, ds Districts) (source.Doc, error) {
	id = strings.TrimSpace(id)
	if err := schema.CheckID(id); err != nil {
		return source.Doc{}, badArticle(err)
	}
	if !utf8.Valid(body) {
		return source.Doc{}, BadArticle("the body is not valid UTF-8")
	}
	d, err := source.ParseWrittenArticle(body)
	if err == nil {
		err = checkDistricts(ds, &d)
	}
	if err != nil {
		return source.Doc{}, badArticle(err)
	}
	if d.IDGiven && d.ID != id {
		return source.Doc{}, BadArticle("the body's id %q is not the id of the path %q", d.ID, id)
	}
	d.ID, d.IDGiven = id, true
	return d, nil
}

// Check refuses articles without a usable id or that cannot be indexed
// (source.CheckDoc, the one check of an article on every path).
func Check(docs []source.Doc) error {
	for _, d := range docs {
		if d.ID == "" {
			return BadArticle("article without a usable id")
		}
		if why := source.CheckDoc(d); why != "" {
			return BadArticle("%s", why)
		}
	}
	return nil
}

// Given is an article as given, in JSON Lines fields: the Doc of its
// write record.
func Given(d source.Doc) map[string]any {
	m := map[string]any{"id": d.ID, "title": d.Title, "body": d.Body}
	for k, v := range map[string]string{"date": d.Given.Date, "source": d.Given.Source, "url": d.Given.URL} {
		if v != "" {
			m[k] = v
		}
	}
	if d.Given.Year != 0 {
		m["year"] = d.Given.Year
	}
	if len(d.Given.Districts) > 0 {
		m["districts"] = d.Given.Districts
	}
	if len(d.Given.Topics) > 0 {
		m["topics"] = d.Given.Topics
	}
	// The government-document fields, under their own names: a replay
	// reads them back as given.
	for k, v := range map[string]string{source.FieldDocNo: d.Given.DocNo, source.FieldWritten: d.Given.Written,
		source.FieldIndexNo: d.Given.IndexNo, source.FieldCategory: d.Given.Category, source.FieldValidity: d.Given.Validity} {
		if v != "" {
			m[k] = v
		}
	}
	if len(d.Given.Issuer) > 0 {
		m[source.FieldIssuer] = d.Given.Issuer
	}
	return m
}

// Piece is how many articles of a bulk write are written together (one
// sync of the log and one bleve batch, or one bulk request).
const Piece = 256

// LineError names a line of a bulk write that was not written.
type LineError struct {
	Line    int
	Message string
}

// SortLines orders line errors by line.
func SortLines(errs []LineError) []LineError {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

// Lines reads the JSON Lines body of a bulk write in pieces, noting the
// lines that are not written (unreadable, a bad value, an unknown
// district, or without an id). Not safe for concurrent use.
type Lines struct {
	sc *source.JSONLScanner
	ds Districts
}

// sniffBytes is how much of a body is looked at to tell an empty one.
const sniffBytes = 1 << 20

// NewLines starts reading body, whose lines are held to the write API's
// rules (source.JSONLScanner.Strict; districts checked by ds). It returns
// nil for an empty body (with no bad line) or for one that cannot be read
// at all (bad says why).
func NewLines(body io.Reader, ds Districts) (bl *Lines, bad []LineError) {
	br := bufio.NewReaderSize(body, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, []LineError{{Line: 1, Message: err.Error()}}
	}
	if len(head) < sniffBytes && len(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))) == 0 {
		return nil, nil // an empty body writes nothing
	}
	sc, err := source.NewJSONLScanner(br, nil)
	if err != nil {
		return nil, []LineError{{Line: 1, Message: err.Error()}}
	}
	sc.Strict()
	return &Lines{sc: sc, ds: ds}, nil
}

// pieceBytes bounds the bytes of lines read for one piece.
const pieceBytes = 8 << 20

// Next returns the next articles (at most n, each with its id) and the
// lines skipped among them; err is io.EOF at the end. A line is skipped
// when it gives no article: unreadable, too long, a bad value, a district
// ds does not know, or without an id.
func (b *Lines) Next(n int) (docs []source.Doc, bad []LineError, err error) {
	all, probs, err := b.sc.Next(n, pieceBytes)
	gave := make(map[int]bool, len(all))
	for _, d := range all {
		gave[d.Line] = true
	}
	for _, p := range probs {
		if p.Line == 0 || !gave[p.Line] { // a summary, or a line that gave no article
			bad = append(bad, LineError{p.Line, strings.TrimSuffix(p.Reason, "; line skipped")})
		}
	}
	docs = all[:0]
	for _, d := range all {
		if !d.IDGiven {
			bad = append(bad, LineError{d.Line, `missing "id"`})
			continue
		}
		if err := checkDistricts(b.ds, &d); err != nil {
			bad = append(bad, LineError{d.Line, err.Error()})
			continue
		}
		docs = append(docs, d)
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("reading the body: %w", err)
	}
	return docs, bad, err
}
