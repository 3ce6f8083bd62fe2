package main

import (
	"bytes"
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
// The flag package prints usage itself on -h and on errors; that output is
// held back so --help goes once to stdout (an answer, exit 0) and a bad flag
// once to stderr (exit 2).
func parseFlags(fs *flag.FlagSet, io stdio, args []string) (ok bool, code int) {
	var held bytes.Buffer
	fs.SetOutput(&held)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(io.out)
		fs.Usage()
		return false, exitOK
	case err != nil:
		io.err.Write(held.Bytes())
		return false, exitUsage
	}
	fs.SetOutput(io.err)
	return true, exitOK
}
