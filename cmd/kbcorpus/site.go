package main

import (
	"embed"
	"io/fs"
	"path"
)

// siteTOML returns DIR/site.toml of the kennisbank form. It is a constant
// on purpose: when kennisbank's configuration keys change, this is the one
// place to follow them.
func siteTOML() []byte {
	return []byte(`title = "Benchmark-kennisbank"
language = "nl"

[[entities]]
section = "rollen"
type = "rol"

[[entities]]
section = "vaardigheden"
type = "vaardigheid"

[[entities]]
section = "programmatypen"
type = "programmatype"

[[relations]]
key = "vaardigheden"
sections = ["rollen", "programmatypen"]
targets = ["vaardigheden"]
levels = ["kern", "belangrijk", "ondersteunend"]

[[relations]]
key = "over"
targets = ["rollen", "vaardigheden", "programmatypen"]
`)
}

// hugoTOML returns DIR/hugo.toml of the Hugo form: the Markdown features
// kennisbank enables, CSS classes for highlighting, and tags. Every
// Goldmark extension named here is on by default in Hugo too; typographer
// is left out because its key changed from a boolean to a table in
// Hugo 0.112, and it is on by default in both.
func hugoTOML() []byte {
	return []byte(`baseURL = "https://example.org/"
title = "Benchmark-kennisbank"
languageCode = "nl"
defaultContentLanguage = "nl"
# Hugo also writes RSS feeds and a sitemap; add "rss" and "sitemap" here to
# compare without them.
disableKinds = []

[markup.goldmark.extensions]
definitionList = true
footnote = true
linkify = true
strikethrough = true
table = true
taskList = true

[markup.goldmark.parser]
autoHeadingID = true
autoHeadingIDType = "github"

[markup.goldmark.renderer]
unsafe = false

[markup.highlight]
noClasses = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3

[taxonomies]
tag = "tags"
`)
}

//go:embed hugo/layouts/_default/*.html
var hugoLayouts embed.FS

// hugoFiles returns hugo.toml and the layouts of the Hugo form.
func hugoFiles() []file {
	files := []file{{path: "hugo.toml", data: hugoTOML()}}
	names, _ := fs.Glob(hugoLayouts, "hugo/layouts/_default/*.html") // sorted
	for _, n := range names {
		data, _ := hugoLayouts.ReadFile(n) // embedded: cannot fail
		files = append(files, file{path: path.Join("layouts/_default", path.Base(n)), data: data})
	}
	return files
}
