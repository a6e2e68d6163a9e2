package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// loaIn is loa with stdin.
func (e *env) loaIn(stdin string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	full := append([]string{"--config", e.cfg}, args...)
	code := run(context.Background(), full, strings.NewReader(stdin), &out, &errb, func() time.Time { return fixedNow })
	return out.String(), errb.String(), code
}

func TestUserCommandsAndOnePolicy(t *testing.T) {
	e := newEnv(t, "")
	// The local administrator (no --as) creates accounts; a password is read from stdin.
	out, errs, code := e.loaIn("mat-khau-cua-hoa\n", "user", "add", "hoa.vhxh", "--role", "officer", "--full-name", "Lê Thị Hoa", "--title", "Công chức VH-XH", "--password-stdin")
	if code != 0 || !strings.Contains(out, "Đã tạo tài khoản hoa.vhxh (Lê Thị Hoa, cán bộ văn hóa - xã hội)") {
		t.Fatalf("add: %d %s %s", code, out, errs)
	}
	if _, errs, code := e.loaIn("ngan\n", "user", "add", "minh", "--role", "leader", "--full-name", "Minh", "--password-stdin"); code == 0 || !strings.Contains(errs, "ít nhất 10 ký tự") {
		t.Errorf("short password: %d %s", code, errs)
	}
	if _, errs, code := e.loa("user", "add", "Minh Anh", "--role", "leader", "--full-name", "Minh"); code == 0 || !strings.Contains(errs, "chữ thường không dấu") {
		t.Errorf("bad login: %d %s", code, errs)
	}
	if _, errs, code := e.loa("--as", "lanh-dao", "user", "add", "x2", "--role", "admin", "--full-name", "X"); code == 0 || !strings.Contains(errs, "chỉ quản trị viên") {
		t.Errorf("a leader adds an admin: %d %s", code, errs)
	}
	list := e.ok("user", "list")
	mustContain(t, "list", list, "hoa.vhxh", "Lê Thị Hoa", "lanh-dao", "chưa có", "9 tài khoản.")

	// --as names an account, and the CLI acts with its role.
	if _, errs, code := e.loa("--as", "nobody", "calendar"); code == 0 || !strings.Contains(errs, `không có tài khoản "nobody"`) {
		t.Errorf("--as nobody: %d %s", code, errs)
	}
	e.ok("demo", "seed")
	if _, errs, code := e.loa("--as", "dai-truyen-thanh", "content", "approve", "tong-ket-thang-hanh-dong"); code == 0 || !strings.Contains(errs, "chỉ lãnh đạo") {
		t.Errorf("an operator approves: %d %s", code, errs)
	}
	if _, errs, code := e.loa("--as", "to-truong-1", "content", "withdraw", "tong-ket-thang-hanh-dong"); code == 0 || !strings.Contains(errs, "vai trò của bạn không được") {
		t.Errorf("a block leader withdraws: %d %s", code, errs)
	}
	// A leader cannot approve what they submitted; another leader can.
	e.ok("--as", "lanh-dao", "content", "withdraw", "tong-ket-thang-hanh-dong")
	e.ok("--as", "lanh-dao", "content", "submit", "tong-ket-thang-hanh-dong")
	if _, errs, code := e.loa("--as", "lanh-dao", "content", "approve", "tong-ket-thang-hanh-dong"); code == 0 || !strings.Contains(errs, "một lãnh đạo khác phải duyệt") {
		t.Errorf("self-approval: %d %s", code, errs)
	}
	mustContain(t, "other leader", e.ok("--as", "lanhdao", "content", "approve", "tong-ket-thang-hanh-dong"), "đã duyệt")

	// Disabling ends --as too; the last admin stays.
	e.ok("user", "disable", "hoa.vhxh")
	if _, errs, code := e.loa("--as", "hoa.vhxh", "calendar"); code == 0 || !strings.Contains(errs, "đã bị khóa") {
		t.Errorf("disabled --as: %d %s", code, errs)
	}
	e.ok("user", "disable", "quantri")
	if _, errs, code := e.loa("user", "disable", "tester"); code == 0 || !strings.Contains(errs, "quản trị viên cuối cùng") {
		t.Errorf("last admin: %d %s", code, errs)
	}
	if out, errs, code := e.loaIn("mat-khau-moi-cua-hoa\n", "user", "passwd", "hoa.vhxh", "--password-stdin"); code == 0 {
		t.Errorf("passwd of a disabled account: %s %s", out, errs)
	}
}
