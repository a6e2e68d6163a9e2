//go:build windows

package daemon

import (
	"os"
	"strconv"
	"strings"
)

// holderGone reports whether a lease holder was a process on this host that
// no longer exists: on Windows, one that cannot be opened.
func holderGone(holder string) bool {
	f := strings.Fields(holder)
	host, _ := os.Hostname()
	if len(f) < 3 || f[0] != host || f[1] != "pid" {
		return false
	}
	pid, err := strconv.Atoi(f[2])
	if err != nil {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return true // no such process
	}
	_ = p.Release()
	return false
}
