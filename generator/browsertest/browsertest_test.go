package browsertest

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

var testSite = map[string][]byte{
	"index.html":        []byte(`<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Start</title></head><body><main id="inhoud"><h1>Start</h1><a href="rollen/index.html">Rollen</a></main></body></html>`),
	"rollen/index.html": []byte(`<!DOCTYPE html><title>Rollen</title><p>Rollen</p>`),
	"css/main.css":      []byte(`body { margin: 0 }`),
	"404.html":          []byte(`<!DOCTYPE html><title>Niet gevonden</title>`),
	"fouten.html": []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Fouten</title></head><body>
<img src="ontbreekt.png" alt="">
<script>console.error("kapot", 42); console.log("gewoon");</script>
<script>throw new Error("niet gevangen")</script>
</body></html>`),
	"breed.html": []byte(`<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0"><div style="width:500px;height:2000px;background:linear-gradient(#fc0,#06c)">breed</div></body></html>`),
}

func TestServe(t *testing.T) {
	base := Serve(t, testSite)
	tests := []struct {
		path        string
		status      int
		body, ctype string
	}{
		{"", 200, string(testSite["index.html"]), "text/html; charset=utf-8"},
		{"index.html", 200, string(testSite["index.html"]), "text/html; charset=utf-8"},
		{"rollen/", 200, string(testSite["rollen/index.html"]), "text/html; charset=utf-8"},
		{"css/main.css", 200, string(testSite["css/main.css"]), "text/css; charset=utf-8"},
		{"rollen", 404, string(testSite["404.html"]), "text/html; charset=utf-8"},
		{"../../etc/passwd", 404, string(testSite["404.html"]), "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(base + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			got := []any{resp.StatusCode, string(body), resp.Header.Get("Content-Type")}
			if diff := cmp.Diff([]any{tt.status, tt.body, tt.ctype}, got); diff != "" {
				t.Errorf("GET %s: status, body, content type (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestBrowser(t *testing.T) {
	b := New(t)
	base := Serve(t, testSite)

	t.Run("clean page", func(t *testing.T) {
		p := b.Open(t, base, Desktop)
		if got := Eval[string](t, p, "document.title"); got != "Start" {
			t.Errorf("document.title: got %q, want \"Start\"", got)
		}
		if err := p.Do(); err != nil {
			t.Fatal(err)
		}
		p.NoErrors(t)
	})

	t.Run("errors are collected", func(t *testing.T) {
		p := b.Open(t, base+"fouten.html", Desktop)
		// The failed image load is reported asynchronously.
		if _, err := p.WaitLocation("fouten.html"); err != nil {
			t.Fatal(err)
		}
		got := p.Errors()
		t.Logf("collected: %q", got)
		want := []string{"console.error: \"kapot\" 42", "uncaught exception", "404"}
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || strings.Contains(g, w)
			}
			if !found {
				t.Errorf("Errors(): got %q, want one containing %q", got, w)
			}
		}
		for _, g := range got {
			if strings.Contains(g, "gewoon") {
				t.Errorf("Errors(): got %q, want console.log left out", g)
			}
		}
	})

	t.Run("viewport and screenshot", func(t *testing.T) {
		if got := Eval[int](t, b.Open(t, base, Phone), "window.innerWidth"); got != 360 {
			t.Errorf("window.innerWidth at Phone: got %d, want 360", got)
		}
		p := b.Open(t, base+"breed.html", Phone)
		if got := Eval[int](t, p, "document.documentElement.scrollWidth"); got != 500 {
			t.Errorf("scrollWidth of a 500px wide page: got %d, want 500", got)
		}
		t.Setenv("KB_SCREENSHOTS", t.TempDir())
		file := p.Screenshot(t, ScreenshotDir(t), "breed pagina")
		if !strings.HasSuffix(file, "breed-pagina-360.png") {
			t.Errorf("screenshot file: got %s, want a name ending in breed-pagina-360.png", file)
		}
		png, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("screenshot: got %q…, want a PNG", png[:min(8, len(png))])
		}
	})

	t.Run("navigation", func(t *testing.T) {
		p := b.Open(t, base, Phone)
		if err := p.Do(chromedp.Click(`//a[normalize-space()="Rollen"]`)); err != nil {
			t.Fatal(err)
		}
		loc, err := p.WaitLocation("/rollen/index.html")
		if err != nil {
			t.Fatal(err)
		}
		if loc != base+"rollen/index.html" {
			t.Errorf("location: got %s, want %srollen/index.html", loc, base)
		}
	})
}
