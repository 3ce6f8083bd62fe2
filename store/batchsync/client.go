package batchsync

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"thonghanh/store"
	"thonghanh/store/wire"
)

// State is what the desk's header and Đồng bộ screen show. Its fields are
// those of the TUI's common.SyncState, so an adapter converts it directly.
type State struct {
	Online      bool
	Pending     int // outbox ops not yet answered by the server
	LastSuccess time.Time
	LastError   string
	Running     bool
	Done, Total int // progress of the running round, in ops
	// ListsAt is when the feed was last read to its end (zero: never):
	// the age of the desk's lists and of what it knows of other
	// entrances' uses.
	ListsAt time.Time
	// Busy is the last round's push told to come back later (429): the
	// ops wait on the desk, nothing is wrong with them or the network.
	Busy bool
}

// ScanningInterval is the round interval of a desk that scans at a market
// entrance or checkpoint (`thonghanh check`): its scans go out at once
// (SyncNow after each), and this bounds how late it learns the uses made
// at the other entrances of its commune, well within the 30 seconds a
// household needs to walk from one entrance to the next.
const ScanningInterval = 10 * time.Second

// ClientOptions shape a Client. Empty URL, Token and Pin are read from the
// desk's settings (written at enrollment).
type ClientOptions struct {
	URL, Token, Pin string
	// WrapTransport wraps the pinned HTTPS transport (tests inject faults).
	WrapTransport func(http.RoundTripper) http.RoundTripper
	// Interval between rounds while all is well; default 2 minutes.
	Interval time.Duration
	// MinBackoff and MaxBackoff bound the exponential backoff (with full
	// jitter) after a failed round; defaults 2 s and 10 minutes.
	MinBackoff, MaxBackoff time.Duration
	// RequestTimeout bounds one HTTP exchange; default 2 minutes.
	RequestTimeout time.Duration
	PageSize       int // changes per pull; default 500
	Logger         *slog.Logger
}

// maxResponse caps a decompressed response body.
const maxResponse = 64 << 20

// Client is the desk's side of sync: it pushes the outbox and pulls the
// change feed, on demand (Sync, SyncNow) and in a background loop (Run,
// Start). It is safe for concurrent use; rounds never overlap.
type Client struct {
	db     *store.DB
	opt    ClientOptions
	http   *http.Client
	base   string
	token  string
	deskID string
	log    *slog.Logger

	round   sync.Mutex // one round at a time
	trigger chan struct{}

	mu      sync.Mutex
	state   State
	revoked bool
	looping bool

	// beforeCursor runs inside the pull transaction before the cursor moves
	// (tests crash there).
	beforeCursor func() error
	// wait maps the wait Run chose after a round to the one it waits
	// (tests read the first and shorten the second); nil: as chosen.
	wait func(d time.Duration, busy bool) time.Duration
}

// defaultRequestTimeout bounds one exchange unless ClientOptions say
// otherwise; the centre's DefaultBusyAfter is chosen well inside it.
const defaultRequestTimeout = 2 * time.Minute

// maxBusyWait bounds the Retry-After a desk honours: a centre's mistake
// must not silence a desk for hours.
const maxBusyWait = 10 * time.Minute

// defaultBusyWait is the wait of a 429 without a usable Retry-After.
const defaultBusyWait = 30 * time.Second

// NewClient prepares the desk's client over db (an enrolled desk). Ops a
// crash left in flight go back to pending here, before anything is sent.
func NewClient(ctx context.Context, db *store.DB, opt ClientOptions) (*Client, error) {
	desk, err := db.Desk(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotEnrolled, err)
	}
	setting := func(v *string, key string) {
		if *v == "" {
			if b, ok, _ := db.Setting(ctx, key); ok {
				*v = string(b)
			}
		}
	}
	setting(&opt.URL, store.SettingSyncURL)
	setting(&opt.Token, store.SettingSyncToken)
	setting(&opt.Pin, store.SettingSyncPin)
	if opt.URL == "" || opt.Token == "" || opt.Pin == "" {
		return nil, ErrNotEnrolled
	}
	if opt.Interval <= 0 {
		opt.Interval = 2 * time.Minute
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 2 * time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(10*time.Minute, opt.MinBackoff)
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = defaultRequestTimeout
	}
	if opt.PageSize <= 0 || opt.PageSize > 1000 {
		opt.PageSize = 500
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	var rt http.RoundTripper = pinnedTransport(NormalizePin(opt.Pin), nil)
	if opt.WrapTransport != nil {
		rt = opt.WrapTransport(rt)
	}
	if n, err := db.ResetInFlight(ctx); err != nil {
		return nil, fmt.Errorf("đưa thao tác đang gửi dở về hàng chờ: %w", err)
	} else if n > 0 {
		opt.Logger.Info("ops left in flight by a crash are pending again", slog.Int64("ops", n))
	}
	c := &Client{db: db, opt: opt, http: &http.Client{Transport: rt}, base: strings.TrimRight(opt.URL, "/"),
		token: opt.Token, deskID: desk.ID, log: opt.Logger, trigger: make(chan struct{}, 1)}
	c.state.Pending, _ = db.OutboxWaiting(ctx)
	c.state.ListsAt = db.LastPulled(ctx)
	return c, nil
}

// State is a snapshot for the screen.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Revoked reports whether the server refused this desk's token: sync has
// stopped for good until the desk is enrolled again.
func (c *Client) Revoked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.revoked
}

// SyncNow asks for a round at once and returns. With the background loop
// running it wakes the loop; without it, it runs one round in the
// background, bounded by a timeout.
func (c *Client) SyncNow() {
	c.mu.Lock()
	looping := c.looping
	c.mu.Unlock()
	if looping {
		select {
		case c.trigger <- struct{}{}:
		default: // a round is already asked for
		}
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*c.opt.RequestTimeout)
		defer cancel()
		c.Sync(ctx)
	}()
}

// Run syncs in the background until ctx is done or the token is revoked:
// a round at once, then every Interval, sooner on SyncNow; after a failure
// it waits with exponential backoff and full jitter, capped at MaxBackoff.
func (c *Client) Run(ctx context.Context) error {
	c.mu.Lock()
	c.looping = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.looping = false
		c.mu.Unlock()
	}()
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	busy := false // waiting out a 429: SyncNow does not cut the wait short
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-c.trigger:
			if busy {
				// A checkpoint asks after every scan; the scan waits in
				// the outbox for the round the centre asked for.
				continue
			}
		}
		busy = false
		err := c.Sync(ctx)
		var be *BusyError
		var wait time.Duration
		switch {
		case errors.Is(err, ErrRevoked):
			c.log.Error("sync stopped: token revoked")
			return err
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &be):
			// The centre answered: not a failure of the network, no
			// backoff grows; its wait replaces the interval.
			busy, wait = true, be.Wait
			c.log.Info("centre busy", slog.Duration("retry_in", wait))
		case err != nil:
			failures++
			wait = c.backoff(failures)
			c.log.Warn("sync failed", slog.Any("err", err), slog.Duration("retry_in", wait))
		default:
			failures = 0
			wait = c.opt.Interval
		}
		if c.wait != nil {
			wait = c.wait(wait, busy)
		}
		timer.Reset(wait)
	}
}

// Start runs Run in a goroutine; stop cancels it and waits for it to end.
func (c *Client) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// backoff is full jitter over an exponential ceiling: uniform in
// [MinBackoff/2, min(MaxBackoff, MinBackoff·2^(n-1))].
func (c *Client) backoff(failures int) time.Duration {
	ceil := c.opt.MinBackoff << min(failures-1, 30)
	if ceil <= 0 || ceil > c.opt.MaxBackoff {
		ceil = c.opt.MaxBackoff
	}
	floor := c.opt.MinBackoff / 2
	return floor + rand.N(ceil-floor+1)
}

// Sync runs one whole round now: compare books with the server, push every
// pending op (in batches the server allows, split on 413), then pull every
// page of changes. It returns the first batch-level failure; ops it could
// not send stay pending for the next round.
func (c *Client) Sync(ctx context.Context) error {
	c.round.Lock()
	defer c.round.Unlock()
	if c.Revoked() {
		return ErrRevoked
	}
	waiting, _ := c.db.OutboxWaiting(ctx)
	c.update(func(s *State) { s.Running, s.Done, s.Total, s.Pending = true, 0, waiting, waiting })
	err := c.round1(ctx)
	waiting, _ = c.db.OutboxWaiting(context.WithoutCancel(ctx))
	c.update(func(s *State) {
		s.Running, s.Pending = false, waiting
		if err != nil {
			s.LastError = err.Error()
			var he *HTTPError
			s.Online = errors.As(err, &he) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrRevoked) || errors.Is(err, ErrBusy)
			s.Busy = errors.Is(err, ErrBusy)
			return
		}
		s.Online, s.LastError, s.LastSuccess, s.Busy = true, "", time.Now(), false
	})
	if errors.Is(err, ErrRevoked) {
		c.mu.Lock()
		c.revoked = true
		c.mu.Unlock()
	}
	return err
}

func (c *Client) update(f func(*State)) {
	c.mu.Lock()
	f(&c.state)
	c.mu.Unlock()
}

func (c *Client) round1(ctx context.Context) error {
	var cfg Config
	if err := c.do(ctx, http.MethodGet, PathConfig, nil, &cfg); err != nil {
		return err
	}
	c.update(func(s *State) { s.Online = true })
	if err := c.checkRestore(ctx, cfg); err != nil {
		return err
	}
	// A push the centre is too busy for stops the pushes of this round,
	// not the pull: the feed is read outside the centre's write queue, so
	// the desk still learns its decisions and revocations without making
	// the queue longer.
	perr := c.push(ctx, cfg)
	if perr != nil && !errors.Is(perr, ErrBusy) {
		return perr
	}
	if err := c.pull(ctx); err != nil {
		return errors.Join(perr, err)
	}
	return perr
}

// checkRestore notices a server restored from an older backup: it holds
// fewer of this desk's ops than the desk has settled, or its feed ends before
// the desk's cursor. Every settled op is then sent again (what the server
// still has comes back duplicate) and the feed is read from the start.
func (c *Client) checkRestore(ctx context.Context, cfg Config) error {
	settled, err := c.db.OutboxSettled(ctx)
	if err != nil {
		return err
	}
	cursor := c.cursor(ctx)
	if settled <= cfg.OpsHeld && cursor <= cfg.LastSeq {
		return nil
	}
	n, err := c.db.RequeueSettled(ctx)
	if err != nil {
		return err
	}
	c.log.Warn("server holds less than this desk sent: it was restored from a backup; sending everything again",
		slog.Int64("settled", settled), slog.Int64("server_holds", cfg.OpsHeld), slog.Int64("cursor", cursor), slog.Int64("server_seq", cfg.LastSeq),
		slog.Int64("requeued", n))
	return c.db.SetSetting(ctx, store.SettingSyncCursor, []byte("0"))
}

func (c *Client) cursor(ctx context.Context) int64 {
	v, ok, _ := c.db.Setting(ctx, store.SettingSyncCursor)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(string(v), 10, 64)
	return n
}

// push sends the pending ops in seq order. A round sends each op at most
// once: an op answered "retry later" waits for the next round.
func (c *Client) push(ctx context.Context, cfg Config) error {
	batch := min(cfg.MaxOps, 500)
	maxBytes := int(min(cfg.MaxBytes/2, 4<<20))
	var after int64
	skipped := 0
	for range 1_000_000 {
		ops, err := c.db.ClaimOutbox(ctx, after, batch, maxBytes)
		if err != nil {
			return fmt.Errorf("lấy thao tác chờ gửi: %w", err)
		}
		if len(ops) == 0 {
			break
		}
		results, err := c.send(ctx, ops)
		if err != nil {
			seqs := make([]int64, len(ops))
			for i, o := range ops {
				seqs[i] = o.Seq
			}
			release := c.db.ReleaseOutbox
			if errors.Is(err, ErrBusy) { // refused unread: the ops were not tried
				release = c.db.UnclaimOutbox
			}
			if rerr := release(context.WithoutCancel(ctx), seqs, err.Error()); rerr != nil {
				return errors.Join(err, rerr)
			}
			if !errors.Is(err, ErrTooLarge) {
				return err
			}
			if len(ops) == 1 { // one op alone is too big for a proxy: leave it, send the rest
				skipped++
				after = ops[0].Seq
				continue
			}
			batch, maxBytes = max(1, len(ops)/2), max(1, maxBytes/2)
			continue
		}
		if err := c.settle(ctx, ops, results); err != nil {
			return err
		}
		after = ops[len(ops)-1].Seq
		c.update(func(s *State) { s.Done += len(ops) })
	}
	if skipped > 0 {
		return fmt.Errorf("%w: %d thao tác quá lớn để gửi qua mạng này, vẫn nằm trong hàng chờ", ErrTooLarge, skipped)
	}
	return nil
}

func (c *Client) send(ctx context.Context, ops []store.OutboxOp) ([]store.OpResult, error) {
	req := PushRequest{DeskID: c.deskID, BatchID: store.NewID(time.Now()), SchemaVersion: store.SchemaVersion(),
		Ops: make([]store.PushOp, len(ops))}
	for i, o := range ops {
		req.Ops[i] = store.PushOp{OpID: o.OpID, Entity: o.Entity, EntityID: o.EntityID, Op: o.Op,
			Payload: json.RawMessage(o.Payload), Hash: hex.EncodeToString(o.PayloadHash)}
	}
	var resp PushResponse
	if err := c.do(ctx, http.MethodPost, PathPush, req, &resp); err != nil {
		return nil, err
	}
	return resp.Results, nil
}

// settle records the answers: an op missing from them stays pending.
func (c *Client) settle(ctx context.Context, ops []store.OutboxOp, results []store.OpResult) error {
	byID := make(map[string]store.OpResult, len(results))
	for _, r := range results {
		byID[r.OpID] = r
	}
	out := make([]store.Settlement, len(ops))
	for i, o := range ops {
		r, ok := byID[o.OpID]
		out[i] = store.Settlement{Seq: o.Seq, State: store.OpPending}
		if !ok {
			out[i].LastError = "máy chủ chưa trả lời thao tác này"
			continue
		}
		out[i].State, out[i].LastError = outboxState(r)
		if r.Status == store.PushConflict || r.Status == store.PushDuplicate && r.Original == store.PushConflict {
			out[i].Current = r.Current
		}
		out[i].Revoked, out[i].Reason, out[i].Code = r.Revoked, r.Message, r.Code
		if o.Entity == "audit" {
			out[i].Audit = o.Payload
		}
	}
	if err := c.db.SettleOutbox(context.WithoutCancel(ctx), out); err != nil {
		return fmt.Errorf("ghi kết quả đồng bộ: %w", err)
	}
	return nil
}

// outboxState maps the server's answer to the op's state on the desk.
func outboxState(r store.OpResult) (state, lastErr string) {
	status := r.Status
	if status == store.PushDuplicate {
		status = r.Original
	}
	msg := strings.TrimSpace(r.Code + ": " + r.Message)
	switch {
	case r.Retryable:
		return store.OpPending, msg
	case status == store.PushAccepted:
		return store.OpDone, ""
	case status == store.PushConflict:
		return store.OpConflict, msg
	case status == store.PushRejected || status == store.PushForbidden:
		return store.OpRejected, status + " " + msg
	}
	return store.OpPending, "trạng thái lạ từ máy chủ: " + r.Status
}

// pull reads every page after the cursor; each page and the cursor move in
// one transaction.
func (c *Client) pull(ctx context.Context) error {
	cursor := c.cursor(ctx)
	for range 1_000_000 {
		var page pullResponse
		path := PathPull + "?since=" + strconv.FormatInt(cursor, 10) + "&limit=" + strconv.Itoa(c.opt.PageSize)
		if err := c.do(ctx, http.MethodGet, path, nil, &page); err != nil {
			return err
		}
		if page.Next < cursor {
			return fmt.Errorf("%w: con trỏ lùi từ %d về %d", ErrNotProtocol, cursor, page.Next)
		}
		if err := c.db.ApplyChanges(ctx, page.Changes, page.Next, page.Token, c.beforeCursor); err != nil {
			return fmt.Errorf("áp dụng thay đổi từ máy chủ: %w", err)
		}
		if page.Token != "" {
			c.token = page.Token
			c.log.Info("device token rotated")
		}
		cursor = page.Next
		if !page.More {
			if err := c.db.MarkPulled(ctx); err != nil {
				return err
			}
			at := c.db.LastPulled(ctx)
			c.update(func(s *State) { s.ListsAt = at })
			return nil
		}
	}
	return nil
}

type validator interface{ Valid() bool }

// LookupPerson asks the centre for the holder of idNumber before the desk
// creates a person: found only when the desk's unit may serve them. An
// unreachable centre is an error; the intake then carries on offline.
func (c *Client) LookupPerson(ctx context.Context, idNumber string) (store.Person, bool, error) {
	var out wire.PersonLookup
	if err := c.do(ctx, http.MethodGet, PathPeople+"?id_number="+url.QueryEscape(idNumber), nil, &out); err != nil {
		return store.Person{}, false, err
	}
	if !out.Found {
		return store.Person{}, false, nil
	}
	return store.PersonFromWire(*out.Person), true, nil
}

// do runs one exchange. Only a 200/201 whose Content-Type is JSON and whose
// body parses with the expected fields counts as success.
//
// A token the server does not know (401 token_unknown) is that of a server
// restored from a backup older than the token: the desk tries the tokens it
// held before, newest first, keeps the first the server takes, and retries.
func (c *Client) do(ctx context.Context, method, path string, in any, out validator) error {
	err := exchange(ctx, c.http, c.opt.RequestTimeout, method, c.base+path, c.token, in, out)
	var te *tokenError
	if !errors.As(err, &te) || te.code != codeTokenUnknown {
		return err
	}
	raw, _, rerr := c.db.Setting(ctx, store.SettingSyncTokenPrevious)
	if rerr != nil {
		return err
	}
	for _, prev := range strings.Fields(string(raw)) {
		var cfg Config
		perr := exchange(ctx, c.http, c.opt.RequestTimeout, http.MethodGet, c.base+PathConfig, prev, nil, &cfg)
		if perr == nil {
			if ferr := c.db.FallBackToToken(context.WithoutCancel(ctx), prev); ferr != nil {
				return errors.Join(err, ferr)
			}
			c.log.Warn("the server did not know this desk's token: it was restored from an older backup; an earlier token was taken")
			c.token = prev
			return exchange(ctx, c.http, c.opt.RequestTimeout, method, c.base+path, c.token, in, out)
		}
		if !errors.As(perr, &te) || te.code != codeTokenUnknown {
			break
		}
	}
	return err
}

// tokenError is a 401: the desk's token was refused (ErrRevoked).
type tokenError struct{ code, msg string }

func (e *tokenError) Error() string {
	if e.msg == "" {
		return ErrRevoked.Error()
	}
	return fmt.Sprintf("%s (%s)", ErrRevoked.Error(), e.msg)
}

func (e *tokenError) Unwrap() error { return ErrRevoked }

func exchange(ctx context.Context, hc *http.Client, timeout time.Duration, method, target, token string, in any, out validator) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	gzipped := false
	if in != nil {
		data, gz, err := encodeBody(in)
		if err != nil {
			return err
		}
		body, gzipped = bytes.NewReader(data), gz
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if gzipped {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("không kết nối được máy chủ: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fmt.Errorf("đọc phản hồi của máy chủ: %w", err)
	}
	if len(data) > maxResponse {
		return fmt.Errorf("%w: phản hồi quá lớn", ErrNotProtocol)
	}
	var eb ErrorBody
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated && isJSON(resp.Header.Get("Content-Type")) {
		json.Unmarshal(data, &eb)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return &tokenError{code: eb.Error, msg: eb.Message}
	case resp.StatusCode == http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	case resp.StatusCode == http.StatusTooManyRequests:
		return &BusyError{Wait: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated:
		return &HTTPError{Status: resp.StatusCode, Code: eb.Error, Message: eb.Message}
	case !isJSON(resp.Header.Get("Content-Type")):
		return fmt.Errorf("%w (Content-Type %q)", ErrNotProtocol, resp.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: %w", ErrNotProtocol, err)
	}
	if !out.Valid() {
		return fmt.Errorf("%w: thiếu trường bắt buộc", ErrNotProtocol)
	}
	return nil
}

// parseRetryAfter reads Retry-After, seconds or an HTTP date, bounded to
// [1 s, maxBusyWait]; defaultBusyWait when it is missing or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	d := defaultBusyWait
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		d = time.Duration(min(secs, int(maxBusyWait/time.Second))) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	}
	return min(max(d, time.Second), maxBusyWait)
}
