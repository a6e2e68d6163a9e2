package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// EspeakFactor converts a reading pace (syllables a minute) into the speed
// to give espeak-ng: its Vietnamese voice at -s N says about 1.37·N
// syllables a minute (measured on the demo scripts, ratios 1.34–1.41), so
// -s 0.73·pace reads at the pace.
const EspeakFactor = 0.73

// Synth makes audio with the programs installed on this machine. The zero
// Synth has none, and says so.
type Synth struct {
	Espeak string // path of espeak-ng, "" when not installed
	Lame   string // path of lame, "" when not installed (then no MP3)
	Voice  string // espeak-ng voice; default "vi"
}

// FindSynth looks for espeak-ng and lame on the PATH.
func FindSynth() Synth {
	s := Synth{Voice: "vi"}
	s.Espeak, _ = exec.LookPath("espeak-ng")
	s.Lame, _ = exec.LookPath("lame")
	return s
}

// ErrNoSynth is returned when espeak-ng is not installed: scripts only.
var ErrNoSynth = errors.New("espeak-ng is not installed: scripts only, no audio (apt-get install espeak-ng lame)")

// WAV speaks text (already normalized) at pace syllables a minute into
// path, and returns the audio's real duration.
func (s Synth) WAV(ctx context.Context, text string, pace int, path string) (time.Duration, error) {
	if s.Espeak == "" {
		return 0, ErrNoSynth
	}
	voice := s.Voice
	if voice == "" {
		voice = "vi"
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return 0, err
	}
	speed := int(math.Round(float64(pace) * EspeakFactor))
	cmd := exec.CommandContext(ctx, s.Espeak, "-v", voice, "-s", fmt.Sprint(speed), "-w", path, "--stdin")
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("espeak-ng: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return WAVDuration(path)
}

// MP3 encodes wav into mp3 with lame; it does nothing without lame.
func (s Synth) MP3(ctx context.Context, wav, mp3 string) error {
	if s.Lame == "" {
		return nil
	}
	out, err := exec.CommandContext(ctx, s.Lame, "--quiet", "-V", "5", wav, mp3).CombinedOutput()
	if err != nil {
		return fmt.Errorf("lame: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// WAVDuration reads a PCM WAV file's length from its header.
func WAVDuration(path string) (time.Duration, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if len(data) < 44 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return 0, fmt.Errorf("%s is not a WAV file", path)
	}
	var byteRate uint32
	for i := 12; i+8 <= len(data); {
		id, size := string(data[i:i+4]), binary.LittleEndian.Uint32(data[i+4:i+8])
		switch id {
		case "fmt ":
			if i+16 <= len(data) {
				byteRate = binary.LittleEndian.Uint32(data[i+16 : i+20])
			}
		case "data":
			if byteRate == 0 {
				return 0, fmt.Errorf("%s: no format before the data", path)
			}
			if size == 0 || size == 0xFFFFFFFF || int(size) > len(data)-i-8 { // streamed: size unknown
				size = uint32(len(data) - i - 8)
			}
			return time.Duration(float64(size) / float64(byteRate) * float64(time.Second)), nil
		}
		i += 8 + int(size) + int(size%2)
	}
	return 0, fmt.Errorf("%s: no audio data", path)
}
