package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// KeysHelp lists the debugger's keys for `zoomdbg --help`, from the same keymaps the help bar and
// the ? overlay show: the global keys, then one group per screen, one line per group wrapped at
// width columns (0: not wrapped).
func KeysHelp(width int) string {
	root := defaultRootKeyMap()
	var b strings.Builder
	groups := []struct {
		name string
		km   help.KeyMap
	}{
		{"App Context", defaultContextKeyMap()},
		{"PKCE", defaultPKCEKeyMap()},
		{"Flow", defaultFlowKeyMap()},
		{"Check", defaultCheckKeyMap()},
		{"Webhook", defaultWebhookKeyMap()},
	}
	root.screen = emptyKeyMap{}
	writeGroup(&b, width, "Everywhere", root.FullHelp())
	for _, g := range groups {
		writeGroup(&b, width, g.name, g.km.FullHelp())
	}
	return strings.TrimRight(b.String(), "\n")
}

type emptyKeyMap struct{}

func (emptyKeyMap) ShortHelp() []key.Binding  { return nil }
func (emptyKeyMap) FullHelp() [][]key.Binding { return nil }

func writeGroup(b *strings.Builder, width int, name string, cols [][]key.Binding) {
	var items []string
	for _, col := range cols {
		for _, k := range col {
			if h := k.Help(); h.Key != "" {
				items = append(items, fmt.Sprintf("%s %s", h.Key, h.Desc))
			}
		}
	}
	if len(items) == 0 {
		return
	}
	const indent = 15
	line := fmt.Sprintf("  %-12s ", name+":")
	for i, it := range items {
		sep := ""
		if i < len(items)-1 {
			sep = ";"
		}
		if width > 0 && len(line)+len(it)+1 > width && len(line) > indent {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = strings.Repeat(" ", indent)
		}
		line += it + sep + " "
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
}
