package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/office"
)

// planJSON is one line of `loa plan --json`.
type planJSON struct {
	Run      int64          `json:"run,omitempty"` // 0: not planned yet
	At       time.Time      `json:"at"`
	Local    string         `json:"local"`
	Campaign string         `json:"campaign"`
	Message  string         `json:"message"`
	Title    string         `json:"title"`
	Version  int            `json:"version"` // the approved version it would send, 0 if none
	Waiting  bool           `json:"waiting_for_approval"`
	State    string         `json:"state"`
	Note     string         `json:"note,omitempty"`
	Channels []string       `json:"channels"`
	Audience map[string]int `json:"audience"` // channel → estimated recipients
	MsgState content.State  `json:"message_state"`
	Warning  string         `json:"warning,omitempty"` // e.g. the same message on the same channel twice within a day
}

func (a *app) planCommand() *cobra.Command {
	var days int
	var asJSON, missed bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Những gì sẽ gửi: giờ, tin, kênh, số người nhận / what will go out: when, which message, where, to how many",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days < 1 || days > 400 {
				return usagef("--days từ 1 đến 400", "--days must be 1 to 400")
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			var lines []office.PlanLine
			if missed {
				lines, err = a.office(db).Missed(cmd.Context())
			} else {
				lines, err = a.office(db).Plan(cmd.Context(), a.now(), a.now().Add(time.Duration(days)*24*time.Hour))
			}
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				out := []planJSON{}
				for _, l := range lines {
					out = append(out, a.planJSON(l))
				}
				return enc.Encode(out)
			}
			return a.printPlan(lines, missed, days)
		},
	}
	cmd.Flags().IntVar(&days, "days", 30, "bao nhiêu ngày tới / how many days ahead")
	cmd.Flags().BoolVar(&asJSON, "json", false, "in JSON / print JSON")
	cmd.Flags().BoolVar(&missed, "missed", false, "các lượt đã lỡ (không gửi muộn) / runs that were missed (never sent late)")
	return cmd
}

func (a *app) planJSON(l office.PlanLine) planJSON {
	j := planJSON{Run: l.Run, At: l.At, Local: localTime(l.At), Campaign: l.Campaign, Message: l.Message, Title: l.Title,
		Version: l.Version, Waiting: l.Waiting, State: a.planState(l), Note: l.Note, Audience: map[string]int{},
		MsgState: l.MsgState, Warning: a.repeatWarning(l)}
	for _, ch := range l.Channels {
		j.Channels = append(j.Channels, string(ch))
		j.Audience[string(ch)] = l.Audience[ch]
	}
	return j
}

// planState is a plan line's run state for people.
func (a *app) planState(l office.PlanLine) string {
	if l.State == "" {
		return a.t("chưa lập", "not yet planned")
	}
	return l.State.Label(a.lang)
}

func (a *app) repeatWarning(l office.PlanLine) string {
	if l.Repeat == nil {
		return ""
	}
	return a.t("cùng tin này đã gửi qua %s lúc %s theo một lịch khác: người dân sẽ nhận hai lần trong một ngày",
		"the same message goes on %s at %s by another schedule: residents would get it twice in a day", l.Repeat.Channel, localTime(l.Repeat.Earlier))
}

func (a *app) printPlan(lines []office.PlanLine, missed bool, days int) error {
	if len(lines) == 0 {
		if missed {
			a.printf("Không có lượt nào bị lỡ.\n", "No missed runs.\n")
		} else {
			a.printf("Không có gì sẽ gửi trong %d ngày tới.\n", "Nothing goes out in the next %d days.\n", days)
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, a.t("GIỜ\tTIN\tBẢN\tKÊNH (NGƯỜI NHẬN)\tTRẠNG THÁI", "TIME\tMESSAGE\tVERSION\tCHANNELS (RECIPIENTS)\tSTATE"))
	for _, l := range lines {
		version := fmt.Sprintf("v%d", l.Version)
		if l.Waiting {
			version = a.t("chờ duyệt", "NOT APPROVED")
			if l.Version > 0 {
				version = a.t("v%d, bản mới chờ duyệt", "v%d, new version not approved", l.Version)
			}
		}
		var chans []string
		for _, ch := range l.Channels {
			chans = append(chans, fmt.Sprintf("%s (%d)", a.channel(ch), l.Audience[ch]))
		}
		state := a.planState(l)
		if l.Note != "" {
			state += ": " + l.Note
		}
		if w := a.repeatWarning(l); w != "" {
			state += " ⚠ " + w
		}
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\n", localTime(l.At), l.Campaign, l.Message, version, strings.Join(chans, ", "), state)
	}
	return tw.Flush()
}
