package tui

import "github.com/zoomdbg/zoomdbg/core/appctx"

// The App Context screen takes its verdict from core (Report.Judge); these accessors let the
// cross-face test (cli/verdict_faces_test.go) drive the model through Update and compare what it
// shows with what context and scan say.

// ContextVerdict is the verdict the App Context screen shows.
func (m *Model) ContextVerdict() appctx.Judgement { return m.context.judged }

// ContextInput is the text in the App Context screen's token field, as the screen judges it.
func (m *Model) ContextInput() string { return m.context.token.Value() }

// DeriveKeys derives the App Context screen's keys on the caller's goroutine, as the program does
// off the UI goroutine, and applies them.
func (m *Model) DeriveKeys() { m.Update(m.context.deriveCmd()()) }
