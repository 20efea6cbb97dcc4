package devserver

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"kennisbank/generator"
	"kennisbank/generator/config"
	"kennisbank/generator/content"
)

// state is what the server shows: the last good build and, when the
// latest build failed, its errors. It is never changed once published.
type state struct {
	id     string          // build id of files: "run.n"; "" before the first good build
	prev   string          // id of the build before, for a stylesheet-only swap
	css    bool            // prev → id changed only stylesheets
	site   *generator.Site // the last good build, built lazily; nil before one
	inputs [2]uint64       // the key of the inputs site was built from
	errors content.Diagnostics
}

// file returns a file of the last good build, rendering it if need be.
func (st *state) file(name string) ([]byte, bool, error) {
	if st.site == nil {
		return nil, false, nil
	}
	return st.site.File(name)
}

func (st *state) errorLines() []string {
	lines := make([]string, 0, len(st.errors))
	for _, d := range st.errors {
		lines = append(lines, d.String())
	}
	return lines
}

func (st *state) message(fresh bool) message {
	m := message{ID: st.id, Errors: st.errorLines()}
	if fresh {
		m.Prev, m.CSS = st.prev, st.css
	}
	return m
}

// settle is how long after a build ends an event may still stand for a
// change made while it ran (the watcher goroutine may be a little behind
// the kernel). A batch that starts earlier is always built, whatever the
// hashes say: the hashes were taken before that build, which may have read
// other bytes.
const settle = 100 * time.Millisecond

// watchLag is how long after a write its event may reach the watcher's
// goroutine: a batch whose first event came earlier than watchLag after a
// build ended may hold a change that build read.
const watchLag = 10 * time.Millisecond

// rebuildLoop builds once for every batch that changed an input, until ctx
// is done.
func (s *Server) rebuildLoop(ctx context.Context, batches <-chan batch) {
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-batches:
			var changed []string
			if b.rescan {
				changed = s.inputs.scan(s.layout)
			} else {
				changed = s.inputs.update(s.layout, b.paths)
			}
			if len(changed) == 0 && b.first.After(s.lastBuild.Add(settle)) {
				s.skipped.Add(1)
				continue
			}
			// A change seen before the served site's build ended may
			// have been read by it, though its key says otherwise.
			racy := !b.first.After(s.siteBuilt.Add(watchLag))
			s.rebuild(ctx, s.inputs.onlyStylesheets(s.layout, changed), racy)
		}
	}
}

// rebuild runs the pipeline once and publishes the result. css says that
// only stylesheets changed: no page can show a stylesheet's bytes, so the
// browsers can swap stylesheets instead of reloading. racy says that the
// build before may have read other bytes than its input key stands for:
// this build is published whatever the keys say.
//
// The build is lazy (see generator.Options.Lazy): a page is rendered when
// a browser asks for it, so a save costs the pages looked at, not all of
// them.
func (s *Server) rebuild(ctx context.Context, css, racy bool) {
	opts := s.opts.Build
	opts.Cache = &s.cache
	opts.Lazy = true
	key := s.inputs.key()
	start := time.Now()
	site, err := generator.Build(ctx, opts)
	s.lastBuild = time.Now()
	s.builds.Add(1)
	if ctx.Err() != nil {
		return
	}
	// site.toml decides what a build reads: follow it.
	if site != nil && site.Config != nil {
		if l := newLayout(s.layout.root, opts.ConfigFile, site.Config); !l.equal(s.layout) {
			s.layout = l
			if s.watcher != nil {
				s.watcher.setLayout(l)
			}
		}
	}
	s.publish(site, key, err, css, racy, time.Since(start))
}

// publish makes a build's result what the server shows and tells the
// browsers and the terminal.
func (s *Server) publish(site *generator.Site, key [2]uint64, err error, css, racy bool, took time.Duration) {
	old := s.state.Load()
	first := old == nil
	if first {
		old = &state{}
	}
	if err != nil {
		var be *generator.BuildError
		var diags content.Diagnostics
		if errors.As(err, &be) {
			for _, d := range be.Diagnostics {
				if d.Severity == content.Error {
					diags = append(diags, d)
				}
			}
		}
		if len(diags) == 0 {
			diags = content.Diagnostics{{Path: s.opts.Build.Source, Severity: content.Error, Code: "build", Message: err.Error()}}
		}
		st := &state{id: old.id, prev: old.prev, site: old.site, inputs: old.inputs, errors: diags}
		s.state.Store(st)
		s.hub.broadcast(st.message(true))
		for _, d := range diags {
			fmt.Fprintln(s.opts.Stderr, d.String())
		}
		if old.site == nil {
			fmt.Fprintf(s.opts.Stderr, "build failed: %d error(s); serving an error page until they are fixed\n", len(diags))
		} else {
			fmt.Fprintf(s.opts.Stderr, "build failed: %d error(s); serving the last good build\n", len(diags))
		}
		s.markReady()
		return
	}

	// The pages of a lazy build are not rendered yet, so the two builds
	// cannot be compared file by file; their inputs can. The same inputs
	// (a broken file put back as it was) give the same site: keep the
	// build id, so the browsers only drop the error overlay. Unless the
	// build before raced a change: its key may not be what it read.
	changed, cssOnly := old.site == nil || key != old.inputs || racy, css && old.site != nil
	st := &state{id: old.id, prev: old.prev, css: old.css, site: old.site, inputs: old.inputs}
	if changed {
		s.seq++
		st = &state{id: s.run + "." + strconv.Itoa(s.seq), prev: old.id, css: cssOnly, site: site, inputs: key}
		s.siteBuilt = s.lastBuild
	}
	s.state.Store(st)
	if changed || len(old.errors) > 0 {
		s.hub.broadcast(st.message(changed))
	}
	s.markReady()

	if first {
		for _, d := range site.Diagnostics {
			fmt.Fprintln(s.opts.Stderr, d.String())
		}
		fmt.Fprintf(s.opts.Stdout, "built %d pages in %d sections in %v\n",
			site.Stats.Pages, site.Stats.Sections, took.Round(time.Millisecond))
		return
	}
	switch {
	case len(old.errors) > 0:
		fmt.Fprintf(s.opts.Stdout, "fixed: rebuilt in %v\n", took.Round(time.Millisecond))
	case cssOnly:
		fmt.Fprintf(s.opts.Stdout, "rebuilt in %v: stylesheets only\n", took.Round(time.Millisecond))
	case changed:
		fmt.Fprintf(s.opts.Stdout, "rebuilt in %v\n", took.Round(time.Millisecond))
	}
}

func (s *Server) markReady() {
	s.readyOnce.Do(func() { close(s.ready) })
}

// initialLayout reads site.toml for the folders to watch before the first
// build; when it does not load, the defaults stand until a build reads it.
func initialLayout(root, configName string) layout {
	name := configName
	if name == "" {
		name = "site.toml"
	}
	cfg, err := config.Load(filepath.Join(root, name))
	if err != nil {
		cfg = nil
	}
	return newLayout(root, configName, cfg)
}
