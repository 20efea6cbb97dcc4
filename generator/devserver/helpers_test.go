package devserver

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"kennisbank/generator"
)

// writeSite writes testdata/site.txtar into a fresh folder and returns it.
func writeSite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		writeFile(t, filepath.Join(dir, f.Name), string(f.Data))
	}
	return dir
}

func writeFile(t testing.TB, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// page is a Markdown page with front matter.
func page(title, body string) string {
	return fmt.Sprintf("+++\ntitle = %q\n+++\n%s\n", title, body)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// harness is a dev server running on a site folder for one test.
type harness struct {
	t      testing.TB
	dir    string
	s      *Server
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	client *http.Client
	stop   func() // stops the server (again: nothing)
}

// startServer starts a dev server on dir (port 0) and stops it when the test
// ends, checking that it shuts down cleanly.
func startServer(t testing.TB, dir string, configure ...func(*Server)) *harness {
	t.Helper()
	h := &harness{t: t, dir: dir, stdout: &syncBuffer{}, stderr: &syncBuffer{},
		client: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
	ready := make(chan string, 1)
	s, err := New(Options{
		Build:  generator.Options{Source: dir},
		Stdout: h.stdout,
		Stderr: h.stderr,
		Ready:  func(url string) { ready <- url },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range configure {
		f(s)
	}
	h.s = s
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("the server did not shut down within 10s of its context being cancelled")
			}
			h.client.CloseIdleConnections()
		})
	}
	t.Cleanup(h.stop)
	select {
	case h.url = <-ready:
	case err := <-done:
		t.Fatalf("Run ended before serving: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the first build took more than 60s")
	}
	h.url = strings.TrimSuffix(h.url, "/")
	return h
}

// path is a file of the site folder.
func (h *harness) path(name string) string { return filepath.Join(h.dir, filepath.FromSlash(name)) }

func (h *harness) write(name, data string) { h.t.Helper(); writeFile(h.t, h.path(name), data) }

// get fetches a URL path and returns status and body.
func (h *harness) get(p string) (int, string) {
	h.t.Helper()
	resp, err := h.client.Get(h.url + p)
	if err != nil {
		h.t.Fatalf("GET %s: %v", p, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("GET %s: %v", p, err)
	}
	return resp.StatusCode, string(b)
}

// eventually polls cond until it holds, failing the test after the
// deadline with what cond last said.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	wait := 2 * time.Millisecond
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not so after %v; last: %s", what, timeout, last)
		}
		time.Sleep(wait)
		wait = min(wait*2, 50*time.Millisecond)
	}
}

// waitFor polls path until its body holds want (and status is 200).
func (h *harness) waitFor(p, want string) {
	h.t.Helper()
	eventually(h.t, 15*time.Second, fmt.Sprintf("GET %s serves %q", p, want), func() (bool, string) {
		code, body := h.get(p)
		return code == http.StatusOK && strings.Contains(body, want), fmt.Sprintf("status %d, %d bytes", code, len(body))
	})
}

// waitStatus polls path until it answers with code.
func (h *harness) waitStatus(p string, code int) {
	h.t.Helper()
	eventually(h.t, 15*time.Second, fmt.Sprintf("GET %s answers %d", p, code), func() (bool, string) {
		got, _ := h.get(p)
		return got == code, fmt.Sprintf("status %d", got)
	})
}

var injected = regexp.MustCompile(`<script src="/__kennisbank/live\.js" data-build="[^"]*" data-errors="[^"]*"></script>`)

// stripScript removes the live reload script from a served page.
func stripScript(b []byte) []byte { return injected.ReplaceAll(b, nil) }

// cleanBuild builds dir from scratch, as "kennisbank build" would.
func cleanBuild(t testing.TB, dir string) (*generator.Site, error) {
	t.Helper()
	return generator.Build(context.Background(), generator.Options{Source: dir})
}

// sameAsCleanBuild compares what the server serves with a clean build of
// its folder: every file over HTTP, byte for byte (minus the injected
// script), and no file more. It returns "" when they agree.
func (h *harness) sameAsCleanBuild(want *generator.Site) string {
	h.t.Helper()
	st := h.s.state.Load()
	if st == nil || st.site == nil {
		return "nothing served yet"
	}
	if len(st.errors) > 0 {
		return "the server shows errors: " + strings.Join(st.errorLines(), "; ")
	}
	files, err := st.site.ReadAll(context.Background())
	if err != nil {
		return "rendering the served build: " + err.Error()
	}
	if !maps.EqualFunc(files, want.Files, bytes.Equal) {
		var diffs []string
		for p := range want.Files {
			if b, ok := files[p]; !ok {
				diffs = append(diffs, "missing "+p)
			} else if !bytes.Equal(b, want.Files[p]) {
				diffs = append(diffs, "differs "+p)
			}
		}
		for p := range files {
			if _, ok := want.Files[p]; !ok {
				diffs = append(diffs, "extra "+p)
			}
		}
		slices.Sort(diffs)
		if len(diffs) > 8 {
			diffs = append(diffs[:8], fmt.Sprintf("and %d more", len(diffs)-8))
		}
		return "served files differ from a clean build: " + strings.Join(diffs, ", ")
	}
	// The build in memory agrees; now check what goes over the wire.
	for _, p := range slices.Sorted(maps.Keys(want.Files)) {
		resp, err := h.client.Get(h.url + "/" + p)
		if err != nil {
			return fmt.Sprintf("GET /%s: %v", p, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Sprintf("GET /%s: %v", p, err)
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Sprintf("GET /%s: status %d", p, resp.StatusCode)
		}
		if !bytes.Equal(stripScript(b), want.Files[p]) {
			return fmt.Sprintf("GET /%s: served bytes differ from a clean build", p)
		}
	}
	return ""
}

// waitCleanBuild waits until the server serves what a clean build of its
// folder gives.
func (h *harness) waitCleanBuild(timeout time.Duration) {
	h.t.Helper()
	want, err := cleanBuild(h.t, h.dir)
	if err != nil {
		h.t.Fatalf("clean build: %v", err)
	}
	eventually(h.t, timeout, "served site equals a clean build", func() (bool, string) {
		d := h.sameAsCleanBuild(want)
		return d == "", d
	})
}

// sse is an open event stream.
type sse struct {
	resp *http.Response
	r    *bufio.Reader
}

// events opens the event stream with the given extra headers.
func (h *harness) events(header map[string]string) (*sse, int) {
	h.t.Helper()
	req, err := http.NewRequest("GET", h.url+eventsPath, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	c := &http.Client{} // no timeout: the stream stays open
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, resp.StatusCode
	}
	h.t.Cleanup(func() { resp.Body.Close() })
	return &sse{resp: resp, r: bufio.NewReader(resp.Body)}, resp.StatusCode
}

// next returns the data of the next event, waiting at most timeout.
func (e *sse) next(timeout time.Duration) (string, error) {
	type line struct {
		s   string
		err error
	}
	got := make(chan line, 1)
	go func() {
		for {
			l, err := e.r.ReadString('\n')
			if err != nil {
				got <- line{err: err}
				return
			}
			if d, ok := strings.CutPrefix(l, "data: "); ok {
				got <- line{s: strings.TrimSpace(d)}
				return
			}
		}
	}()
	select {
	case l := <-got:
		return l.s, l.err
	case <-time.After(timeout):
		e.resp.Body.Close()
		return "", errors.New("no event within " + timeout.String())
	}
}

// rawGet sends a request line as given, without any client cleaning the
// path, and returns the status and body.
func rawGet(t testing.TB, addr, target, host string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
