package indexer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// An index directory keeps its owner: what `bulletin index` writes there
// (the generation, CURRENT, LOCK) gets the directory's owner and group,
// so that a build run as root (a nightly job from root's crontab) leaves
// files the server, running as its own user, can read and write. Only a
// process running as root can give files away; any other makes files that
// are its own, as usual.

// owner is who the files written into an index directory belong to.
type owner struct {
	uid, gid int
	give     bool // this process is root and the directory is not root's
}

// ownerOf returns the owner of dir, or, when dir does not exist yet, of
// its nearest existing parent folder (the folder it is made in).
func ownerOf(dir string) owner {
	if os.Geteuid() != 0 {
		return owner{}
	}
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err == nil {
			st, ok := fi.Sys().(*syscall.Stat_t)
			if !ok {
				return owner{}
			}
			uid, gid := int(st.Uid), int(st.Gid)
			return owner{uid: uid, gid: gid, give: uid != 0 || gid != 0}
		}
		if filepath.Dir(p) == p {
			return owner{}
		}
	}
}

// mkdirAll makes dir and its missing parents, giving the folders it makes
// to o.
func (o owner) mkdirAll(dir string, perm os.FileMode) error {
	var made []string
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) || filepath.Dir(p) == p {
			break
		}
		made = append(made, p)
	}
	if err := os.MkdirAll(dir, perm); err != nil {
		return err
	}
	for _, p := range made {
		if err := o.chown(p); err != nil {
			return err
		}
	}
	return nil
}

// chown gives path (not following a link) to o.
func (o owner) chown(path string) error {
	if !o.give {
		return nil
	}
	if err := os.Lchown(path, o.uid, o.gid); err != nil {
		return fmt.Errorf("give %s to the owner of the index folder: %w", path, err)
	}
	return nil
}

// chownTree gives everything under root (root included) to o.
func (o owner) chownTree(root string) error {
	if !o.give {
		return nil
	}
	return filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return o.chown(p)
	})
}
