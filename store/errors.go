package store

import (
	"errors"
	"fmt"
)

// Code classifies an Error so that screens and HTTP handlers switch on it,
// never on message text.
type Code string

const (
	EInvalid   Code = "invalid"   // bad input; nothing was written
	ENotFound  Code = "not_found" // no such record
	EConflict  Code = "conflict"  // the record changed under you (version)
	EForbidden Code = "forbidden" // role or authority does not allow it
	ELocked    Code = "locked"    // account locked after failed logins
	EAuth      Code = "auth"      // wrong username or password
	ESchema    Code = "schema"    // database from a newer program
	EInternal  Code = "internal"
)

// Error is a domain error. Message is Vietnamese and meant for the clerk; Field
// names the input at fault when there is one.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error // underlying cause, if any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the Code of err, EInternal when it carries none, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

func invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) *Error {
	return &Error{Code: EForbidden, Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *Error {
	return &Error{Code: ENotFound, Message: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *Error {
	return &Error{Code: EConflict, Message: fmt.Sprintf(format, args...)}
}

// ValidationErrors collects every problem of one input, so a form can show
// them all at once.
type ValidationErrors []*Error

func (v ValidationErrors) Error() string {
	if len(v) == 1 {
		return v[0].Error()
	}
	s := fmt.Sprintf("%d lỗi:", len(v))
	for _, e := range v {
		s += "\n- " + e.Error()
	}
	return s
}

// asError returns v as an error, nil when empty (avoids the typed-nil trap).
func (v ValidationErrors) asError() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: v.Error(), Err: v}
}
