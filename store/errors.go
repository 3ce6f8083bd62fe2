package store

import (
	"errors"
	"fmt"
	"strings"
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
// names the input at fault when there is one. Text gives both in English
// for a desk run in English (messages.go).
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error // underlying cause, if any

	msg message // what Message was made from, to say it in English
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

// NewError makes an Error from a Vietnamese format, which must be a key of
// the English table in messages.go (the centre's errors are the store's
// kind, in the clerk's two languages).
func NewError(code Code, field, format string, args ...any) *Error {
	return newError(code, field, format, args...)
}

// newError is NewError.
func newError(code Code, field, format string, args ...any) *Error {
	m := message{format: format, args: args}
	return &Error{Code: code, Field: field, Message: m.text(false), msg: m}
}

func invalid(field, format string, args ...any) *Error {
	return newError(EInvalid, field, format, args...)
}

func forbidden(format string, args ...any) *Error { return newError(EForbidden, "", format, args...) }

func notFound(format string, args ...any) *Error { return newError(ENotFound, "", format, args...) }

func conflict(format string, args ...any) *Error { return newError(EConflict, "", format, args...) }

// Text is the error for the clerk, in English when english is set (what has
// no English text stays Vietnamese).
func (e *Error) Text(english bool) string {
	if !english {
		return e.Error()
	}
	var v ValidationErrors
	if errors.As(e.Err, &v) && e.msg.format == "" {
		return v.Text(true)
	}
	text := e.MessageText(true)
	if e.Field != "" {
		return englishField(e.Field) + ": " + text
	}
	return text
}

// MessageText is the message without the field's name (a form shows it under
// the field), in English when english is set.
func (e *Error) MessageText(english bool) string {
	if !english {
		return e.Message
	}
	if e.msg.format == "" {
		return message{format: e.Message}.text(true)
	}
	return e.msg.text(true)
}

// ErrorText is err for the clerk, in English when english is set: a store
// Error's own words are translated, what wraps it is kept as it is.
func ErrorText(err error, english bool) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !english || !errors.As(err, &e) {
		return err.Error()
	}
	full, inner := err.Error(), e.Error()
	return strings.TrimSuffix(full, inner) + e.Text(true)
}

// ValidationErrors collects every problem of one input, so a form can show
// them all at once.
type ValidationErrors []*Error

func (v ValidationErrors) Error() string { return v.Text(false) }

// Text lists the problems, in English when english is set.
func (v ValidationErrors) Text(english bool) string {
	if len(v) == 1 {
		return v[0].Text(english)
	}
	s := fmt.Sprintf("%d lỗi:", len(v))
	if english {
		s = fmt.Sprintf("%d problems:", len(v))
	}
	for _, e := range v {
		s += "\n- " + e.Text(english)
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
