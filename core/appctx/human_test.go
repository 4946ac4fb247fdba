package appctx

import (
	"fmt"
	"testing"
	"time"
)

// TestAppendHuman holds appendHuman to the fmt formatting it replaced, over every second of the
// first three hours, then minutes to five days, and negative durations (a time in the future).
func TestAppendHuman(t *testing.T) {
	want := func(d time.Duration) string {
		d = d.Round(time.Second)
		switch {
		case d < time.Minute:
			return fmt.Sprintf("%ds", int(d.Seconds()))
		case d < time.Hour:
			return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
		case d < 48*time.Hour:
			return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
		}
		return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
	}
	var ds []time.Duration
	for s := -120; s <= 3*3600; s++ {
		ds = append(ds, time.Duration(s)*time.Second, time.Duration(s)*time.Second+499*time.Millisecond)
	}
	for m := 0; m <= 5*24*60; m += 7 {
		ds = append(ds, time.Duration(m)*time.Minute+time.Duration(m%60)*time.Second)
	}
	for _, d := range ds {
		if got := string(appendHuman([]byte("x"), d)); got != "x"+want(d) {
			t.Fatalf("appendHuman(%v) = %q, want %q", d, got[1:], want(d))
		}
	}
}
