// Package telegramtest is a strict Telegram Bot API server for tests and
// demos (`loa dev telegram-server`). It answers as the real server does
// (reference/channel-apis.md §1): HTTP status = error_code, the exact
// descriptions, a Retry-After header on 429, text length counted in code
// points after entity parsing, token buckets as the Bots FAQ describes (about
// 30 messages a second overall, 1 a second per chat, 20 a minute per group or
// channel), 403 for a user who never pressed Start, 409 for a second poller.
// It can inject faults (5xx, an HTML 502 page, slow answers, dropped
// connections, 429 storms) and records every accepted message.
//
// Serve it over HTTP with Handler, or in memory with Transport: a request in
// memory blocks on channels, so the server runs on testing/synctest's
// virtual clock (a socket would stop that clock).
//
// Not emulated: files are accepted but not stored, MarkdownV2 is checked
// only for unescaped reserved characters, and chats are what the test adds.
package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits are the server's token buckets; zero fields take the FAQ's values.
type Limits struct {
	PerSecond      float64 // all sends of the bot; default 30
	PaidPerSecond  float64 // with allow_paid_broadcast; default 1000
	PerChatSecond  float64 // one chat; default 1, burst 3
	PerGroupMinute float64 // one group, supergroup or channel; default 20
}

// Options configure a Server.
type Options struct {
	Token    string // the only token accepted
	Username string // the bot's username; default "loa_test_bot"
	Now      func() time.Time
	Limits   Limits
}

// FaultKind is a failure the server can inject.
type FaultKind int

// Injectable faults.
const (
	Fault500       FaultKind = iota + 1 // {"ok":false,"error_code":500,"description":"Internal Server Error: restart"}
	Fault502HTML                        // an nginx HTML page with status 502
	FaultSlow                           // answer normally after Delay
	FaultDrop                           // close the connection without answering (the message is not sent)
	Fault429                            // Too Many Requests with RetryAfter
	FaultDropAfter                      // send the message, then drop the connection: the client cannot know
	FaultRefuse                         // refuse the connection before the request is written (in memory; over HTTP it is FaultDrop)
)

// Fault makes the next Count requests (of Method, or any send when empty) fail.
type Fault struct {
	Kind       FaultKind
	Method     string
	Count      int
	Delay      time.Duration
	RetryAfter int
}

// Sent is one message the server accepted.
type Sent struct {
	Method    string
	ChatID    int64
	MessageID int64
	Text      string // visible text (or caption) after entity parsing
	Raw       string // as received
	ParseMode string
	Markup    string // reply_markup JSON
	Paid      bool
	At        time.Time
}

type chat struct {
	ID                         int64
	Type                       string // private, group, supergroup, channel
	Username, Title, FirstName string
	Lang                       string
	Started, Blocked           bool
	Deactivated, Kicked        bool
	MigratedTo                 int64
}

// Server is the emulated Bot API.
type Server struct {
	opts Options

	mu        sync.Mutex
	chats     map[int64]*chat
	usernames map[string]int64
	nextMsg   int64
	updates   []map[string]any
	nextUpd   int64
	notify    chan struct{} // closed and replaced when an update arrives
	poller    int64         // the current getUpdates call; an older one gets 409
	webhook   struct{ url, secret string }
	sent      []Sent
	answers   []string
	// markups are the inline keyboards of the messages the bot sent, by
	// message id, as they stand: a button can only be pressed while its
	// message shows it.
	markups  map[int64]msgMarkup
	faults   []Fault
	buckets  map[string]*bucket
	requests int
	// A 429 announces a wait: for the whole bot (its overall limit, or an
	// injected storm) or for one chat (its per-chat limit). A send that
	// comes before the wait is over is answered 429 again; it is a
	// violation when it comes later than the announcement (one sent at the
	// same instant was on its way before the client could know).
	floodUntil time.Time
	floodAt    time.Time
	chatFlood  map[int64]flood
	violations int
}

// New returns a server for opts.Token.
func New(opts Options) *Server {
	if opts.Username == "" {
		opts.Username = "loa_test_bot"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	l := &opts.Limits
	l.PerSecond = orDefault(l.PerSecond, 30)
	l.PaidPerSecond = orDefault(l.PaidPerSecond, 1000)
	l.PerChatSecond = orDefault(l.PerChatSecond, 1)
	l.PerGroupMinute = orDefault(l.PerGroupMinute, 20)
	return &Server{opts: opts, chats: map[int64]*chat{}, usernames: map[string]int64{}, nextMsg: 100, nextUpd: 1000,
		notify: make(chan struct{}), buckets: map[string]*bucket{}, chatFlood: map[int64]flood{}}
}

func orDefault(v, d float64) float64 {
	if v <= 0 {
		return d
	}
	return v
}

// ---- what a test does -------------------------------------------------------

// AddUser adds a person the bot may know; they have not pressed Start yet.
func (s *Server) AddUser(id int64, firstName, lang string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[id] = &chat{ID: id, Type: "private", FirstName: firstName, Lang: lang}
}

// AddGroup adds a group (type "group" or "supergroup").
func (s *Server) AddGroup(id int64, kind, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[id] = &chat{ID: id, Type: kind, Title: title}
}

// AddChannel adds a channel the bot may post to, by @username and id.
func (s *Server) AddChannel(id int64, username, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[id] = &chat{ID: id, Type: "channel", Username: username, Title: title}
	s.usernames[strings.ToLower(username)] = id
}

// Migrate upgrades group old to supergroup new.
func (s *Server) Migrate(old, new int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.chats[old]
	g.MigratedTo = new
	s.chats[new] = &chat{ID: new, Type: "supergroup", Title: g.Title}
}

// Started makes user id one who pressed Start long ago: the bot may write
// to them, and no update is pending.
func (s *Server) Started(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[id].Started = true
}

// Block makes user id block the bot.
func (s *Server) Block(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[id].Blocked = true
}

// Say makes user id send text to the bot ("/start" also marks them started).
func (s *Server) Say(id int64, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[id]
	if strings.HasPrefix(text, "/start") {
		c.Started, c.Blocked = true, false
	}
	s.nextMsg++
	s.push(map[string]any{"message": map[string]any{
		"message_id": s.nextMsg, "date": s.opts.Now().Unix(), "text": text,
		"from": s.user(c), "chat": s.chatJSON(c),
	}})
}

// Press makes user id press an inline button with data under message msgID.
// It panics when that message does not show the button (it was never
// sent, or the bot removed it): a person cannot press it, so the test is
// wrong.
func (s *Server) Press(id, msgID int64, data string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.markups[msgID]; !ok || !strings.Contains(m.markup, `"callback_data":"`+data+`"`) {
		panic(fmt.Sprintf("telegramtest: message %d shows no button %q (markup %q)", msgID, data, m.markup))
	}
	c := s.chats[id]
	s.push(map[string]any{"callback_query": map[string]any{
		"id": fmt.Sprintf("cb%d", s.nextUpd), "from": s.user(c), "data": data, "chat_instance": "1",
		"message": map[string]any{"message_id": msgID, "date": s.opts.Now().Unix(), "chat": s.chatJSON(c), "text": ""},
	}})
}

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Count <= 0 {
		f.Count = 1
	}
	s.faults = append(s.faults, f)
}

// Sent returns every accepted message in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// CallbackAnswers returns the texts of answerCallbackQuery calls.
func (s *Server) CallbackAnswers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.answers...)
}

// Requests counts the requests the server received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// IsStarted reports whether user id pressed Start and has not blocked the bot.
func (s *Server) IsStarted(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[id]
	return c != nil && c.Started && !c.Blocked
}

func (s *Server) push(u map[string]any) {
	u["update_id"] = s.nextUpd
	s.nextUpd++
	s.updates = append(s.updates, u)
	close(s.notify)
	s.notify = make(chan struct{})
}

func (s *Server) user(c *chat) map[string]any {
	u := map[string]any{"id": c.ID, "is_bot": false, "first_name": c.FirstName}
	if c.Lang != "" {
		u["language_code"] = c.Lang
	}
	return u
}

func (s *Server) chatJSON(c *chat) map[string]any {
	m := map[string]any{"id": c.ID, "type": c.Type}
	if c.Title != "" {
		m["title"] = c.Title
	}
	if c.Username != "" {
		m["username"] = strings.TrimPrefix(c.Username, "@")
	}
	if c.FirstName != "" {
		m["first_name"] = c.FirstName
	}
	return m
}

// ---- HTTP ---------------------------------------------------------------------

// Handler serves the Bot API at /bot<token>/<method>.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Transport is an http.RoundTripper that calls the server in memory.
func (s *Server) Transport() http.RoundTripper { return memTransport{s} }

type memTransport struct{ s *Server }

var (
	errDropped = errors.New("connection reset by peer")
	errRefused = errors.New("dial tcp: connection refused")
)

// refuse takes a FaultRefuse for req's method, if one is pending.
func (s *Server) refuse(req *http.Request) bool {
	_, method, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/bot"), "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Kind != FaultRefuse || (f.Method == "" && !strings.HasPrefix(strings.ToLower(method), "send")) || (f.Method != "" && !strings.EqualFold(f.Method, method)) {
			continue
		}
		if f.Count--; f.Count == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return true
	}
	return false
}

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.s.refuse(req) {
		return nil, errRefused
	}
	// The request is written once the server has it, as net/http's
	// transport reports it through httptrace.
	if trace := httptrace.ContextClientTrace(req.Context()); trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{})
	}
	rec := httptest.NewRecorder()
	t.s.serve(rec, req)
	if rec.Header().Get("X-Test-Drop") != "" {
		return nil, errDropped
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

type apiError struct {
	code       int
	desc       string
	retryAfter int
	migrateTo  int64
}

func (e *apiError) Error() string { return e.desc }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func forbidden(desc string) *apiError { return &apiError{code: 403, desc: "Forbidden: " + desc} }

func (s *Server) serve(w http.ResponseWriter, req *http.Request) {
	rest, ok := strings.CutPrefix(req.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeError(w, &apiError{code: 404, desc: "Not Found"})
		return
	}
	if token != s.opts.Token {
		writeError(w, &apiError{code: 401, desc: "Unauthorized"})
		return
	}
	params, err := readParams(req)
	if err != nil {
		writeError(w, badRequest("%s", err))
		return
	}
	method = strings.ToLower(method)
	s.mu.Lock()
	s.requests++
	fault := s.takeFault(method)
	s.mu.Unlock()
	if fault != nil {
		switch fault.Kind {
		case Fault500:
			writeError(w, &apiError{code: 500, desc: "Internal Server Error: restart"})
			return
		case Fault502HTML:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n")
			return
		case FaultSlow:
			time.Sleep(fault.Delay)
		case FaultDrop, FaultRefuse:
			drop(w)
			return
		case Fault429:
			s.mu.Lock()
			if now := s.opts.Now(); now.Add(time.Duration(fault.RetryAfter) * time.Second).After(s.floodUntil) {
				s.floodUntil, s.floodAt = now.Add(time.Duration(fault.RetryAfter)*time.Second), now
			}
			s.mu.Unlock()
			writeError(w, &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", fault.RetryAfter), retryAfter: fault.RetryAfter})
			return
		}
	}
	result, apiErr := s.call(method, params, req)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if fault != nil && fault.Kind == FaultDropAfter {
		drop(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	w.Header().Set("X-Test-Drop", "1") // in memory: the transport returns an error
}

func (s *Server) takeFault(method string) *Fault {
	for i := range s.faults {
		f := &s.faults[i]
		if f.Method == "" && !strings.HasPrefix(method, "send") || f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		out := *f
		if f.Count--; f.Count == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return &out
	}
	return nil
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	params := map[string]any{}
	if e.retryAfter > 0 {
		params["retry_after"] = e.retryAfter
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if e.migrateTo != 0 {
		params["migrate_to_chat_id"] = e.migrateTo
	}
	if len(params) > 0 {
		body["parameters"] = params
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	json.NewEncoder(w).Encode(body)
}

// readParams merges query, urlencoded, JSON and multipart parameters.
func readParams(req *http.Request) (map[string]string, error) {
	p := map[string]string{}
	for k, v := range req.URL.Query() {
		p[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var body map[string]any
		if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
			return nil, fmt.Errorf("can't parse JSON object")
		}
		for k, v := range body {
			if s, ok := v.(string); ok {
				p[k] = s
			} else {
				b, _ := json.Marshal(v)
				p[k] = string(b)
			}
		}
	case "application/x-www-form-urlencoded":
		if err := req.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range req.PostForm {
			p[k] = v[0]
		}
	case "multipart/form-data":
		if err := req.ParseMultipartForm(20 << 20); err != nil {
			return nil, err
		}
		for k, v := range req.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, fh := range req.MultipartForm.File {
			p[k] = "upload:" + fh[0].Filename
		}
	}
	return p, nil
}

func (s *Server) call(method string, p map[string]string, req *http.Request) (any, *apiError) {
	switch method {
	case "getme":
		return map[string]any{"id": 7000000001, "is_bot": true, "first_name": "Loa", "username": s.opts.Username,
			"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false}, nil
	case "sendmessage", "sendphoto", "senddocument":
		return s.send(method, p)
	case "sendmediagroup":
		return s.sendMediaGroup(p)
	case "getupdates":
		return s.getUpdates(p, req)
	case "setwebhook":
		return s.setWebhook(p)
	case "deletewebhook":
		s.mu.Lock()
		s.webhook.url, s.webhook.secret = "", ""
		s.mu.Unlock()
		return true, nil
	case "getwebhookinfo":
		s.mu.Lock()
		defer s.mu.Unlock()
		return map[string]any{"url": s.webhook.url, "has_custom_certificate": false, "pending_update_count": len(s.updates)}, nil
	case "getchat":
		s.mu.Lock()
		defer s.mu.Unlock()
		c, err := s.resolve(p["chat_id"])
		if err != nil {
			return nil, err
		}
		return s.chatJSON(c), nil
	case "answercallbackquery":
		if p["callback_query_id"] == "" {
			return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		s.mu.Lock()
		s.answers = append(s.answers, p["text"])
		s.mu.Unlock()
		return true, nil
	case "editmessagereplymarkup":
		s.mu.Lock()
		defer s.mu.Unlock()
		c, err := s.resolve(p["chat_id"])
		if err != nil {
			return nil, err
		}
		id, _ := strconv.ParseInt(p["message_id"], 10, 64)
		m, ok := s.markups[id]
		if !ok || m.chat != c.ID {
			return nil, badRequest("message to edit not found")
		}
		if sameMarkup(m.markup, p["reply_markup"]) {
			return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
		}
		s.markups[id] = msgMarkup{chat: c.ID, markup: p["reply_markup"]}
		s.sent = append(s.sent, Sent{Method: method, ChatID: c.ID, MessageID: id, Markup: p["reply_markup"], At: s.opts.Now()})
		return map[string]any{"message_id": id, "date": s.opts.Now().Unix(), "chat": s.chatJSON(c)}, nil
	}
	return nil, &apiError{code: 404, desc: "Not Found: method not found"}
}

// resolve finds a chat by id or @username; the caller holds s.mu.
func (s *Server) resolve(chatID string) (*chat, *apiError) {
	if chatID == "" {
		return nil, badRequest("chat_id is empty")
	}
	if strings.HasPrefix(chatID, "@") {
		id, ok := s.usernames[strings.ToLower(chatID)]
		if !ok {
			return nil, badRequest("chat not found")
		}
		return s.chats[id], nil
	}
	id, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	return c, nil
}

// reachable returns the error sending to c gets, if any; caller holds s.mu.
func (s *Server) reachable(c *chat) *apiError {
	switch {
	case c.MigratedTo != 0:
		return &apiError{code: 400, desc: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: c.MigratedTo}
	case c.Type == "private" && c.Deactivated:
		return forbidden("user is deactivated")
	case c.Type == "private" && c.Blocked:
		return forbidden("bot was blocked by the user")
	case c.Type == "private" && !c.Started:
		return forbidden("bot can't initiate conversation with a user")
	case c.Kicked:
		return forbidden("bot was kicked from the " + c.Type + " chat")
	}
	return nil
}

func (s *Server) send(method string, p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolve(p["chat_id"])
	if err != nil {
		return nil, err
	}
	if err := s.reachable(c); err != nil {
		return nil, err
	}
	field, limit, tooLong := "text", 4096, "message is too long"
	switch method {
	case "sendphoto":
		if p["photo"] == "" {
			return nil, badRequest("there is no photo in the request")
		}
		field, limit, tooLong = "caption", 1024, "message caption is too long"
	case "senddocument":
		if p["document"] == "" {
			return nil, badRequest("there is no document in the request")
		}
		field, limit, tooLong = "caption", 1024, "message caption is too long"
	}
	raw := p[field]
	if method == "sendmessage" && raw == "" {
		return nil, badRequest("message text is empty")
	}
	if len(raw) > 1<<15 {
		return nil, badRequest("text is too long")
	}
	visible, perr := parseEntities(p["parse_mode"], raw)
	if perr != nil {
		return nil, perr
	}
	visible = strings.TrimFunc(visible, unicode.IsSpace)
	if method == "sendmessage" && visible == "" {
		return nil, badRequest("text must be non-empty")
	}
	if utf8.RuneCountInString(visible) > limit {
		return nil, badRequest("%s", tooLong)
	}
	paid := p["allow_paid_broadcast"] == "true"
	now := s.opts.Now()
	for _, f := range []flood{{s.floodUntil, s.floodAt}, s.chatFlood[c.ID]} {
		if now.Before(f.until) {
			if now.After(f.at) {
				s.violations++
			}
			wait := int(math.Ceil(f.until.Sub(now).Seconds()))
			return nil, &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", wait), retryAfter: wait}
		}
	}
	if wait, global := s.take(c, paid); wait > 0 {
		until := now.Add(time.Duration(wait) * time.Second)
		if global {
			s.floodUntil, s.floodAt = until, now
		} else {
			s.chatFlood[c.ID] = flood{until, now}
		}
		return nil, &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", wait), retryAfter: wait}
	}
	s.nextMsg++
	s.sent = append(s.sent, Sent{Method: method, ChatID: c.ID, MessageID: s.nextMsg, Text: visible, Raw: raw,
		ParseMode: p["parse_mode"], Markup: p["reply_markup"], Paid: paid, At: s.opts.Now()})
	if s.markups == nil {
		s.markups = map[int64]msgMarkup{}
	}
	s.markups[s.nextMsg] = msgMarkup{chat: c.ID, markup: p["reply_markup"]}
	m := map[string]any{"message_id": s.nextMsg, "date": s.opts.Now().Unix(), "chat": s.chatJSON(c)}
	if field == "text" {
		m["text"] = visible
	} else if visible != "" {
		m["caption"] = visible
	}
	return m, nil
}

func parseEntities(mode, raw string) (string, *apiError) {
	var visible string
	var err error
	switch strings.ToLower(mode) {
	case "", "none":
		return raw, nil
	case "html":
		visible, err = parseHTML(raw)
	case "markdownv2":
		visible, err = parseMarkdownV2(raw)
	case "markdown":
		return raw, nil
	default:
		return "", badRequest("unsupported parse_mode")
	}
	if err != nil {
		msg := err.Error()
		return "", badRequest("can't parse entities: %s%s", strings.ToLower(msg[:1]), msg[1:])
	}
	return visible, nil
}

func (s *Server) sendMediaGroup(p map[string]string) (any, *apiError) {
	var media []map[string]any
	if err := json.Unmarshal([]byte(p["media"]), &media); err != nil {
		return nil, badRequest("can't parse InputMedia JSON object")
	}
	if len(media) < 2 || len(media) > 10 {
		return nil, badRequest("media must include 2-10 items")
	}
	var out []any
	for _, m := range media {
		caption, _ := m["caption"].(string)
		q := map[string]string{"chat_id": p["chat_id"], "photo": fmt.Sprint(m["media"]), "caption": caption}
		if mode, ok := m["parse_mode"].(string); ok {
			q["parse_mode"] = mode
		}
		r, err := s.send("sendphoto", q)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Server) setWebhook(p map[string]string) (any, *apiError) {
	u, err := url.Parse(p["url"])
	if p["url"] != "" && (err != nil || u.Scheme != "https") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if sec := p["secret_token"]; sec != "" {
		if len(sec) > 256 || strings.IndexFunc(sec, func(r rune) bool {
			return !(r == '_' || r == '-' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		}) >= 0 {
			return nil, badRequest("secret token contains unallowed characters")
		}
	}
	s.mu.Lock()
	s.webhook.url, s.webhook.secret = p["url"], p["secret_token"]
	s.mu.Unlock()
	return true, nil
}

// getUpdates long-polls: it waits up to timeout (at most 50 s) for updates
// after offset. A newer call makes the waiting one answer 409.
func (s *Server) getUpdates(p map[string]string, req *http.Request) (any, *apiError) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit, err := strconv.Atoi(cmpOr(p["limit"], "100"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	timeout = max(0, min(timeout, 50))
	s.mu.Lock()
	if s.webhook.url != "" {
		s.mu.Unlock()
		return nil, &apiError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	s.poller++
	me := s.poller
	if offset > 0 { // confirmed: forget what came before
		keep := s.updates[:0]
		for _, u := range s.updates {
			if u["update_id"].(int64) >= offset {
				keep = append(keep, u)
			}
		}
		s.updates = keep
	}
	s.mu.Unlock()
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.poller != me {
			s.mu.Unlock()
			return nil, &apiError{code: 409, desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		var out []map[string]any
		for _, u := range s.updates {
			if u["update_id"].(int64) >= offset && len(out) < limit {
				out = append(out, u)
			}
		}
		wake := s.notify
		s.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			if out == nil {
				out = []map[string]any{}
			}
			return out, nil
		}
		select {
		case <-wake:
		case <-deadline.C:
			timeout = 0
		case <-req.Context().Done():
			return []map[string]any{}, nil
		}
	}
}

func cmpOr(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ---- rate limits ------------------------------------------------------------

// flood is a wait a 429 announced at at, until until.
type flood struct{ until, at time.Time }

type bucket struct {
	tokens float64
	last   time.Time
}

// take spends a token from every bucket the send uses, or returns the
// seconds to wait (all or nothing) and whether the bot's own bucket is the
// one that is empty; the caller holds s.mu.
func (s *Server) take(c *chat, paid bool) (int, bool) {
	now := s.opts.Now()
	l := s.opts.Limits
	type want struct {
		key      string
		rate     float64 // tokens a second
		capacity float64
	}
	wants := []want{{"bot", l.PerSecond, l.PerSecond}}
	if paid {
		wants[0] = want{"paid", l.PaidPerSecond, l.PaidPerSecond}
	}
	if c.Type == "private" {
		wants = append(wants, want{fmt.Sprint("chat", c.ID), l.PerChatSecond, 3 * l.PerChatSecond}) // bursts of ~3 s
	} else {
		wants = append(wants, want{fmt.Sprint("group", c.ID), l.PerGroupMinute / 60, l.PerGroupMinute})
	}
	wait, global := 0.0, false
	for i, w := range wants {
		b := s.bucket(w.key, w.capacity, now)
		b.tokens = math.Min(w.capacity, b.tokens+now.Sub(b.last).Seconds()*w.rate)
		b.last = now
		if b.tokens < 1 {
			wait = math.Max(wait, (1-b.tokens)/w.rate)
			global = global || i == 0
		}
	}
	if wait > 0 {
		return int(math.Ceil(wait)), global
	}
	for _, w := range wants {
		s.buckets[w.key].tokens--
	}
	return 0, false
}

// Violations counts sends that came while a 429's wait was still running.
func (s *Server) Violations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.violations
}

func (s *Server) bucket(key string, capacity float64, now time.Time) *bucket {
	b, ok := s.buckets[key]
	if !ok {
		b = &bucket{tokens: capacity, last: now}
		s.buckets[key] = b
	}
	return b
}

// Updates returns the updates not yet confirmed (for assertions).
func (s *Server) Updates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

type msgMarkup struct {
	chat   int64
	markup string
}

// sameMarkup compares two reply_markup values as Telegram does: an absent
// keyboard and an empty one are the same.
func sameMarkup(a, b string) bool {
	norm := func(s string) string {
		if s == "" || s == `{"inline_keyboard":[]}` || s == "{}" {
			return ""
		}
		return s
	}
	return norm(a) == norm(b)
}
