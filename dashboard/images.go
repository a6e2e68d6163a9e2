package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	_ "image/jpeg" // decoders for the checks below
	_ "image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

// maxImage is the largest picture accepted: under Telegram's 10 MB for a
// photo, with room to spare for Zalo's upload (whose limit is not
// documented; see the reference's UNCERTAIN notes).
const maxImage = 5 << 20

var imageName = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png)$`)

// checkImage reports what is wrong with b as a message's picture: a JPEG
// or PNG that Telegram accepts as a photo (width + height ≤ 10000, sides
// at most 20 to 1).
func checkImage(b []byte) (ext string, err error) {
	switch http.DetectContentType(b) {
	case "image/jpeg":
		ext = "jpg"
	case "image/png":
		ext = "png"
	default:
		return "", i18n.Errorf("ảnh phải là JPG hoặc PNG", "the picture must be a JPG or PNG")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", i18n.Errorf("không đọc được ảnh: tệp bị hỏng", "the picture cannot be read: the file is damaged")
	}
	w, h := cfg.Width, cfg.Height
	switch {
	case w+h > 10000:
		return "", i18n.Errorf("ảnh quá lớn (%d×%d): chiều rộng cộng chiều cao tối đa 10000 điểm ảnh", "the picture is too big (%d×%d): width plus height at most 10000 pixels", w, h)
	case w == 0 || h == 0 || w > 20*h || h > 20*w:
		return "", i18n.Errorf("ảnh quá dài hoặc quá hẹp (%d×%d): tỉ lệ tối đa 20:1", "the picture is too long or narrow (%d×%d): at most 20 to 1", w, h)
	}
	// The whole picture must decode (a cut-off upload has a good header);
	// the size checks above bound what decoding takes.
	if _, _, err := image.Decode(bytes.NewReader(b)); err != nil {
		return "", i18n.Errorf("không đọc được ảnh: tệp bị hỏng", "the picture cannot be read: the file is damaged")
	}
	return ext, nil
}

type uploadData struct {
	Lang  string
	Path  string // where Loa keeps it: the message's image field
	URL   string
	Error string
}

// uploadImage keeps a picture for a message in Loa's images folder, named
// by its content, and answers the editor with its field and a thumbnail.
func (d *Dashboard) uploadImage(q *request) {
	if !q.actor().MayDraft() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	data := uploadData{Lang: q.lang}
	show := func(status int) {
		d.write(q.w, q.r, status, "upload", page{Lang: q.lang, Data: data})
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, maxImage+64<<10)
	f, _, err := q.r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			data.Error = i18n.Sprintf(q.lang, "ảnh lớn hơn %d MB", "the picture is over %d MB", maxImage>>20)
		} else {
			data.Error = i18n.Sprintf(q.lang, "chưa chọn ảnh", "no picture chosen")
		}
		show(http.StatusBadRequest)
		return
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxImage+1))
	if err != nil || len(b) > maxImage {
		data.Error = i18n.Sprintf(q.lang, "ảnh lớn hơn %d MB", "the picture is over %d MB", maxImage>>20)
		show(http.StatusBadRequest)
		return
	}
	ext, err := checkImage(b)
	if err != nil {
		data.Error = i18n.Error(err, q.lang)
		show(http.StatusBadRequest)
		return
	}
	sum := sha256.Sum256(b)
	name := hex.EncodeToString(sum[:]) + "." + ext
	path := filepath.Join(d.cfg.ImageDir, name)
	if err := writeOnce(path, b); err != nil {
		d.fail(q, err)
		return
	}
	data.Path, data.URL = path, "/images/"+name
	show(http.StatusOK)
}

// writeOnce writes b to path unless it is there already (same content,
// same name), through a temporary file so a half-written picture never
// has the name.
func writeOnce(path string, b []byte) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// image serves a kept picture to signed-in staff.
func (d *Dashboard) image(q *request) { serveKept(q, d.cfg.ImageDir, imageName, "", 24*time.Hour) }

// serveKept serves file {name} of dir when the name is one Loa gives
// (pattern), so no other file can be asked for.
func serveKept(q *request, dir string, pattern *regexp.Regexp, typ string, cache time.Duration) {
	name := q.r.PathValue("name")
	if !pattern.MatchString(name) {
		http.NotFound(q.w, q.r)
		return
	}
	if typ != "" {
		q.w.Header().Set("Content-Type", typ)
	}
	q.w.Header().Set("Cache-Control", "private, max-age="+itoa(int(cache.Seconds())))
	http.ServeFile(q.w, q.r, filepath.Join(dir, name))
}

// imageURL is where the dashboard shows a message's picture: only one kept
// in the images folder has one.
func (d *Dashboard) imageURL(path string) string {
	if d.cfg.ImageDir == "" || filepath.Dir(path) != filepath.Clean(d.cfg.ImageDir) || !imageName.MatchString(filepath.Base(path)) {
		return ""
	}
	return "/images/" + filepath.Base(path)
}
