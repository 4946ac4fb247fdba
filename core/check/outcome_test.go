package check

import "testing"

func TestOutcome(t *testing.T) {
	tests := []struct {
		name     string
		c        Case
		judgedBy string
		want     string
	}{
		{name: "accepted", c: Case{Status: 200, Accepted: true}, judgedBy: JudgedByStatus, want: "accepted"},
		{name: "refused", c: Case{Status: 401}, judgedBy: JudgedByStatus, want: "refused"},
		{name: "answers alike", c: Case{Status: 200}, judgedBy: JudgedByNothing, want: "alike"},
		{name: "no answer", c: Case{}, judgedBy: JudgedByNothing, want: "refused"},
		{name: "accepted when others alike", c: Case{Status: 200, Accepted: true}, judgedBy: JudgedByNothing, want: "accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Outcome(tt.c, tt.judgedBy); got != tt.want {
				t.Errorf("Outcome = %q, want %q", got, tt.want)
			}
		})
	}
}
