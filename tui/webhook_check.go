package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/zoomdbg/zoomdbg/core/check"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
	"github.com/zoomdbg/zoomdbg/core/webhook"
)

// The Webhook screen's endpoint check: core/webhook's battery against the URL in the endpoint
// field, run in the background with its probes arriving one by one. It lives on this screen, not
// the Check screen, which tests app-context backends.

// hookRun is the state of the latest endpoint check.
type hookRun struct {
	gen     int
	cancel  context.CancelFunc
	running bool
	probes  []webhook.Probe
	report  *webhook.EndpointReport
	err     string
}

// Messages of a running endpoint check, tagged with the run they belong to.
type (
	hookProbeMsg struct {
		gen   int
		probe webhook.Probe
		wait  tea.Cmd
	}
	hookDoneMsg struct {
		gen    int
		report *webhook.EndpointReport
		err    error
	}
)

// startCheck runs the battery with the token in the field; the token is never sent.
func (s *webhookScreen) startCheck() (tea.Cmd, intent) {
	url := strings.TrimSpace(s.endpoint.Value())
	ss := s.secrets()
	switch {
	case url == "":
		return s.setFocus(focusHookEndpoint), noticeIntent("type the endpoint's URL first")
	case len(ss) == 0:
		return s.setFocus(focusHookToken), noticeIntent("give the Secret Token first: the check signs with it")
	}
	if s.run.cancel != nil {
		s.run.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	gen := s.run.gen + 1
	s.run = hookRun{gen: gen, cancel: cancel, running: true}
	s.scroll, s.sel, s.keymap.rows = 0, 0, false
	probes := make(chan webhook.Probe, 64)
	done := make(chan hookDoneMsg, 1)
	o := webhook.EndpointOptions{URL: url, Secret: ss[0].Value, Now: s.now, Progress: func(p webhook.Probe) {
		select {
		case probes <- p:
		case <-ctx.Done():
		}
	}}
	go func() {
		r, err := webhook.CheckEndpoint(ctx, o)
		close(probes)
		done <- hookDoneMsg{gen: gen, report: r, err: err}
	}()
	var wait tea.Cmd
	wait = func() tea.Msg {
		p, ok := <-probes
		if !ok {
			return <-done
		}
		return hookProbeMsg{gen: gen, probe: p, wait: wait}
	}
	return wait, noticeIntent("checking " + termsafe.Escape(url) + ": about 15 requests, one at a time")
}

func (s *webhookScreen) updateRun(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case hookProbeMsg:
		if msg.gen != s.run.gen {
			return nil
		}
		s.run.probes = append(s.run.probes, msg.probe)
		s.keymap.rows = len(s.rows()) > 0
		return msg.wait
	case hookDoneMsg:
		if msg.gen != s.run.gen {
			return nil
		}
		s.run.running, s.run.report = false, msg.report
		if msg.err != nil {
			s.run.err = msg.err.Error()
		}
	}
	return nil
}

func (s *webhookScreen) copyWorstCurl() intent {
	if s.run.report == nil || len(s.run.report.Findings()) == 0 {
		return noticeIntent("no finding to reproduce: run the endpoint check (r) first")
	}
	return copyIntent{what: "curl of the worst finding", value: s.run.report.Findings()[0].Curl}
}

// runLines draws the endpoint check: a row per probe, then the findings, worst first.
func (s *webhookScreen) runLines() []string {
	out, _ := s.runLinesRows()
	return out
}

// runLinesRows is runLines with the lines each row takes: row i is lines spans[i][0] to
// spans[i][1]. The report begins with these lines.
func (s *webhookScreen) runLinesRows() (out []string, spans [][2]int) {
	r := s.run
	if !r.running && r.report == nil && r.err == "" {
		return nil, nil
	}
	cs := s.styles.Context
	e := termsafe.Escape
	w := max(s.width-2, 10)
	out = []string{cs.Section.Render("endpoint check")}
	add := func(render func(...string) string, text string) {
		for _, l := range wrapWords(text, w) {
			out = append(out, "  "+render(l))
		}
	}
	// The verdict first, in the one line the command line prints (core's Summary).
	if r.report != nil && r.report.OK {
		add(cs.OK.Render, "✓ "+r.report.Summary())
	} else if r.report != nil {
		add(cs.Bad.Render, "✗ "+r.report.Summary())
	}
	for i, p := range s.rows() {
		mark, render := "✓", cs.OK.Render
		if !p.Pass {
			mark, render = "✗", cs.Bad.Render
			if p.Severity == check.Note {
				render = cs.Warn.Render
			}
		}
		status := "-"
		if p.Sent {
			status = fmt.Sprint(p.Status)
		}
		at := len(out)
		add(render, fmt.Sprintf("%s must %s %s: HTTP %s", mark, p.Expect, e(p.Name), status))
		if i == s.sel && s.focus == focusHookReport {
			out[at] = selMark + strings.TrimPrefix(out[at], "  ")
		}
		spans = append(spans, [2]int{at, len(out)})
	}
	switch {
	case r.running:
		add(cs.Dim.Render, "checking…")
	case r.err != "":
		add(cs.Bad.Render, "✗ "+e(r.err))
	case !r.report.OK:
		if r.report.Diagnosis != "" {
			add(cs.Warn.Render, "diagnosis: "+e(r.report.Diagnosis))
		}
		for i, f := range r.report.Findings() {
			add(cs.Bad.Render, fmt.Sprintf("%d. %s %s: %s", i+1, strings.ToUpper(f.Severity.String()), e(f.Name), e(f.Why)))
		}
		add(cs.Dim.Render, "u copies the worst finding's curl")
	}
	return append(out, ""), spans
}

// selMark starts the selected row's first line, as on the Check screen; enter shows the row whole.
const selMark = "▸ "

// rows are the endpoint check's probes shown as rows: the battery, not the diagnostic deliveries.
func (s *webhookScreen) rows() []webhook.Probe {
	var out []webhook.Probe
	for _, p := range s.run.probes {
		if !p.Probing {
			out = append(out, p)
		}
	}
	return out
}

// rowAt is the row drawn on line of the report as shown, if any: with no search applied, the
// report's first lines are the endpoint check's.
func (s *webhookScreen) rowAt(line int) (int, bool) {
	if s.filter != "" {
		return 0, false
	}
	_, spans := s.runLinesRows()
	for i, sp := range spans {
		if line >= sp[0] && line < sp[1] {
			return i, true
		}
	}
	return 0, false
}

// selLine is the line of the report the selected row starts on, -1 when none is shown.
func (s *webhookScreen) selLine() int {
	for i, l := range s.shown() {
		if strings.HasPrefix(l, selMark) {
			return i
		}
	}
	return -1
}

// moveSel moves the row selection by d, as j/k do on the Check screen's rows; past the rows (or
// with none) j/k scroll the report, so the rest of it stays one key away.
func (s *webhookScreen) moveSel(d int) {
	n, line := len(s.rows()), s.selLine()
	switch {
	case d > 0 && s.sel < n-1:
		s.sel++
	case d < 0 && s.sel > 0 && line >= s.scroll:
		s.sel--
	default:
		s.scroll = max(s.scroll+d, 0)
		return
	}
	// Keep the selected row in view: the room less the "↕ lines" line a long report ends with.
	room := max(s.bodyHeight()-1, 1)
	switch line = s.selLine(); {
	case line < 0:
	case line < s.scroll:
		s.scroll = line
	case line >= s.scroll+room:
		s.scroll = line - room + 1
	}
}

// selection is the selected row whole, for the pager enter opens: the probe's request, answer,
// timing and why it matters, which the row itself cuts to its name and status.
func (s *webhookScreen) selection() (string, string) {
	rows := s.rows()
	if s.sel >= len(rows) {
		return "", ""
	}
	p := rows[s.sel]
	verdict := "✓ as it must"
	if !p.Pass {
		verdict = "✗ " + strings.ToUpper(p.Severity.String())
		if p.Problem != "" {
			verdict += ": " + p.Problem
		}
	}
	answer := "not sent: an earlier answer made it unnecessary"
	if p.Sent {
		answer = fmt.Sprintf("%s, in %s", p.Response, p.Elapsed.Round(time.Millisecond))
	}
	text := fmt.Sprintf("must %s %s\n\n%s\n\nanswer  %s\n\nwhy     %s", p.Expect, p.Name, verdict, answer, p.Why)
	if p.Curl != "" {
		text += "\n\nreproduce (signatures only, never the token):\n" + p.Curl
	}
	return "must " + p.Expect + " " + p.Name, text
}
