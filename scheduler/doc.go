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
// audience. The Dispatcher claims a queued delivery only when the channel's
// rate budget (shared with everything else that calls the same bot or OA)
// gives it a token, marks it sending just before the network call and records
// the outcome after; a crash leaves at most the in-flight limit in sending,
// which become unknown at the next start and are never resent without a
// person asking.
//
// Channels decide what their errors mean by the methods the error has:
// OutcomeUnknown() (the request left and its answer was lost: unknown, never
// retried), RetryAfter() (the whole channel pauses), SnoozeFor() (this
// delivery alone waits, uncounted: a per-chat limit, a follower's quota, the
// next part of a long text), SlowDown() (the channel's rate drops and ramps
// back), RecipientGone() (blocked; the subscriber is marked), Permanent()
// (failed; staff alerted), Skipped(). Anything else is retried with
// exponential backoff and jitter, then dead; when every send in a row fails,
// the channel is down: paused and probed, its failures not counted.
//
// Deliveries to loudspeaker and banner end with a person: they are created
// assigned to a person or role, who marks them done or not done.
package scheduler
