package main

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"

	"kennisbank/generator/devserver"
)

func (c *CLI) serve(ctx context.Context, args []string) int {
	fs := c.flags("serve", "Build the site, serve it from memory and rebuild on every change to content/, layouts/,\nstatic/, archetypes/, i18n/, the theme and site.toml; open pages reload by themselves.\nNothing is written to the output folder.")
	var b buildFlags
	b.register(fs)
	bind := fs.String("bind", "127.0.0.1", "address to listen on; 0.0.0.0 opens the site to your whole network")
	port := fs.Int("port", 1313, "TCP port (0 picks a free one)")
	open := fs.Bool("open", false, "open the site in the default browser")
	memLimit := memoryLimitFlag(fs)
	poll := fs.Duration("poll", 0, "poll for changes at this interval instead of watching (e.g. 1s, for network drives);\nwhen the system cannot watch, serve polls every second anyway")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if *poll < 0 {
		fmt.Fprintf(c.Stderr, "kennisbank serve: --poll must be positive, not %v\n", *poll)
		return 2
	}
	if err := c.setMemoryLimit(*memLimit); err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 2
	}
	opts, err := c.options(b)
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 2
	}
	err = devserver.Run(ctx, devserver.Options{
		Build:  opts,
		Bind:   *bind,
		Port:   *port,
		Poll:   *poll,
		Stdout: c.Stdout,
		Stderr: c.Stderr,
		Ready: func(url string) {
			fmt.Fprintf(c.Stdout, "Serving %s (Ctrl-C to stop)\n", url)
			if *open {
				if err := openBrowser(ctx, url); err != nil {
					fmt.Fprintf(c.Stderr, "kennisbank serve: cannot open a browser: %v\n", err)
				}
			}
		},
	})
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank serve: %v\n", err)
		return 1
	}
	fmt.Fprintln(c.Stdout, "stopped")
	return 0
}

// openBrowser opens url in the default browser. The opener (xdg-open,
// open) exits as soon as the browser has the URL; it is reaped then, or
// killed when ctx is done.
func openBrowser(ctx context.Context, url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.CommandContext(ctx, "open", url)
	case "windows":
		cmd = exec.CommandContext(ctx, "rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.CommandContext(ctx, "xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
