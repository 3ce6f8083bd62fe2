package sync

import (
	"errors"
	"fmt"
	"time"

	"thonghanh/store"
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
)

// Limits are what the server accepts in one push.
type Limits struct {
	MaxOps   int   `json:"max_ops"`
	MaxBytes int64 `json:"max_bytes"` // decompressed body
}

// DefaultLimits: 500 ops or 8 MiB a batch.
var DefaultLimits = Limits{MaxOps: 500, MaxBytes: 8 << 20}

// Config is GET /v1/sync/config: the limits, and what the desk compares with
// its own books before a round (a server restored from an older backup has
// a lower last_seq, or holds fewer of the desk's ops, than the desk knows).
type Config struct {
	Limits
	SchemaVersion int       `json:"schema_version"`
	DeskID        string    `json:"desk_id"`
	Unit          uint32    `json:"unit"`
	LastSeq       int64     `json:"last_seq"`
	OpsHeld       int64     `json:"ops_held"`
	ServerTime    time.Time `json:"server_time"`
}

func (c *Config) valid() bool { return c.MaxOps > 0 && c.MaxBytes > 0 && c.SchemaVersion > 0 }

// PushRequest is POST /v1/sync/push.
type PushRequest struct {
	DeskID        string         `json:"desk_id"`
	BatchID       string         `json:"batch_id"`
	SchemaVersion int            `json:"schema_version"`
	Ops           []store.PushOp `json:"ops"`
}

// PushResponse answers a push: one result per op it settled.
type PushResponse struct {
	BatchID string           `json:"batch_id"`
	Results []store.OpResult `json:"results"`
}

func (p *PushResponse) valid() bool { return p.Results != nil }

// pullResponse is GET /v1/sync/pull's answer: a page of the change feed,
// and a new device token when the one used is due for rotation.
type pullResponse struct {
	store.ChangePage
	Token string `json:"token,omitempty"`
}

func (p *pullResponse) valid() bool { return p.Changes != nil }

// codeTokenUnknown is the 401 of a token the server does not hold, the only
// one a desk answers by trying the tokens it held before.
const codeTokenUnknown = "token_unknown"

// OnlineApplication is POST /v1/applications from the citizen app.
type OnlineApplication struct {
	Person      store.Person      `json:"person"`
	Application store.Application `json:"application"`
}

// OnlineReceipt is what the citizen app is told.
type OnlineReceipt struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	Status    string `json:"status"`
	QueueUnit uint32 `json:"queue_unit"`
	QueueName string `json:"queue_name"`
}

func (r *OnlineReceipt) valid() bool { return r.ID != "" }

type enrollResponse struct{ store.EnrollResponse }

func (r *enrollResponse) valid() bool { return r.Token != "" && r.Desk.ID != "" }

// ErrorBody is every non-200 answer's JSON.
type ErrorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

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
	// ErrNotEnrolled: the desk has no server settings yet.
	ErrNotEnrolled = errors.New("máy chưa đăng ký với máy chủ tỉnh (thonghanh enroll URL MÃ)")
)

// HTTPError is a batch-level answer other than 200, 401 and 413.
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
