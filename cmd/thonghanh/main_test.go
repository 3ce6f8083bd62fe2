package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// TestMain lets testscript run the real binary's entry point as `thonghanh`.
// Passwords and signing keys are stretched with cheap argon2id costs, in
// the scripts' `thonghanh` processes too: the real costs are store's and
// seal's tests' business, and here they would only make every demo account,
// login and key unlock seconds slower under -race, teaching nothing.
func TestMain(m *testing.M) {
	seal.DefaultKeyParams = seal.CheapKeyParams
	store.DefaultPasswordParams = store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
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
