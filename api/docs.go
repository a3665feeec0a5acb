package api

import (
	"bytes"
	"html/template"
	"sort"
	"strings"
	"sync"

	"github.com/anju-city/anju/openapi"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"
)

func serveSpec(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	return c.Send(openapi.Spec)
}

// docsPage is rendered once from the spec: a self-contained page, with no
// script or font fetched from elsewhere, so it works on a closed network.
var docsPage = sync.OnceValues(func() ([]byte, error) {
	doc, err := loadSpec()
	if err != nil {
		return nil, err
	}
	type op struct {
		Method, Path, Summary, Description, Tag string
		Params                                  []*openapi3.Parameter
		Body                                    string
		Responses                               []string
	}
	var ops []op
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, o := range item.Operations() {
			x := op{Method: method, Path: path, Summary: o.Summary, Description: o.Description}
			if len(o.Tags) > 0 {
				x.Tag = o.Tags[0]
			}
			for _, p := range append(item.Parameters, o.Parameters...) {
				x.Params = append(x.Params, p.Value)
			}
			if o.RequestBody != nil {
				for _, mt := range o.RequestBody.Value.Content {
					x.Body = refName(mt.Schema)
				}
			}
			for _, code := range o.Responses.Keys() {
				r := o.Responses.Value(code)
				s := code
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						s += " " + refName(mt.Schema)
					}
				}
				x.Responses = append(x.Responses, s)
			}
			sort.Strings(x.Responses)
			ops = append(ops, x)
		}
	}
	sort.SliceStable(ops, func(i, j int) bool {
		if ops[i].Tag != ops[j].Tag {
			return ops[i].Tag < ops[j].Tag
		}
		return ops[i].Path < ops[j].Path
	})
	var schemas []string
	for name := range doc.Components.Schemas {
		schemas = append(schemas, name)
	}
	sort.Strings(schemas)
	var buf bytes.Buffer
	err = docsTemplate.Execute(&buf, map[string]any{"Info": doc.Info, "Ops": ops, "Schemas": schemas})
	return buf.Bytes(), err
})

func refName(s *openapi3.SchemaRef) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	return "object"
}

func serveDocs(c *fiber.Ctx) error {
	page, err := docsPage()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(page)
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Info.Title}}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.op{border:1px solid #e3e3e3;border-radius:6px;padding:.6em 1em;margin:.8em 0}
.m{display:inline-block;min-width:4.5em;font-weight:600;text-transform:uppercase}
.GET{color:#1565c0}.POST{color:#2e7d32}.PUT{color:#ef6c00}.DELETE{color:#c62828}
code{background:#f4f4f4;padding:0 .3em;border-radius:3px}
small{color:#666}
</style></head><body>
<h1>{{.Info.Title}} <small>{{.Info.Version}}</small></h1>
<p>{{.Info.Description}}</p>
<p>Machine-readable contract: <a href="/openapi.yaml">/openapi.yaml</a></p>
{{$tag := ""}}{{range .Ops}}{{if ne .Tag $tag}}{{$tag = .Tag}}<h2>{{.Tag}}</h2>{{end}}
<div class="op"><span class="m {{.Method}}">{{.Method}}</span> <code>{{.Path}}</code> — {{.Summary}}
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Params}}<p><small>Parameters:</small> {{range .Params}}<code>{{.Name}}</code> ({{.In}}{{if .Required}}, required{{end}}) {{end}}</p>{{end}}
{{if .Body}}<p><small>Body:</small> <code>{{.Body}}</code></p>{{end}}
<p><small>Responses:</small> {{range .Responses}}<code>{{.}}</code> {{end}}</p></div>
{{end}}
<h2>Schemas</h2><p>{{range .Schemas}}<code>{{.}}</code> {{end}}</p>
</body></html>`))
