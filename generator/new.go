package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/template"
	"time"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/themes"
)

// NewPage creates content/SECTION/slug.md from the archetype for the
// section (archetypes/SECTION.md) or the default one, in the site's
// archetypes/ folder or else the theme's. It never overwrites a file and
// returns the path it wrote.
func NewPage(source, section, title string, now time.Time) (string, error) {
	cfg, err := config.Load(filepath.Join(source, "site.toml"))
	if err != nil {
		return "", err
	}
	slug := content.Slugify(title)
	if slug == "" {
		return "", fmt.Errorf("title %q has no letters or digits to make a file name from", title)
	}
	if !filepath.IsLocal(section) {
		return "", fmt.Errorf("section %q must be a folder inside %s", section, cfg.ContentDir)
	}
	dst := filepath.Join(source, cfg.ContentDir, section, slug+".md")
	arch, err := archetype(source, cfg.Theme, section)
	if err != nil {
		return "", err
	}
	t, err := template.New("archetype").Parse(string(arch))
	if err != nil {
		return "", fmt.Errorf("archetype: %w", err)
	}
	var b bytes.Buffer
	err = t.Execute(&b, struct{ Title, Date, Section string }{
		Title:   escapeTOML(title),
		Date:    now.Format("2006-01-02"),
		Section: section,
	})
	if err != nil {
		return "", fmt.Errorf("archetype: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists: choose another title or edit that file", dst)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return "", err
	}
	return dst, f.Close()
}

func archetype(source, theme, section string) ([]byte, error) {
	for _, name := range []string{section + ".md", "default.md"} {
		if b, err := os.ReadFile(filepath.Join(source, "archetypes", name)); err == nil {
			return b, nil
		}
		if b, err := fs.ReadFile(themes.FS, theme+"/archetypes/"+name); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("no archetype: add archetypes/default.md to the site")
}

func escapeTOML(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
