package speech

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
)

// TestAudioMatchesTheEstimate synthesizes the demo's loudspeaker scripts and
// checks the reading-time estimate is within 25% of the real audio at the
// matching speed. CI installs espeak-ng; without it the test says so.
func TestAudioMatchesTheEstimate(t *testing.T) {
	s := FindSynth()
	if s.Espeak == "" {
		t.Skip(ErrNoSynth)
	}
	scripts, _ := filepath.Glob("../demo/content/*/*.md")
	if len(scripts) < 15 {
		t.Fatalf("found %d demo scripts", len(scripts))
	}
	n := New(nil)
	dir := t.TempDir()
	for _, path := range scripts {
		data, _ := os.ReadFile(path)
		_, rest, ok := strings.Cut(string(data), "## loudspeaker\n")
		if !ok {
			continue
		}
		body, _, _ := strings.Cut(rest, "\n## ")
		text := n.Text(strings.ReplaceAll(body, "{{.Year}}", "2026"))
		for _, pace := range []int{180, 220} {
			wav := filepath.Join(dir, filepath.Base(path)+".wav")
			got, err := s.WAV(context.Background(), text, pace, wav)
			if err != nil {
				t.Fatal(err)
			}
			want := content.ReadingTime(text, pace)
			if off := math.Abs(float64(want-got)) / float64(got); off > 0.25 {
				t.Errorf("%s at %d/min: estimate %s, audio %s (%.0f%% off)", filepath.Base(path), pace, want, got.Round(time.Second), off*100)
			}
			if s.Lame != "" {
				mp3 := strings.TrimSuffix(wav, ".wav") + ".mp3"
				if err := s.MP3(context.Background(), wav, mp3); err != nil {
					t.Fatal(err)
				}
				if st, err := os.Stat(mp3); err != nil || st.Size() < 1000 {
					t.Errorf("mp3: %v", err)
				}
			}
		}
	}
}

func TestWAVDurationReadsTheHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.wav")
	// 2 seconds of 22050 Hz mono 16-bit silence.
	data := make([]byte, 44+88200)
	copy(data, "RIFF")
	copy(data[8:], "WAVEfmt ")
	data[16] = 16
	data[20], data[22] = 1, 1
	le := func(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }
	le(data[24:], 22050)
	le(data[28:], 44100)
	data[32], data[34] = 2, 16
	copy(data[36:], "data")
	le(data[40:], 88200)
	os.WriteFile(path, data, 0o600)
	if d, err := WAVDuration(path); err != nil || d != 2*time.Second {
		t.Errorf("duration %s, %v", d, err)
	}
	os.WriteFile(path, []byte("not a wav file at all, no header here......"), 0o600)
	if _, err := WAVDuration(path); err == nil {
		t.Error("garbage read as WAV")
	}
}
