package main

import (
	"strings"
	"testing"
	"time"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
	"thonghanh/cmd/thonghanh/internal/kiemtra/vectortest"
	"thonghanh/store/seal"
	_ "thonghanh/tui/check" // registers the Kiểm tra tab's texts
	"thonghanh/tui/i18n"
)

// The fields of a code are labelled in one wording, store/seal's, by the
// desk's Kiểm tra tab, the phone page's engine and verify alike.
func TestCheckpointFieldLabelsAreOneWording(t *testing.T) {
	labels := map[string]bool{}
	for _, f := range seal.Fields {
		labels[f.Label("vi")] = true
	}
	tab := map[string]seal.Field{"name": seal.FieldName, "id": seal.FieldID, "category": seal.FieldCategory,
		"purpose": seal.FieldPurpose, "area": seal.FieldArea, "route": seal.FieldRoute, "market": seal.FieldMarket,
		"validity": seal.FieldValidity, "hours": seal.FieldHours, "issuer": seal.FieldIssuer, "serial": seal.FieldSerial}
	for k, f := range tab {
		for _, l := range []i18n.Lang{i18n.Vi, i18n.En} {
			if got, want := l.T("check.field."+k), f.Label(string(l)); got != want {
				t.Errorf("the Kiểm tra tab labels %s %q, store/seal %q", k, got, want)
			}
		}
	}
	for k, f := range verifyFields {
		for _, l := range []string{"vi", "en"} {
			if got, want := label(l, k), f.Label(l); got != want {
				t.Errorf("verify labels %s %q, store/seal %q", k, got, want)
			}
		}
	}
	// The phone's engine, run natively on the shared vectors.
	vf, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, err := offline.Open(vf.Lists())
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, c := range vf.Cases {
		a := v.Verify(c.Text, c.Checker.Checkpoint, time.Unix(c.Checker.At, 0), c.Checker.UsedSerials)
		for _, line := range a.Lines {
			seen++
			if !labels[line.Label] {
				t.Errorf("the phone labels a field %q, not one of store/seal's", line.Label)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no vector has a field to label")
	}
	// And verify's text output shows them.
	e := newVerifyEnv(t)
	r := runVerifyCmd(t, "", append(e.files(), "--at", morning, e.seal(t, permitPayload()))...)
	for _, f := range []seal.Field{seal.FieldName, seal.FieldID, seal.FieldValidity, seal.FieldHours, seal.FieldIssuer} {
		if !strings.Contains(r.out, "  "+f.Label("vi")+":") {
			t.Errorf("verify's output lacks the label %q:\n%s", f.Label("vi"), r.out)
		}
	}
}
