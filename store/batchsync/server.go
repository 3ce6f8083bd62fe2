package batchsync

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/wire"
)

// ServerOptions shape a Server.
type ServerOptions struct {
	Logger *slog.Logger // nil: discard
	Limits Limits       // zero: DefaultLimits
	// Online bounds POST /v1/applications per client address (zero: the
	// defaults of ratelimit.go).
	Online OnlineLimit
	// BusyAfter is the longest a push may wait for the centre's write
	// queue, as estimated when it arrives; a push that would wait longer is
	// answered 429 with Retry-After and nothing of it read (busy.go).
	// Zero: DefaultBusyAfter; negative: never refused.
	BusyAfter time.Duration

	// opHook runs before each pushed op is applied (tests slow the server
	// down to kill it mid-batch).
	opHook func(store.PushOp)
}

// Server is the central server's http.Handler over the province's database.
type Server struct {
	db     *central.DB
	root   ed25519.PrivateKey
	log    *slog.Logger
	limits Limits
	mux    *http.ServeMux
	opHook func(store.PushOp)
	queue  *writeQueue // pushes waiting for, or in, the centre's Write

	online *clientLimiter // POST /v1/applications per client address
	logins *clientLimiter // POST /v1/phone/login per client address
}

// NewServer returns the handler of SYNC.md's endpoints over db, which must
// be a central database (store.DB.InitCentral); root signs the trust list and
// revocation list when enrollment, a revocation or a lost race changes them.
func NewServer(db *central.DB, root ed25519.PrivateKey, opt ServerOptions) *Server {
	s := &Server{db: db, root: root, log: opt.Logger, limits: opt.Limits, opHook: opt.opHook, queue: newWriteQueue(opt.BusyAfter), online: newClientLimiter(opt.Online),
		logins: newClientLimiter(opt.Online)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.limits.MaxOps <= 0 {
		s.limits.MaxOps = DefaultLimits.MaxOps
	}
	if s.limits.MaxBytes <= 0 {
		s.limits.MaxBytes = DefaultLimits.MaxBytes
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+PathEnroll, s.enroll)
	s.mux.HandleFunc("GET "+PathConfig, s.authed(s.config))
	s.mux.HandleFunc("POST "+PathPush, s.authed(s.push))
	s.mux.HandleFunc("GET "+PathPull, s.authed(s.pull))
	s.mux.HandleFunc("GET "+PathPeople, s.authed(s.lookupPerson))
	s.mux.HandleFunc("POST "+PathApplications, s.application)
	s.mux.HandleFunc("GET "+PathTrust, s.list(store.SettingTrustList))
	s.mux.HandleFunc("GET "+PathRevocations, s.list(store.SettingRevocation))
	s.phoneRoutes()
	return s
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// ServeHTTP serves the protocol and logs one line per request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(sw, r)
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", sw.status), slog.Duration("took", time.Since(start)), slog.String("remote", r.RemoteAddr))
}

// authed requires a live device token: Authorization: Bearer, never a URL.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, central.DeskAuth)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			writeError(w, r, http.StatusUnauthorized, "unauthorized", "thiếu mã truy cập của máy (Authorization: Bearer)")
			return
		}
		desk, err := s.db.AuthenticateDesk(r.Context(), token)
		if err != nil {
			if errors.Is(err, central.ErrTokenUnknown) {
				writeError(w, r, http.StatusUnauthorized, codeTokenUnknown, err.Error())
				return
			}
			if store.ErrorCode(err) == store.EAuth {
				writeError(w, r, http.StatusUnauthorized, "token_revoked", err.Error())
				return
			}
			s.log.Error("authenticate", slog.Any("err", err))
			writeError(w, r, http.StatusInternalServerError, "internal", "lỗi máy chủ")
			return
		}
		h(w, r, desk)
	}
}

func (s *Server) config(w http.ResponseWriter, r *http.Request, desk central.DeskAuth) {
	last, held, err := s.db.SyncStatus(r.Context(), desk)
	if err != nil {
		s.log.Error("config", slog.Any("err", err))
		writeError(w, r, http.StatusInternalServerError, "internal", "lỗi máy chủ")
		return
	}
	writeJSON(w, r, http.StatusOK, Config{Limits: s.limits, SchemaVersion: store.SchemaVersion(), DeskID: desk.DeskID,
		Unit: desk.Unit, LastSeq: last, OpsHeld: held, ServerTime: s.db.Now().UTC()})
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, desk central.DeskAuth) {
	if !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, r, http.StatusBadRequest, "malformed", "nội dung phải là application/json")
		return
	}
	// Told to come back later before its body is read, a push refused for
	// the queue changes nothing; one admitted is answered in full.
	ticket, retry := s.queue.admit()
	if ticket == nil {
		s.log.Info("push refused: write queue busy", slog.String("desk", desk.DeskID), slog.Int("retry_after", retry))
		refuseBusy(w, r, retry)
		return
	}
	defer ticket.done(0) // a push that ends before applying
	body, done, err := openBody(w, r, s.limits.MaxBytes)
	var req PushRequest
	if err == nil {
		req, err = decodePush(body, s.limits.MaxOps)
		done()
	}
	if err == nil {
		ticket.decoded(len(req.Ops))
	}
	switch {
	case errors.Is(err, errTooManyOps):
		writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", "quá nhiều thao tác trong một lô: chia nhỏ rồi gửi lại")
		return
	case tooLarge(err):
		writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", "lô dữ liệu quá lớn: chia nhỏ rồi gửi lại")
		return
	case err != nil:
		writeError(w, r, http.StatusBadRequest, "malformed", "nội dung không phải lô đồng bộ hợp lệ: "+err.Error())
		return
	}
	switch {
	case req.DeskID != desk.DeskID:
		writeError(w, r, http.StatusBadRequest, "malformed", "desk_id không phải máy của mã truy cập này")
		return
	case req.SchemaVersion > store.SchemaVersion():
		writeError(w, r, http.StatusBadRequest, "schema", "máy chủ dùng phiên bản cũ hơn máy: cần nâng cấp máy chủ")
		return
	}
	resp := PushResponse{BatchID: req.BatchID}
	// The ops of one push apply in one transaction, a savepoint each, and
	// are not cut off halfway by a client that hangs up; between ops a gone
	// client stops the batch (what was applied commits, the rest stay
	// pending on the desk).
	opCtx := context.WithoutCancel(r.Context())
	// Concurrent pushes queue in the centre's Write, one at a time.
	results, err := s.db.ApplyBatch(opCtx, s.root, desk, req.Ops, func(op store.PushOp) bool {
		if r.Context().Err() != nil {
			return false
		}
		ticket.applying()
		if s.opHook != nil {
			s.opHook(op)
		}
		return true
	})
	if err != nil {
		s.log.Error("apply ops", slog.String("desk", desk.DeskID), slog.String("batch", req.BatchID), slog.Any("err", err))
	}
	ticket.done(len(results))
	resp.Results = results
	counts := map[string]int{}
	for _, res := range results {
		counts[res.Status]++
	}
	s.log.Info("push", slog.String("desk", desk.DeskID), slog.Uint64("unit", uint64(desk.Unit)), slog.String("batch", req.BatchID),
		slog.Int("ops", len(req.Ops)), slog.Any("results", counts))
	writeJSON(w, r, http.StatusOK, resp)
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, desk central.DeskAuth) {
	q := r.URL.Query()
	since, err1 := strconv.ParseInt(q.Get("since"), 10, 64)
	limit, err2 := strconv.Atoi(q.Get("limit"))
	if q.Get("limit") == "" {
		limit, err2 = 500, nil
	}
	if err1 != nil || err2 != nil || since < 0 || limit < 1 || limit > 1000 {
		writeError(w, r, http.StatusBadRequest, "malformed", "since phải là số thứ tự ≥ 0, limit từ 1 đến 1000")
		return
	}
	page, err := s.db.Changes(r.Context(), desk, since, limit)
	if err != nil {
		s.log.Error("pull", slog.String("desk", desk.DeskID), slog.Any("err", err))
		writeError(w, r, http.StatusInternalServerError, "internal", "lỗi máy chủ")
		return
	}
	resp := pullResponse{ChangePage: page}
	// A token due for rotation is replaced here; a failure to rotate only
	// leaves the desk its current token.
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if resp.Token, err = s.db.RotateToken(r.Context(), token); err != nil {
		s.log.Warn("rotate token", slog.String("desk", desk.DeskID), slog.Any("err", err))
	}
	writeJSON(w, r, http.StatusOK, resp)
}

// lookupPerson answers a desk's look-up of an ID number, scoped to the
// people its unit may serve (central.LookupPerson). The number travels in
// the query, which the request log leaves out.
func (s *Server) lookupPerson(w http.ResponseWriter, r *http.Request, desk central.DeskAuth) {
	p, ok, err := s.db.LookupPerson(r.Context(), desk, r.URL.Query().Get("id_number"))
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	resp := wire.PersonLookup{Found: ok}
	if ok {
		resp.Person = &p
	}
	writeJSON(w, r, http.StatusOK, resp)
}

func (s *Server) enroll(w http.ResponseWriter, r *http.Request) {
	data, err := readBody(w, r, 64<<10)
	var req store.EnrollRequest
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "malformed", "yêu cầu đăng ký không hợp lệ")
		return
	}
	resp, err := s.db.Enroll(r.Context(), s.root, req)
	if err != nil {
		s.log.Warn("enroll refused", slog.String("approver", req.Approver), slog.Any("err", err))
		s.domainError(w, r, err)
		return
	}
	s.log.Info("enrolled", slog.String("desk", resp.Desk.ID), slog.Uint64("unit", uint64(resp.Desk.Unit)), slog.Int("number", resp.Desk.Number))
	writeJSON(w, r, http.StatusOK, resp)
}

// domainError maps a store error to its HTTP status once.
func (s *Server) domainError(w http.ResponseWriter, r *http.Request, err error) {
	code := store.ErrorCode(err)
	status := map[store.Code]int{store.EInvalid: http.StatusBadRequest, store.ENotFound: http.StatusNotFound,
		store.EConflict: http.StatusConflict, store.EForbidden: http.StatusForbidden, store.EAuth: http.StatusForbidden}[code]
	if status == 0 {
		s.log.Error("internal", slog.String("path", r.URL.Path), slog.Any("err", err))
		writeError(w, r, http.StatusInternalServerError, "internal", "lỗi máy chủ")
		return
	}
	writeError(w, r, status, string(code), err.Error())
}

func (s *Server) application(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.online.allow(clientAddr(r), time.Now()); !ok {
		refuseTooMany(w, r, wait)
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, r, http.StatusBadRequest, "malformed", "nội dung phải là application/json")
		return
	}
	data, err := readBody(w, r, 256<<10)
	if errors.Is(err, errBodyTooLarge) {
		writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", "hồ sơ quá lớn")
		return
	}
	var in wire.OnlineApplication
	if err == nil {
		err = json.Unmarshal(data, &in)
	}
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "malformed", "hồ sơ không hợp lệ")
		return
	}
	a, err := s.db.SubmitOnline(r.Context(), store.Intake{Person: store.PersonFromWire(in.Person), Application: store.ApplicationFromWire(in.Application)})
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	name := ""
	if units, err := s.db.Units(r.Context()); err == nil {
		name = units.Name(a.QueueUnit)
	}
	writeJSON(w, r, http.StatusCreated, OnlineReceipt{ID: a.ID, Number: a.Number, Status: a.Status, QueueUnit: a.QueueUnit, QueueName: name})
}

// list serves a signed list as raw CBOR: public, verifiable by anyone
// holding the root key.
func (s *Server) list(key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok, err := s.db.Setting(r.Context(), key)
		if err != nil || !ok {
			writeError(w, r, http.StatusServiceUnavailable, "unavailable", "máy chủ chưa có danh sách này")
			return
		}
		w.Header().Set("Content-Type", "application/cbor")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(raw)
	}
}
