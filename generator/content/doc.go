// Package content is the page model every stage of kennisbank shares, as
// goldmark's ast is for goldmark: a Page is one Markdown file with its front
// matter, body and the positions needed to point an author at a line.
//
// Load reads a content folder (any fs.FS) into a Set of pages and static
// files. Errors come back as Diagnostics, every one of them at once, each
// with a path, line and column.
package content
