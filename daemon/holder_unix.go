//go:build unix

package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// holderGone reports whether a lease holder was a process on this host that
// no longer exists (killed with -9, the machine rebooted).
func holderGone(holder string) bool {
	pid, ok := localPID(holder)
	return ok && (errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) || zombie(pid))
}

// zombie reports whether pid has exited and waits for its parent to reap
// it (state Z in /proc): a daemon killed under a supervisor that has not
// collected it yet is gone all the same.
func zombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) S …": the state follows the last ')', as comm may hold one.
	i := bytes.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}
