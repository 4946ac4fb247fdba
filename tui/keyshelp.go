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
	for _, g := range root.sharedGroups(false) {
		writeGroup(&b, width, strings.ToUpper(g.title[:1])+g.title[1:], [][]key.Binding{g.keys})
	}
	screens := []struct {
		name string
		km   help.KeyMap
	}{
		{"App Context", defaultContextKeyMap()},
		{"PKCE", defaultPKCEKeyMap()},
		{"Flow", defaultFlowKeyMap()},
		{"Check", defaultCheckKeyMap()},
		{"Webhook", defaultWebhookKeyMap()},
	}
	for _, sc := range screens {
		var cols [][]key.Binding
		for _, g := range screenGroups(sc.km) {
			cols = append(cols, g.keys)
		}
		writeGroup(&b, width, sc.name, cols)
	}
	return strings.TrimRight(b.String(), "\n")
}

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
