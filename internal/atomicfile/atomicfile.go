// Package atomicfile writes files so that a reader sees the old content or
// the new, never half of the new: a temporary file in the destination's
// directory, synced and renamed over it.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is a file written under a temporary name in the destination's
// directory and renamed over it by Commit, so a reader never sees a
// half-written report and an existing file survives a failed write. Reports
// stream into it instead of being built in memory first.
type File struct {
	f    *os.File
	path string
}

// Create starts writing path.
func Create(path string) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{f: tmp, path: path}, nil
}

func (a *File) Write(p []byte) (int, error) { return a.f.Write(p) }

// Abort removes the temporary file; path is left as it was.
func (a *File) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

// Commit syncs the temporary file and renames it to path.
func (a *File) Commit() error {
	name := a.f.Name()
	fail := func(err error) error {
		a.Abort()
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := a.f.Sync(); err != nil {
		return fail(err)
	}
	if err := a.f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := a.f.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := os.Rename(name, a.path); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// WriteFile writes data to path through an File.
func WriteFile(path string, data []byte) error {
	a, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := a.Write(data); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}
