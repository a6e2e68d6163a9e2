// Package scheduler turns schedules into runs and runs into deliveries, and
// sends them. It owns time and fan-out; it reaches the database only through
// the Store interface it defines, and channels only through Sender.
//
// The model. A Schedule says when a message goes to which channels and
// audience: a cron expression bounded by the campaign window, a fixed time, a
// time relative to the observance ("D-3 08:00"), or a rotation cycling
// through several messages. The planner materializes each due time as a Run,
// unique per (schedule, due time), so a run exists once however often the
// daemon restarts. When a run falls due, RunOnce decides: missed (older than
// the grace: never sent late), held (its message is not approved), cancelled
// (archived), or running: fan-out writes one queued delivery per channel and
// recipient, streaming recipients in batches so memory does not grow with the
// audience. The Dispatcher claims queued deliveries, marks them sending before
// the network call and records the outcome after; a crash leaves at most the
// in-flight limit in sending, which become unknown at the next start and are
// never resent without a person asking.
//
// Channels decide what their errors mean by the methods the error has:
// RetryAfter() (the whole channel pauses), RecipientGone() (blocked; the
// subscriber is marked), Permanent() (failed; staff alerted). Anything else is
// retried with exponential backoff and jitter, then dead.
//
// Deliveries to loudspeaker and banner end with a person: they are created
// assigned to a person or role, who marks them done or not done.
package scheduler
