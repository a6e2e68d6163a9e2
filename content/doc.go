// Package content is Loa's domain model: the observance calendar, campaigns,
// messages with their per-channel variants and approval states, and the text
// rules every variant must satisfy before it is stored.
//
// The model in a few sentences. An Observance is a date in the year that the
// ward marks (Family Day 28/6, the 15/11–15/12 action month, ...). A Campaign is
// one observance in one year, with a communication window around it. A Message
// belongs to a campaign and carries one text per channel (Telegram, Zalo,
// loudspeaker, banner); every edit makes a new immutable Version, and the
// message moves through draft → submitted → approved | rejected → archived,
// each move decided by Next. Text is checked when it is saved, not when it is
// sent: Check normalizes to NFC, rejects legacy-encoded (TCVN3/VNI) text,
// counts length the way each channel counts it and renders templates.
//
// Dates here are civil dates (Date) in the ward's time zone, Asia/Ho_Chi_Minh.
// The package imports nothing else of Loa's; every other package may import it.
package content
