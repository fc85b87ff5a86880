package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/govlint/govlint/internal/dashboard"
	"github.com/govlint/govlint/internal/history"
)

type serveFlags struct {
	db, out, addr, token string
}

func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve --db DB",
		Short: "serve a read-only web dashboard over the history database",
		Long: `启动只读的网页看板：最近一批检查的排名、每个网站的得分趋势与可用性、
与上次检查相比新增/已整改/仍存在的问题、每次检查的完整报告（HTML、PDF），
以及每条问题在 WARC 快照中的存档证据（沙箱回放，不访问原网站）。

默认只监听本机（127.0.0.1）。监听其他地址必须用 --auth-token 设置访问令牌
（也可用环境变量 GOVLINT_AUTH_TOKEN），否则拒绝启动。

Serve a read-only dashboard over the history database. Loopback only by
default; a non-loopback --addr requires --auth-token.`,
		Example: `  govlint serve --db govlint.db --out out/2026-11
  GOVLINT_AUTH_TOKEN=s3cret govlint serve --db govlint.db --addr 0.0.0.0:8080`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 {
				return usagef("serve", "serve takes no arguments, got %d", len(args))
			}
			if f.token == "" {
				f.token = os.Getenv("GOVLINT_AUTH_TOKEN")
			}
			return runServe(cmd.Context(), f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "history database: a SQLite file or a postgres:// URL (required)")
	fl.StringVar(&f.out, "out", "", "batch output directory, where snapshots are looked for when their recorded paths moved")
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address; anything but loopback needs --auth-token")
	fl.StringVar(&f.token, "auth-token", "", "access token required of every request (bearer token or login form); default $GOVLINT_AUTH_TOKEN")
	return cmd
}

// loopbackAddr says whether a listen address only accepts local
// connections: a loopback IP or "localhost". An empty host listens on
// every interface.
func loopbackAddr(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback(), nil
}

func runServe(ctx context.Context, f serveFlags, stdout, stderr io.Writer) error {
	if f.db == "" {
		return usagef("serve", "--db is required: the history database written by batch/audit --db")
	}
	local, err := loopbackAddr(f.addr)
	if err != nil {
		return usagef("serve", "--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080: %v", f.addr, err)
	}
	if !local && f.token == "" {
		return usagef("serve", "--addr %s is not a loopback address: anyone who can reach it could read every report; give --auth-token TOKEN (or GOVLINT_AUTH_TOKEN), or listen on 127.0.0.1", f.addr)
	}
	if f.out != "" {
		if st, err := os.Stat(f.out); err != nil || !st.IsDir() {
			return usagef("serve", "--out %s is not a directory", f.out)
		}
	}
	if !history.IsPostgresURL(f.db) {
		// serve reads; it must not create an empty database by mistake.
		if _, err := os.Stat(f.db); err != nil {
			return usagef("serve", "--db %s: %v", f.db, err)
		}
	}
	st, err := history.OpenStore(ctx, f.db)
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	defer st.Close()
	h, err := dashboard.New(dashboard.Options{Store: st, OutDir: f.out, Token: f.token, Log: log.New(stderr, "", log.LstdFlags)})
	if err != nil {
		return &codeError{code: exitError, err: err}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return &codeError{code: exitError, err: fmt.Errorf("serve: listen on %s: %w", f.addr, err)}
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(stderr, "", log.LstdFlags)}
	fmt.Fprintf(stdout, "govlint 看板：http://%s/ （只读；按 Ctrl-C 退出）\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return &codeError{code: exitError, err: fmt.Errorf("serve: %w", err)}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return &codeError{code: exitError, err: err}
	}
	return nil
}
