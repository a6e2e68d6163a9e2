package speech

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

// TestPrintReadings prints the readings of the lines in $LOA_SAY_IN (a
// helper for writing golden cases; skipped otherwise).
func TestPrintReadings(t *testing.T) {
	path := os.Getenv("LOA_SAY_IN")
	if path == "" {
		t.Skip()
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := New(nil)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		fmt.Printf("%s\n=>\n%s\n\n", sc.Text(), n.Text(sc.Text()))
	}
}
