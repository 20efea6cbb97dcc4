package generator

import (
	"os"
	"path/filepath"
)

// swapByRename replaces dir with staging by two renames, for systems and
// file systems that cannot exchange two folders in one step. There is a
// short moment in which dir does not exist.
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
