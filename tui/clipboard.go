package tui

import "github.com/atotto/clipboard"

// systemClipboard writes to the local system clipboard through atotto/clipboard, which needs a
// helper (xclip, xsel, wl-copy, pbcopy); it fails where there is none, as over SSH.
func systemClipboard(s string) error {
	if clipboard.Unsupported {
		return errClipboardUnsupported
	}
	return clipboard.WriteAll(s)
}

type clipboardError string

func (e clipboardError) Error() string { return string(e) }

const errClipboardUnsupported = clipboardError("no system clipboard helper")
