// Command thonghanh is the one binary of Thông Hành: the desk TUI, the central
// server, the offline verifier, printing and imports.
//
// This package is wiring only: it parses flags, opens the store and hands over
// to tui, store/batchsync or print. Rules live in store; screens live in tui. Each
// subcommand sits in its own file and registers itself in init, so that the
// list of commands and their help come from one place.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit statuses shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// stdio is what a subcommand reads from and writes to; tests swap it.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// command is one subcommand: `thonghanh NAME ...`.
type command struct {
	name    string
	summary string // one line, Vietnamese, shown in `thonghanh --help`
	run     func(ctx context.Context, args []string, io stdio) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("thonghanh: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand. With no arguments it opens the desk TUI.
func run(ctx context.Context, args []string, io stdio) int {
	// No command, or flags first (`thonghanh --db FILE`): the desk TUI.
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		args = append([]string{"desk"}, args...)
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		usage(io.out)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(io.err, "thonghanh: không có lệnh %q\n\n", name)
		usage(io.err)
		return exitUsage
	}
	return c.run(ctx, args[1:], io)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Thông Hành — cấp và kiểm tra giấy đi đường có mã QR")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Cách dùng: thonghanh [LỆNH] [THAM SỐ]   (không có lệnh: mở màn hình làm việc)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Các lệnh:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Mỗi lệnh có --help riêng, ví dụ: thonghanh verify --help")
}

// subcommandHelp lists a command's own subcommands (e.g. `server init`) for help text.
func subcommandHelp(w io.Writer, title string, subs map[string]string) {
	fmt.Fprintln(w, title)
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, subs[n])
	}
}

// subcommand dispatches `thonghanh NAME SUB ...`, printing the list of
// subcommands for --help (exit 0) or a wrong one (exit 2).
func subcommand(ctx context.Context, name, synopsis string, args []string, io stdio, subs map[string]string,
	run map[string]func(context.Context, []string, stdio) int) int {
	if len(args) > 0 {
		if f, ok := run[args[0]]; ok {
			return f(ctx, args[1:], io)
		}
	}
	w, code := io.err, exitUsage
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		w, code = io.out, exitOK
	} else if len(args) > 0 {
		fmt.Fprintf(io.err, "%s: không có lệnh %q\n\n", name, args[0])
	}
	subcommandHelp(w, "Cách dùng: thonghanh "+synopsis, subs)
	return code
}
