// Package i18n is the desk's small translation table: every string a screen
// shows is looked up here by key, in Vietnamese (the default, with correct
// diacritics) or English (--lang en), so that no page keeps user-facing text
// in its logic.
//
// Its room is text only. Each screen package registers its own keys in an
// init function (i18n.Register), next to the screen, with a prefix naming the
// screen ("queue.", "intake."…). It knows nothing of the store, the terminal
// or Bubble Tea, and nothing but the tui packages import it.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Lang is a language the desk speaks.
type Lang string

// The two languages: Vietnamese for the clerks and officers, English for
// visitors and developers.
const (
	Vi Lang = "vi"
	En Lang = "en"
)

// English reports whether l is English: the store's messages take their
// language as that one bit (store.ErrorText, MessageText, ReasonText).
func (l Lang) English() bool { return l == En }

// Parse reads a --lang value.
func Parse(s string) (Lang, error) {
	switch Lang(strings.ToLower(strings.TrimSpace(s))) {
	case "", Vi, "vn", "vie":
		return Vi, nil
	case En, "eng":
		return En, nil
	}
	return Vi, fmt.Errorf("ngôn ngữ %q không hỗ trợ: chọn vi hoặc en", s)
}

// Text is one entry: the same message in both languages.
type Text struct{ Vi, En string }

var (
	mu    sync.RWMutex
	table = map[string]Text{}
)

// Register adds entries; a key registered twice is a programming error.
func Register(entries map[string]Text) {
	mu.Lock()
	defer mu.Unlock()
	for k, v := range entries {
		if _, dup := table[k]; dup {
			panic("i18n: key registered twice: " + k)
		}
		table[k] = v
	}
}

// T returns the text for key in l. A missing key shows as the key itself so
// the gap is visible on screen and in golden files, never a blank.
func (l Lang) T(key string) string {
	mu.RLock()
	e, ok := table[key]
	mu.RUnlock()
	if !ok {
		return key
	}
	if l == En && e.En != "" {
		return e.En
	}
	return e.Vi
}

// Tf formats the text for key with args (fmt verbs).
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// Int prints n with the thousands separator of l: 5.000 in Vietnamese,
// 5,000 in English.
func (l Lang) Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	sep := "."
	if l == En {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Has reports whether key is registered (tests use it to find gaps).
func Has(key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := table[key]
	return ok
}
