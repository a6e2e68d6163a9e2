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

// A full disk while writing leaves no half line: the delivery fails (and is
// retried) and the files hold whole deliveries only. /dev/full answers every
// write with ENOSPC.
func TestFullDiskLeavesNoHalfLine(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	dir := t.TempDir()
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	ob, err := New(dir, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	msg := func(id int64) channels.Message {
		return channels.Message{DeliveryID: id, Channel: content.Zalo, Recipient: "u1", Text: "Xin chào", MessageKey: "k", Version: 1}
	}
	if _, err := ob.Send(context.Background(), msg(1)); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "zalo-"+content.DateOf(now).String())
	before, _ := os.ReadFile(base + ".jsonl")
	// The text file's disk fills up: the JSON line already written is undone.
	ob.Close()
	os.Remove(base + ".txt")
	if err := os.Symlink("/dev/full", base+".txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := ob.Send(context.Background(), msg(2)); err == nil {
		t.Fatal("a write to a full disk succeeded")
	}
	after, _ := os.ReadFile(base + ".jsonl")
	if string(after) != string(before) || strings.Count(string(after), "\n") != 1 {
		t.Errorf("the JSON lines after a failed write:\n%s", after)
	}
	st, _ := os.Stat(base + ".jsonl")
	if st.Mode().Perm() != 0o600 {
		t.Errorf("the outbox file is %v: it holds residents' ids", st.Mode().Perm())
	}
}
