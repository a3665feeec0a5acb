package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/santhosh-tekuri/jsonschema/v6"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// checkSkaffold validates the skaffold config against its JSON schema,
// checks that every path it names exists, and renders the chart as each of
// its helm releases would, to see the built image reach the anju pods.
func checkSkaffold(r *report, h *helmRunner, kubeVersion, path, schemaPath string) {
	sch, err := compileSchema(schemaPath)
	if err != nil {
		r.fail("skaffold schema", "%v", err)
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		r.fail("skaffold schema", "%v", err)
		return
	}
	docs, err := splitYAML(raw)
	if err != nil {
		r.fail("skaffold schema", "%s: %v", path, err)
		return
	}
	base := filepath.Dir(path)
	for i, doc := range docs {
		where := path
		if len(docs) > 1 {
			where = fmt.Sprintf("%s (document %d)", path, i+1)
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			r.fail("skaffold schema", "%s: %v", where, err)
			continue
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			r.fail("skaffold schema", "%s: %v", where, err)
			continue
		}
		if err := sch.Validate(inst); err != nil {
			r.fail("skaffold schema", "%s is not valid against %s:\n%v", where, schemaPath, err)
		} else {
			r.ok("skaffold schema", fmt.Sprintf("%s is valid against %s", where, schemaPath))
		}

		cfg, _ := inst.(map[string]any)
		if problems := checkSkaffoldPaths(cfg, base); len(problems) > 0 {
			for _, p := range problems {
				r.fail("skaffold paths", "%s: %s", where, p)
			}
		} else {
			r.ok("skaffold paths", where+": every path it names exists")
		}
		checkImageWiring(r, h, kubeVersion, cfg, base, where)
	}
}

func compileSchema(path string) (*jsonschema.Schema, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("skaffold schema: %w (in CI, shared/ sits beside the repository)", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	url := "file://" + filepath.ToSlash(abs)
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

func splitYAML(raw []byte) ([][]byte, error) {
	var docs [][]byte
	rd := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(raw)))
	for {
		doc, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if !isEmpty(doc) {
			docs = append(docs, doc)
		}
	}
}

// Generic access to the decoded JSON.
func field(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// pipelines returns the top-level pipeline and each profile's, by name.
func pipelines(cfg map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{"(top level)": cfg}
	for _, p := range list(cfg["profiles"]) {
		pm, _ := p.(map[string]any)
		out["profile "+str(pm["name"])] = pm
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkSkaffoldPaths checks the files and folders the config names:
// artifact contexts and Dockerfiles, chart paths, values files, raw
// manifests, kustomize paths and required configs, in every profile too.
func checkSkaffoldPaths(cfg map[string]any, base string) []string {
	var problems []string
	exists := func(where, p string, dir bool) {
		if strings.Contains(p, "{{") {
			problems = append(problems, fmt.Sprintf("%s: %q is templated; this check cannot follow it", where, p))
			return
		}
		full := filepath.Join(base, p)
		st, err := os.Stat(full)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %s does not exist", where, p))
		case dir && !st.IsDir():
			problems = append(problems, fmt.Sprintf("%s: %s is not a folder", where, p))
		case !dir && st.IsDir():
			problems = append(problems, fmt.Sprintf("%s: %s is a folder, not a file", where, p))
		}
	}
	releases := func(where string, rels []any) {
		for _, rel := range rels {
			name := str(field(rel, "name"))
			w := fmt.Sprintf("%s, helm release %s", where, name)
			if cp := str(field(rel, "chartPath")); cp != "" {
				exists(w+", chartPath", cp, true)
				exists(w+", chartPath", filepath.Join(cp, "Chart.yaml"), false)
			} else if str(field(rel, "remoteChart")) == "" {
				problems = append(problems, w+": neither chartPath nor remoteChart")
			}
			for _, vf := range list(field(rel, "valuesFiles")) {
				exists(w+", valuesFiles", str(vf), false)
			}
			if sf, ok := field(rel, "setFiles").(map[string]any); ok {
				for _, k := range sortedKeys(sf) {
					exists(w+", setFiles."+k, str(sf[k]), false)
				}
			}
		}
	}
	for _, where := range sortedKeys(pipelines(cfg)) {
		p := pipelines(cfg)[where]
		for _, a := range list(field(p["build"], "artifacts")) {
			w := fmt.Sprintf("%s, artifact %s", where, str(field(a, "image")))
			ctx := str(field(a, "context"))
			if ctx == "" {
				ctx = "."
			}
			exists(w+", context", ctx, true)
			if d := field(a, "docker"); d != nil {
				df := str(field(d, "dockerfile"))
				if df == "" {
					df = "Dockerfile"
				}
				exists(w+", dockerfile", filepath.Join(ctx, df), false)
			}
		}
		releases(where+", deploy", list(field(field(p["deploy"], "helm"), "releases")))
		releases(where+", manifests", list(field(field(p["manifests"], "helm"), "releases")))
		for _, g := range list(field(p["manifests"], "rawYaml")) {
			if m, _ := filepath.Glob(filepath.Join(base, str(g))); len(m) == 0 {
				problems = append(problems, fmt.Sprintf("%s, manifests.rawYaml: %s matches no file", where, str(g)))
			}
		}
		for _, k := range list(field(field(p["manifests"], "kustomize"), "paths")) {
			exists(where+", manifests.kustomize", str(k), true)
		}
	}
	for _, req := range list(cfg["requires"]) {
		if rp := str(field(req, "path")); rp != "" {
			exists("requires", rp, false)
		}
	}
	return problems
}

// artifactVar makes an artifact's image name usable in skaffold's
// templates: "/", "-", "." and ":" become "_".
var artifactVar = regexp.MustCompile(`[/.:-]`)

// checkImageWiring renders every helm release of every pipeline the way
// skaffold would after building, and checks that the anju pods run the
// built image. The setValueTemplates are evaluated with the variables
// skaffold provides; a reference to an artifact that is not built fails.
func checkImageWiring(r *report, h *helmRunner, kubeVersion string, cfg map[string]any, base, where string) {
	const check = "skaffold image"
	const digest = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
	top := pipelines(cfg)["(top level)"]
	for _, name := range sortedKeys(pipelines(cfg)) {
		p := pipelines(cfg)[name]
		build := p["build"]
		if build == nil {
			build = top["build"]
		}
		deploy := p["deploy"]
		if deploy == nil {
			deploy = top["deploy"]
		}
		vars := map[string]string{}
		var artifacts []string
		for _, a := range list(field(build, "artifacts")) {
			img := str(field(a, "image"))
			artifacts = append(artifacts, img)
			v := artifactVar.ReplaceAllString(img, "_")
			repo := "registry.example.invalid/city/" + img
			vars["IMAGE_REPO_"+v] = repo
			vars["IMAGE_TAG_"+v] = "3f9c2e1"
			vars["IMAGE_DIGEST_"+v] = digest
			vars["IMAGE_FULLY_QUALIFIED_"+v] = repo + ":3f9c2e1@" + digest
			vars["IMAGE_DOMAIN_"+v] = "registry.example.invalid"
			vars["IMAGE_REPO_NO_DOMAIN_"+v] = "city/" + img
		}
		rels := list(field(field(deploy, "helm"), "releases"))
		if len(rels) == 0 {
			r.fail(check, "%s, %s: no helm release deploys the chart", where, name)
		}
		for _, rel := range rels {
			w := fmt.Sprintf("%s, %s, release %s", where, name, str(field(rel, "name")))
			tmpl, _ := field(rel, "setValueTemplates").(map[string]any)
			if len(artifacts) == 0 || tmpl == nil {
				r.fail(check, "%s: no built image is wired into the values (setValueTemplates)", w)
				continue
			}
			var real, placeholder []string
			failed := false
			for _, k := range sortedKeys(tmpl) {
				t, err := template.New(k).Option("missingkey=error").Funcs(template.FuncMap{
					"default": func(def string, v any) string {
						if s, ok := v.(string); ok && s != "" {
							return s
						}
						return def
					},
				}).Parse(str(tmpl[k]))
				var out strings.Builder
				if err == nil {
					err = t.Execute(&out, vars)
				}
				if err != nil {
					r.fail(check, "%s: setValueTemplates.%s: %v (built artifacts: %s)", w, k, err, strings.Join(artifacts, ", "))
					failed = true
					continue
				}
				real = append(real, k+"="+out.String())
				// Skaffold itself passes the artifact name for image values
				// and replaces it in a post-renderer.
				ph := out.String()
				if strings.Contains(str(tmpl[k]), "IMAGE_") {
					ph = artifacts[0]
				}
				placeholder = append(placeholder, k+"="+ph)
			}
			if failed {
				continue
			}
			var files []string
			for _, vf := range list(field(rel, "valuesFiles")) {
				files = append(files, filepath.Join(base, str(vf)))
			}
			if sv, ok := field(rel, "setValues").(map[string]any); ok {
				for _, k := range sortedKeys(sv) {
					real = append(real, fmt.Sprintf("%s=%v", k, sv[k]))
					placeholder = append(placeholder, fmt.Sprintf("%s=%v", k, sv[k]))
				}
			}
			rh := *h
			if cp := str(field(rel, "chartPath")); cp != "" {
				rh.chart = filepath.Join(base, cp)
			}
			want := vars["IMAGE_REPO_"+artifactVar.ReplaceAllString(artifacts[0], "_")] + ":3f9c2e1@" + digest
			for _, run := range []struct {
				what  string
				set   []string
				image string
			}{
				{"pushed image", real, want},
				{"skaffold's placeholder", placeholder, artifacts[0] + ":" + artifacts[0]},
			} {
				manifest, err := rh.template(kubeVersion, files, run.set)
				if err != nil {
					r.fail(check, "%s, %s: %v", w, run.what, err)
					continue
				}
				objs, errs := decodeAll(manifest)
				if len(errs) > 0 {
					r.fail(check, "%s, %s: %v", w, run.what, errors.Join(errs...))
					continue
				}
				if bad := imagesOtherThan(objs, run.image); bad != "" {
					r.fail(check, "%s, %s: %s", w, run.what, bad)
					continue
				}
				r.ok(check, fmt.Sprintf("%s, %s: anju pods run %s", w, run.what, run.image))
			}
		}
	}
}

// imagesOtherThan describes the anju containers that do not run image, or
// returns "" when they all do.
func imagesOtherThan(objs []object, image string) string {
	n := 0
	var wrong []string
	for _, o := range objs {
		t := podTemplate(o)
		if t == nil || !anjuComponents[o.meta.GetLabels()[componentLabel]] {
			continue
		}
		for _, c := range t.Spec.Containers {
			n++
			if c.Image != image {
				wrong = append(wrong, fmt.Sprintf("%s container %s runs %q", o, c.Name, c.Image))
			}
		}
	}
	if n == 0 {
		return "no anju containers rendered"
	}
	return strings.Join(wrong, "; ")
}
