package store

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// The hot outbox payloads (an application on every walk-in, an audit entry on
// every approval) are written by hand: encoding/json's reflection was a tenth
// of a batch's cost. Each appender produces exactly json.Marshal's bytes of
// the wire type (package wire), which the tests check field for field, so a
// field added to the wire type and forgotten here fails them; and a golden
// file holds the bytes, so a name changed here and in the wire type alike
// fails them too.

// appendApplicationJSON appends json.Marshal(ApplicationToWire(*a)), the
// application op's payload (wire.Application).
func appendApplicationJSON(b []byte, a *Application) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"number":`...)
	b = appendJSONString(b, a.Number)
	b = append(b, `,"person_id":`...)
	b = appendJSONString(b, a.PersonID)
	b = append(b, `,"category":`...)
	b = strconv.AppendInt(b, int64(a.Category), 10)
	b = append(b, `,"purpose":`...)
	b = strconv.AppendInt(b, int64(a.Purpose), 10)
	b = append(b, `,"purpose_note":`...)
	b = appendJSONString(b, a.PurposeNote)
	b = append(b, `,"area":`...)
	if a.Area == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range a.Area {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendUint(b, uint64(c), 10)
		}
		b = append(b, ']')
	}
	b = append(b, `,"route":`...)
	b = appendJSONString(b, a.Route)
	b = append(b, `,"valid_from":`...)
	b = appendJSONTime(b, a.ValidFrom)
	b = append(b, `,"valid_until":`...)
	b = appendJSONTime(b, a.ValidUntil)
	b = append(b, `,"has_hours":`...)
	b = strconv.AppendBool(b, a.HasHours)
	b = append(b, `,"hours_from":`...)
	b = strconv.AppendInt(b, int64(a.HoursFrom), 10)
	b = append(b, `,"hours_to":`...)
	b = strconv.AppendInt(b, int64(a.HoursTo), 10)
	b = append(b, `,"vehicle":`...)
	b = appendJSONString(b, a.Vehicle)
	b = append(b, `,"employer":`...)
	b = strconv.AppendUint(b, uint64(a.Employer), 10)
	b = append(b, `,"enterprise_id":`...)
	b = appendJSONString(b, a.EnterpriseID)
	b = append(b, `,"command_centre":`...)
	b = strconv.AppendUint(b, uint64(a.CommandCentre), 10)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, a.Source)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, a.Status)
	b = append(b, `,"queue_unit":`...)
	b = strconv.AppendUint(b, uint64(a.QueueUnit), 10)
	b = append(b, `,"received_unit":`...)
	b = strconv.AppendUint(b, uint64(a.ReceivedUnit), 10)
	b = append(b, `,"received_by":`...)
	b = appendJSONString(b, a.ReceivedBy)
	b = append(b, `,"decided_by":`...)
	b = appendJSONString(b, a.DecidedBy)
	b = append(b, `,"decided_at":`...)
	b = appendJSONTime(b, a.DecidedAt)
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, a.Reason)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(a.Version), 10)
	b = append(b, `,"created_at":`...)
	b = appendJSONTime(b, a.CreatedAt)
	return append(b, '}')
}

// appendJSONTime appends a time as time.Time.MarshalJSON does. Years
// outside 0–9999, which MarshalJSON refuses, never reach here: validation
// keeps dates near today.
func appendJSONTime(b []byte, t time.Time) []byte {
	if t.IsZero() && t.Location() == time.UTC { // an undecided application's DecidedAt
		return append(b, `"0001-01-01T00:00:00Z"`...)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONString appends s quoted as encoding/json does. Plain text (no
// quote, backslash, control or HTML character, valid UTF-8, no U+2028/9) is
// copied; anything else goes through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendJSONStringSlow(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendJSONStringSlow(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONStringSlow(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
