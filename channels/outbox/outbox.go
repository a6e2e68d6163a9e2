// Package outbox is the channel that sends nothing: it writes each delivery
// to files, as a JSON line (for tools) and as readable text (for people),
// one pair of files per channel per day under its directory:
//
//	data/outbox/telegram-2026-11-25.jsonl
//	data/outbox/telegram-2026-11-25.txt
//
// Loa uses it for every channel that has no real one configured, so a fresh
// install runs end to end and shows exactly what would have gone out.
package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
)

// Outbox writes deliveries to files in a directory.
type Outbox struct {
	dir   string
	now   func() time.Time
	mu    *sync.Mutex // the directory's: Purge takes it too
	files map[string]*os.File
}

// dirLocks are the outbox directories' locks, one per directory in this
// process, shared by the writers and Purge.
var dirLocks sync.Map

func lockFor(dir string) *sync.Mutex {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	mu, _ := dirLocks.LoadOrStore(dir, new(sync.Mutex))
	return mu.(*sync.Mutex)
}

// New returns an outbox writing under dir (created if needed); now dates the files.
func New(dir string, now func() time.Time) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Outbox{dir: dir, now: now, mu: lockFor(dir), files: map[string]*os.File{}}, nil
}

// Dir returns the directory the outbox writes to.
func (o *Outbox) Dir() string { return o.dir }

type line struct {
	At         string `json:"at"`
	DeliveryID int64  `json:"delivery_id"`
	RunID      int64  `json:"run_id"`
	Channel    string `json:"channel"`
	Recipient  string `json:"recipient"`
	Message    string `json:"message"`
	Version    int    `json:"version"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Image      string `json:"image,omitempty"`
}

// Send writes m and returns "outbox:<delivery id>" as its provider id.
func (o *Outbox) Send(_ context.Context, m channels.Message) (string, error) {
	at := o.now()
	day := content.DateOf(at).String()
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // keep Telegram's <b> readable
	err := enc.Encode(line{At: at.In(content.Zone).Format(time.RFC3339), DeliveryID: m.DeliveryID, RunID: m.RunID,
		Channel: string(m.Channel), Recipient: m.Recipient, Message: m.MessageKey, Version: m.Version, Title: m.Title, Text: m.Text, Image: m.Image})
	if err != nil {
		return "", channels.Permanent(err)
	}
	text := fmt.Sprintf("── %s · %s → %s · %s v%d (delivery %d)\n%s\n\n",
		at.In(content.Zone).Format("15:04:05 02/01/2006"), m.Channel, m.Recipient, m.MessageKey, m.Version, m.DeliveryID, strings.TrimSpace(m.Text))
	o.mu.Lock()
	defer o.mu.Unlock()
	base := fmt.Sprintf("%s-%s", m.Channel, day)
	jsonl, err := o.file(base + ".jsonl")
	if err != nil {
		return "", err
	}
	txt, err := o.file(base + ".txt")
	if err != nil {
		return "", err
	}
	// Both lines or neither: a write cut short (a full disk) is undone, so
	// the files never hold half a line, and the delivery is retried.
	undoJSON, err := appendAll(jsonl, js.Bytes())
	if err != nil {
		return "", err
	}
	if _, err := appendAll(txt, []byte(text)); err != nil {
		undoJSON()
		return "", err
	}
	return fmt.Sprintf("outbox:%d", m.DeliveryID), nil
}

// file opens name for appending, private to Loa's user: the lines hold
// residents' ids.
func (o *Outbox) file(name string) (*os.File, error) {
	if f, ok := o.files[name]; ok {
		return f, nil
	}
	f, err := os.OpenFile(filepath.Join(o.dir, name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err) // a full disk is transient
	}
	if len(o.files) > 16 { // yesterday's files are done
		o.closeAll()
	}
	o.files[name] = f
	return f, nil
}

// appendAll writes data at the end of f; when the write fails midway it
// truncates f back to where it was. undo does the same after a later failure.
func appendAll(f *os.File, data []byte) (undo func(), err error) {
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	undo = func() { _ = f.Truncate(end) }
	if _, err := f.Write(data); err != nil {
		undo()
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return undo, nil
}

func (o *Outbox) closeAll() {
	for name, f := range o.files {
		f.Close()
		delete(o.files, name)
	}
}

// Close closes the files.
func (o *Outbox) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closeAll()
	return nil
}
