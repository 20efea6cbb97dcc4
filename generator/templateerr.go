package generator

import (
	"regexp"
	"strconv"
	"strings"

	"kennisbank/generator/content"
)

// templateErrLine matches "layouts/page.html: template: page.html:12:5: …",
// the form theme errors take, so a template problem points at its file and
// line like any other diagnostic.
var templateErrLine = regexp.MustCompile(`^(\S+): template: [^:]+:(\d+)(?::(\d+))?: (.*)$`)

// templateDiagnostics turns theme errors (one per line) into diagnostics.
func templateDiagnostics(err error) content.Diagnostics {
	var ds content.Diagnostics
	for _, line := range strings.Split(err.Error(), "\n") {
		if line == "" {
			continue
		}
		d := content.Diagnostic{Path: "layouts", Severity: content.Error, Code: "template", Message: line}
		if m := templateErrLine.FindStringSubmatch(line); m != nil {
			d.Path = m[1]
			d.Line, _ = strconv.Atoi(m[2])
			d.Col, _ = strconv.Atoi(m[3])
			d.Message = m[4]
		}
		ds = append(ds, d)
	}
	return ds
}
