// Package privacy holds the rules of residents' personal data as Law
// 91/2025/QH15 and Decree 356/2025/NĐ-CP ask them of the ward: the notice
// that names the ward as controller and says what is kept and why, the
// replies a Zalo follower gives to consent, change, withdraw or delete,
// and the requests a resident makes, with the time the ward has to answer.
// It imports nothing of ours but i18n and content, so every package may
// use it.
package privacy

import (
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// A request's kinds: what a resident asks of the ward.
const (
	See      = "see"      // to see what is held about them
	Change   = "change"   // to change their topics or details
	Withdraw = "withdraw" // to withdraw consent: nothing more is sent
	Delete   = "delete"   // to delete their data
)

// Agree is a follower's reply giving consent (DONGY); it is not a request.
const Agree = "consent"

// Kinds are the kinds of request, in the order the dashboard lists them.
var Kinds = []string{See, Change, Withdraw, Delete}

// KindLabel names a kind of request in lang.
func KindLabel(kind, lang string) string {
	switch kind {
	case See:
		return i18n.Pick(lang, "xem dữ liệu", "see their data")
	case Change:
		return i18n.Pick(lang, "sửa, đổi chủ đề", "change")
	case Withdraw:
		return i18n.Pick(lang, "rút lại đồng ý", "withdraw consent")
	case Delete:
		return i18n.Pick(lang, "xóa dữ liệu", "delete their data")
	}
	return kind
}

// Request is one resident's request, as the ward keeps it: when it came,
// how, by when it must be done and when it was.
type Request struct {
	ID         int64
	Kind       string
	Via        string // telegram, zalo, dashboard, paper, cli
	Subject    string // "channel:id" while the person exists; "" once deleted
	ReceivedAt time.Time
	DueAt      time.Time
	DoneAt     time.Time // zero: still open
	DoneBy     string
	Note       string
}

// Open reports whether the request is not done yet.
func (r Request) Open() bool { return r.DoneAt.IsZero() }

// Late reports whether the request was done, or is still open, after its
// due time.
func (r Request) Late(now time.Time) bool {
	if r.Open() {
		return now.After(r.DueAt)
	}
	return r.DoneAt.After(r.DueAt)
}

// DefaultDays is how long the ward has to carry out a request unless
// privacy.request_days says otherwise: Decree 356/2025/NĐ-CP gives 15 days
// to carry out a withdrawal (art. 5(2), art. 10) and asks for an answer
// within 2 working days of receiving a request. The requests a bot or the
// OA receives are done at once.
const DefaultDays = 15

// Due is when a request received at must be done, days later.
func Due(received time.Time, days int) time.Time {
	if days <= 0 {
		days = DefaultDays
	}
	return received.AddDate(0, 0, days)
}

// Reply is what a Zalo follower wrote to the OA, read as a choice.
type Reply struct {
	Kind   string          // Agree, Change, Withdraw, Delete, See, or "" for none
	Topics []content.Topic // for consent and Change: the topics chosen
}

// The keywords a follower replies with, accent- and case-insensitive:
//
//	DONGY 1 3   consent, to topics 1 and 3 (DONGY alone or DONGY TATCA: all three)
//	CHUDE 2     change the topics (CHUDE alone: show the choices)
//	DUNG        stop: withdraw consent, nothing more is sent
//	XOA         delete everything held about them
//	TOI         see everything held about them
//
// The topics are numbered as Topics lists them: 1 family, 2 gender
// equality, 3 violence prevention.
var keywords = map[string]string{
	"dongy": Agree, "dong y": Agree,
	"chude": Change, "chu de": Change,
	"dung": Withdraw, "stop": Withdraw, "huy": Withdraw,
	"xoa": Delete, "xoa du lieu": Delete,
	"toi": See, "xem": See,
}

// ParseReply reads a follower's text as one of the keywords; Kind is ""
// for any other text (it is left for the OA's inbox).
func ParseReply(text string) Reply {
	f := strings.Join(strings.Fields(i18n.Fold(text)), " ")
	for _, long := range []string{"xoa du lieu", "dong y", "chu de"} { // two-word forms first
		if rest, ok := strings.CutPrefix(f, long); ok && (rest == "" || rest[0] == ' ') {
			return reply(keywords[long], strings.Fields(rest))
		}
	}
	word, rest, _ := strings.Cut(f, " ")
	kind, ok := keywords[word]
	if !ok {
		return Reply{}
	}
	return reply(kind, strings.Fields(rest))
}

func reply(kind string, args []string) Reply {
	r := Reply{Kind: kind}
	if kind != Agree && kind != Change {
		if len(args) > 0 {
			return Reply{} // "dung lai o dau" is not a keyword
		}
		return r
	}
	all := len(args) == 0 && kind == Agree
	for _, a := range args {
		switch a {
		case "tatca", "tat", "ca", "all":
			all = true
			continue
		}
		for _, d := range strings.Split(a, ",") {
			if d == "" {
				continue
			}
			n := int(d[0] - '0')
			if len(d) != 1 || n < 1 || n > len(content.Topics) {
				return Reply{}
			}
			if t := content.Topics[n-1]; !slices.Contains(r.Topics, t) {
				r.Topics = append(r.Topics, t)
			}
		}
	}
	if all {
		r.Topics = append([]content.Topic(nil), content.Topics...)
	}
	return r
}
