package main

import (
	"errors"
	"flag"
	"fmt"
)

// newFlags makes a flag set whose --help prints Vietnamese usage to io.out and
// whose errors go to io.err; parse returns (done, exit status).
func newFlags(io stdio, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Cách dùng: thonghanh %s\n\n", synopsis)
		if description != "" {
			fmt.Fprintln(out, description)
			fmt.Fprintln(out)
		}
		fmt.Fprintln(out, "Tham số:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; ok is false when the command should stop with code.
func parseFlags(fs *flag.FlagSet, io stdio, args []string) (ok bool, code int) {
	fs.SetOutput(io.err)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		// --help is an answer, not an error: print to stdout and succeed.
		fs.SetOutput(io.out)
		fs.Usage()
		return false, exitOK
	}
	if err != nil {
		return false, exitUsage
	}
	return true, exitOK
}
