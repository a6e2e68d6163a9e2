//go:build windows

package daemon

import "os"

// holderGone reports whether a lease holder was a process on this host that
// no longer exists: on Windows, one that cannot be opened.
func holderGone(holder string) bool {
	pid, ok := localPID(holder)
	if !ok {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	_ = p.Release()
	return false
}
