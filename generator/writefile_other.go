//go:build !unix

package generator

import "os"

// writeFile creates the file p with the bytes b.
func writeFile(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }
