//go:build !linux

package generator

import (
	"errors"
	"os"
	"path/filepath"
)

// swap replaces dir with staging by two renames.
func swap(staging, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staging, dir)
	}
	old := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".old-"+filepath.Base(staging))
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(staging, dir); err != nil {
		_ = os.Rename(old, dir)
		return err
	}
	return os.RemoveAll(old)
}
