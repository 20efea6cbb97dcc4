// Package devserver is kennisbank's dev server: it builds a site, serves
// it from memory on 127.0.0.1, rebuilds on every change to the files a
// build reads, and tells the open pages to reload.
//
// Use it as
//
//	err := devserver.Run(ctx, devserver.Options{Build: generator.Options{Source: "."}, Port: 1313})
//
// or, to learn the address or count builds, New and then Server.Run.
//
// Rebuilds run generator.Build, the pipeline of "kennisbank build", on the
// whole site every time, with one generator.Cache kept across builds: the
// served site is always what a clean build of the same files gives
// ("Rebuilds: memoise, don't track" in DESIGN.md). The builds are lazy
// (generator.Options.Lazy): a page goes through its layout when a browser
// asks for it, with the same functions, so a save costs the pages looked
// at rather than every page of the site. The parts:
//
//   - layout.go says which files can change a build: site.toml, content/,
//     layouts/, static/, archetypes/, i18n/ and the theme folder in use,
//     never the output folder nor editors' temp and backup files;
//   - watch.go turns fsnotify events (or polling, when the system's watch
//     limit is reached) into batches, once the file system is quiet;
//   - inputs.go hashes the files a build reads, so a batch that changed no
//     bytes (touch, chmod) costs no build, and a build of the same inputs
//     as the one served keeps its build id;
//   - rebuild.go builds for each batch and publishes the result;
//   - server.go serves the last good build from memory, refusing foreign
//     Host headers and origins (DNS rebinding) and any path outside it;
//   - reload.go streams build events over Server-Sent Events to live.js,
//     injected into every page served, which reloads the page, swaps the
//     stylesheets, or shows the errors of a failed build over the page.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"kennisbank/generator"
)

// Options configure a dev server.
type Options struct {
	// Build is passed to generator.Build for every build; the server sets
	// its Cache.
	Build generator.Options
	// Bind is the address to listen on; "" means 127.0.0.1.
	Bind string
	// Port is the TCP port; 0 picks a free one.
	Port int
	// Poll, when set, polls for changes at this interval instead of
	// watching; it is also the interval used when watching is not possible
	// (1s when zero).
	Poll time.Duration
	// Stdout receives progress, Stderr errors and warnings; nil discards.
	Stdout, Stderr io.Writer
	// Ready, when set, is called once with the site's URL when the first
	// build is served (even when it failed: the URL shows its errors).
	Ready func(url string)
}

// Server is one dev server. Make it with New; it serves from Run until its
// context is done.
type Server struct {
	opts     Options
	bindHost string // Bind, lower case, without brackets
	bindAll  bool   // bound to every interface

	cache     generator.Cache // Markdown renders, across builds
	state     atomic.Pointer[state]
	ready     chan struct{} // closed once the first build is published
	readyOnce sync.Once
	hub       *hub
	url       atomic.Value // string
	told      sync.Map     // errors of lazily rendered pages printed already

	// Owned by the goroutine running Run (the rebuild loop).
	layout    layout
	inputs    *inputs
	watcher   *watcher
	lastBuild time.Time
	siteBuilt time.Time // when the build of the site served ended
	run       string    // this run's part of build ids
	seq       int

	builds  atomic.Int64
	skipped atomic.Int64

	// watchAdd, when set, replaces fsnotify's Add: tests simulate the
	// system's watch limit through it.
	watchAdd func(w *fsnotify.Watcher, dir string) error
}

// New checks the options and makes a server.
func New(opts Options) (*Server, error) {
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("port %d is not a TCP port (0-65535)", opts.Port)
	}
	if opts.Poll < 0 {
		return nil, fmt.Errorf("poll interval %v is negative", opts.Poll)
	}
	src := opts.Build.Source
	if src == "" {
		src = "."
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return nil, err
	}
	opts.Build.Source = abs
	s := &Server{
		opts:     opts,
		bindHost: strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(opts.Bind, "["), "]")),
		ready:    make(chan struct{}),
		hub:      newHub(),
		inputs:   newInputs(),
		run:      strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	if ip := net.ParseIP(s.bindHost); ip != nil && ip.IsUnspecified() {
		s.bindAll = true
	}
	return s, nil
}

// Run builds the site and serves it from memory until ctx is done; it
// watches the site's files and rebuilds on every change. It returns nil
// after a clean shutdown, and an error only when it cannot serve at all.
func Run(ctx context.Context, opts Options) error {
	s, err := New(opts)
	if err != nil {
		return err
	}
	return s.Run(ctx)
}

// URL returns the address the server is serving on, once it serves.
func (s *Server) URL() string {
	u, _ := s.url.Load().(string)
	return u
}

// Builds returns how many builds the server ran.
func (s *Server) Builds() int { return int(s.builds.Load()) }

// Run serves; see the package Run. A Server runs once.
func (s *Server) Run(ctx context.Context) (err error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(s.bindHost, strconv.Itoa(s.opts.Port)))
	if err != nil {
		return fmt.Errorf("listen: %w (is another server using the port? choose one with --port)", err)
	}
	s.url.Store(publicURL(ln.Addr(), s.bindHost, s.bindAll))
	if s.bindAll {
		fmt.Fprintf(s.opts.Stderr, "kennisbank serve: warning: listening on every network interface (%s): anyone on your network can read the site\n", ln.Addr())
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		// Requests (and event streams) end with ctx.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    log.New(io.Discard, "", 0),
	}
	var wg sync.WaitGroup
	serveErr := make(chan error, 1)
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr <- err
			cancel()
		}
	})
	defer func() {
		cancel()
		sctx, done := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer done()
		_ = srv.Shutdown(sctx)
		wg.Wait()
		select {
		case e := <-serveErr:
			err = fmt.Errorf("serve: %w", e)
		default:
		}
	}()

	// The first build. The inputs are hashed before it, so that once the
	// watches stand, a change made in between is found.
	s.layout = initialLayout(s.opts.Build.Source, s.opts.Build.ConfigFile)
	s.inputs.scan(s.layout)
	s.rebuild(ctx, false, false)
	if ctx.Err() != nil {
		return nil
	}
	if s.opts.Ready != nil {
		s.opts.Ready(s.URL())
	}

	// Serving already; now watch.
	s.watcher = newWatcher(s.layout, s.opts.Poll, s.opts.Stderr)
	if s.watchAdd != nil {
		s.watcher.add = s.watchAdd
	}
	s.watcher.start()
	batches := make(chan batch)
	wg.Go(func() { s.watcher.run(ctx, batches) })
	// What changed while the watches were set up has no events: compare.
	if changed := s.inputs.scan(s.layout); len(changed) > 0 {
		s.rebuild(ctx, s.inputs.onlyStylesheets(s.layout, changed), false)
	}
	s.rebuildLoop(ctx, batches)
	return nil
}

// publicURL is the URL to print: a loopback address when bound to every
// interface.
func publicURL(addr net.Addr, bindHost string, all bool) string {
	port := "0"
	if ta, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(ta.Port)
	}
	host := bindHost
	if all {
		host = "127.0.0.1"
		if bindHost == "::" {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
