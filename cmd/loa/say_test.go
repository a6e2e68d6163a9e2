package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loa-ward/loa/speech"
)

// TestSayPrintsTheSpokenTextAndMakesAudio: an officer checks a script before
// it airs: dates and document numbers come out as words, an abbreviation
// nobody expanded is pointed out, and --audio writes the reading.
func TestSayPrintsTheSpokenTextAndMakesAudio(t *testing.T) {
	e := newEnv(t, "")
	script := filepath.Join(e.dir, "kich-ban.txt")
	os.WriteFile(script, []byte("Thực hiện Kế hoạch ngày 15/5/2026, TDP tổ chức sinh hoạt chuyên đề. Liên hệ XYZ."), 0o600)
	out := e.ok("say", "-f", script)
	mustContain(t, "say", out, "ngày mười lăm tháng năm năm hai nghìn không trăm hai mươi sáu", "tổ dân phố tổ chức sinh hoạt", "Cần xem lại", "XYZ")
	if strings.Contains(out, "15/5") {
		t.Errorf("a date is left as digits:\n%s", out)
	}
	if out := e.ok("say", "Bình đẳng giới."); strings.Contains(out, "Cần xem lại") {
		t.Errorf("a plain sentence is flagged:\n%s", out)
	}
	if _, errs, code := e.loa("say"); code != exitUsage || !strings.Contains(errs, "cho một văn bản") {
		t.Errorf("say without text: %d %s", code, errs)
	}
	if speech.FindSynth().Espeak == "" {
		t.Skip("espeak-ng is not installed")
	}
	wav := filepath.Join(e.dir, "doc-thu.wav")
	mustContain(t, "audio", e.ok("say", "-f", script, "--audio", wav), "Đã ghi", "giây")
	if fi, err := os.Stat(wav); err != nil || fi.Size() < 10_000 {
		t.Errorf("audio: %v", err)
	}
}
