// Package browsertest drives headless Chromium in tests, so any package of
// kennisbank can check what a reader sees: pages at phone and desktop
// widths, keyboard focus, console errors and screenshots.
//
// A test starts one browser and opens pages in it:
//
//	b := browsertest.New(t) // skips without Chromium, fails under CI=true
//	base := browsertest.Serve(t, site.Files)
//	p := b.Open(t, base+"rollen/index.html", browsertest.Phone)
//	width := browsertest.Eval[int](t, p, "document.documentElement.scrollWidth")
//	p.Screenshot(t, browsertest.ScreenshotDir(t), "rollen")
//	p.NoErrors(t) // no console errors, uncaught exceptions or failed loads
//
// Chromium runs headless with a fresh profile in t.TempDir(), and stops
// when the test ends. Screenshots go to $KB_SCREENSHOTS, or to a temporary
// folder; each path is logged.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ChromiumPaths are where New looks for the browser, in order.
var ChromiumPaths = []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}

// Timeout bounds each call that waits for the browser, so a stuck page
// fails its test instead of hanging the suite.
const Timeout = 20 * time.Second

// Viewport is the size of the browser window a page is opened in.
type Viewport struct {
	Name          string // used in screenshot names: "360" or "1280"
	Width, Height int64
	Mobile        bool // emulate a phone: the page's meta viewport applies
}

// The two widths every page must work at.
var (
	Phone   = Viewport{Name: "360", Width: 360, Height: 740, Mobile: true}
	Desktop = Viewport{Name: "1280", Width: 1280, Height: 800}
)

// Browser is one headless Chromium for the length of a test.
type Browser struct {
	ctx context.Context // the browser's first tab; other tabs derive from it
}

// New starts headless Chromium, or skips the test when it is not
// installed; with CI=true a missing browser fails the test instead.
func New(t testing.TB) *Browser {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		msg := fmt.Sprintf("browser test needs Chromium at one of %s (apt-get install -y chromium)", strings.Join(ChromiumPaths, ", "))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("skipping: " + msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Containers give /dev/shm little room; Chromium then crashes
		// tabs with large pages.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser on a context without a deadline: a deadline on
	// the first Run would stop the whole browser when it passes.
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx) }()
	select {
	case err := <-start:
		if err != nil {
			t.Fatalf("starting %s: %v", exe, err)
		}
	case <-time.After(Timeout):
		t.Fatalf("starting %s: no answer within %v", exe, Timeout)
	}
	return &Browser{ctx: ctx}
}

func findChromium() string {
	for _, p := range ChromiumPaths {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Page is one tab, opened at a URL and a viewport.
type Page struct {
	ctx      context.Context
	URL      string
	Viewport Viewport

	mu     sync.Mutex
	errors []string
}

// Open opens url in a new tab at viewport vp and waits for it to load.
// The tab records console errors, uncaught exceptions and failed loads
// from then on; see Errors.
func (b *Browser) Open(t testing.TB, url string, vp Viewport) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	p := &Page{ctx: ctx, URL: url, Viewport: vp}
	if err := chromedp.Listen(ctx, p.record); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	var emulate []chromedp.EmulateViewportOption
	if vp.Mobile {
		emulate = append(emulate, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := p.Do(chromedp.EmulateViewport(vp.Width, vp.Height, emulate...), chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s at %dpx: %v", url, vp.Width, err)
	}
	return p
}

// record keeps what a reader would see in the console as an error. It
// runs on the tab's reading goroutine, so it only appends.
func (p *Page) record(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			switch {
			case a.Description != "":
				args = append(args, a.Description)
			case len(a.Value) > 0:
				args = append(args, string(a.Value))
			default:
				args = append(args, string(a.Type))
			}
		}
		msg = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, d.Text)
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level != log.EntryLevelError {
			return
		}
		// Chromium asks every server for /favicon.ico by itself, whether
		// or not the page names an icon; that request is not the page's.
		if u, err := url.Parse(ev.Entry.URL); err == nil && u.Path == "/favicon.ico" {
			return
		}
		msg = fmt.Sprintf("%s: %s", ev.Entry.Source, ev.Entry.Text)
		if ev.Entry.URL != "" {
			msg += " (" + ev.Entry.URL + ")"
		}
	default:
		return
	}
	p.mu.Lock()
	p.errors = append(p.errors, msg)
	p.mu.Unlock()
}

// Do runs browser actions in the page's tab, within Timeout.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// Eval evaluates a JavaScript expression in the page and returns its
// value, decoded into T.
func Eval[T any](t testing.TB, p *Page, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s at %dpx: evaluating %s: %v", p.URL, p.Viewport.Width, expr, err)
	}
	return v
}

// Errors returns the console errors, uncaught exceptions and failed loads
// the page has had so far. The browser's own request for /favicon.ico is
// not counted.
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// NoErrors fails the test for each console error, uncaught exception or
// failed load the page has had.
func (p *Page) NoErrors(t testing.TB) {
	t.Helper()
	for _, e := range p.Errors() {
		t.Errorf("%s at %dpx: got %s, want no console errors", p.URL, p.Viewport.Width, e)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// ScreenshotDir is the folder screenshots go to: $KB_SCREENSHOTS, else a
// temporary folder of the test.
func ScreenshotDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("KB_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// Screenshot saves a PNG of the whole page, not only the window, as
// NAME-WIDTH.png in dir (see ScreenshotDir), logs its path and returns
// it.
func (p *Page) Screenshot(t testing.TB, dir, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of %s at %dpx: %v", p.URL, p.Viewport.Width, err)
	}
	file := filepath.Join(dir, strings.Trim(unsafeName.ReplaceAllString(name, "-"), "-")+"-"+p.Viewport.Name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %s at %dpx: %s", p.URL, p.Viewport.Width, file)
	return file
}

// Serve serves a built site (output path → bytes) over HTTP on 127.0.0.1
// until the test ends, and returns its address, ending in a slash. A path
// ending in a slash serves its index.html, as static hosts do; a missing
// file gets 404.html with status 404.
func Serve(t testing.TB, files map[string][]byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		b, ok := files[name]
		if !ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(files["404.html"])
			return
		}
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("serving on %s, want 127.0.0.1", srv.URL)
	}
	return srv.URL + "/"
}

// ErrNoNavigation is returned by WaitLocation when the page does not
// reach the address in time.
var ErrNoNavigation = errors.New("page did not navigate")

// WaitLocation waits until the page's address, without #fragment, ends
// with suffix and the document has loaded, and returns the address. It
// survives the navigation it waits for.
func (p *Page) WaitLocation(suffix string) (string, error) {
	deadline := time.Now().Add(Timeout)
	expr := fmt.Sprintf(`document.readyState === "complete" && location.href.split("#")[0].endsWith(%q) ? location.href : ""`, suffix)
	var last string
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		// While the old document unloads, evaluating fails: try again.
		loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		cancel()
		if err == nil && loc != "" {
			return loc, nil
		}
		last, lastErr = loc, err
		time.Sleep(20 * time.Millisecond)
	}
	if lastErr != nil {
		return last, fmt.Errorf("%w to …%s within %v: %v", ErrNoNavigation, suffix, Timeout, lastErr)
	}
	ctx, cancel := context.WithTimeout(p.ctx, time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc, fmt.Errorf("%w to …%s within %v: it is at %s", ErrNoNavigation, suffix, Timeout, loc)
}
