//go:build unix

package build

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on a folder, waiting for a build that
// holds it, so two builds into one destination run one after the other and
// neither takes the other's temporary folder for a leftover. The system
// drops the lock when the process dies, however it dies.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, &os.PathError{Op: "lock", Path: dir, Err: err}
	}
	return func() { f.Close() }, nil
}
