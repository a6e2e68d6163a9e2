// Package daemon is Loa's long-running service, "loa serve": one Daemon
// per database. Run takes the database's lease (so two daemons never send
// twice), puts a restored backup into service, then runs until its context
// ends: the scheduler's minute tick, the dispatcher that sends what is due
// through each channel's transport, the Telegram bot and the staff desk in
// it, the periodic jobs (banner reminders, the Zalo follower sync), one
// alert queue that tells staff, the lease's heartbeat and the HTTP server
// (/healthz, /metrics, webhooks). Every goroutine Run starts is waited for
// before it returns; sends in flight get delivery.drain to finish.
//
// The daemon only wires: the rules live in the scheduler, the channels and
// the services (office, editorial), which the CLI calls too.
package daemon
