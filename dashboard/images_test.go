package dashboard_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func pngOf(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

// upload posts a file as the editor's picture field does.
func (c *client) upload(name string, data []byte) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/uploads/image", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.base)
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

func TestPicturesAreCheckedKeptAndShown(t *testing.T) {
	w := newWard(t)
	c := w.client("canbo")
	for _, bad := range []struct {
		name string
		data []byte
		want string
	}{
		{"thu.txt", []byte("không phải ảnh"), "JPG hoặc PNG"},
		{"dai.png", pngOf(2100, 100), "tỉ lệ tối đa 20:1"},
		{"to.png", pngOf(9000, 1500), "tối đa 10000 điểm ảnh"},
		{"hong.png", pngOf(10, 10)[:40], "bị hỏng"},
	} {
		res, body := c.upload(bad.name, bad.data)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, bad.want) {
			t.Errorf("%s: %d %s", bad.name, res.StatusCode, body)
		}
	}
	res, body := c.upload("anh.png", pngOf(800, 600))
	path := regexp.MustCompile(`name="image" value="([^"]+)"`).FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || path == nil || !strings.Contains(body, `<img class="thumb" src="/images/`) {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	src := regexp.MustCompile(`src="(/images/[^"]+)"`).FindStringSubmatch(body)[1]
	if res, _ := c.get(src); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("the kept picture: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := w.client("").get(src); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a picture without signing in: %d", res.StatusCode)
	}
	// The draft carries it, and its preview shows it.
	form := url.Values{"campaign": {"action-month/2026"}, "key": {"co-anh"}, "title": {"Có ảnh"}, "telegram": {"Chú thích ảnh"}, "image": {path[1]}}
	_, body = c.postBody("/preview", form, map[string]string{"Origin": c.base, "HX-Request": "true"})
	if !strings.Contains(body, `<figure class="pv-image"><img src="`+src) {
		t.Errorf("preview without the picture:\n%s", body)
	}
	if res := c.post("/messages", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if m := w.message("action-month/2026/co-anh"); m.Image != path[1] {
		t.Errorf("image %q", m.Image)
	}
}
