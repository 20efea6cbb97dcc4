// Package themes embeds the themes that ship with kennisbank, so the binary
// works outside this repository.
package themes

import "embed"

// FS holds every built-in theme, one folder each ("default").
//
//go:embed all:default
var FS embed.FS
