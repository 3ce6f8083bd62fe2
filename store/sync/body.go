package sync

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
)

// gzipOver is the body size above which a JSON body is gzipped.
const gzipOver = 1 << 10

// errBodyTooLarge means the (decompressed) body passed the cap: 413.
var errBodyTooLarge = errors.New("body too large")

// readBody reads a request body of at most max bytes once decompressed:
// http.MaxBytesReader on the wire and a limited reader on the gzip stream,
// so a small gzip bomb cannot inflate past the cap.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	var rd io.Reader = http.MaxBytesReader(w, r.Body, max)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, errBodyTooLarge
			}
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		rd = zr
	default:
		return nil, fmt.Errorf("không hỗ trợ Content-Encoding %q", enc)
	}
	data, err := io.ReadAll(io.LimitReader(rd, max+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, errBodyTooLarge
	case err != nil:
		return nil, err
	case int64(len(data)) > max:
		return nil, errBodyTooLarge
	}
	return data, nil
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
