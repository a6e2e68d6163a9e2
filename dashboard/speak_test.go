package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/loa-ward/loa/speech"
)

func TestListenToTheRadioScript(t *testing.T) {
	if speech.FindSynth().Espeak == "" {
		t.Skip("espeak-ng is not installed (CI installs it)")
	}
	w := newWard(t)
	c := w.client("canbo")
	form := url.Values{"campaign": {"action-month/2026"}, "key": {"loa"}, "title": {"Loa"}, "loudspeaker": {"Kính thưa bà con, hãy gọi 111."}}
	if _, body := c.postBody("/preview", form, map[string]string{"Origin": c.base, "HX-Request": "true"}); !strings.Contains(body, `hx-post="/speak"`) {
		t.Fatalf("no play button:\n%s", body)
	}
	res, body := c.postBody("/speak", form, map[string]string{"Origin": c.base, "HX-Request": "true"})
	m := regexp.MustCompile(`<audio controls autoplay src="(/audio/[0-9a-f]{64}\.wav)">`).FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("speak: %d %s", res.StatusCode, body)
	}
	res, wav := c.get(m[1])
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(wav, "RIFF") || len(wav) < 10000 {
		t.Errorf("audio: %d %s %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(wav))
	}
	// A saved message is heard from its page.
	id := w.message("action-month/2026/phat-dong").ID
	if _, body := c.get(fmt.Sprintf("/messages/%d", id)); !strings.Contains(body, fmt.Sprintf(`hx-post="/speak?message=%d"`, id)) {
		t.Error("no play button on the message page")
	}
	if res, body := c.postBody(fmt.Sprintf("/speak?message=%d", id), nil, map[string]string{"Origin": c.base, "HX-Request": "true"}); res.StatusCode != http.StatusOK || !strings.Contains(body, "<audio") {
		t.Errorf("speak a message: %d %s", res.StatusCode, body)
	}
	// Without a script there is nothing to hear.
	form.Set("loudspeaker", "")
	if res, body := c.postBody("/speak", form, map[string]string{"Origin": c.base, "HX-Request": "true"}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "chưa có kịch bản loa") {
		t.Errorf("no script: %d %s", res.StatusCode, body)
	}
}
