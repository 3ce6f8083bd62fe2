package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// TestMain lets testscript run the real binary's entry point as `thonghanh`.
// It runs in the scripts' processes too: they keep argon2id cheap, so that
// every login and every key wrap of a scenario costs milliseconds.
func TestMain(m *testing.M) {
	seal.DefaultKeyParams = seal.CheapKeyParams
	store.DefaultPasswordParams = seed.DemoPasswordParams
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
