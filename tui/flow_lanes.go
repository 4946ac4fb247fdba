package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/zoomdbg/zoomdbg/core/oauth"
	"github.com/zoomdbg/zoomdbg/core/pkce"
	"github.com/zoomdbg/zoomdbg/core/termsafe"
)

// The Flow screen's lanes (v): every challenge method run against the same server, one column
// per method and the same step on the same row, so that the RFC's challenge and Zoom's legacy
// one, the verifier each sends and the server's answer are read across. Two lanes at 80 columns,
// more when wider; h/l shift them, pgup/pgdn scroll.

// laneDoneMsg is one method's run in the lanes, finished; probe is set for the probe's run.
type laneDoneMsg struct {
	gen, i int
	result *oauth.Result
	probe  bool
}

// lanes is the state of the lanes view.
type lanes struct {
	on       bool
	results  map[pkce.Method]*oauth.Result
	offset   int // the first method shown
	gen      int
	running  int // the method running, len(pkce.Methods) for the probe, or -1
	config   oauth.Config
	verifier string        // one for every lane, so that the lanes differ by method alone
	probe    *oauth.Result // a taken method with a wrong verifier: is PKCE enforced at all
}

const (
	laneLabelWidth = 10
	laneMinWidth   = 34
)

// runLanes runs every method against the current settings, one after another, following the
// authorize redirect itself (a server that approves at once: the mock).
func (s *flowScreen) runLanes() tea.Cmd {
	s.stop()
	c, err := s.config()
	if err != nil {
		s.err = err.Error()
		return nil
	}
	v, err := oauth.CompareVerifier(nil)
	if err != nil {
		s.err = err.Error()
		return nil
	}
	s.err = ""
	s.lane.gen++
	s.lane.results, s.lane.config, s.lane.verifier, s.lane.probe = map[pkce.Method]*oauth.Result{}, c, v, nil
	clear(s.tried)
	clear(s.runs)
	return s.laneCmd(0)
}

func (s *flowScreen) laneCmd(i int) tea.Cmd {
	s.lane.running = i
	gen, c, v := s.lane.gen, s.lane.config, s.lane.verifier
	c.Method = pkce.Methods[i]
	return func() tea.Msg {
		return laneDoneMsg{gen: gen, i: i, result: oauth.RunFollowedWith(context.Background(), c, true, v, nil)}
	}
}

func (s *flowScreen) laneDone(msg laneDoneMsg) tea.Cmd {
	if msg.gen != s.lane.gen {
		return nil
	}
	if msg.probe {
		s.lane.probe, s.lane.running = msg.result, -1
		return nil
	}
	m := pkce.Methods[msg.i]
	s.lane.results[m] = msg.result
	s.record(msg.result)
	if msg.i+1 < len(pkce.Methods) {
		return s.laneCmd(msg.i + 1)
	}
	return s.probeCmd()
}

// probeCmd runs the compare's probe after the lanes, by the same rule as zoomdbg flow --compare.
func (s *flowScreen) probeCmd() tea.Cmd {
	s.lane.running = len(pkce.Methods)
	gen, c, v, lanes := s.lane.gen, s.lane.config, s.lane.verifier, s.lanes()
	return func() tea.Msg {
		p, _ := oauth.Probe(context.Background(), c, v, lanes, nil)
		return laneDoneMsg{gen: gen, result: p, probe: true}
	}
}

// lanes lists the lanes that have run, in method order.
func (s *flowScreen) lanes() []oauth.Lane {
	var lanes []oauth.Lane
	for _, m := range pkce.Methods {
		if r := s.lane.results[m]; r != nil {
			lanes = append(lanes, oauth.Lane{Method: m, Result: r})
		}
	}
	return lanes
}

// summaryOf says how a run ended, for the line of methods tried: the step that failed and the
// server's error code, so that a refusal at authorize is marked as one.
func summaryOf(r *oauth.Result) string {
	if n := r.FailedStep(); n != "" {
		if code := r.Steps[n].Error; code != "" {
			return "✗ " + string(n) + " " + termsafe.Escape(code)
		}
		return "✗ " + string(n)
	}
	return "✓ users/me"
}

// lanesPerScreen is how many methods fit side by side.
func (s *flowScreen) lanesPerScreen() int {
	return clamp((s.width-laneLabelWidth)/laneMinWidth, 1, len(pkce.Methods))
}

// lanesVerdict is the run line of the lanes view.
func (s *flowScreen) lanesVerdict() string {
	cs := s.styles.Context
	switch {
	case s.err != "":
		return cs.Bad.Render("✗ " + termsafe.Escape(s.err))
	case s.lane.results == nil:
		return cs.Dim.Render("lanes (v): r runs every method against this server, following the redirect itself (the mock approves at once); h/l shift the lanes")
	case s.lane.running == len(pkce.Methods):
		return cs.Warn.Render(s.spinner.View() + " probing: a taken method's challenge with another verifier, to tell whether PKCE is enforced")
	case s.lane.running >= 0:
		return cs.Warn.Render(fmt.Sprintf("%s running %s (%d of %d)", s.spinner.View(), pkce.Methods[s.lane.running],
			s.lane.running+1, len(pkce.Methods)))
	}
	v := oauth.ReadVerdict(s.lanes(), s.lane.config.Advertised(), s.lane.probe)
	return cs.OK.Render(v.Short()) + cs.Dim.Render(" (h/l shift, pgup/pgdn scroll)")
}

// lanesTable draws the lanes from the current offset: a row per step, a cell per method.
func (s *flowScreen) lanesTable() []string {
	cs := s.styles.Context
	n := s.lanesPerScreen()
	s.lane.offset = clamp(s.lane.offset, 0, len(pkce.Methods)-n)
	methods := pkce.Methods[s.lane.offset : s.lane.offset+n]
	w := (s.width - laneLabelWidth) / n
	var out []string
	row := func(label string, cell func(pkce.Method, *oauth.Result) string) {
		cells := make([]string, len(methods))
		for i, m := range methods {
			cells[i] = termsafe.Escape(cell(m, s.lane.results[m]))
		}
		out = append(out, tableRow(label, laneLabelWidth, w, cs.Label, cells)...)
	}
	head := make([]string, 0, len(methods))
	for _, m := range methods {
		head = append(head, string(m))
	}
	out = append(out, "")
	if s.lane.offset > 0 || s.lane.offset+n < len(pkce.Methods) {
		out = append(out, cs.Dim.Render(fmt.Sprintf("lanes %d-%d of %d (h/l)", s.lane.offset+1, s.lane.offset+n, len(pkce.Methods))))
	}
	row("", func(m pkce.Method, r *oauth.Result) string {
		switch {
		case r != nil:
			return string(m) + "  " + summaryOf(r)
		case s.lane.running >= 0:
			return string(m) + "  …"
		}
		return string(m)
	})
	row("challenge", func(m pkce.Method, r *oauth.Result) string {
		if r == nil {
			return ""
		}
		return r.Attempt.Challenge.Value
	})
	for _, step := range oauth.Steps[1:] {
		row(string(step), func(m pkce.Method, r *oauth.Result) string {
			if r == nil {
				return "·"
			}
			st := r.Steps[step]
			switch {
			case st.Skipped:
				return "– " + strings.TrimPrefix(st.Detail, "skipped: ")
			case st.Done && st.OK:
				return "✓"
			case st.Done: // the server's words; zoomdbg's explanation is the "why" row
				words, _, _ := strings.Cut(st.Detail, " — ")
				return "✗ " + words
			}
			return "·"
		})
	}
	row("why", func(m pkce.Method, r *oauth.Result) string {
		if r == nil {
			return ""
		}
		if n := r.FailedStep(); n != "" && len(r.Steps[n].Causes) > 0 {
			return r.Steps[n].Causes[0]
		}
		return ""
	})
	row("sent", func(m pkce.Method, r *oauth.Result) string {
		if r == nil || r.TokenRequest == nil {
			return ""
		}
		return "code_verifier=" + r.TokenRequest.Form.Get("code_verifier")
	})
	row("answer", func(m pkce.Method, r *oauth.Result) string {
		if r == nil || r.TokenResponse == nil {
			return ""
		}
		return fmt.Sprintf("HTTP %d %s", r.TokenResponse.Status, r.TokenBody(false))
	})
	return out
}
