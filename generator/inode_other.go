//go:build !unix

package generator

import "io/fs"

// inode is 0 where the file system has no inode numbers to compare.
func inode(fs.FileInfo) uint64 { return 0 }
