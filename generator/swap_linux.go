package generator

import (
	"errors"
	"os"
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
