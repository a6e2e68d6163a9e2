package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/accounts"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// app is one invocation of loa: its streams, clock, flags and, once loaded,
// its configuration.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time

	configPath string
	lang       string
	as         string      // --as: the account acting, "" for the local administrator
	actor      staff.Actor // who acts, once the database is open

	cfg *config.Config
	log *slog.Logger
}

// run executes loa with args and returns the exit code. Tests call it as main does.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, now func() time.Time) int {
	// loa serve prints and logs from several goroutines; one lock keeps
	// lines whole, also when stdout and stderr are one file.
	var mu sync.Mutex
	stdout, stderr = &lockedWriter{mu: &mu, w: stdout}, &lockedWriter{mu: &mu, w: stderr}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, now: now}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	err = cobraError(err)
	var pe *fs.PathError
	if errors.As(err, &pe) && !isLocalized(err) { // a file named on the command line
		err = content.Errorf("không mở được %[1]s: %[2]s", "cannot open %[1]s: %[3]s", pe.Path, i18n.Error(i18n.FileError(pe.Err), "vi"), i18n.Error(i18n.FileError(pe.Err), "en"))
	}
	if a.lang == "" {
		a.lang = langFromArgs(args)
	}
	var ve *config.ValidationError
	if !errors.As(err, &ve) { // a validation error was printed in full already
		fmt.Fprintln(stderr, "loa: "+localize(err, a.lang))
	}
	if isUsage(err) {
		fmt.Fprintln(stderr, a.t("Xem \"loa help\".", `See "loa help".`))
		return exitUsage
	}
	return exitFailure
}

// usageError marks a mistake in how loa was called (exit code 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func isUsage(err error) bool {
	var ue usageError
	if errors.As(err, &ue) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") || strings.HasPrefix(msg, "required flag")
}

func usagef(vi, en string, args ...any) error { return usageError{content.Errorf(vi, en, args...)} }

func localize(err error, lang string) string {
	var l interface{ Localize(string) string }
	if errors.As(err, &l) {
		return l.Localize(lang)
	}
	return err.Error()
}

// langFromArgs finds --lang when flag parsing did not get that far.
func langFromArgs(args []string) string {
	for i, a := range args {
		if a == "--lang=en" || (a == "--lang" && i+1 < len(args) && args[i+1] == "en") {
			return "en"
		}
	}
	return "vi"
}

// t picks the Vietnamese or the English text; both may be formats.
func (a *app) t(vi, en string, args ...any) string {
	if a.lang == "en" {
		return fmt.Sprintf(en, args...)
	}
	return fmt.Sprintf(vi, args...)
}

// pick returns vi or en by the language, as they are (no formatting).
func (a *app) pick(vi, en string) string {
	if a.lang == "en" {
		return en
	}
	return vi
}

func (a *app) printf(vi, en string, args ...any) { fmt.Fprint(a.stdout, a.t(vi, en, args...)) }

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "loa",
		Short: "Loa: lịch, nội dung và phát tin các đợt truyền thông của phường / a ward's awareness campaigns",
		Long: `Loa lập lịch, duyệt và phát tin các đợt truyền thông của phường qua Zalo, Telegram,
loa truyền thanh và băng rôn, và ghi sổ mọi lượt gửi.

Loa schedules, approves and sends a ward's awareness campaigns over Zalo, Telegram,
loudspeakers and banners, and keeps a ledger of every delivery.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if a.lang != "vi" && a.lang != "en" {
				return usagef("--lang phải là vi hoặc en, không phải %q", "--lang must be vi or en, not %q", a.lang)
			}
			a.actor = staff.Local(defaultActor())
			if cmd.Annotations["config"] == "none" {
				return nil
			}
			return a.loadConfig(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cobraError(usageError{err}) })
	root.SetUsageTemplate(usageTemplate)
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", os.Getenv("LOA_CONFIG"), "tệp cấu hình / config file (default ./loa.yaml, then /etc/loa/loa.yaml)")
	pf.StringVar(&a.lang, "lang", "vi", "ngôn ngữ / language: vi, en")
	pf.StringVar(&a.as, "as", "", "tài khoản thực hiện (loa user list), với vai trò của tài khoản đó / the account acting, with its role (default: the server's local administrator)")
	pf.String("store-path", "", "tệp cơ sở dữ liệu / database file (store.path)")
	pf.String("log-level", "", "mức ghi log / log level: debug, info, warn, error (log.level)")
	pf.String("log-format", "", "định dạng log / log format: text, json (log.format)")
	root.AddCommand(
		a.versionCommand(), a.configCommand(), a.calendarCommand(), a.campaignCommand(),
		a.contentCommand(), a.dbCommand(), a.demoCommand(), a.serveCommand(), a.planCommand(), a.deliveriesCommand(), a.tasksCommand(), a.scheduleCommand(), a.benchCommand(), a.telegramCommand(), a.zaloCommand(), a.subscribersCommand(), a.broadcastsCommand(), a.bannersCommand(), a.slogansCommand(), a.reportCommand(), a.activitiesCommand(), a.sayCommand(), a.userCommand(), a.devCommand(),
	)
	localizeCobra(root)
	return root
}

// localizeCobra gives the commands and flags cobra adds by itself (help,
// completion, --help) the bilingual descriptions ours have.
func localizeCobra(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		c.Flags().Lookup("help").Usage = "trợ giúp cho lệnh này / help for this command"
		switch {
		case c == root:
		case c.Name() == "help" && c.Parent() == root:
			c.Short = "Trợ giúp cho một lệnh / help about any command"
			c.Long = "Trợ giúp cho một lệnh: loa help [lệnh]. / Help for any command: loa help [command]."
			c.Run = nil
			c.RunE = func(c *cobra.Command, args []string) error {
				cmd, _, err := root.Find(args)
				if err != nil || cmd == nil {
					return usagef("không có lệnh %q", "no command %q", strings.Join(args, " "))
				}
				return cmd.Help()
			}
		case c.Name() == "completion" && c.Parent() == root:
			c.Short = "Tự hoàn thành lệnh trong shell / the shell completion script"
			c.Long = "Tạo tệp tự hoàn thành lệnh cho bash, zsh, fish hoặc powershell. / Generate the completion script for bash, zsh, fish or powershell."
		case c.Parent() != nil && c.Parent().Name() == "completion" && c.Parent().Parent() == root:
			c.Short = "Tự hoàn thành lệnh cho " + c.Name() + " / the completion script for " + c.Name()
			c.Long = "In tệp tự hoàn thành lệnh cho " + c.Name() + "; xem tài liệu của " + c.Name() + " để nạp tệp. / Print the completion script for " + c.Name() + "; see " + c.Name() + "'s documentation to load it."
			if f := c.Flags().Lookup("no-descriptions"); f != nil {
				f.Usage = "không kèm mô tả / without descriptions"
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func defaultActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "cli"
}

func (a *app) loadConfig(cmd *cobra.Command) error {
	cfg, err := config.Load(config.Options{Path: a.configPath, Flags: cmd.Flags()})
	a.cfg = cfg
	if err != nil {
		var ve *config.ValidationError
		if errors.As(err, &ve) {
			a.printProblems(ve)
			if cfg.File == "" && a.configPath == "" {
				fmt.Fprintln(a.stderr, a.t("Không tìm thấy tệp cấu hình (đã tìm %s). Hãy chép loa.example.yaml thành loa.yaml rồi sửa, hoặc dùng --config.",
					"No config file found (looked for %s). Copy loa.example.yaml to loa.yaml and edit it, or pass --config.",
					strings.Join(config.DefaultSearchPaths, ", ")))
			}
		}
		return err
	}
	a.log = cfg.Logger(a.stderr)
	return nil
}

func (a *app) printProblems(ve *config.ValidationError) {
	fmt.Fprintln(a.stderr, a.t("Cấu hình có %d lỗi:", "The configuration has %d problems:", len(ve.Problems)))
	for _, p := range ve.Problems {
		fmt.Fprintln(a.stderr, "  "+p.In(a.lang))
	}
}

// loadConfigFrom loads the configuration file path, without flags (tests).
func (a *app) loadConfigFrom(path string) error {
	cfg, err := config.Load(config.Options{Path: path})
	if err != nil {
		return err
	}
	a.cfg, a.log = cfg, cfg.Logger(io.Discard)
	return nil
}

// openStore opens and migrates the database.
func (a *app) openStore(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(ctx, a.cfg.Store.Path)
	if err != nil {
		return nil, err
	}
	now := a.now()
	applied, err := db.Migrate(ctx, now)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		a.log.Debug("migrated database", "version", m.Version, "name", m.Name, "path", db.Path())
	}
	if err := db.SyncObservances(ctx, a.cfg.Calendar, now); err != nil {
		db.Close()
		return nil, err
	}
	if a.as != "" {
		u, err := a.accounts(db).Find(ctx, a.as)
		if err != nil {
			db.Close()
			return nil, err
		}
		a.actor = u.As(staff.CLI)
	}
	return db, nil
}

// office is the ward office's service over db.
func (a *app) office(db *store.DB) *office.Office {
	return daemon.NewOffice(a.cfg, db, a.now, a.newScheduler(db).Render)
}

// links issues task links; without http.public_url they point at
// http.addr, which only the office network reaches.
func (a *app) links(db *store.DB) *field.Links {
	l := daemon.NewLinks(a.cfg, db, a.office(db), a.now)
	if l.Base == "" {
		l.Base = "http://" + a.cfg.HTTP.Addr
	}
	return l
}

// who is the person acting: the account --as names, with its role, or the
// local administrator (the system user at the server's terminal).
func (a *app) who() staff.Actor { return a.actor }

// accounts is the ward office's accounts in db.
func (a *app) accounts(db *store.DB) *accounts.Directory { return daemon.NewAccounts(a.cfg, db, a.now) }

// deskOver is the content desk over an open db.
func (a *app) deskOver(db *store.DB) *editorial.Desk { return daemon.NewDesk(a.cfg, db, a.now) }

// withStore makes a command body that gets the open, migrated database and
// closes it after.
func (a *app) withStore(run func(cmd *cobra.Command, argv []string, db *store.DB) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, argv []string) error {
		db, err := a.openStore(cmd.Context())
		if err != nil {
			return err
		}
		defer db.Close()
		return run(cmd, argv, db)
	}
}

// withStoreID is withStore for commands whose first argument is an id
// (named what in errors): a bad id is a usage error before the database is
// opened.
func (a *app) withStoreID(what string, run func(cmd *cobra.Command, id int64, argv []string, db *store.DB) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, argv []string) error {
		id, err := parseID(argv[0], what)
		if err != nil {
			return err
		}
		return a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error { return run(cmd, id, argv, db) })(cmd, argv)
	}
}

// withDesk is withStore for commands that need the editorial desk.
func (a *app) withDesk(run func(cmd *cobra.Command, argv []string, desk *editorial.Desk) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, argv []string) error {
		db, err := a.openStore(cmd.Context())
		if err != nil {
			return err
		}
		defer db.Close()
		desk := a.deskOver(db)
		return run(cmd, argv, desk)
	}
}

// newScheduler is the scheduler the configuration describes, for commands
// that plan or render (the daemon makes its own).
func (a *app) newScheduler(db *store.DB) *scheduler.Scheduler {
	return daemon.NewScheduler(a.cfg, db, a.log, nil, nil)
}

// today is the current civil date in the ward.
func (a *app) today() content.Date { return content.DateOf(a.now()) }

// args checks the number of positional arguments, as a usage error.
func args(n int, names string) cobra.PositionalArgs {
	return func(_ *cobra.Command, got []string) error {
		switch {
		case len(got) == n:
		case n == 0:
			return usagef("lệnh này không nhận tham số (có %q)", "this command takes no arguments (got %q)", strings.Join(got, " "))
		default:
			return usagef("cần %d tham số: %s (có %d)", "takes %d argument(s): %s (got %d)", n, names, len(got))
		}
		return nil
	}
}

// group returns a command that only holds subcommands: alone it prints its
// help; with an unknown subcommand it is a usage error.
func group(use, short string) *cobra.Command {
	return noConfig(&cobra.Command{
		Use:   use,
		Short: short,
		Args: func(_ *cobra.Command, got []string) error {
			if len(got) > 0 {
				return usagef("lệnh không có: %q", "unknown command %q", got[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	})
}

func noConfig(c *cobra.Command) *cobra.Command {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations["config"] = "none"
	return c
}

// lockedWriter writes to w holding mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// cobra's own mistakes, in both languages (cobra writes them in English).
var (
	unknownCommand = regexp.MustCompile(`^unknown command "([^"]*)" for "[^"]*"(?s:.*?Did you mean this\?\s+(\S+))?`)
	unknownFlag    = regexp.MustCompile(`^unknown (?:shorthand )?flag: (?:'(.)' in )?(\S+)`)
	needsArgument  = regexp.MustCompile(`^flag needs an argument: (?:'(.)' in )?(\S+)`)
	invalidValue   = regexp.MustCompile(`^invalid argument "([^"]*)" for "([^"]*)" flag: (.*)`)
	requiredFlags  = regexp.MustCompile(`^required flag\(s\) (.*) not set`)
)

// cobraError says one of cobra's errors in Vietnamese and English; other
// errors come back as they are.
func cobraError(err error) error {
	msg := err.Error()
	switch {
	case unknownCommand.MatchString(msg):
		p := unknownCommand.FindStringSubmatch(msg)
		if p[2] != "" {
			return usagef("không có lệnh %q; có phải là %q?", "there is no command %q; did you mean %q?", p[1], p[2])
		}
		return usagef("không có lệnh %q", "there is no command %q", p[1])
	case unknownFlag.MatchString(msg):
		p := unknownFlag.FindStringSubmatch(msg)
		return usagef("không có cờ %s", "there is no flag %s", p[2])
	case needsArgument.MatchString(msg):
		p := needsArgument.FindStringSubmatch(msg)
		return usagef("cờ %s cần một giá trị", "the flag %s needs a value", p[2])
	case invalidValue.MatchString(msg):
		p := invalidValue.FindStringSubmatch(msg)
		vi := "giá trị %q của cờ %s không hợp lệ"
		if strings.Contains(p[3], "strconv.Parse") {
			vi = "giá trị %q của cờ %s không phải một số"
		}
		return usagef(vi, "%q is not a valid value of %s", p[1], p[2])
	case requiredFlags.MatchString(msg):
		return usagef("thiếu cờ bắt buộc: %s", "a required flag is missing: %s", requiredFlags.FindStringSubmatch(msg)[1])
	}
	return err
}

// usageTemplate is cobra's help, its headings in both languages.
const usageTemplate = `Cách dùng / Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [lệnh / command]{{end}}{{if gt (len .Aliases) 0}}

Tên khác / Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Ví dụ / Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Các lệnh / Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Cờ / Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Cờ chung / Global flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Xem thêm về một lệnh / More about a command: "{{.CommandPath}} [lệnh / command] --help"{{end}}
`

func isLocalized(err error) bool {
	var l interface{ Localize(string) string }
	return errors.As(err, &l)
}
