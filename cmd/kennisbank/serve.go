package main

import (
	"context"
	"fmt"
)

func (c *CLI) serve(ctx context.Context, args []string) int {
	fmt.Fprintln(c.Stderr, "kennisbank serve: the dev server is being built (issue 5)")
	return 1
}
