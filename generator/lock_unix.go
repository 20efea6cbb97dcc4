//go:build unix

package generator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockWait is how long a build waits for another build of the same output
// folder to finish writing before it gives up with a message.
const lockWait = 5 * time.Minute

// lock takes an exclusive lock beside dir, so two builds of one site never
// write at once: the second waits for the first, until ctx ends or
// lockWait passes. The kernel drops the lock when its process dies, so a
// killed build never leaves the folder locked.
func lock(ctx context.Context, dir string) (func(), error) {
	p := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking output folder: %w", err)
	}
	deadline := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking output folder: %w", err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another kennisbank build has been writing %s for more than %v (it holds %s): try again when it has finished", dir, lockWait, p)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("stopped waiting for another kennisbank build writing %s: %w", dir, context.Cause(ctx))
		case <-time.After(20 * time.Millisecond):
		}
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
