package devserver

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"sync"
	"time"
)

// The dev server's own URLs, outside anything a site is likely to hold; in
// serve mode they win over a built file of the same path.
const (
	prefix     = "/__kennisbank/"
	eventsPath = prefix + "events"
	scriptPath = prefix + "live.js"
	workerPath = prefix + "worker.js"
)

//go:embed live.js
var liveJS []byte

//go:embed worker.js
var workerJS []byte

// message is what the browser is told, as Server-Sent Events data: the
// build the server shows now and the errors of the last build, if it
// failed. Every message holds the whole state, so a tab that missed some
// can act on the last one alone.
type message struct {
	ID     string   `json:"id"`               // build id of the files served
	Prev   string   `json:"prev,omitempty"`   // the build before it
	CSS    bool     `json:"css,omitempty"`    // Prev → ID changed only stylesheets
	Errors []string `json:"errors,omitempty"` // path:line:col: message
}

// hub fans messages out to the open event streams.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
}

func newHub() *hub { return &hub{clients: map[chan []byte]struct{}{}} }

// subscribe returns a channel that receives every message broadcast from
// now on, or the newest when the client is slow, and a function to leave.
func (h *hub) subscribe() (<-chan []byte, func()) {
	c := make(chan []byte, 1)
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}
}

// broadcast sends m to every client without waiting: a client that has
// not taken the previous message gets this one instead, which is enough
// because every message holds the whole state.
func (h *hub) broadcast(m message) {
	data, err := json.Marshal(m)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- data:
			continue
		default:
		}
		select {
		case <-c:
		default:
		}
		select {
		case c <- data:
		default:
		}
	}
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// events serves the Server-Sent Events stream: the current state at once
// (a tab that reconnects learns whether it missed a build), then every
// change, until the client leaves or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c, leave := s.hub.subscribe()
	defer leave()
	w.WriteHeader(http.StatusOK)
	// Reconnect fast when the server comes back.
	fmt.Fprint(w, "retry: 1000\n\n")
	if st := s.state.Load(); st != nil {
		writeEvent(w, st.message(false))
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case data := <-c:
			fmt.Fprintf(w, "data: %s\n\n", data)
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, m message) {
	data, _ := json.Marshal(m)
	fmt.Fprintf(w, "data: %s\n\n", data)
}

// script serves live.js and worker.js.
func script(w http.ResponseWriter, js []byte) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(js)
}

// inject adds the live reload script to an HTML page, before its last
// </body> (or at the end), with the page's build id and the errors to show.
func inject(page []byte, st *state) []byte {
	errs, _ := json.Marshal(st.errorLines())
	tag := fmt.Sprintf(`<script src="%s" data-build="%s" data-errors="%s"></script>`,
		scriptPath, html.EscapeString(st.id), html.EscapeString(string(errs)))
	i := lastIndexFold(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case.
func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i] == '<' && bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}
