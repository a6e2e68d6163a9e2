package main

import (
	"errors"
	"fmt"
	"runtime"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/store"
)

func (a *app) versionCommand() *cobra.Command {
	return noConfig(&cobra.Command{
		Use:   "version",
		Short: "In phiên bản / print the version",
		Args:  args(0, ""),
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.stdout, "loa %s (%s)\n", version, runtime.Version())
			return nil
		},
	})
}

func (a *app) configCommand() *cobra.Command {
	cmd := group("config", "Cấu hình / configuration")
	cmd.AddCommand(noConfig(&cobra.Command{
		Use:   "check",
		Short: "In cấu hình đang dùng (ẩn bí mật) rồi kiểm tra / print the effective configuration (secrets redacted), then validate it",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(config.Options{Path: a.configPath, Flags: cmd.Flags()})
			var ve *config.ValidationError
			if err != nil && !errors.As(err, &ve) {
				return err
			}
			file := cfg.File
			if file == "" {
				file = a.t("(không có tệp, dùng mặc định)", "(no file, defaults)")
			}
			a.printf("Tệp cấu hình: %s\n\n", "Config file: %s\n\n", file)
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, kv := range cfg.Settings() {
				fmt.Fprintf(tw, "%s\t%s\n", kv[0], kv[1])
			}
			tw.Flush()
			fmt.Fprintln(a.stdout)
			if ve != nil {
				a.printProblems(ve)
				return err
			}
			a.printf("Cấu hình hợp lệ.\n", "The configuration is valid.\n")
			return nil
		},
	}))
	return cmd
}

func (a *app) dbCommand() *cobra.Command {
	cmd := group("db", "Cơ sở dữ liệu / the database")
	cmd.AddCommand(&cobra.Command{
		Use:   "migrate",
		Short: "Cập nhật cấu trúc cơ sở dữ liệu / apply pending schema migrations",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			v, err := db.Version(cmd.Context())
			if err != nil {
				return err
			}
			a.printf("Cơ sở dữ liệu %s ở phiên bản %d.\n", "Database %s is at version %d.\n", db.Path(), v)
			return nil
		}),
	}, &cobra.Command{
		Use:   "backup FILE",
		Short: "Sao lưu khi đang chạy / back up safely while the daemon runs",
		Args:  args(1, "FILE"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			if err := db.Backup(cmd.Context(), argv[0], a.now()); err != nil {
				return err
			}
			a.printf("Đã sao lưu %s vào %s (đã kiểm tra toàn vẹn).\n", "Backed up %s to %s (integrity checked).\n", db.Path(), argv[0])
			return nil
		}),
	}, &cobra.Command{
		Use:   "check",
		Short: "Kiểm tra toàn vẹn / run the integrity and foreign-key checks",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			problems, err := db.Check(cmd.Context())
			if err != nil {
				return err
			}
			for _, p := range problems {
				fmt.Fprintln(a.stdout, p)
			}
			if len(problems) > 0 {
				return fmt.Errorf("%s: %d problems", db.Path(), len(problems))
			}
			a.printf("%s: toàn vẹn, không có lỗi.\n", "%s: ok, no problems.\n", db.Path())
			return nil
		}),
	})
	return cmd
}
