// Package packaging holds what installs Loa on a server: the systemd unit,
// the server's configuration, the Caddy front and the .deb's recipe. Its
// test checks the unit as systemd reads it.
package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnitVerifies runs systemd-analyze verify on the unit (with ExecStart
// pointing at a file that exists here) and wants no word from it: an
// unknown key or a bad value is only a warning to systemd, so any output
// fails. The hardening the install promises must be there.
func TestUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd)")
	}
	unit, err := os.ReadFile("loa.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"User=loa", "StateDirectory=loa", "Restart=on-failure", "ProtectSystem=strict", "NoNewPrivileges=yes",
		"ExecStart=/usr/bin/loa --config /etc/loa/loa.yaml serve", "WantedBy=multi-user.target"} {
		if !strings.Contains(string(unit), "\n"+want+"\n") {
			t.Errorf("the unit lacks %s", want)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "loa.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(unit), "/usr/bin/loa", self)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
