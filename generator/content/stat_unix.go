//go:build unix

package content

import (
	"io/fs"
	"syscall"
)

// statOf returns what the file system says about a file that changes
// whenever its bytes do: size, modification and change times, inode and
// device. ok is false where the system does not tell.
func statOf(fi fs.FileInfo) (s stat, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return stat{}, false
	}
	return stat{
		size:  fi.Size(),
		mtime: fi.ModTime().UnixNano(),
		ctime: st.Ctim.Sec*1e9 + st.Ctim.Nsec,
		ino:   uint64(st.Ino),
		dev:   uint64(st.Dev),
	}, true
}
