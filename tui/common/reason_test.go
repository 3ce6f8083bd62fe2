package common

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestReasonPromptRequiresAReason(t *testing.T) {
	p := NewReasonPrompt()
	p.Open()
	if _, out, _ := p.Update(tea.KeyPressMsg{Code: tea.KeyEnter}, "Phải ghi lý do."); out != PromptEditing || p.Err != "Phải ghi lý do." {
		t.Fatalf("empty reason: outcome %d, err %q", out, p.Err)
	}
	for _, r := range "Mất giấy" {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)}, "")
	}
	if p.Err != "" {
		t.Errorf("typing should clear the error, got %q", p.Err)
	}
	reason, out, _ := p.Update(tea.KeyPressMsg{Code: tea.KeyEnter}, "Phải ghi lý do.")
	if out != PromptSubmitted || reason != "Mất giấy" {
		t.Fatalf("submit: %d %q", out, reason)
	}
	p.Open()
	if p.Input.Value() != "" {
		t.Error("Open should clear the last reason")
	}
	if _, out, _ := p.Update(tea.KeyPressMsg{Code: tea.KeyEscape}, ""); out != PromptCancelled {
		t.Errorf("esc: %d", out)
	}
}
