// Package store keeps the articles of one index generation: their full text
// and metadata, compressed, keyed by article id. The bleve index holds only
// what is searched, sorted and counted; titles, bodies and snippets come from
// here, for the page of hits only.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang/snappy"
	bolt "go.etcd.io/bbolt"
)

// Article is the unit of search (SPEC §3).
type Article struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Date      string   `json:"date"`
	Year      int      `json:"year"`
	Districts []string `json:"districts"`
	Topics    []string `json:"topics"`
	Source    string   `json:"source"`
	URL       string   `json:"url"`
}

var bucket = []byte("articles")

// ErrNotFound is returned by Get for an unknown id.
var ErrNotFound = errors.New("article not found")

// Writer adds articles to a new store. It is not safe for concurrent use.
type Writer struct {
	db *bolt.DB
}

// Create makes a new store file at path. Writes are not synced one by one;
// Close syncs the file once.
func Create(path string) (*Writer, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second, NoSync: true, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("store: create %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Writer{db: db}, nil
}

// Put writes a batch of articles in one transaction.
func (w *Writer) Put(arts []*Article) error {
	return w.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		for _, a := range arts {
			raw, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(a.ID), snappy.Encode(nil, raw)); err != nil {
				return fmt.Errorf("store: put %s: %w", a.ID, err)
			}
		}
		return nil
	})
}

// Close syncs the file to disk and closes it.
func (w *Writer) Close() error {
	err := w.db.Sync()
	if cerr := w.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// Reader reads a finished store. It is safe for concurrent use.
type Reader struct {
	db *bolt.DB
}

// Open opens a store read-only.
func Open(path string) (*Reader, error) {
	db, err := bolt.Open(path, 0o444, &bolt.Options{Timeout: 2 * time.Second, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Reader{db: db}, nil
}

// Get returns the article with the given id, or ErrNotFound.
func (r *Reader) Get(id string) (*Article, error) {
	var a *Article
	err := r.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		raw, err := snappy.Decode(nil, v)
		if err != nil {
			return fmt.Errorf("store: article %s: %w", id, err)
		}
		a = new(Article)
		return json.Unmarshal(raw, a)
	})
	return a, err
}

// GetMany returns the articles for ids in order (nil where unknown).
func (r *Reader) GetMany(ids []string) ([]*Article, error) {
	out := make([]*Article, len(ids))
	err := r.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		for i, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			raw, err := snappy.Decode(nil, v)
			if err != nil {
				return fmt.Errorf("store: article %s: %w", id, err)
			}
			a := new(Article)
			if err := json.Unmarshal(raw, a); err != nil {
				return fmt.Errorf("store: article %s: %w", id, err)
			}
			out[i] = a
		}
		return nil
	})
	return out, err
}

// Each calls fn for every article, in id order, until fn returns false.
func (r *Reader) Each(fn func(*Article) bool) error {
	err := r.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			raw, err := snappy.Decode(nil, v)
			if err != nil {
				return err
			}
			a := new(Article)
			if err := json.Unmarshal(raw, a); err != nil {
				return err
			}
			if !fn(a) {
				return errStop
			}
			return nil
		})
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

var errStop = errors.New("stop")

// Close closes the store.
func (r *Reader) Close() error { return r.db.Close() }
