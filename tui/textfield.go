package tui

import "charm.land/bubbles/v2/textarea"

// resizeText gives a text area w columns and h rows, and re-places its view after its wrapping
// changed. The text area moves its view only as far as the cursor's new line needs, from where it
// was: growing the field left blank rows under the last line (a paste wraps into fewer rows),
// shrinking it left the first lines on show. So the view starts from the top, the cursor goes
// back where it was, and the text area scrolls down just far enough to show it.
func resizeText(ta *textarea.Model, w, h int) {
	ta.SetWidth(w)
	row, col := ta.Line(), ta.Column()
	ta.MoveToBegin()
	for ta.Line() < row {
		ta.CursorDown()
	}
	ta.SetCursorColumn(col)
	_ = ta.View() // the viewport takes the rewrapped lines when the text area renders
	ta.SetHeight(h)
}
