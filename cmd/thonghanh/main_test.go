package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real binary's entry point as `thonghanh`.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"thonghanh": func() {
			os.Exit(run(context.Background(), os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
		},
	})
}

// TestScripts runs the command-line scenarios in testdata/script: each is a
// user's session at a shell, with the outputs they would read.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
