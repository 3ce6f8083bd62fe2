package common

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// ReasonPrompt is the one-line "why?" that rejecting an application and
// revoking a permit both require: the store refuses an empty reason, and the
// prompt says so before asking it.
type ReasonPrompt struct {
	Input textinput.Model
	Err   string // shown under the input until the next key
}

// PromptOutcome is what a key did to a ReasonPrompt.
type PromptOutcome int

const (
	PromptEditing   PromptOutcome = iota // still typing
	PromptSubmitted                      // enter with a reason
	PromptCancelled                      // esc
)

// NewReasonPrompt makes an empty prompt (300 characters at most, as the store).
func NewReasonPrompt() ReasonPrompt {
	in := textinput.New()
	in.Prompt = "› "
	in.CharLimit = 300
	return ReasonPrompt{Input: in}
}

// Open clears the prompt and focuses it.
func (p *ReasonPrompt) Open() tea.Cmd {
	p.Input.SetValue("")
	p.Err = ""
	return p.Input.Focus()
}

// Update handles a key or a paste. On enter with an empty reason it stays
// open with required as its error.
func (p *ReasonPrompt) Update(msg tea.Msg, required string) (reason string, outcome PromptOutcome, cmd tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			reason = strings.TrimSpace(p.Input.Value())
			if reason == "" {
				p.Err = required
				return "", PromptEditing, nil
			}
			p.Err = ""
			p.Input.Blur()
			return reason, PromptSubmitted, nil
		case "esc":
			p.Err = ""
			p.Input.Blur()
			return "", PromptCancelled, nil
		}
	}
	p.Input, cmd = p.Input.Update(msg)
	p.Err = ""
	return "", PromptEditing, cmd
}

// View is the label, the input and the error, for a dialog box.
func (p *ReasonPrompt) View(s *Styles, label string) string {
	out := label + "\n" + p.Input.View() + "\n"
	if p.Err != "" {
		out += s.Error.Render(p.Err) + "\n"
	}
	return out
}

// Reason is a ReasonPrompt asked about a set of rows (application IDs,
// serials) before an action on them: the dialog the queue's reject and the
// permits' revoke share.
type Reason struct {
	ReasonPrompt
	Targets []string // what the reason is for, while the prompt is open
	act     func(targets []string, reason string) tea.Cmd
}

// NewReason makes an empty, closed reason dialog.
func NewReason() Reason { return Reason{ReasonPrompt: NewReasonPrompt()} }

// OpenFor asks a reason for targets; act runs on them once it is given.
func (r *Reason) OpenFor(targets []string, act func(targets []string, reason string) tea.Cmd) tea.Cmd {
	r.Targets, r.act = targets, act
	return r.Open()
}

// Ask handles a key or a paste: on a submitted reason it runs the action;
// closed says the dialog is over (submitted or cancelled).
func (r *Reason) Ask(msg tea.Msg, required string) (closed bool, cmd tea.Cmd) {
	reason, outcome, cmd := r.Update(msg, required)
	if outcome == PromptEditing {
		return false, cmd
	}
	targets, act := r.Targets, r.act
	r.Targets, r.act = nil, nil
	if outcome == PromptSubmitted && act != nil {
		return true, act(targets, reason)
	}
	return true, cmd
}
