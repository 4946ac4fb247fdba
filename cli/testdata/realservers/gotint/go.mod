module zoomdbg.test/realservers/gotint

go 1.26

require github.com/lmittmann/tint v1.2.1
