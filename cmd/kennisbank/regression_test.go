package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteTOMLPathRelativeToSite: like content paths, site.toml is named
// relative to the site folder (README, check --format json: "file"),
// whatever --source is.
func TestSiteTOMLPathRelativeToSite(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, "-- site.toml --\ntitle = \"K\"\ntitel = \"K\"\n")
	r := run(t, nil, "build", "--source", dir)
	want := `site.toml:2:1: unknown key "titel" in site.toml: remove it or check its spelling (see README, site.toml reference)`
	if first, _, _ := strings.Cut(r.stderr, "\n"); r.code != 1 || first != want {
		t.Errorf("got exit %d, first line %q, want 1 and %q", r.code, first, want)
	}
}

// TestOutputFolderRefusedThroughSymlink: when --source names the site
// through a symbolic link, --out naming the site's real folder is still
// the site folder, even with --force.
func TestOutputFolderRefusedThroughSymlink(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "site")
	writeSite(t, real, "")
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	before := snapshot(t, real)
	r := run(t, nil, "build", "--source", link, "--out", real, "--force")
	if r.code != 1 || !strings.Contains(r.stderr, "refusing output folder") {
		t.Errorf("got exit %d, stderr %q, want 1 and a refusal", r.code, r.stderr)
	}
	after := snapshot(t, real)
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("%s: got it deleted, want the site folder left as it was", name)
		}
	}
}
