// Package office is the ward office's use cases over the ledger: what will
// go out and to how many (the plan), what went out (runs and their
// deliveries), the tasks people in the field complete and their
// confirmations, and the banner plan with its reminders and the rule that
// only approved slogans are hung.
//
// Every presenter (the CLI, the staff bot, the dashboard) calls an Office
// with the acting staff.Actor and formats the data it returns; a rule such
// as "a person confirms only their own tasks" is written here once.
package office
