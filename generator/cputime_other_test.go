//go:build !unix

package generator

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
