package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/staff"
)

// Zalo sends notices as consultation (cs) messages from the ward's OA to
// staff who follow it, when they wrote to it within Window; otherwise it
// says so without calling Zalo, which would refuse (-230).
type Zalo struct {
	Post func(ctx context.Context, m channels.Message) (string, error) // the OA client's Send
	Last func(ctx context.Context, zaloID string) (time.Time, bool, error)
	Now  func() time.Time
}

// Send sends m to u's Zalo user id.
func (z Zalo) Send(ctx context.Context, u staff.User, m Message) error {
	if u.ZaloID == "" {
		return ErrNoAddress
	}
	last, ok, err := z.Last(ctx, u.ZaloID)
	if err != nil {
		return err
	}
	if !ok || z.Now().Sub(last) >= Window {
		return &OutsideWindowError{Last: last}
	}
	_, err = z.Post(ctx, channels.Message{Channel: "zalo", Mode: "cs", Recipient: u.ZaloID, Title: m.Subject, Text: m.Body()})
	var ce *channels.Error
	if errors.As(err, &ce) && ce.Skipped() { // -230/-232: Zalo's own clock says outside
		return &OutsideWindowError{Last: last}
	}
	return err
}

// Telegram sends notices to a person's staff chat with the bot, when
// Telegram is reachable.
type Telegram struct {
	// Chat is the person's staff chat, 0 for none.
	Chat func(u staff.User) int64
	// Reply sends plain text to chat; nil while the bot is not connected.
	Reply func(ctx context.Context, chat int64, text string) error
}

// Send sends m to u's staff chat.
func (t Telegram) Send(ctx context.Context, u staff.User, m Message) error {
	chat := t.Chat(u)
	if chat == 0 {
		return ErrNoAddress
	}
	if t.Reply == nil {
		return errors.New("telegram: the bot is not connected (Telegram may be blocked)")
	}
	return t.Reply(ctx, chat, m.Subject+"\n"+m.Body())
}

// Email sends notices by SMTP with STARTTLS (required: a notice never
// crosses the network in the clear), as email.* in the config says.
type Email struct {
	Host     string
	Port     int // default 587
	Username string
	Password string
	From     string // "Loa phường Lưu Kiếm <loa@example.vn>"
	// TLS is the TLS configuration (nil: the system's roots, the host's name).
	TLS     *tls.Config
	Timeout time.Duration // default 30s
}

// Send sends m to u's e-mail address.
func (e Email) Send(ctx context.Context, u staff.User, m Message) error {
	if u.Email == "" {
		return ErrNoAddress
	}
	msg := mail.NewMsg()
	if err := msg.From(e.From); err != nil {
		return fmt.Errorf("email.from %q: %w", e.From, err)
	}
	if err := msg.AddToFormat(u.FullName, u.Email); err != nil {
		return fmt.Errorf("the e-mail address of %s: %w", u.Name, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, m.Body()+"\n\n— Loa. Thư tự động, xin đừng trả lời.\n")
	port := e.Port
	if port == 0 {
		port = 587
	}
	timeout := e.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	tc := e.TLS
	if tc == nil {
		tc = &tls.Config{ServerName: e.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTLSPolicy(mail.TLSMandatory), mail.WithTLSConfig(tc), mail.WithTimeout(timeout)}
	if e.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(e.Username), mail.WithPassword(e.Password))
	}
	c, err := mail.NewClient(e.Host, opts...)
	if err != nil {
		return fmt.Errorf("email: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("email to %s via %s: %w", u.Name, e.Host+":"+strconv.Itoa(port), redactPassword(err, e.Password))
	}
	return nil
}

// redactPassword keeps the SMTP password out of an error.
func redactPassword(err error, password string) error {
	if password == "" {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), password, "[redacted]"))
}
