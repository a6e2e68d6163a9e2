package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/speech"
)

func (a *app) sayCommand() *cobra.Command {
	var file, audio string
	cmd := &cobra.Command{
		Use:   "say [TEXT | -f FILE] [--audio out.wav]",
		Short: "Văn bản sẽ được đọc trên loa như thế nào / how a text will be read on the radio",
		Long: `In văn bản như bộ đọc sẽ đọc (số, ngày, số hiệu văn bản, chữ viết tắt đã viết thành lời) và báo những chữ còn có thể đọc sai;
--audio ghi bản đọc ra tệp WAV (cần espeak-ng). "-f -" đọc từ stdin.
Prints the text as the synthesizer will read it (numbers, dates, document codes, abbreviations written out) and warns about
words it may still read wrong; --audio writes the reading to a WAV file (needs espeak-ng). "-f -" reads stdin.`,
		Args: func(cmd *cobra.Command, argv []string) error {
			if (file == "") == (len(argv) == 0) {
				return usagef("cho một văn bản, hoặc -f TỆP", "give a text, or -f FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, argv []string) error {
			text := strings.Join(argv, " ")
			if file != "" {
				var b []byte
				var err error
				if file == "-" {
					b, err = io.ReadAll(a.stdin)
				} else {
					b, err = os.ReadFile(file)
				}
				if err != nil {
					return err // said in both languages by run
				}
				text = string(b)
			}
			spoken := speech.New(a.cfg.Loudspeaker.Abbreviations).Text(content.Normalize(text))
			fmt.Fprintln(a.stdout, spoken)
			if left := speech.Leftovers(spoken); len(left) > 0 {
				a.printf("Cần xem lại (bộ đọc có thể đọc sai): %s\n", "Check these (the synthesizer may misread them): %s\n", strings.Join(left, ", "))
			}
			if audio == "" {
				return nil
			}
			synth := speech.FindSynth()
			if synth.Espeak == "" {
				return content.Errorf("không có espeak-ng để đọc thành tiếng (apt-get install espeak-ng)", "espeak-ng is not installed (apt-get install espeak-ng)")
			}
			if err := os.MkdirAll(filepath.Dir(audio), 0o750); err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
			defer cancel()
			length, err := synth.WAV(ctx, spoken, a.cfg.Content.Pace, audio)
			if err != nil {
				return err
			}
			a.printf("Đã ghi %s (%s).\n", "Wrote %s (%s).\n", audio, a.duration(length))
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "đọc văn bản từ tệp (- là stdin) / read the text from a file (- for stdin)")
	cmd.Flags().StringVar(&audio, "audio", "", "ghi bản đọc ra tệp WAV / write the reading to a WAV file")
	return cmd
}

// duration says d as the ward does: "1 phút 08 giây", "57 giây".
func (a *app) duration(d time.Duration) string { return i18n.Duration(d).Localize(a.lang) }
