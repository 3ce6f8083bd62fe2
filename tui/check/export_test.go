package check

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seed"
)

// CheckpointDesk is a vector desk ready for `thonghanh check`'s program: a
// desk record, which the login screen needs, the vectors' checker and a
// clerk ("canbo"), the clock of the first case. It returns that case's text,
// a valid permit.
func CheckpointDesk(t *testing.T) (*store.DB, string) {
	d := newVectorDesk(t)
	ctx := context.Background()
	c := d.vf.Cases[0]
	d.reset(t, c.Checker.At, 0, nil)
	if err := d.db.Write(ctx, func(tx *store.Tx) error {
		return tx.PutDesk(store.Desk{ID: "desk-1", Unit: 28249, Number: 1, Label: "Chốt Xã 28249, máy 1"}, true)
	}); err != nil {
		t.Fatal(err)
	}
	hash, _ := store.HashPassword(seed.DemoPassword, store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1})
	if _, err := d.db.CreateOfficer(ctx, "", store.NewOfficer{Username: "canbo", FullName: "Trần Thị Cán", Unit: 28249,
		Roles: []store.Role{store.RoleClerk}, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return d.db, c.Text
}

// Keystrokes are the keys a USB scanner types for text.
func Keystrokes(text string) []tea.Msg { return keystrokes(text) }

// Drive delivers msgs and runs the commands they return, as a program would.
func Drive(t *testing.T, update func(tea.Msg) tea.Cmd, msgs ...tea.Msg) { drive(t, update, msgs...) }

// AssertFits fails when a line of view is wider than w or it has more than h lines.
func AssertFits(t *testing.T, view string, w, h int) { assertFits(t, view, w, h) }
