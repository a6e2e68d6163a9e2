package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/outbox"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// ZaloWelcome is the consultation message a new follower receives: who
// the ward is, the notice in short, and how to answer. It is the only
// message a follower who never answers receives.
func ZaloWelcome(n privacy.Notice) string {
	return fmt.Sprintf(`Cảm ơn bạn đã quan tâm trang Zalo của %s! Trang gửi tin tuyên truyền về gia đình, bình đẳng giới và phòng, chống bạo lực vào các dịp trong năm.

Phường chỉ gửi tin khi bạn đồng ý. %s

Để nhận tin, trả lời:
• DONGY: nhận cả ba chủ đề
• DONGY 1 3: chỉ các chủ đề 1 và 3 (%s)
Sau này: CHUDE 2 để đổi chủ đề, TOI để xem dữ liệu, DUNG để ngừng nhận, XOA để xóa dữ liệu.

Nếu bạn không trả lời, phường không gửi thêm tin nào cho bạn.`, n.Ward, n.Summary(i18n.Vietnamese), numberedTopics())
}

func numberedTopics() string {
	var parts []string
	for i, t := range content.Topics {
		parts = append(parts, fmt.Sprintf("%d %s", i+1, t.Label(i18n.Vietnamese)))
	}
	return strings.Join(parts, "; ")
}

// zaloWelcome greets a new follower through the OA. A follower who already
// consents (they came back) is not asked again.
func (d *Daemon) zaloWelcome(oa scheduler.Sender) func(ctx context.Context, userID string, at time.Time) error {
	return func(ctx context.Context, userID string, _ time.Time) error {
		if _, consented, _, err := d.DB.Residents(content.Zalo).Subscriber(ctx, userID); err != nil || consented {
			return err
		}
		_, err := oa.Send(ctx, channels.Message{Channel: content.Zalo, Mode: "cs", Recipient: userID, Text: ZaloWelcome(Notice(d.Config))})
		return err
	}
}

// residentReply carries out a follower's choice and answers it in the
// chat. Deleting answers first, then deletes (the answer would otherwise
// write the id to the outbox again), then purges the outbox.
func (d *Daemon) residentReply(ctx context.Context, oa scheduler.Sender, userID string, r privacy.Reply, at time.Time, log *slog.Logger) error {
	people := d.DB.Residents(content.Zalo)
	topics, consented, found, err := people.Subscriber(ctx, userID)
	if err != nil {
		return err
	}
	answer := func(text string) {
		if _, err := oa.Send(ctx, channels.Message{Channel: content.Zalo, Mode: "cs", Recipient: userID, Text: text}); err != nil {
			log.Warn("answer a follower on zalo", "kind", r.Kind, "err", err)
		}
	}
	names := func(ts []content.Topic) string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Label(i18n.Vietnamese))
		}
		if len(out) == 0 {
			return "chưa chọn chủ đề nào (chỉ nhận thông báo chung của phường)"
		}
		return strings.Join(out, "; ")
	}
	switch r.Kind {
	case privacy.Agree:
		if err := people.Subscribe(ctx, userID, "", i18n.Vietnamese, "zalo:dongy", r.Topics, at); err != nil {
			return err
		}
		answer(fmt.Sprintf("Cảm ơn bạn đã đồng ý. Bạn sẽ nhận tin về: %s. Trả lời CHUDE để đổi chủ đề, TOI để xem dữ liệu, DUNG để ngừng, XOA để xóa.", names(r.Topics)))
	case privacy.Change:
		switch {
		case !consented:
			answer("Bạn chưa đồng ý nhận tin. Trả lời DONGY để nhận cả ba chủ đề, hoặc DONGY kèm số chủ đề (" + numberedTopics() + ").")
		case len(r.Topics) == 0:
			answer(fmt.Sprintf("Bạn đang nhận: %s. Để đổi, trả lời CHUDE kèm số chủ đề, ví dụ CHUDE 1 3 (%s).", names(topics), numberedTopics()))
		default:
			if err := people.SetTopics(ctx, userID, r.Topics, at); err != nil {
				return err
			}
			answer(fmt.Sprintf("Đã đổi chủ đề. Bạn sẽ nhận tin về: %s.", names(r.Topics)))
		}
	case privacy.Withdraw:
		if err := people.Unsubscribe(ctx, userID, at); err != nil {
			return err
		}
		answer("Đã ngừng gửi tin cho bạn và ghi lại thời điểm bạn rút lại đồng ý. Phường vẫn giữ bản ghi đồng ý trước đây làm bằng chứng cho đến khi bạn trả lời XOA. Trả lời DONGY nếu muốn nhận lại.")
	case privacy.See:
		h, ok, err := people.Record(ctx, userID, at)
		if err != nil {
			return err
		}
		if !ok {
			answer("Phường không giữ dữ liệu nào của bạn.")
			return nil
		}
		answer(h.Text(i18n.Vietnamese))
	case privacy.Delete:
		if !found {
			answer("Phường không giữ dữ liệu nào của bạn.")
			return nil
		}
		answer("Đã xóa toàn bộ dữ liệu của bạn (mã Zalo, tên, chủ đề, thời điểm đồng ý); sổ gửi chỉ còn số lượng, không còn mã của bạn. Cảm ơn bạn.")
		everywhere := BotResidents{Residents: people, Channel: content.Zalo, Outbox: OutboxPurger{d.Config.Delivery.OutboxDir}}
		return everywhere.Forget(ctx, userID, at)
	}
	return nil
}

// Retained is what a retention pass removed.
type Retained struct {
	store.Retention
	OutboxFiles int
}

// ApplyRetention carries out privacy.retention_months and
// privacy.unanswered_days at now: the ledger's resident ids of campaigns
// whose year ended more than the retention ago are replaced, residents who
// withdrew that long ago and followers who never answered within the days
// are deleted, and the outbox's files of those days go. Reports keep their
// counts.
func ApplyRetention(ctx context.Context, cfg *config.Config, db *store.DB, now time.Time) (Retained, error) {
	cutoff := now.AddDate(0, -cfg.Privacy.RetentionMonths, 0)
	r, err := db.ApplyRetention(ctx, cutoff.In(content.Zone).Year(), cutoff, now.AddDate(0, 0, -cfg.Privacy.UnansweredDays), now)
	out := Retained{Retention: r}
	if err != nil {
		return out, err
	}
	out.OutboxFiles, err = outbox.Expire(cfg.Delivery.OutboxDir, content.DateOf(cutoff))
	return out, err
}
