package devserver

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
)

// layout says which files of a site folder can change a build: the files
// generator.Build reads. The watcher, the poller and the input snapshot all
// ask it, so they agree on what counts.
type layout struct {
	root    string   // site folder, absolute
	config  string   // site.toml, absolute
	dirs    []string // folders a build reads, absolute, sorted
	out     string   // output folder, absolute: never watched, never read
	content string   // content folder, absolute: its folders are sections
}

// newLayout derives the layout from the site's configuration; cfg nil means
// the defaults (site.toml does not load).
func newLayout(root, configName string, cfg *config.Config) layout {
	if cfg == nil {
		cfg = config.Default()
	}
	if configName == "" {
		configName = "site.toml"
	}
	l := layout{
		root:    root,
		config:  filepath.Join(root, configName),
		out:     filepath.Join(root, cfg.OutputDir),
		content: filepath.Join(root, cfg.ContentDir),
	}
	for _, d := range []string{cfg.ContentDir, "layouts", "static", "archetypes", "i18n", filepath.Join("themes", cfg.Theme)} {
		l.dirs = append(l.dirs, filepath.Join(root, d))
	}
	slices.Sort(l.dirs)
	l.dirs = slices.Compact(l.dirs)
	return l
}

func (l layout) equal(m layout) bool {
	return l.root == m.root && l.config == m.config && l.out == m.out && l.content == m.content && slices.Equal(l.dirs, m.dirs)
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// relevant reports whether a change at p (absolute, clean) can change a
// build: p is site.toml, or inside one of the folders a build reads, or a
// parent of one (creating content/ or themes/ matters). Editors' temp and
// backup files, hidden files and anything in the output folder never are.
func (l layout) relevant(p string) bool {
	if p == l.config {
		return true
	}
	if within(p, l.out) {
		return false
	}
	rel, err := filepath.Rel(l.root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	if rel != "." {
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			if content.IgnoredName(part) {
				return false
			}
		}
	}
	for _, d := range l.dirs {
		if within(p, d) || within(d, p) {
			return true
		}
	}
	return false
}

// input reports whether p is read by a build, rather than only being a
// parent folder of the folders that are.
func (l layout) input(p string) bool {
	if p == l.config {
		return true
	}
	for _, d := range l.dirs {
		if within(p, d) {
			return l.relevant(p)
		}
	}
	return false
}

// walk calls fn for every relevant folder and file at or under start,
// parents before children. It does not follow symbolic links. Errors (a
// folder removed while walking) end that branch quietly: the removal
// brings its own event.
func (l layout) walk(start string, fn func(p string, d fs.DirEntry)) {
	_ = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !l.relevant(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		fn(p, d)
		return nil
	})
}

// isDir reports whether p is a folder, not following a symbolic link.
func isDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}
