// Package dashboard is the ward office's desk in a browser: sign-in, the
// day's work, the calendar, campaigns, the editor with live previews, the
// leader's approval, runs and their ledger, and tasks. It is server-rendered
// html/template with htmx (vendored from the npm registry, embedded), and
// calls only the services: every rule a page obeys is the one the CLI and
// the staff bot obey.
package dashboard

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/loa-ward/loa/accounts"
	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/loudspeaker"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the dashboard works with.
type Config struct {
	Accounts  *accounts.Directory
	Desk      *editorial.Desk
	Office    *office.Office
	Speech    *speech.Normalizer // the radio preview's spoken text
	Residents *residents.Registry
	// ImageDir is where uploaded pictures are kept (and backed up with the
	// data folder).
	ImageDir string
	// Synth reads radio scripts aloud (espeak-ng) into AudioDir at Pace;
	// without espeak-ng the editor has no play button.
	Synth    speech.Synth
	AudioDir string
	Pace     int
	Radio    *loudspeaker.Radio
	// Settings is the effective configuration, secrets redacted.
	Settings func() [][2]string
	// ZaloBegin and ZaloFinish re-authorize the OA (nil without Zalo).
	ZaloBegin  func(ctx context.Context, redirect string) (string, error)
	ZaloFinish func(ctx context.Context, code string) error
	PublicURL  string // http.public_url
	// Backup writes a checked backup of the database now and returns its path.
	Backup func(ctx context.Context, actor staff.Actor) (string, error)
	Ward   string
	// Secure marks the session cookie for HTTPS only (http.public_url is https).
	Secure bool
	// Problems are the daemon's current troubles (a channel down, Zalo
	// needing re-authorization), for the Today page; nil for none.
	Problems func(ctx context.Context) []i18n.Text
	Log      *slog.Logger
	// Links opens the task pages (/t/…) and issues links for the day sheet.
	Links *field.Links
	// Notices are the notices people got, for their Today page.
	Notices *notify.Router
	// Activities are the ward's sessions, documents, materials and articles.
	Activities *activities.Registry
	// Notice is the privacy notice served at /privacy.
	Notice privacy.Notice
}

// Dashboard serves the pages.
type Dashboard struct {
	cfg      Config
	pages    map[string]*template.Template
	speaking chan struct{} // one synthesis at a time
}

// The cookies.
const (
	sessionCookie = "loa_session"
	langCookie    = "loa_lang"
)

// New parses the templates.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	d := &Dashboard{cfg: cfg, pages: map[string]*template.Template{}, speaking: make(chan struct{}, 1)}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		page := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if page == "layout" || strings.HasPrefix(page, "_") {
			continue
		}
		t, err := template.New(page).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", name)
		if err != nil {
			return nil, err
		}
		d.pages[page] = t
	}
	return d, nil
}

// Handler serves the dashboard. Every request that changes something must
// come from the dashboard's own pages (http.CrossOriginProtection).
func (d *Dashboard) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(24*time.Hour, http.FileServerFS(static))))
	mux.HandleFunc("GET /login", d.loginPage)
	mux.HandleFunc("POST /login", d.login)
	mux.HandleFunc("GET /{$}", d.signedIn(d.today))
	mux.HandleFunc("GET /calendar", d.signedIn(d.calendar))
	mux.HandleFunc("GET /campaigns/{obs}/{year}", d.signedIn(d.campaign))
	mux.HandleFunc("GET /messages/new", d.signedIn(d.editor))
	mux.HandleFunc("GET /messages/{id}", d.signedIn(d.message))
	mux.HandleFunc("GET /messages/{id}/edit", d.signedIn(d.editor))
	mux.HandleFunc("GET /messages/{id}/slip", d.signedIn(d.slip))
	mux.HandleFunc("GET /approvals", d.signedIn(d.approvals))
	mux.HandleFunc("GET /runs", d.signedIn(d.runs))
	mux.HandleFunc("GET /runs/{id}", d.signedIn(d.run))
	mux.HandleFunc("GET /tasks", d.signedIn(d.tasks))
	mux.HandleFunc("GET /residents", d.signedIn(d.residents))
	mux.HandleFunc("GET /residents/form", d.signedIn(d.signUpForm))
	mux.HandleFunc("GET /downloads", d.signedIn(d.downloads))
	mux.HandleFunc("GET /downloads/radio", d.signedIn(d.radioSheet))
	mux.HandleFunc("GET /downloads/radio/files/{day}/{name}", d.signedIn(d.radioFileServe))
	mux.HandleFunc("GET /downloads/banners/{obs}/{year}/{format}", d.signedIn(d.bannerList))
	mux.HandleFunc("GET /downloads/report/{year}/{format}", d.signedIn(d.yearReport))
	mux.HandleFunc("GET /settings", d.signedIn(d.admin(d.settings)))
	mux.HandleFunc("GET /images/{name}", d.signedIn(d.image))
	mux.HandleFunc("GET /audio/{name}", d.signedIn(d.audio))
	mux.HandleFunc("GET /zalo/callback", d.signedIn(d.admin(d.zaloCallback)))
	mux.HandleFunc("GET /photos/{id}", d.signedIn(d.photo))
	mux.HandleFunc("GET /activities", d.signedIn(d.activitiesPage))
	mux.HandleFunc("GET /reports", d.signedIn(d.reports))
	mux.HandleFunc("GET /reports/file", d.signedIn(d.reportFile))
	mux.HandleFunc("GET /activities/files/{id}", d.signedIn(d.activityFile))
	// The task pages: the link's token is their only key (see field.go).
	mux.HandleFunc("GET /privacy", d.privacyPage)
	mux.HandleFunc("GET /t/{token}", d.taskPage)
	mux.HandleFunc("POST /t/{token}", d.taskConfirm)
	mux.HandleFunc("GET /t/{token}/image", d.taskImage)
	mux.HandleFunc("GET /t/{token}/audio", d.taskAudio)
	changes := map[string]func(*request){
		"POST /logout":                         d.logout,
		"POST /preview":                        d.preview,
		"POST /messages":                       d.save,
		"POST /messages/{id}/{action}":         d.transition,
		"POST /runs/{id}/resend":               d.resend,
		"POST /tasks/{id}":                     d.confirm,
		"POST /tasks/{id}/revoke":              d.revokeLinks,
		"POST /tasks/sheet":                    d.daySheet,
		"POST /activities":                     d.addActivity,
		"POST /activities/import":              d.importActivities,
		"POST /activities/{id}/files":          d.attachActivityFile,
		"POST /activities/{id}/remove":         d.removeActivity,
		"POST /reports":                        d.saveReport,
		"POST /schedules/preview":              d.schedulePreview,
		"POST /schedules":                      d.addSchedule,
		"POST /schedules/{id}/remove":          d.removeSchedule,
		"POST /residents/forget":               d.forget,
		"POST /residents/requests":             d.receiveRequest,
		"POST /residents/requests/{id}/done":   d.finishRequest,
		"POST /settings/backup":                d.admin(d.backup),
		"POST /uploads/image":                  d.uploadImage,
		"POST /speak":                          d.speak,
		"POST /downloads/radio/audio":          d.radioAudio,
		"POST /settings/users":                 d.addUser,
		"POST /settings/zalo/auth":             d.admin(d.zaloAuthorize),
		"POST /settings/users/{name}/{action}": d.changeUser,
	}
	for _, pattern := range Changes {
		h, ok := changes[pattern]
		if !ok {
			panic("dashboard: no handler for " + pattern)
		}
		mux.HandleFunc(pattern, d.signedIn(h))
	}
	return headers(http.NewCrossOriginProtection().Handler(mux))
}

// Changes are the routes that change something (besides POST /login):
// each is refused to a role that may not, which the tests check one by one.
var Changes = []string{"POST /logout", "POST /preview", "POST /messages", "POST /messages/{id}/{action}", "POST /runs/{id}/resend", "POST /tasks/{id}",
	"POST /tasks/{id}/revoke", "POST /tasks/sheet", "POST /activities", "POST /activities/import", "POST /activities/{id}/files", "POST /activities/{id}/remove", "POST /reports",
	"POST /schedules/preview", "POST /schedules", "POST /schedules/{id}/remove", "POST /residents/forget", "POST /residents/requests", "POST /residents/requests/{id}/done", "POST /settings/backup", "POST /uploads/image", "POST /speak",
	"POST /settings/users", "POST /settings/users/{name}/{action}", "POST /settings/zalo/auth", "POST /downloads/radio/audio"}

// headers sets what every page sends: no framing, no sniffing, scripts and
// styles only from Loa itself.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+itoa(int(d.Seconds())))
		next.ServeHTTP(w, r)
	})
}

// request is one signed-in request: who, in which language.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	user staff.User
	lang string
}

func (q *request) actor() staff.Actor   { return q.user.As(staff.Web) }
func (q *request) ctx() context.Context { return q.r.Context() }

// lang is the page language: ?lang= (remembered in a cookie), the cookie,
// else Vietnamese.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Valid(l) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && i18n.Valid(c.Value) {
		return c.Value
	}
	return i18n.Vietnamese
}

// signedIn runs h for a signed-in person; others go to the sign-in page
// (htmx requests get 401 and a redirect header).
func (d *Dashboard) signedIn(h func(*request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := &request{w: w, r: r, lang: lang(w, r)}
		var token string
		if c, err := r.Cookie(sessionCookie); err == nil {
			token = c.Value
		}
		u, err := d.cfg.Accounts.Resume(r.Context(), token)
		if err != nil {
			if !errors.Is(err, accounts.ErrSignedOut) {
				d.cfg.Log.Error("dashboard: resume session", "err", err)
			}
			next := "/login?next=" + url.QueryEscape(r.URL.RequestURI())
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", next)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			if r.Method != http.MethodGet {
				http.Error(w, i18n.Error(accounts.ErrSignedOut, q.lang), http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		q.user = u
		h(q)
	}
}

// page is what every page template gets.
type page struct {
	Lang  string
	Ward  string
	User  staff.User
	Title string
	Nav   string // the menu entry to mark
	Path  string // for the language switch
	Error string
	Data  any
}

// render writes page name with status.
func (d *Dashboard) render(q *request, status int, name, nav, title string, data any) {
	d.write(q.w, q.r, status, name, page{Lang: q.lang, Ward: d.cfg.Ward, User: q.user, Title: title, Nav: nav, Path: q.r.URL.Path, Data: data})
}

func (d *Dashboard) write(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := d.pages[name]
	if !ok {
		http.Error(w, "no page "+name, http.StatusInternalServerError)
		return
	}
	var buf strings.Builder
	tmpl := "layout"
	if r.Header.Get("HX-Request") == "true" && t.Lookup("fragment") != nil {
		tmpl = "fragment"
	}
	if t.Lookup("standalone") != nil { // a page of its own: a task page, a printed sheet
		tmpl = "standalone"
	}
	if err := t.ExecuteTemplate(&buf, tmpl, p); err != nil {
		d.cfg.Log.Error("dashboard: render", "page", name, "err", err)
		http.Error(w, "render error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(buf.String()))
}

// status is the HTTP status err deserves: 403 for what the role may not do,
// 404 for what is not there, 400 for what a person can fix, else 500.
func status(err error) int {
	var notYours *office.NotYoursError
	switch {
	case errors.Is(err, staff.ErrForbidden), errors.Is(err, editorial.ErrMayNotApprove), errors.Is(err, editorial.ErrOwnMessage),
		errors.Is(err, accounts.ErrMayNotManage), errors.As(err, &notYours):
		return http.StatusForbidden
	case errors.Is(err, office.ErrNoTask), errors.Is(err, office.ErrNoRun), errors.Is(err, activities.ErrNoActivity):
		return http.StatusNotFound
	}
	var l i18n.Localizer
	if errors.As(err, &l) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// fail shows err on an error page, in the person's language; a failure of
// Loa itself is logged and shown without its details.
func (d *Dashboard) fail(q *request, err error) {
	code := status(err)
	msg := i18n.Error(err, q.lang)
	if code == http.StatusInternalServerError {
		d.cfg.Log.Error("dashboard", "path", q.r.URL.Path, "err", err)
		msg = word(q.lang, "server_error")
	}
	if q.r.Header.Get("HX-Request") == "true" {
		q.w.Header().Set("HX-Retarget", "#flash")
		q.w.Header().Set("HX-Reswap", "innerHTML")
	}
	d.write(q.w, q.r, code, "error", page{Lang: q.lang, Ward: d.cfg.Ward, User: q.user, Title: word(q.lang, "error"), Path: q.r.URL.Path, Error: msg})
}

// clientAddress is the request's remote address without the port. Behind
// a reverse proxy on this machine (Caddy, packaging/Caddyfile) it is the
// address the proxy names in X-Real-IP: sign-ins are limited per phone,
// not for the whole ward at once. Another machine's header is not believed.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if real := net.ParseIP(strings.TrimSpace(r.Header.Get("X-Real-IP"))); real != nil {
			return real.String()
		}
	}
	return host
}

// localPath is next when it is a path on this site, else "/".
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (d *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) {
	l := lang(w, r)
	d.write(w, r, http.StatusOK, "login", page{Lang: l, Ward: d.cfg.Ward, Title: word(l, "sign_in"), Path: "/login",
		Data: map[string]string{"Next": localPath(r.URL.Query().Get("next"))}})
}

func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	l := lang(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	name, password, next := r.PostFormValue("name"), r.PostFormValue("password"), localPath(r.PostFormValue("next"))
	s, err := d.cfg.Accounts.Login(r.Context(), name, password, clientAddress(r))
	if err != nil {
		code := http.StatusUnauthorized
		var tm *accounts.TooManyError
		if errors.As(err, &tm) {
			code = http.StatusTooManyRequests
			w.Header().Set("Retry-After", itoa(int(tm.Wait.Seconds())+1))
		} else if !errors.Is(err, accounts.ErrBadLogin) {
			d.cfg.Log.Error("dashboard: login", "err", err)
			err = errors.New(word(l, "server_error"))
		}
		d.write(w, r, code, "login", page{Lang: l, Ward: d.cfg.Ward, Title: word(l, "sign_in"), Path: "/login", Error: i18n.Error(err, l),
			Data: map[string]string{"Next": next, "Name": name}})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.Token, Path: "/", HttpOnly: true, Secure: d.cfg.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(d.cfg.Accounts.Max.Seconds())})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (d *Dashboard) logout(q *request) {
	if c, err := q.r.Cookie(sessionCookie); err == nil {
		_ = d.cfg.Accounts.Logout(q.ctx(), c.Value)
	}
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: d.cfg.Secure, MaxAge: -1})
	http.Redirect(q.w, q.r, "/login", http.StatusSeeOther)
}
