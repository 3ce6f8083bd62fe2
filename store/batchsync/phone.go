package batchsync

// The phone checkpoint page's three endpoints. The page itself (HTML,
// script, the WebAssembly verifier) is cmd's: it is mounted beside this
// handler, so the transport knows the phone only as a client of JSON.

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
)

// Paths of the phone checkpoint page's API.
const (
	PathPhoneLogin = "/v1/phone/login"
	PathPhoneLists = "/v1/phone/lists"
	PathPhoneScans = "/v1/phone/scans"
)

// PhoneLoginRequest is a checker's login from a phone.
type PhoneLoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Label    string `json:"label"` // the phone's name for the administrator, e.g. "Chốt cầu Rạch Miễu"
}

// PhoneUnit is one unit as the phone needs it (its JSON is the page
// verifier's offline.Unit).
type PhoneUnit struct {
	Code   uint32 `json:"code"`
	Name   string `json:"name"`
	Parent uint32 `json:"parent,omitempty"`
	Level  int    `json:"level,omitempty"` // 1 province, 2 district, 3 commune; 0 for bodies
}

// PhoneLists is what the phone keeps to verify offline; its first four
// fields are the page verifier's offline.Lists as they are.
type PhoneLists struct {
	Root         string      `json:"root"`
	Trust        []byte      `json:"trust"`
	Revocations  []byte      `json:"revocations"`
	Units        []PhoneUnit `json:"units"`
	UsedVouchers []string    `json:"used_vouchers"`
	ServerTime   time.Time   `json:"server_time"`
}

// PhoneLoginResponse gives the phone its token, who it is, and its lists.
type PhoneLoginResponse struct {
	Token string            `json:"token"`
	Phone central.PhoneAuth `json:"phone"`
	Lists PhoneLists        `json:"lists"`
}

// PhoneScans is an upload of the phone's scan log.
type PhoneScans struct {
	Scans []store.ScanEvent `json:"scans"`
}

// PhoneScansReceipt says how many scans were new (a resent one counts 0).
type PhoneScansReceipt struct {
	Added int `json:"added"`
}

func (s *Server) phoneRoutes() {
	s.mux.HandleFunc("POST "+PathPhoneLogin, s.phoneLogin)
	s.mux.HandleFunc("GET "+PathPhoneLists, s.phoneAuthed(s.phoneLists))
	s.mux.HandleFunc("POST "+PathPhoneScans, s.phoneAuthed(s.phoneScans))
}

func (s *Server) phoneLogin(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.logins.allow(clientAddr(r), time.Now()); !ok {
		refuseTooMany(w, r, wait)
		return
	}
	data, err := readBody(w, r, 16<<10)
	var req PhoneLoginRequest
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "malformed", "yêu cầu đăng nhập không hợp lệ")
		return
	}
	// Not under writeMu: the password check is slow on purpose, and desks'
	// pushes must not queue behind it.
	phone, token, err := s.db.PhoneLogin(r.Context(), req.Username, req.Password, req.Label)
	if err != nil {
		s.log.Warn("phone login refused", slog.String("username", req.Username), slog.Any("err", err))
		s.domainError(w, r, err)
		return
	}
	lists, err := s.phoneMaterial(r)
	if err != nil {
		s.log.Error("phone lists", slog.Any("err", err))
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "máy chủ chưa có danh sách tin cậy")
		return
	}
	s.log.Info("phone login", slog.String("phone", phone.ID), slog.String("officer", phone.Username), slog.Uint64("unit", uint64(phone.Unit)))
	writeJSON(w, r, http.StatusOK, PhoneLoginResponse{Token: token, Phone: phone, Lists: lists})
}

func (s *Server) phoneMaterial(r *http.Request) (PhoneLists, error) {
	m, err := s.db.PhoneMaterial(r.Context())
	if err != nil {
		return PhoneLists{}, err
	}
	l := PhoneLists{Root: hex.EncodeToString(m.Root), Trust: m.Trust, Revocations: m.Revocations,
		UsedVouchers: m.UsedVouchers, ServerTime: s.db.Now().UTC()}
	if l.UsedVouchers == nil {
		l.UsedVouchers = []string{}
	}
	for _, u := range m.Units {
		l.Units = append(l.Units, PhoneUnit{Code: u.Code, Name: u.Name, Parent: u.Parent, Level: u.Level})
	}
	return l, nil
}

// phoneAuthed requires a live phone token (Authorization: Bearer).
func (s *Server) phoneAuthed(h func(http.ResponseWriter, *http.Request, central.PhoneAuth)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			writeError(w, r, http.StatusUnauthorized, "unauthorized", "điện thoại chưa đăng nhập")
			return
		}
		phone, err := s.db.AuthenticatePhone(r.Context(), token)
		switch {
		case errors.Is(err, central.ErrTokenUnknown):
			writeError(w, r, http.StatusUnauthorized, codeTokenUnknown, "máy chủ không nhận ra điện thoại này: đăng nhập lại")
		case store.ErrorCode(err) == store.EAuth:
			writeError(w, r, http.StatusUnauthorized, "token_revoked", err.Error())
		case err != nil:
			s.log.Error("authenticate phone", slog.Any("err", err))
			writeError(w, r, http.StatusInternalServerError, "internal", "lỗi máy chủ")
		default:
			h(w, r, phone)
		}
	}
}

func (s *Server) phoneLists(w http.ResponseWriter, r *http.Request, phone central.PhoneAuth) {
	lists, err := s.phoneMaterial(r)
	if err != nil {
		s.log.Error("phone lists", slog.Any("err", err))
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "máy chủ chưa có danh sách tin cậy")
		return
	}
	writeJSON(w, r, http.StatusOK, lists)
}

func (s *Server) phoneScans(w http.ResponseWriter, r *http.Request, phone central.PhoneAuth) {
	if !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, r, http.StatusBadRequest, "malformed", "nội dung phải là application/json")
		return
	}
	data, err := readBody(w, r, 1<<20)
	if errors.Is(err, errBodyTooLarge) {
		writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", "quá nhiều lượt quét trong một lần gửi")
		return
	}
	var req PhoneScans
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "malformed", "nhật ký quét không hợp lệ")
		return
	}
	n, err := s.db.RecordPhoneScans(r.Context(), phone, req.Scans)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, PhoneScansReceipt{Added: n})
}
