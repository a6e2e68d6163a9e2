package residents

import (
	"strings"
	"testing"

	"github.com/loa-ward/loa/content"
)

func TestReadPhones(t *testing.T) {
	today := content.NewDate(2026, 11, 28)
	good := "phone,name,topics,consent_date,source,evidence\n0912 345 678,Nguyễn Thị Lan,\"1,2,3\",25/11/2026,phiếu đăng ký TDP 3,PĐK-2026-0012\n" +
		"+84 987.654.321,Trần Văn Minh,\"gia đình; phong, chong bao luc\",1/11/2026,phiếu đăng ký TDP 5,PĐK-2026-0013\n" +
		"0903 111 222,Lê Văn Tư,,2/11/2026,biểu mẫu trên trang phường,WEB-88\n"
	subs, errs := ReadPhones("ds.csv", strings.NewReader(good), today)
	if len(errs) != 0 || len(subs) != 3 {
		t.Fatalf("%v %v", subs, errs)
	}
	if subs[0].Phone != "84912345678" || subs[0].ExternalID != "phone:84912345678" || len(subs[0].Topics) != 3 ||
		subs[1].Phone != "84987654321" || len(subs[1].Topics) != 2 || content.DateOf(subs[1].ConsentAt) != content.NewDate(2026, 11, 1) ||
		subs[0].Evidence != "PĐK-2026-0012" || len(subs[2].Topics) != 0 {
		t.Errorf("read %+v", subs)
	}
	bad := "phone,name,topics,consent_date,source,evidence\n" +
		"09123,A,,25/11/2026,x,P1\n" + // row 2: short phone
		"0912345678,B,sports,25/11/2026,x,P2\n" + // row 3: bad topic
		"0912345678,C,,,x,P3\n" + // row 4: duplicate phone, no consent date
		"0987654321,D,,30/12/2026,,\n" // row 5: future date, no source, no evidence
	_, errs = ReadPhones("ds.csv", strings.NewReader(bad), today)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`ds.csv:2, column phone: "09123" is not a Vietnamese phone number`,
		`ds.csv:3, column topics: "sports" is not a topic`,
		`ds.csv:4, column phone: 84912345678 is already on row 3`,
		`ds.csv:4, column consent_date: "" is not a date`,
		`ds.csv:5, column consent_date: 30/12/2026 is in the future`,
		`ds.csv:5, column source: say where consent was given`,
		`ds.csv:5, column evidence: give the consent's evidence`,
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d: %s\nwant %s…", i, got[i], want[i])
		}
	}
	if _, errs := ReadPhones("x.csv", strings.NewReader("name,source\nA,b\n"), today); len(errs) != 3 {
		t.Errorf("missing columns: %v", errs)
	}
}
