package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// swap replaces dir with staging in one atomic step (renameat2 with
// RENAME_EXCHANGE), so the output folder is at every moment either the
// complete old site or the complete new one.
func swap(staging, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staging, dir)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE); err != nil {
		return swapByRename(staging, dir)
	}
	// staging now holds the old site.
	old := strings.Replace(staging, ".staging-", ".old-", 1)
	if err := os.Rename(staging, old); err != nil {
		return os.RemoveAll(staging)
	}
	return os.RemoveAll(old)
}

// swapByRename is the fallback where the file system cannot exchange: two
// renames, with a short moment in which dir does not exist.
func swapByRename(staging, dir string) error {
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
