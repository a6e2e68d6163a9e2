package telegramtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const tok = "123:abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"

type answer struct {
	status int
	header http.Header
	body   struct {
		OK          bool            `json:"ok"`
		ErrorCode   int             `json:"error_code"`
		Description string          `json:"description"`
		Result      json.RawMessage `json:"result"`
		Parameters  map[string]any  `json:"parameters"`
	}
}

func call(t *testing.T, h http.Handler, method, contentType string, body []byte, query string) answer {
	t.Helper()
	req := httptest.NewRequest("POST", "/bot"+tok+"/"+method+query, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var a answer
	a.status, a.header = rec.Code, rec.Header()
	json.Unmarshal(rec.Body.Bytes(), &a.body)
	return a
}

func form(kv ...string) []byte {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return []byte(v.Encode())
}

const formType = "application/x-www-form-urlencoded"

func TestErrorsAreTelegrams(t *testing.T) {
	s := New(Options{Token: tok})
	h := s.Handler()
	s.AddUser(1, "A", "vi")
	s.Say(1, "/start")
	tests := []struct {
		name, method, ctype string
		body                []byte
		status              int
		desc                string
	}{
		{"bad token", "", "", nil, 401, "Unauthorized"},
		{"unknown method", "sendPigeon", formType, form(), 404, "Not Found: method not found"},
		{"unknown chat", "sendMessage", formType, form("chat_id", "5", "text", "x"), 400, "Bad Request: chat not found"},
		{"empty text", "sendMessage", formType, form("chat_id", "1", "text", ""), 400, "Bad Request: message text is empty"},
		{"blank text", "sendMessage", formType, form("chat_id", "1", "text", " \n "), 400, "Bad Request: text must be non-empty"},
		{"bad tag", "sendMessage", formType, form("chat_id", "1", "text", "<blink>x</blink>", "parse_mode", "HTML"), 400,
			`Bad Request: can't parse entities: unsupported start tag "blink" at byte offset 0`},
		{"unclosed", "sendMessage", formType, form("chat_id", "1", "text", "<b>x", "parse_mode", "HTML"), 400,
			`Bad Request: can't parse entities: can't find end tag corresponding to start tag "b"`},
		{"markdown", "sendMessage", formType, form("chat_id", "1", "text", "1.5", "parse_mode", "MarkdownV2"), 400,
			`Bad Request: can't parse entities: character '.' is reserved and must be escaped with the preceding '\'`},
		{"parse mode", "sendMessage", formType, form("chat_id", "1", "text", "x", "parse_mode", "BBCode"), 400, "Bad Request: unsupported parse_mode"},
		{"too long", "sendMessage", formType, form("chat_id", "1", "text", strings.Repeat("ạ", 4097)), 400, "Bad Request: message is too long"},
		{"caption", "sendPhoto", formType, form("chat_id", "1", "photo", "AgAD", "caption", strings.Repeat("x", 1025)), 400, "Bad Request: message caption is too long"},
	}
	for _, tt := range tests {
		var a answer
		if tt.name == "bad token" {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "/botWRONG/getMe", nil))
			a.status = rec.Code
			json.Unmarshal(rec.Body.Bytes(), &a.body)
		} else {
			a = call(t, h, tt.method, tt.ctype, tt.body, "")
		}
		if a.status != tt.status || a.body.ErrorCode != tt.status || a.body.OK || a.body.Description != tt.desc {
			t.Errorf("%s: %d %+v; want %d %q", tt.name, a.status, a.body, tt.status, tt.desc)
		}
	}
	// 4096 characters after parsing are fine, however many bytes and tags.
	text := "<b>" + strings.Repeat("😀", 4095) + "</b>&amp;"
	if a := call(t, h, "sendMessage", formType, form("chat_id", "1", "text", text, "parse_mode", "HTML"), ""); a.status != 200 {
		t.Errorf("4096 code points refused: %+v", a.body)
	}
}

func TestBodiesInEveryEncoding(t *testing.T) {
	s := New(Options{Token: tok, Limits: Limits{PerChatSecond: 1000}})
	h := s.Handler()
	s.AddUser(1, "A", "vi")
	s.Say(1, "/start")
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	w.WriteField("chat_id", "1")
	w.WriteField("caption", "ảnh")
	fw, _ := w.CreateFormFile("photo", "anh.jpg")
	fw.Write([]byte("JPEG"))
	w.Close()
	js, _ := json.Marshal(map[string]any{"chat_id": 1, "text": "json"})
	for _, c := range []struct {
		name, method, ctype string
		body                []byte
		query               string
	}{
		{"query", "sendMessage", "", nil, "?chat_id=1&text=query"},
		{"urlencoded", "sendMessage", formType, form("chat_id", "1", "text", "form"), ""},
		{"json", "sendMessage", "application/json", js, ""},
		{"multipart", "sendPhoto", w.FormDataContentType(), mp.Bytes(), ""},
	} {
		if a := call(t, h, c.method, c.ctype, c.body, c.query); a.status != 200 || !a.body.OK {
			t.Errorf("%s: %d %+v", c.name, a.status, a.body)
		}
	}
	var texts []string
	for _, m := range s.Sent() {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, ",") != "query,form,json,ảnh" {
		t.Errorf("recorded %v", texts)
	}
}

func TestTokenBuckets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Token: tok})
		h := s.Handler()
		for i := int64(1); i <= 100; i++ {
			s.AddUser(i, "U", "vi")
			s.Say(i, "/start")
		}
		s.AddGroup(-5, "group", "Tổ 5")
		// 30 at once pass; the 31st in the same second is refused with a Retry-After.
		var refused answer
		for i := int64(1); i <= 31; i++ {
			a := call(t, h, "sendMessage", formType, form("chat_id", itoa(i), "text", "x"), "")
			if i <= 30 && a.status != 200 {
				t.Fatalf("message %d refused: %+v", i, a.body)
			}
			refused = a
		}
		if refused.status != 429 || refused.header.Get("Retry-After") != "1" || refused.body.Parameters["retry_after"] != 1.0 ||
			refused.body.Description != "Too Many Requests: retry after 1" {
			t.Errorf("31st: %d %v %+v", refused.status, refused.header, refused.body)
		}
		time.Sleep(time.Second)
		// One chat: a burst of 3, then 1 a second.
		for i := range 4 {
			a := call(t, h, "sendMessage", formType, form("chat_id", "50", "text", "x"), "")
			if (i < 3) != (a.status == 200) {
				t.Errorf("chat message %d: %d", i+1, a.status)
			}
		}
		// A group: 20 a minute.
		time.Sleep(time.Second)
		ok := 0
		for range 25 {
			if call(t, h, "sendMessage", formType, form("chat_id", "-5", "text", "x"), "").status == 200 {
				ok++
			}
		}
		if ok != 20 {
			t.Errorf("%d group messages in a moment, want 20", ok)
		}
		// allow_paid_broadcast lifts the overall limit.
		time.Sleep(5 * time.Second)
		paid := 0
		for i := int64(51); i <= 100; i++ {
			if call(t, h, "sendMessage", formType, form("chat_id", itoa(i), "text", "x", "allow_paid_broadcast", "true"), "").status == 200 {
				paid++
			}
		}
		if paid != 50 {
			t.Errorf("paid broadcast: %d of 50", paid)
		}
	})
}

func TestGetUpdatesLongPollAndConflict(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Token: tok})
		h := s.Handler()
		s.AddUser(1, "A", "vi")
		var first answer
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			first = call(t, h, "getUpdates", formType, form("timeout", "30"), "")
		}()
		synctest.Wait() // the first poller waits
		var second answer
		wg.Add(1)
		go func() {
			defer wg.Done()
			second = call(t, h, "getUpdates", formType, form("timeout", "30"), "")
		}()
		synctest.Wait()
		s.Say(1, "/start vi-tuong")
		wg.Wait()
		if first.status != 409 || !strings.HasPrefix(first.body.Description, "Conflict: terminated by other getUpdates request") {
			t.Errorf("first poller: %d %+v", first.status, first.body)
		}
		var updates []map[string]any
		json.Unmarshal(second.body.Result, &updates)
		if second.status != 200 || len(updates) != 1 {
			t.Fatalf("second poller: %d %s", second.status, second.body.Result)
		}
		id := int(updates[0]["update_id"].(float64))
		// A long poll with nothing new returns empty after its timeout.
		start := time.Now()
		a := call(t, h, "getUpdates", formType, form("offset", itoa(int64(id+1)), "timeout", "20"), "")
		if a.status != 200 || string(a.body.Result) != "[]" || time.Since(start) != 20*time.Second {
			t.Errorf("empty long poll: %s after %s", a.body.Result, time.Since(start))
		}
		// A webhook excludes polling.
		if a := call(t, h, "setWebhook", formType, form("url", "http://x"), ""); a.status != 400 {
			t.Errorf("http webhook accepted")
		}
		if a := call(t, h, "setWebhook", formType, form("url", "https://loa.example.vn/tg", "secret_token", "bad secret!"), ""); a.status != 400 {
			t.Errorf("bad secret accepted")
		}
		call(t, h, "setWebhook", formType, form("url", "https://loa.example.vn/tg", "secret_token", "s3cret_OK-1"), "")
		if a := call(t, h, "getUpdates", formType, form(), ""); a.status != 409 || !strings.Contains(a.body.Description, "webhook is active") {
			t.Errorf("getUpdates with a webhook: %d %+v", a.status, a.body)
		}
	})
}

func TestMemoryTransportDropsAndSlows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Token: tok})
		s.AddUser(1, "A", "vi")
		s.Say(1, "/start")
		client := &http.Client{Transport: s.Transport()}
		post := func() (*http.Response, error) {
			return client.PostForm("http://x/bot"+tok+"/sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
		}
		s.Inject(Fault{Kind: FaultDrop})
		if _, err := post(); err == nil || !strings.Contains(err.Error(), "connection reset") {
			t.Errorf("drop: %v", err)
		}
		s.Inject(Fault{Kind: FaultSlow, Delay: 7 * time.Second})
		start := time.Now()
		resp, err := post()
		if err != nil || resp.StatusCode != 200 || time.Since(start) != 7*time.Second {
			t.Errorf("slow: %v after %s", err, time.Since(start))
		}
		if len(s.Sent()) != 1 {
			t.Errorf("a dropped request was recorded as sent: %d", len(s.Sent()))
		}
	})
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
