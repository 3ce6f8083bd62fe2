// Package vectortest runs store/seal's QR test vectors against a verifier
// of the phone page, wherever it runs: natively, in WebAssembly under Node,
// or inside the browser. One comparison, so every run proves the same thing.
//
// Its room is tests only: it reads store/seal/testdata/vectors.json and
// compares answers; nothing but _test files import it.
package vectortest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
)

// File is the part of vectors.json a verifier needs.
type File struct {
	RootPublic     string      `json:"root_public_key"`
	TrustList      hexBytes    `json:"trust_list"`
	RevocationList hexBytes    `json:"revocation_list"`
	Within         [][2]uint32 `json:"within"`
	Cases          []Case      `json:"cases"`
	ListCases      []ListCase  `json:"list_cases"`
}

// Case is one QR text and what it must give.
type Case struct {
	Name    string `json:"name"`
	Text    string `json:"text"`
	Checker struct {
		At          int64    `json:"at"`
		Checkpoint  uint32   `json:"checkpoint"`
		UsedSerials []string `json:"used_serials"`
	} `json:"checker"`
	Expected struct {
		Verdict   string          `json:"verdict"`
		KID       string          `json:"kid"`
		SignerKID string          `json:"signer_kid"`
		Payload   json.RawMessage `json:"payload"`
		Body      string          `json:"body"`
	} `json:"expected"`
}

// ListCase is a list file to open or refuse.
type ListCase struct {
	Name         string   `json:"name"`
	List         string   `json:"list"`
	Raw          hexBytes `json:"raw"`
	HeldSequence uint64   `json:"held_sequence"`
	Accept       bool     `json:"accept"`
}

type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	var out []byte
	_, err := fmt.Sscanf(s, "%x", &out)
	if s == "" {
		err = nil
	}
	*h = out
	return err
}

// Path is vectors.json in the module, found from this file.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "..", "store", "seal", "testdata", "vectors.json")
}

// Load reads vectors.json.
func Load() (*File, error) {
	raw, err := os.ReadFile(Path())
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("vectors.json: %w", err)
	}
	return &f, nil
}

// Lists are the vectors' lists as the server would hand them to a phone;
// the within pairs become parent links (each pair's area is its checkpoint's
// parent, which is all the vectors ask).
func (f *File) Lists() offline.Lists {
	l := offline.Lists{Root: f.RootPublic, Trust: f.TrustList, Revocations: f.RevocationList}
	for _, p := range f.Within {
		l.Units = append(l.Units, offline.Unit{Code: p[0], Parent: p[1]})
	}
	return l
}

// Check compares one answer with its case as the vectors' README says: only
// the verdict for MALFORMED; verdict, kid, payload and signer kid for the
// rest; the body too for VALID. It returns "" when they agree.
func Check(c Case, a offline.Answer) string {
	if string(a.Verdict) != c.Expected.Verdict {
		return fmt.Sprintf("%s: verdict %s, want %s (%s)", c.Name, a.Verdict, c.Expected.Verdict, a.Detail)
	}
	if c.Expected.Verdict == "MALFORMED" {
		return ""
	}
	if a.KID != c.Expected.KID || a.SignerKID != c.Expected.SignerKID {
		return fmt.Sprintf("%s: kid %q signer %q, want %q and %q", c.Name, a.KID, a.SignerKID, c.Expected.KID, c.Expected.SignerKID)
	}
	var want, got any
	gotJSON, _ := json.Marshal(a.Payload)
	if err := json.Unmarshal(c.Expected.Payload, &want); err != nil {
		return c.Name + ": " + err.Error()
	}
	json.Unmarshal(gotJSON, &got)
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("%s: payload\n got %s\nwant %s", c.Name, gotJSON, c.Expected.Payload)
	}
	if c.Expected.Verdict == "VALID" && a.Body != c.Expected.Body {
		return fmt.Sprintf("%s: body %s, want %s", c.Name, a.Body, c.Expected.Body)
	}
	if a.Title == "" || a.Reason == "" {
		return c.Name + ": no Vietnamese title or reason"
	}
	return ""
}
