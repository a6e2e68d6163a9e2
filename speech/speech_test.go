package speech

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestGolden reads testdata/normalize.golden: each case is the written
// text, "=>", then what is said, written by hand.
func TestGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/normalize.golden")
	if err != nil {
		t.Fatal(err)
	}
	n := New(nil)
	cases := 0
	for _, block := range strings.Split(string(data), "\n\n") {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
			if !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		if len(lines) != 3 || lines[1] != "=>" {
			t.Fatalf("malformed case: %q", block)
		}
		cases++
		if got := n.Text(lines[0]); got != lines[2] {
			t.Errorf("%q\n got %q\nwant %q", norm.NFC.String(lines[0]), got, lines[2])
		}
	}
	if cases < 150 {
		t.Errorf("%d golden cases, want at least 150", cases)
	}
}

func TestExtraAbbreviations(t *testing.T) {
	n := New(map[string]string{"HTX": "hợp tác xã", "UBND": "Ủy ban nhân dân (phường)"})
	if got := n.Text("HTX và UBND"); got != "hợp tác xã và Ủy ban nhân dân (phường)" {
		t.Errorf("got %q", got)
	}
}

func TestLeftovers(t *testing.T) {
	got := Leftovers(New(nil).Text("Tổ dân phố 3 và XYZ phối hợp, gọi 111. Ủy ban nhân dân phường."))
	if strings.Join(got, ",") != "XYZ" {
		t.Errorf("leftovers %q", got)
	}
	if got := Leftovers("số 12/KH và HTX"); strings.Join(got, ",") != "12/KH,HTX" {
		t.Errorf("leftovers %q", got)
	}
}
