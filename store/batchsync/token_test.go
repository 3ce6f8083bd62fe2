package batchsync

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"thonghanh/store"
	"thonghanh/store/central"
)

func deskToken(t testing.TB, desk *store.DB) string {
	t.Helper()
	tok, ok, err := desk.Setting(context.Background(), store.SettingSyncToken)
	if err != nil || !ok {
		t.Fatalf("desk token: %v", err)
	}
	return string(tok)
}

// tokenWorks reports whether the central takes tok, failing on anything but
// a refusal of the token itself.
func tokenWorks(t testing.TB, e *env, tok string) bool {
	t.Helper()
	_, err := e.central.AuthenticateDesk(context.Background(), tok)
	if err != nil && store.ErrorCode(err) != store.EAuth {
		t.Fatal(err)
	}
	return err == nil
}

// A token older than a day is replaced in a pull answer; the old one stays
// good until the new one is used, then it is dead: a token copied off the
// desk stops working once the desk has synced twice.
func TestTokenRotatesInAPullAndTheOldOneDiesOnceTheNewIsUsed(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 3)
	c := e.client(desk, nil)
	mustSync(t, c)
	tok0 := deskToken(t, desk)
	if tok := deskToken(t, desk); tok != tok0 {
		t.Fatal("a fresh token was rotated")
	}
	e.setClock(sept21.Add(central.TokenRotateAfter + 1))
	mustSync(t, c)
	tok1 := deskToken(t, desk)
	if tok1 == tok0 {
		t.Fatal("a token older than a day was not rotated in the pull")
	}
	if !tokenWorks(t, e, tok0) || !tokenWorks(t, e, tok1) {
		t.Fatal("until the new token is used, both must work")
	}
	mustSync(t, c)
	if tokenWorks(t, e, tok0) {
		t.Fatal("the replaced token still works after the new one was used")
	}
	if deskToken(t, desk) != tok1 {
		t.Fatal("the token rotated again within the day")
	}
	checkExactlyOnce(t, e.central, desk, true)
}

// An answer lost on the way, or a desk that crashes before it keeps the page,
// leaves the desk its old token, still good: the next round rotates again.
func TestLostRotationLocksNoDeskOut(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	tok0 := deskToken(t, desk)
	var lose atomic.Bool
	c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := rt.RoundTrip(r)
			if err == nil && r.URL.Path == PathPull && lose.CompareAndSwap(true, false) {
				resp.Body.Close()
				return nil, errors.New("connection reset by peer (the answer was lost)")
			}
			return resp, err
		})
	})
	e.setClock(sept21.AddDate(0, 0, 3))
	lose.Store(true)
	if err := c.Sync(context.Background()); err == nil || errors.Is(err, ErrRevoked) {
		t.Fatalf("sync with its pull answer lost = %v", err)
	}
	crashes := 0
	c.beforeCursor = func() error {
		if crashes++; crashes == 1 {
			return errors.New("the desk lost power")
		}
		return nil
	}
	if err := c.Sync(context.Background()); err == nil || errors.Is(err, ErrRevoked) {
		t.Fatalf("sync that crashed before keeping the page = %v", err)
	}
	if deskToken(t, desk) != tok0 || !tokenWorks(t, e, tok0) {
		t.Fatal("after two lost rotations the desk's own token must still be the old one, and good")
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM device_tokens WHERE revoked_at = 0`); n > 2 {
		t.Fatalf("lost rotations left %d live tokens", n)
	}
	mustSync(t, c)
	mustSync(t, c)
	if deskToken(t, desk) == tok0 || tokenWorks(t, e, tok0) {
		t.Fatal("the token did not rotate once the answers came through")
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM device_tokens WHERE revoked_at = 0`); n != 1 {
		t.Fatalf("%d live tokens for one desk, want 1", n)
	}
}

// A desk back after weeks offline syncs (and gets a new token); a token not
// used for more than 90 days has expired, and the desk says so.
func TestTokenExpiresAfter90DaysUnused(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 2)
	c := e.client(desk, nil)
	e.setClock(sept21.AddDate(0, 0, 89))
	mustSync(t, c)
	if deskToken(t, desk) == "" || !tokenWorks(t, e, deskToken(t, desk)) {
		t.Fatal("no working token after 89 days offline")
	}
	submit(t, desk, unitA, 2)
	pending := outboxStates(t, desk)[store.OpPending]
	e.setClock(sept21.AddDate(0, 0, 89+91))
	err := c.Sync(context.Background())
	if !errors.Is(err, ErrRevoked) || !strings.Contains(err.Error(), "hết hạn") {
		t.Fatalf("sync after 91 days unused = %v, want the token expired", err)
	}
	if st := outboxStates(t, desk); pending == 0 || st[store.OpPending] != pending {
		t.Fatalf("outbox after expiry: %v, want the new ops kept pending", st)
	}
}

// A server restored from a backup older than the desk's token does not know
// it: the desk takes the earlier token it kept, and syncs everything again.
func TestDeskSyncsWithAServerRestoredFromBeforeItsToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 5)
	c := e.client(desk, nil)
	mustSync(t, c)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := e.central.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	e.setClock(sept21.AddDate(0, 0, 2))
	submit(t, desk, unitA, 5)
	mustSync(t, c) // a new token
	mustSync(t, c) // used: the old one is retired on the live server
	e.restoreCentral(backup)
	if tokenWorks(t, e, deskToken(t, desk)) {
		t.Fatal("the restored server knows a token issued after its backup: nothing was tested")
	}
	c = e.client(desk, nil)
	mustSync(t, c)
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications`); n != 10 {
		t.Fatalf("after resync the server has %d applications, want 10", n)
	}
	checkExactlyOnce(t, e.central, desk, true)
}
