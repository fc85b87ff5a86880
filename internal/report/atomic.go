package report

import (
	"fmt"
	"os"
	"path/filepath"
)

// AtomicFile is a file written under a temporary name in the destination's
// directory and renamed over it by Commit, so a reader never sees a
// half-written report and an existing file survives a failed write. Reports
// stream into it instead of being built in memory first.
type AtomicFile struct {
	f    *os.File
	path string
}

// CreateAtomic starts writing path.
func CreateAtomic(path string) (*AtomicFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &AtomicFile{f: tmp, path: path}, nil
}

func (a *AtomicFile) Write(p []byte) (int, error) { return a.f.Write(p) }

// Abort removes the temporary file; path is left as it was.
func (a *AtomicFile) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

// Commit syncs the temporary file and renames it to path.
func (a *AtomicFile) Commit() error {
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

// WriteFileAtomic writes data to path through an AtomicFile.
func WriteFileAtomic(path string, data []byte) error {
	a, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	if _, err := a.Write(data); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}
