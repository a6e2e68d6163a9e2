package dashboard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

var audioName = regexp.MustCompile(`^[0-9a-f]{64}\.wav$`)

type speakData struct {
	URL   string
	Error string
	Took  time.Duration
}

// speak makes the radio script audible as espeak-ng reads it: the editor's
// draft, or message ?message=N. The audio is cached by its spoken text.
func (d *Dashboard) speak(q *request) {
	if !q.actor().MayDraft() && !q.actor().MayApprove() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 256<<10)
	var text string
	if id := q.r.URL.Query().Get("message"); id != "" {
		p, err := d.cfg.Desk.Preview(q.ctx(), id, 0, false)
		if err != nil {
			d.fail(q, err)
			return
		}
		text = variant(p.Variants, content.Loudspeaker)
	} else {
		ref, dr := draftForm(q.r)
		p, err := d.cfg.Desk.PreviewDraft(q.ctx(), ref, dr)
		if err != nil {
			d.fail(q, err)
			return
		}
		text = variant(p.Variants, content.Loudspeaker)
	}
	data := speakData{}
	show := func(status int) { d.write(q.w, q.r, status, "speak", page{Lang: q.lang, Data: data}) }
	if text == "" {
		data.Error = i18n.Sprintf(q.lang, "chưa có kịch bản loa", "there is no loudspeaker script")
		show(http.StatusBadRequest)
		return
	}
	name, took, err := d.synthesize(q.ctx(), text)
	if err != nil {
		d.cfg.Log.Error("dashboard: synthesize", "err", err)
		data.Error = i18n.Sprintf(q.lang, "không tạo được âm thanh", "the audio could not be made")
		show(http.StatusInternalServerError)
		return
	}
	data.Took = took
	data.URL = "/audio/" + name
	show(http.StatusOK)
}

// synthesize reads a radio script aloud into the audio cache, once for
// each spoken text and pace, and returns the file's name and how long the
// synthesis took (0 when the file was there).
func (d *Dashboard) synthesize(ctx context.Context, text string) (string, time.Duration, error) {
	spoken := d.cfg.Speech.Text(text)
	sum := sha256.Sum256([]byte(strconv.Itoa(d.cfg.Pace) + "\n" + spoken))
	name := hex.EncodeToString(sum[:]) + ".wav"
	path := filepath.Join(d.cfg.AudioDir, name)
	if _, err := os.Stat(path); err == nil {
		return name, 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	d.speaking <- struct{}{} // one synthesis at a time: it takes a core
	start := time.Now()
	_, err := d.cfg.Synth.WAV(ctx, spoken, d.cfg.Pace, path+".part")
	<-d.speaking
	if err == nil {
		err = os.Rename(path+".part", path)
	}
	if err != nil {
		os.Remove(path + ".part")
		return "", 0, err
	}
	return name, time.Since(start), nil
}

func variant(vs []editorial.VariantPreview, ch content.Channel) string {
	for _, v := range vs {
		if v.Channel == ch {
			return v.Text
		}
	}
	return ""
}

// audio serves a synthesized script to signed-in staff.
func (d *Dashboard) audio(q *request) {
	serveKept(q, d.cfg.AudioDir, audioName, "audio/wav", time.Hour)
}
