package demo

import (
	"context"
	"errors"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

// Password is every demo account's password. It is public: the demo
// accounts are for trying Loa, never for a ward's real work.
const Password = "loa-demo-2026"

// The demo's officer and leader, as they sign in and as the audit log
// names them.
const (
	Officer = "canbo"
	Leader  = "lanhdao"
)

// Accounts are the demo's staff, one or more for each role; each full name
// says "(demo)".
func Accounts() []staff.User {
	return []staff.User{
		{Name: Officer, FullName: "Nguyễn Thị Lan (demo)", Title: "Công chức Văn hóa - Xã hội", Role: staff.Officer},
		{Name: Leader, FullName: "Trần Văn Hùng (demo)", Title: "Phó Chủ tịch UBND phường", Role: staff.Leader},
		{Name: "lanhdao2", FullName: "Đỗ Thị Mai (demo)", Title: "Chủ tịch UBND phường", Role: staff.Leader},
		{Name: "dai-truyen-thanh", FullName: "Phạm Văn Minh (demo)", Title: "Đài truyền thanh phường", Role: staff.Operator},
		{Name: "to-truong-1", FullName: "Lê Thị Hoa (demo)", Title: "Tổ trưởng tổ dân phố số 1", Role: staff.BlockLeader},
		{Name: "to-truong-2", FullName: "Vũ Văn Nam (demo)", Title: "Tổ trưởng tổ dân phố số 2", Role: staff.BlockLeader},
		{Name: "quantri", FullName: "Quản trị viên (demo)", Title: "Cán bộ công nghệ thông tin", Role: staff.Admin},
	}
}

// seedAccounts adds the demo accounts that are not there yet, all with
// Password; it returns how many it added.
func seedAccounts(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.DefaultCost)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range Accounts() {
		_, err := db.AddUser(ctx, u, string(hash), "demo", now)
		switch {
		case errors.Is(err, content.ErrExists):
		case err != nil:
			return n, err
		default:
			n++
		}
	}
	return n, nil
}
