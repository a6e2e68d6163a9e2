package report

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// FindChromium returns Debian's chromium (or Google Chrome), "" without one.
func FindChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// PrintPDF prints an HTML page to PDF with headless chromium, as a person
// would with "Print to PDF": the page's own A4 size and margins.
func PrintPDF(ctx context.Context, chromium string, page []byte) ([]byte, error) {
	if chromium == "" {
		return nil, fmt.Errorf("no chromium to print PDF with (apt-get install chromium)")
	}
	dir, err := os.MkdirTemp("", "loa-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "page.html"), filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, page, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+in)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chromium --print-to-pdf: %w: %s", err, lastLine(b))
	}
	return os.ReadFile(out)
}

func lastLine(b []byte) string {
	s := string(b)
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}
