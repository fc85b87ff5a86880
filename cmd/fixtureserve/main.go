// Command fixtureserve serves a fixture site on the loopback interface for
// `make demo` and manual testing. It prints the site URL as the first line
// of stdout, then serves until SIGINT or SIGTERM.
//
//	fixtureserve -dir fixtures/sites/finance-bureau [-addr 127.0.0.1:0]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/govlint/govlint/internal/fixtureserver"
)

func main() {
	dir := flag.String("dir", "", "fixture site directory to serve (required)")
	addr := flag.String("addr", "127.0.0.1:0", "listen address; port 0 picks a free port")
	flag.Parse()
	if *dir == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: fixtureserve -dir DIR [-addr HOST:PORT]")
		os.Exit(2)
	}

	s, err := fixtureserver.Start(fixtureserver.Options{Dir: *dir, Addr: *addr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixtureserve:", err)
		os.Exit(1)
	}
	// The URL goes out first and alone on its line, so scripts can read it
	// with `head -n1`.
	fmt.Println(s.URL())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	s.Close()
}
