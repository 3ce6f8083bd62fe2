package batchsync

import (
	"errors"
	"fmt"
	"time"

	"thonghanh/store"
	"thonghanh/store/wire"
)

// Paths of the protocol (SYNC.md).
const (
	PathEnroll       = "/v1/enroll"
	PathConfig       = "/v1/sync/config"
	PathPush         = "/v1/sync/push"
	PathPull         = "/v1/sync/pull"
	PathApplications = "/v1/applications"
	PathTrust        = "/v1/trust"
	PathRevocations  = "/v1/revocations"
	PathPeople       = "/v1/people" // GET ?id_number=N: a desk's look-up before it creates a person
)

// The bodies of the protocol are package wire's; these names keep the
// transport's callers reading as before.
type (
	Limits        = wire.Limits
	Config        = wire.Config
	PushRequest   = wire.PushRequest
	PushResponse  = wire.PushResponse
	OnlineReceipt = wire.OnlineReceipt
	ErrorBody     = wire.ErrorBody
	pullResponse  = wire.PullResponse
)

// DefaultLimits: 500 ops or 8 MiB a batch.
var DefaultLimits = Limits{MaxOps: 500, MaxBytes: 8 << 20}

// codeTokenUnknown is the 401 of a token the server does not hold, the only
// one a desk answers by trying the tokens it held before.
const codeTokenUnknown = "token_unknown"

// OnlineApplication is POST /v1/applications from the citizen app, in the
// store's records; it travels as wire.OnlineApplication (the records encode
// as their wire forms).
type OnlineApplication struct {
	Person      store.Person      `json:"person"`
	Application store.Application `json:"application"`
}

type enrollResponse struct{ store.EnrollResponse }

func (r *enrollResponse) Valid() bool { return r.Token != "" && r.Desk.ID != "" }

// Batch-level failures the client tells apart.
var (
	// ErrRevoked: the server refused the device token (401). The desk stops
	// syncing and says so; only a new enrollment brings it back.
	ErrRevoked = errors.New("mã truy cập của máy đã bị thu hồi hoặc không đúng: máy ngừng đồng bộ, liên hệ quản trị tỉnh")
	// ErrTooLarge: 413 from the server or a proxy; the desk splits the batch.
	ErrTooLarge = errors.New("lô dữ liệu quá lớn (413)")
	// ErrNotProtocol: a 200 that is not the protocol's JSON (a captive
	// portal's login page, a proxy's error page).
	ErrNotProtocol = errors.New("phản hồi không phải của máy chủ Thông Hành (mạng đòi đăng nhập, hoặc proxy chặn)")
	// ErrBusy: the centre's write queue is long (429); the push is sent
	// again after the wait it said (BusyError), its ops pending meanwhile.
	ErrBusy = errors.New("máy chủ tỉnh đang bận")
	// ErrNotEnrolled: the desk has no server settings yet.
	ErrNotEnrolled = errors.New("máy chưa đăng ký với máy chủ tỉnh (thonghanh enroll URL MÃ)")
)

// BusyError is a 429: the centre asks the desk to send again after Wait
// (its Retry-After, bounded by maxBusyWait).
type BusyError struct{ Wait time.Duration }

func (e *BusyError) Error() string {
	return fmt.Sprintf("%s: các thay đổi vẫn giữ trên máy, gửi lại sau %d giây", ErrBusy.Error(), int(e.Wait.Round(time.Second)/time.Second))
}

func (e *BusyError) Unwrap() error { return ErrBusy }

// HTTPError is a batch-level answer other than 200, 401, 413 and 429.
type HTTPError struct {
	Status  int
	Code    string
	Message string
}

func (e *HTTPError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("máy chủ trả lỗi %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("máy chủ trả lỗi %d", e.Status)
}
