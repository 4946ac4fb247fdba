package appctx

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestLifetimeNeverOverflows: a context whose exp is far past its ts (each within what Millis
// reads) never says it lives a negative time; a normal one says its two minutes.
func TestLifetimeNeverOverflows(t *testing.T) {
	now := time.UnixMilli(1795167000000)
	for _, tt := range []struct {
		ts, exp, want string
		wantNone      bool
	}{
		{ts: "1795167000000", exp: "1795167120000", want: "(lives 2m00s)"},
		{ts: "-99999999999999999", exp: "99999999999999999", wantNone: true},
		{ts: "1795167000000", exp: "99999999999999999", wantNone: true},
		{ts: "1795167120000", exp: "1795167000000", wantNone: true},
	} {
		obj := map[string]json.RawMessage{"ts": json.RawMessage(tt.ts), "exp": json.RawMessage(tt.exp)}
		var note string
		for _, c := range Claims(obj, now, "") {
			if c.Name == "exp" {
				note = c.Note
			}
		}
		if strings.Contains(note, "lives -") || tt.wantNone && strings.Contains(note, "lives") || !tt.wantNone && !strings.Contains(note, tt.want) {
			t.Errorf("ts %s exp %s: note %q", tt.ts, tt.exp, note)
		}
	}
}
