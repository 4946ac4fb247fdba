package oauth

import "os"

// hasDisplay reports whether a graphical session is there to open a browser in.
func hasDisplay() bool { return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" }
