package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The debounce: a batch goes to the rebuild loop once no event came for
// defaultQuiet, or defaultMaxWait after its first event at the latest. A
// save touches a file or two within a millisecond, so a short quiet period
// keeps edit-to-screen fast; once a batch holds more than stormPaths paths
// (a checkout, a formatter) the wait grows to stormQuiet, so a storm whose
// writes come in bursts still ends up in one or two builds.
const (
	defaultQuiet   = 10 * time.Millisecond
	stormQuiet     = 50 * time.Millisecond
	stormPaths     = 8
	defaultMaxWait = time.Second
)

// A batch is what the watcher hands the rebuild loop: the paths that
// changed since the last batch, gathered until the file system was quiet.
type batch struct {
	paths  map[string]bool // absolute paths of changed files and folders
	rescan bool            // compare every input: events were lost or the layout changed
	first  time.Time       // when the first change of the batch was seen
}

func (b *batch) empty() bool { return len(b.paths) == 0 && !b.rescan }

func (b *batch) add(p string, now time.Time) {
	if b.empty() {
		b.first = now
	}
	if b.paths == nil {
		b.paths = map[string]bool{}
	}
	b.paths[p] = true
}

func (b *batch) setRescan(now time.Time) {
	if b.empty() {
		b.first = now
	}
	b.rescan = true
}

// watcher turns file system events into batches. fsnotify is not
// recursive, so it watches every folder a build reads (and their parents
// up to the site folder, so creating content/ or replacing site.toml by a
// rename is seen), adds a watch to every folder created later and drops the
// watches of folders removed or renamed. When the system's watch limit is
// reached it falls back to polling.
//
// Only the run goroutine touches a watcher after start.
type watcher struct {
	layout  layout
	quiet   time.Duration // batch once no event came for this long
	maxWait time.Duration // but never hold a batch longer than this
	poll    time.Duration // > 0: poll at this interval instead of watching
	pollDef time.Duration // polling interval when falling back
	stderr  io.Writer

	fsw     *fsnotify.Watcher
	events  <-chan fsnotify.Event // fsw's, or a test's
	errs    <-chan error
	add     func(w *fsnotify.Watcher, dir string) error // tests simulate the watch limit through it
	dirs    map[string]bool                             // folders watched
	ticker  *time.Ticker
	stamps  map[string]stamp // polling: what the last scan saw
	warned  bool
	lost    bool        // events may have been lost: the next batch compares everything
	layouts chan layout // from the rebuild loop: the site's configuration changed
}

// stamp is what polling compares to notice a change.
type stamp struct {
	size int64
	mod  int64
	mode fs.FileMode
}

func newWatcher(l layout, poll time.Duration, stderr io.Writer) *watcher {
	w := &watcher{
		layout:  l,
		quiet:   defaultQuiet,
		maxWait: defaultMaxWait,
		poll:    poll,
		pollDef: poll,
		stderr:  stderr,
		add:     (*fsnotify.Watcher).Add,
		layouts: make(chan layout, 1),
	}
	if w.pollDef <= 0 {
		w.pollDef = time.Second
	}
	return w
}

// setLayout tells the watcher the site's configuration changed what a
// build reads. The newest layout wins.
func (w *watcher) setLayout(l layout) {
	for {
		select {
		case w.layouts <- l:
			return
		default:
		}
		select {
		case <-w.layouts:
		default:
		}
	}
}

// start registers the watches (or takes the first poll scan). It never
// fails: without inotify the watcher polls.
func (w *watcher) start() {
	if w.poll > 0 {
		w.startPolling()
		return
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		w.fallback(err)
		return
	}
	w.fsw, w.events, w.errs = fsw, fsw.Events, fsw.Errors
	w.dirs = map[string]bool{}
	w.watchAll()
}

// run hands batches to out until ctx is done. A batch is sent once the
// file system was quiet for w.quiet (or w.maxWait after its first event),
// and only when the rebuild loop takes it: while a build runs, new events
// pile up in the next batch, so a storm of events (a git checkout) costs
// at most a build for its start and one for the rest.
func (w *watcher) run(ctx context.Context, out chan<- batch) {
	defer w.close()
	var pending batch
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	ready := false
	arm := func(now time.Time) {
		ready = false
		quiet := w.quiet
		if len(pending.paths) > stormPaths || pending.rescan {
			quiet = max(quiet, stormQuiet)
		}
		d := min(quiet, w.maxWait-now.Sub(pending.first))
		timer.Reset(max(d, 0))
	}
	for {
		var send chan<- batch
		if ready && !pending.empty() {
			send = out
		}
		var tick <-chan time.Time
		if w.ticker != nil {
			tick = w.ticker.C
		}
		select {
		case <-ctx.Done():
			return
		case send <- pending:
			pending = batch{}
			ready = false
		case ev, ok := <-w.events:
			if !ok {
				w.events = nil
				continue
			}
			now := time.Now()
			if w.event(ev, &pending, now) {
				arm(now)
			}
		case err, ok := <-w.errs:
			if !ok {
				w.errs = nil
				continue
			}
			now := time.Now()
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: watch everything afresh and compare
				// every input.
				fmt.Fprintln(w.stderr, "kennisbank serve: too many changes at once for the event queue; rescanning everything")
				w.resync()
			} else {
				fmt.Fprintf(w.stderr, "kennisbank serve: watch: %v; rescanning everything\n", err)
			}
			pending.setRescan(now)
			arm(now)
		case <-tick:
			now := time.Now()
			if w.scan(&pending, now) {
				arm(now)
			}
		case l := <-w.layouts:
			if l.equal(w.layout) {
				continue
			}
			w.layout = l
			now := time.Now()
			w.resync()
			if w.ticker != nil {
				w.stamps = w.stampAll()
			}
			pending.setRescan(now)
			arm(now)
		case <-timer.C:
			ready = true
		}
		if w.lost {
			w.lost = false
			now := time.Now()
			pending.setRescan(now)
			arm(now)
		}
	}
}

// event handles one fsnotify event and reports whether it belongs in the
// batch.
func (w *watcher) event(ev fsnotify.Event, b *batch, now time.Time) bool {
	p := filepath.Clean(ev.Name)
	if !w.layout.relevant(p) {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// Drop the watches of p and everything under it before a
		// folder renamed from p is watched under its new name: inotify
		// would hand back the old watch, still named p.
		w.unwatch(p)
	}
	if ev.Has(fsnotify.Create) && isDir(p) {
		// A new folder: watch it and everything already in it. Files
		// written before the watch existed brought no event; the rebuild
		// loop rescans the folder, because its path is in the batch.
		w.watchTree(p)
	}
	b.add(p, now)
	return true
}

// watchAll watches every relevant folder, and the parents of the
// folders a build reads up to the site folder.
func (w *watcher) watchAll() {
	w.watchTree(w.layout.root)
}

// watchTree watches start and every relevant folder under it.
func (w *watcher) watchTree(start string) {
	w.layout.walk(start, func(p string, d fs.DirEntry) {
		if w.fsw == nil || !d.IsDir() || w.dirs[p] {
			return
		}
		if err := w.add(w.fsw, p); err != nil {
			if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
				w.fallback(err)
			}
			// Any other error (the folder is gone again) brings its own
			// event.
			return
		}
		w.dirs[p] = true
	})
}

// unwatch drops the watches of p and every folder under it.
func (w *watcher) unwatch(p string) {
	if w.fsw == nil {
		return
	}
	for d := range w.dirs {
		if within(d, p) {
			_ = w.fsw.Remove(d) // the kernel may have dropped it already
			delete(w.dirs, d)
		}
	}
}

// resync drops every watch and watches everything again: after lost
// events, renamed folders may hold watches under their old names.
func (w *watcher) resync() {
	if w.fsw == nil {
		return
	}
	for d := range w.dirs {
		_ = w.fsw.Remove(d)
	}
	w.dirs = map[string]bool{}
	w.watchAll()
}

// fallback switches to polling when watching is not possible, saying so
// once, with the setting that lifts the limit.
func (w *watcher) fallback(err error) {
	if !w.warned {
		w.warned = true
		switch {
		case errors.Is(err, syscall.ENOSPC):
			fmt.Fprintf(w.stderr, "kennisbank serve: the system limit on watched folders is reached (%v).\n"+
				"  Raise it with: sudo sysctl fs.inotify.max_user_watches=524288\n"+
				"  (add fs.inotify.max_user_watches=524288 to /etc/sysctl.conf to keep it). Polling every %v instead.\n", err, w.pollDef)
		case errors.Is(err, syscall.EMFILE):
			fmt.Fprintf(w.stderr, "kennisbank serve: cannot watch more files (%v).\n"+
				"  Raise the limit on open files (ulimit -n) or, on Linux, on inotify instances\n"+
				"  (sudo sysctl fs.inotify.max_user_instances=1024). Polling every %v instead.\n", err, w.pollDef)
		default:
			fmt.Fprintf(w.stderr, "kennisbank serve: cannot watch files (%v); polling every %v instead.\n", err, w.pollDef)
		}
	}
	if w.fsw != nil {
		// Events not read yet are lost with the watcher.
		_ = w.fsw.Close()
		w.fsw, w.events, w.errs = nil, nil, nil
		w.dirs = nil
		w.lost = true
	}
	w.poll = w.pollDef
	w.startPolling()
}

func (w *watcher) startPolling() {
	if w.ticker != nil {
		return
	}
	w.stamps = w.stampAll()
	w.ticker = time.NewTicker(w.poll)
}

func (w *watcher) stampAll() map[string]stamp {
	m := map[string]stamp{}
	w.layout.walk(w.layout.root, func(p string, d fs.DirEntry) {
		if !w.layout.input(p) {
			return
		}
		fi, err := d.Info()
		if err != nil {
			return
		}
		st := stamp{mode: fi.Mode()}
		if !fi.IsDir() {
			st.size, st.mod = fi.Size(), fi.ModTime().UnixNano()
		}
		m[p] = st
	})
	return m
}

// scan polls once and adds what changed to b; it reports whether anything
// did.
func (w *watcher) scan(b *batch, now time.Time) bool {
	cur := w.stampAll()
	changed := false
	for p, st := range cur {
		if old, ok := w.stamps[p]; !ok || old != st {
			b.add(p, now)
			changed = true
		}
	}
	for p := range w.stamps {
		if _, ok := cur[p]; !ok {
			b.add(p, now)
			changed = true
		}
	}
	w.stamps = cur
	return changed
}

func (w *watcher) close() {
	if w.fsw != nil {
		_ = w.fsw.Close()
		w.fsw, w.events, w.errs = nil, nil, nil
	}
	if w.ticker != nil {
		w.ticker.Stop()
	}
}
