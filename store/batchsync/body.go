package batchsync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"thonghanh/store"
)

// gzipOver is the body size above which a JSON body is gzipped.
const gzipOver = 1 << 10

// errBodyTooLarge means the (decompressed) body passed the cap: 413.
var errBodyTooLarge = errors.New("body too large")

// openBody is a request body of at most max bytes once decompressed:
// http.MaxBytesReader on the wire and a capped reader on the gzip stream, so
// a small gzip bomb cannot inflate past the cap. Reading past the cap gives
// an error that tooLarge recognises.
func openBody(w http.ResponseWriter, r *http.Request, max int64) (io.Reader, func(), error) {
	var rd io.Reader = http.MaxBytesReader(w, r.Body, max)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return &capReader{r: rd, left: max}, func() {}, nil
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			if tooLarge(err) {
				return nil, nil, errBodyTooLarge
			}
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return &capReader{r: zr, left: max}, func() { zr.Close() }, nil
	default:
		return nil, nil, fmt.Errorf("không hỗ trợ Content-Encoding %q", enc)
	}
}

// capReader fails with errBodyTooLarge once more than its cap was read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errBodyTooLarge
	}
	return n, err
}

// tooLarge reports whether err means the body passed its cap (413).
func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.Is(err, errBodyTooLarge) || errors.As(err, &mbe)
}

// readBody reads a whole request body of at most max bytes once
// decompressed (openBody).
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	rd, done, err := openBody(w, r, max)
	if err != nil {
		return nil, err
	}
	defer done()
	data, err := io.ReadAll(rd)
	switch {
	case tooLarge(err):
		return nil, errBodyTooLarge
	case err != nil:
		return nil, err
	}
	return data, nil
}

// errTooManyOps means a push carries more ops than the limit: 413.
var errTooManyOps = errors.New("too many ops")

// decodePush reads a push body as a stream, one op at a time, and stops
// with errTooManyOps as soon as the ops array passes maxOps: the work of a
// request is bounded by the limits whatever the body holds (millions of
// empty ops fit in the byte cap). Keys are matched as encoding/json does
// (case-insensitively); unknown keys are skipped; trailing data is refused.
func decodePush(rd io.Reader, maxOps int) (PushRequest, error) {
	var req PushRequest
	dec := json.NewDecoder(rd)
	if err := expectDelim(dec, '{'); err != nil {
		return req, err
	}
	seenOps := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return req, err
		}
		key, _ := tok.(string) // inside an object, Token gives keys as strings
		switch {
		case strings.EqualFold(key, "ops"):
			if seenOps {
				return req, errors.New("ops có hai lần")
			}
			seenOps = true
			err = decodeOps(dec, maxOps, &req.Ops)
		case strings.EqualFold(key, "desk_id"):
			err = dec.Decode(&req.DeskID)
		case strings.EqualFold(key, "batch_id"):
			err = dec.Decode(&req.BatchID)
		case strings.EqualFold(key, "schema_version"):
			err = dec.Decode(&req.SchemaVersion)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return req, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return req, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("dữ liệu thừa sau lô đồng bộ")
		}
		return req, err
	}
	return req, nil
}

// decodeOps reads the ops array (or null) one op at a time.
func decodeOps(dec *json.Decoder, maxOps int, ops *[]store.PushOp) error {
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errors.New("ops phải là một mảng")
	}
	*ops = make([]store.PushOp, 0, min(maxOps, 64))
	for dec.More() {
		if len(*ops) >= maxOps {
			return errTooManyOps
		}
		var op store.PushOp
		if err := dec.Decode(&op); err != nil {
			return err
		}
		*ops = append(*ops, op)
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("cần %q, gặp %v", want, tok)
	}
	return nil
}

// isJSON reports whether a Content-Type header names JSON.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// writeJSON answers with v as JSON, gzipped when the client accepts it and
// the body is worth compressing.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Encoding")
	if len(data) > gzipOver && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(data)
		zw.Close()
		h.Set("Content-Encoding", "gzip")
		data = buf.Bytes()
	}
	w.WriteHeader(status)
	w.Write(data)
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	writeJSON(w, r, status, ErrorBody{Error: code, Message: msg})
}

// encodeBody is a request body: JSON, gzipped over gzipOver bytes.
func encodeBody(v any) (body []byte, gzipped bool, err error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, false, err
	}
	if len(data) <= gzipOver {
		return data, false, nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(data); err != nil {
		return nil, false, err
	}
	if err := zw.Close(); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), true, nil
}
