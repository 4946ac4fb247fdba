module zoomdbg

go 1.26.0

require (
	github.com/charmbracelet/x/exp/golden v0.1.0
	github.com/spf13/cobra v1.10.2
)

require (
	github.com/aymanbagabas/go-udiff v0.4.1 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
