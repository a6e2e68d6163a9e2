package dashboard

import (
	"net/http"

	"github.com/loa-ward/loa/i18n"
)

// privacyPage is the ward's privacy notice, for everyone: every consent
// prompt, welcome and paper form links it.
func (d *Dashboard) privacyPage(w http.ResponseWriter, r *http.Request) {
	lang := lang(w, r)
	n := d.cfg.Notice
	type data struct{ Sections any }
	d.write(w, r, http.StatusOK, "privacy", page{Lang: lang, Ward: d.cfg.Ward,
		Title: i18n.Pick(lang, "Thông báo xử lý dữ liệu cá nhân", "Privacy notice"), Data: data{n.Sections(lang)}})
}
