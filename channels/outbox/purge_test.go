package outbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
)

// A deleted resident's lines go from every day's files, both forms; the
// others' stay, the files stay private and the writer keeps appending to
// them. Expire removes the days past the retention.
func TestPurgeAndExpire(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	ob, err := New(dir, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	send := func(id int64, to string) {
		t.Helper()
		text := "Xin chào\n\nđoạn hai của tin gửi " + to
		if _, err := ob.Send(context.Background(), channels.Message{DeliveryID: id, Channel: content.Zalo, Recipient: to, Text: text, MessageKey: "k", Version: 1}); err != nil {
			t.Fatal(err)
		}
	}
	send(1, "8401")
	send(2, "8402")
	now = now.Add(24 * time.Hour)
	send(3, "8401")
	if err := Purge(dir, content.Zalo, "8401"); err != nil {
		t.Fatal(err)
	}
	send(4, "8402") // after the purge, into the same file
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 4 {
		t.Fatalf("files: %v", files)
	}
	var all strings.Builder
	for _, f := range files {
		data, _ := os.ReadFile(f)
		all.Write(data)
		if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v after the purge", f, st.Mode().Perm())
		}
	}
	if got := all.String(); strings.Contains(got, "8401") || strings.Count(got, "8402") != 8 {
		t.Errorf("after the purge:\n%s", got)
	}
	n, err := Expire(dir, content.NewDate(2026, 11, 29))
	if err != nil || n != 2 {
		t.Errorf("expire: %d %v", n, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "zalo-2026-11-28.*")); len(left) != 0 {
		t.Errorf("expired files left: %v", left)
	}
}
