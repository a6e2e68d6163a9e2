// Package zalotest is a strict Zalo Official Account API server for tests
// and demos (`loa dev zalo-server`), built from reference/channel-apis.md §3
// because no Zalo emulator exists. It serves the OAuth v4 token endpoint
// (single-use, rotating refresh tokens; expires_in as a string; a reused
// refresh token gets -14014), the v3 message endpoints (cs, transaction,
// promotion) with Zalo's error envelope and codes (-216/-220 tokens, -230
// consultation outside 7 days, -213 not a follower, -234 promotion at night,
// -218 recipient quota, -32 above 4000 requests a minute, -201/-210 bad
// fields), followers (getlist, detail), image upload and ZNS templates. It
// signs webhooks the way Zalo does and records every accepted message.
//
// Zalo answers errors with HTTP 200 and {"error":<negative>,"message":…};
// the emulator does the same.
package zalotest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Options configure the server.
type Options struct {
	AppID, AppSecret, OASecret string
	Now                        func() time.Time
	// PromotionsPerUserDay caps promotion messages a follower receives a day
	// (-218 beyond it); 0 means no cap.
	PromotionsPerUserDay int
	PerMinute            int // API calls a minute before -32; default 4000
}

// User is a Zalo user as the OA sees them.
type User struct {
	ID              string
	Name            string
	Follower        bool
	LastInteraction time.Time
	Phone           string // for ZNS, "84…"
}

// Sent is one message the server accepted.
type Sent struct {
	Kind      string // cs, transaction, promotion, zns
	UserID    string
	Phone     string
	Text      string
	MessageID string
	At        time.Time
}

type token struct {
	expires time.Time
	used    bool
}

// Server is the emulated OA.
type Server struct {
	opts Options

	mu        sync.Mutex
	users     map[string]*User
	order     []string
	access    map[string]time.Time // access token → expiry
	refresh   map[string]*token
	codes     map[string]bool
	sent      []Sent
	promoDay  map[string]int // user/day → promotions
	minute    time.Time
	calls     int
	templates map[string]bool
	faults    []int // error codes to answer next; 502 answers an HTML page
	total     int   // API calls ever
	reuse     int   // refreshes with a refresh token already spent
	every32   int   // answer every n-th call -32 (Zalo's limiter is not only per minute); 0: never
}

// New returns a server; use IssueTokens or a code to start the chain.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PerMinute == 0 {
		opts.PerMinute = 4000
	}
	return &Server{opts: opts, users: map[string]*User{}, access: map[string]time.Time{}, refresh: map[string]*token{},
		codes: map[string]bool{}, promoDay: map[string]int{}, templates: map[string]bool{}}
}

var vn = time.FixedZone("ICT", 7*3600)

// AddUser adds a user.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := u
	s.users[u.ID] = &cp
	s.order = append(s.order, u.ID)
}

// SetPromotionsPerUserDay changes the daily promotion cap per follower.
func (s *Server) SetPromotionsPerUserDay(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.PromotionsPerUserDay = n
}

// Calls counts the API calls made (tokens apart).
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// RefreshReuse counts refreshes that came with a refresh token already
// spent: each one breaks the chain.
func (s *Server) RefreshReuse() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reuse
}

// Fail32Every makes every n-th API call answer -32, as Zalo's limiter does
// now and then below its published rate; 0 stops it.
func (s *Server) Fail32Every(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.every32 = n
}

// SetPerMinute changes how many calls a minute the OA may make before -32.
func (s *Server) SetPerMinute(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.PerMinute = n
}

// Interact makes user id write to the OA at at (consultation messages may
// follow for 7 days).
func (s *Server) Interact(id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id].LastInteraction = at
}

// SetFollower changes whether a user follows the OA.
func (s *Server) SetFollower(id string, follows bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id].Follower = follows
}

// AddTemplate approves a ZNS template.
func (s *Server) AddTemplate(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.templates[id] = true
}

// IssueTokens starts a token chain, as after the OA admin granted access,
// and returns the access and refresh tokens.
func (s *Server) IssueTokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

// IssueCode returns an authorization code (single use, 10 minutes).
func (s *Server) IssueCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := random()
	s.codes[c] = true
	return c
}

// ExpireAccessTokens makes every access token expired (-220 next time).
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = time.Time{}
	}
}

// RevokeRefreshTokens makes every refresh token invalid (re-authorization needed).
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.refresh {
		t.used = true
	}
}

// Fail makes the next message calls answer these error codes, in order;
// 502 answers an HTML error page with HTTP status 502 instead.
func (s *Server) Fail(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, codes...)
}

// Sent returns the accepted messages.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

func (s *Server) issue() (string, string) {
	a, r := random(), random()
	now := s.opts.Now()
	s.access[a] = now.Add(25 * time.Hour)
	s.refresh[r] = &token{expires: now.AddDate(0, 3, 0)}
	return a, r
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Handler serves the OAuth, OA and ZNS hosts on one mux.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v4/oa/access_token", s.token)
	mux.HandleFunc("POST /v3.0/oa/message/{kind}", s.message)
	mux.HandleFunc("GET /v3.0/oa/user/getlist", s.getlist)
	mux.HandleFunc("GET /v3.0/oa/user/detail", s.detail)
	mux.HandleFunc("POST /v3.0/oa/upload/image", s.upload)
	mux.HandleFunc("POST /message/template", s.zns)
	mux.HandleFunc("GET /v2.0/oa/getoa", s.getoa)
	return mux
}

// Transport serves the emulator in memory (for testing/synctest).
func (s *Server) Transport() http.RoundTripper { return memTransport{s.Handler()} }

type memTransport struct{ h http.Handler }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The request is written once the server has it, as net/http's
	// transport reports it through httptrace.
	if trace := httptrace.ContextClientTrace(req.Context()); trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{})
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, msg string) {
	reply(w, map[string]any{"error": code, "message": msg})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("secret_key") != s.opts.AppSecret {
		reply(w, map[string]any{"error": -14002, "error_name": "Invalid secret key", "error_description": "secret_key is invalid"})
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("app_id") != s.opts.AppID {
		reply(w, map[string]any{"error": -14001, "error_name": "Invalid parameter", "error_description": "app_id is invalid"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
		t, ok := s.refresh[r.PostForm.Get("refresh_token")]
		if ok && t.used {
			s.reuse++ // a spent refresh token again: Zalo may flag the OA
		}
		if !ok || t.used || s.opts.Now().After(t.expires) {
			reply(w, map[string]any{"error": -14014, "error_name": "Invalid refresh token", "error_description": "refresh_token is invalid"})
			return
		}
		t.used = true // single use: the chain moves on
	case "authorization_code":
		code := r.PostForm.Get("code")
		if !s.codes[code] || r.PostForm.Get("code_verifier") == "" {
			reply(w, map[string]any{"error": -14019, "error_name": "Invalid authorization code", "error_description": "code is invalid"})
			return
		}
		delete(s.codes, code)
	default:
		reply(w, map[string]any{"error": -14001, "error_name": "Invalid parameter", "error_description": "grant_type is invalid"})
		return
	}
	a, rt := s.issue()
	reply(w, map[string]any{"access_token": a, "refresh_token": rt, "expires_in": "90000"})
}

// authorize checks the access_token header and the per-minute limit.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	now := s.opts.Now()
	exp, ok := s.access[r.Header.Get("access_token")]
	switch {
	case !ok:
		fail(w, -216, "Access token is invalid")
		return false
	case now.After(exp):
		fail(w, -220, "Access token is expired or removed")
		return false
	}
	if m := now.Truncate(time.Minute); !m.Equal(s.minute) {
		s.minute, s.calls = m, 0
	}
	s.calls++
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(s.opts.PerMinute))
	w.Header().Set("X-RateLimit-Remain", strconv.Itoa(max(0, s.opts.PerMinute-s.calls)))
	s.total++
	if s.every32 > 0 && s.total%s.every32 == 0 {
		fail(w, -32, "Your OA reached limit call api")
		return false
	}
	if s.calls > s.opts.PerMinute {
		fail(w, -32, "Your OA reached limit call api")
		return false
	}
	return true
}

type messageBody struct {
	Recipient struct {
		UserID string `json:"user_id"`
	} `json:"recipient"`
	Message struct {
		Text       string `json:"text"`
		Attachment *struct {
			Type    string `json:"type"`
			Payload struct {
				TemplateType string `json:"template_type"`
				Elements     []struct {
					Type    string `json:"type"`
					Content string `json:"content"`
				} `json:"elements"`
			} `json:"payload"`
		} `json:"attachment"`
	} `json:"message"`
}

func (s *Server) message(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, r) {
		return
	}
	kind := r.PathValue("kind")
	if kind != "cs" && kind != "transaction" && kind != "promotion" {
		fail(w, -233, "Message type is invalid or not support")
		return
	}
	if len(s.faults) > 0 {
		code := s.faults[0]
		s.faults = s.faults[1:]
		if code == 502 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
			return
		}
		fail(w, code, fmt.Sprintf("injected error %d", code))
		return
	}
	var b messageBody
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&b); err != nil {
		fail(w, -201, "body is invalid!")
		return
	}
	u, ok := s.users[b.Recipient.UserID]
	if b.Recipient.UserID == "" || !ok {
		fail(w, -201, "user_id is invalid!")
		return
	}
	text := b.Message.Text
	if a := b.Message.Attachment; a != nil {
		if a.Type != "template" || a.Payload.TemplateType != kind && kind != "cs" {
			fail(w, -201, "attachment is invalid!")
			return
		}
		var parts []string
		for _, e := range a.Payload.Elements {
			if e.Type == "header" && utf8.RuneCountInString(e.Content) > 100 {
				fail(w, -210, "Parameter exceeds allowable limit")
				return
			}
			parts = append(parts, e.Content)
		}
		text = strings.Join(parts, "\n")
	}
	if strings.TrimSpace(text) == "" {
		fail(w, -201, "message is invalid!")
		return
	}
	if utf8.RuneCountInString(text) > 2000 {
		fail(w, -210, "Parameter exceeds allowable limit")
		return
	}
	now := s.opts.Now()
	switch kind {
	case "cs":
		if now.Sub(u.LastInteraction) > 7*24*time.Hour {
			fail(w, -230, "User has not interacted with the OA in the past 7 days")
			return
		}
	case "promotion":
		if !u.Follower {
			fail(w, -213, "User has not followed OA")
			return
		}
		if h := now.In(vn).Hour(); h >= 22 || h < 6 {
			fail(w, -234, "This message cannot be sent at night (10:00PM - 6:00AM)")
			return
		}
		day := u.ID + now.In(vn).Format("2006-01-02")
		if s.opts.PromotionsPerUserDay > 0 && s.promoDay[day] >= s.opts.PromotionsPerUserDay {
			fail(w, -218, "Out of quota receive")
			return
		}
		s.promoDay[day]++
	}
	id := random()[:20]
	s.sent = append(s.sent, Sent{Kind: kind, UserID: u.ID, Text: text, MessageID: id, At: now})
	reply(w, map[string]any{"error": 0, "message": "Success", "data": map[string]any{
		"message_id": id, "user_id": u.ID, "sent_time": strconv.FormatInt(now.UnixMilli(), 10)}})
}

func (s *Server) getlist(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, r) {
		return
	}
	var q struct {
		Offset int `json:"offset"`
		Count  int `json:"count"`
	}
	if err := json.Unmarshal([]byte(r.URL.Query().Get("data")), &q); err != nil || q.Count < 1 || q.Count > 50 || q.Offset < 0 {
		fail(w, -201, "count is invalid!")
		return
	}
	var followers []map[string]string
	for _, id := range s.order {
		if s.users[id].Follower {
			followers = append(followers, map[string]string{"user_id": id})
		}
	}
	page := followers[min(q.Offset, len(followers)):min(q.Offset+q.Count, len(followers))]
	if page == nil {
		page = []map[string]string{}
	}
	reply(w, map[string]any{"error": 0, "message": "Success", "data": map[string]any{
		"total": len(followers), "count": len(page), "offset": q.Offset, "users": page}})
}

func (s *Server) detail(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, r) {
		return
	}
	var q struct {
		UserID string `json:"user_id"`
	}
	json.Unmarshal([]byte(r.URL.Query().Get("data")), &q)
	u, ok := s.users[q.UserID]
	if !ok {
		fail(w, -201, "user_id is invalid!")
		return
	}
	if !u.Follower {
		fail(w, -213, "User has not followed OA")
		return
	}
	last := ""
	if !u.LastInteraction.IsZero() {
		last = u.LastInteraction.In(vn).Format("02/01/2006")
	}
	reply(w, map[string]any{"error": 0, "message": "Success", "data": map[string]any{
		"user_id": u.ID, "display_name": u.Name, "user_is_follower": u.Follower, "user_last_interaction_date": last}})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, r) {
		return
	}
	if err := r.ParseMultipartForm(10 << 20); err != nil || r.MultipartForm.File["file"] == nil {
		fail(w, -201, "file is invalid!")
		return
	}
	reply(w, map[string]any{"error": 0, "message": "Success", "data": map[string]any{"attachment_id": random()[:16]}})
}

func (s *Server) zns(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.access[r.Header.Get("access_token")]; !ok {
		fail(w, -124, "Access token is invalid")
		return
	}
	s.total++
	if len(s.faults) > 0 { // injected, as for OA messages (-144: the OA's ZNS quota for the day)
		code := s.faults[0]
		s.faults = s.faults[1:]
		fail(w, code, fmt.Sprintf("injected error %d", code))
		return
	}
	var b struct {
		Phone      string            `json:"phone"`
		TemplateID string            `json:"template_id"`
		Data       map[string]string `json:"template_data"`
		TrackingID string            `json:"tracking_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		fail(w, -100, "Invalid parameter")
		return
	}
	if !strings.HasPrefix(b.Phone, "84") || len(b.Phone) < 10 || strings.Trim(b.Phone, "0123456789") != "" {
		fail(w, -108, "Phone number is invalid")
		return
	}
	if !s.templates[b.TemplateID] {
		fail(w, -109, "Template ID is invalid")
		return
	}
	id := random()[:20]
	s.sent = append(s.sent, Sent{Kind: "zns", Phone: b.Phone, Text: fmt.Sprint(b.Data), MessageID: id, At: s.opts.Now()})
	reply(w, map[string]any{"error": 0, "message": "Success", "data": map[string]any{"msg_id": id, "sent_time": strconv.FormatInt(s.opts.Now().UnixMilli(), 10)}})
}

func (s *Server) getoa(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, r) {
		return
	}
	reply(w, map[string]any{"error": 0, "message": "Success", "data": map[string]any{"oa_id": "2960000000000000001", "name": "UBND phường Lưu Kiếm"}})
}

// Event builds a webhook body and its signature headers, as Zalo sends
// them: X-ZEvent-Signature "mac=" + hex(sha256(app_id + body + timestamp + OA secret)).
func (s *Server) Event(name string, fields map[string]any, at time.Time) (body []byte, header http.Header) {
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	ev := map[string]any{"event_name": name, "app_id": s.opts.AppID, "timestamp": ts}
	for k, v := range fields {
		ev[k] = v
	}
	body, _ = json.Marshal(ev)
	sum := sha256.Sum256([]byte(s.opts.AppID + string(body) + ts + s.opts.OASecret))
	header = http.Header{}
	header.Set("X-ZEvent-Signature", "mac="+hex.EncodeToString(sum[:]))
	header.Set("Content-Type", "application/json")
	return body, header
}
