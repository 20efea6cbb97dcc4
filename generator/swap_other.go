//go:build !linux

package generator

import (
	"errors"
	"os"
)

// swap replaces dir with staging by two renames.
func swap(staging, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staging, dir)
	}
	return swapByRename(staging, dir)
}
