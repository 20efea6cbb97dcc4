//go:build !unix

package search

// cpuTime is 0 where the benchmarks do not measure CPU time.
func cpuTime() int64 { return 0 }
