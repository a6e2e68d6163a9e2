package outbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/loa-ward/loa/content"
)

// Purge removes every delivery to recipient id on ch from the outbox's
// files under dir, as a deleted resident asks: their lines go, the rest
// stay as they were. Each file is rewritten in place (the same file, still
// 0600), so a writer appending to it keeps appending to it; the writers of
// this process wait meanwhile. (Another process's — loa residents delete
// while loa serve runs — do not: a line written between the read and the
// rewrite would be lost from the file, never from the ledger.)
func Purge(dir string, ch content.Channel, id string) error {
	if id == "" {
		return nil
	}
	mu := lockFor(dir)
	mu.Lock()
	defer mu.Unlock()
	for _, ext := range []string{".jsonl", ".txt"} {
		names, err := filepath.Glob(filepath.Join(dir, string(ch)+"-*"+ext))
		if err != nil {
			return err
		}
		for _, name := range names {
			keep := keepJSON
			if ext == ".txt" {
				keep = keepText
			}
			if err := rewrite(name, func(data []byte) []byte { return keep(data, id) }); err != nil {
				return fmt.Errorf("outbox: purge %s: %w", filepath.Base(name), err)
			}
		}
	}
	return nil
}

// keepJSON drops the lines whose recipient is id.
func keepJSON(data []byte, id string) []byte {
	var out bytes.Buffer
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		var v struct {
			Recipient string `json:"recipient"`
		}
		if len(bytes.TrimSpace(l)) > 0 && json.Unmarshal(l, &v) == nil && v.Recipient == id {
			continue
		}
		out.Write(l)
	}
	return out.Bytes()
}

// keepText drops the blocks ("── time · channel → recipient · …" and the
// text under it, up to the next block) sent to id.
func keepText(data []byte, id string) []byte {
	var out bytes.Buffer
	skip := false
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.HasPrefix(l, []byte("── ")) {
			skip = strings.Contains(string(l), " → "+id+" · ")
		}
		if !skip {
			out.Write(l)
		}
	}
	return out.Bytes()
}

// rewrite replaces the file's content by keep's, in place.
func rewrite(name string, keep func([]byte) []byte) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	kept := keep(data)
	if len(kept) == len(data) {
		return nil
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(kept, 0); err != nil {
		return err
	}
	return f.Sync()
}

// Expire deletes the files of days before `before` (the retention of the
// ids they hold) and returns how many went.
func Expire(dir string, before content.Date) (int, error) {
	mu := lockFor(dir)
	mu.Lock()
	defer mu.Unlock()
	names, err := filepath.Glob(filepath.Join(dir, "*-????-??-??.*"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		base := filepath.Base(name)
		base = strings.TrimSuffix(base, filepath.Ext(base))
		if len(base) < 10 {
			continue
		}
		day, err := content.ParseDate(base[len(base)-10:])
		if err != nil || !day.Before(before) {
			continue
		}
		if err := os.Remove(name); err != nil {
			return n, fmt.Errorf("outbox: expire %s: %w", filepath.Base(name), err)
		}
		n++
	}
	return n, nil
}
