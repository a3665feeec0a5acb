// Command deploycheck validates Anju's deployment files offline, without a
// cluster or a registry:
//
//   - charts/anju passes `helm lint --strict` and renders with `helm template`
//     for every values set and Kubernetes version given;
//   - every rendered object decodes strictly into its Kubernetes API type
//     (unknown fields, duplicate fields and wrong types fail), and the
//     objects fit together (selectors select, references resolve, pods are
//     hardened, probes point at the health endpoints);
//   - values.schema.json refuses each file in -bad-values, with the error
//     the file's "# want:" lines name, while the base values pass;
//   - the strict decoder itself refuses each manifest in -bad-manifests;
//   - the Dockerfile parses and passes BuildKit's lint rules, and its final
//     stage runs /anju as the numeric non-root uid the pods run as;
//   - skaffold.yaml is valid against the skaffold JSON schema, every path
//     it names exists, and the image it builds reaches the chart's pods.
//
// It prints one line per check and exits 1 if any failed.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	var (
		helm          = flag.String("helm", "helm", "helm v3 binary")
		chart         = flag.String("chart", "charts/anju", "chart directory")
		release       = flag.String("release", "anju", "release name to render with")
		namespace     = flag.String("namespace", "anju", "namespace to render into")
		kubeVersions  = flag.String("kube-versions", "1.30.0,1.35.0", "comma-separated Kubernetes versions to lint and render for")
		valueSets     = flag.String("values", "default=,production=ci/production-values.yaml,dev=values-dev.yaml", "comma-separated NAME=FILE values sets (FILE relative to the chart; empty: the chart's defaults)")
		badValues     = flag.String("bad-values", "tools/deploycheck/testdata/bad-values", "folder of values files the chart must refuse")
		badBase       = flag.String("bad-values-base", "ci/production-values.yaml", "values file (relative to the chart) applied before each bad values file")
		badManifests  = flag.String("bad-manifests", "tools/deploycheck/testdata/bad-manifests", "folder of manifests the strict decoder must refuse")
		skaffold      = flag.String("skaffold", "skaffold.yaml", "skaffold config to validate")
		skaffoldSchem = flag.String("skaffold-schema", "../shared/schemas/skaffold-v4beta13.json", "JSON schema of the skaffold config")
		dockerfile    = flag.String("dockerfile", "Dockerfile", "Dockerfile of the image the chart runs")
	)
	flag.Parse()

	r := &report{}
	start := time.Now()
	h := &helmRunner{bin: *helm, chart: *chart, release: *release, namespace: *namespace}
	versions := splitList(*kubeVersions)
	if len(versions) == 0 {
		r.fail("flags", "-kube-versions is empty")
	}
	if v, err := h.version(); err != nil {
		r.fail("helm", "%v", err)
		r.exit(start)
	} else {
		r.ok("helm", v)
	}

	var podUID int64
	for _, set := range splitList(*valueSets) {
		name, file, _ := strings.Cut(set, "=")
		var files []string
		if file != "" {
			files = []string{filepath.Join(*chart, file)}
		}
		for _, kv := range versions {
			what := fmt.Sprintf("%s values, Kubernetes %s", name, kv)
			if out, err := h.lint(kv, files); err != nil {
				r.fail("helm lint --strict", "%s: %v\n%s", what, err, out)
				continue
			}
			r.ok("helm lint --strict", what)
			manifest, err := h.template(kv, files, nil)
			if err != nil {
				r.fail("helm template", "%s: %v", what, err)
				continue
			}
			objs, errs := decodeAll(manifest)
			for _, e := range errs {
				r.fail("strict decode", "%s: %v", what, e)
			}
			if len(errs) == 0 {
				r.ok("strict decode", fmt.Sprintf("%s: %d objects (%s)", what, len(objs), kindCounts(objs)))
			}
			if uid := anjuRunAsUser(objs); uid != 0 && podUID == 0 {
				podUID = uid
			}
			if problems := checkObjects(objs); len(problems) > 0 {
				for _, p := range problems {
					r.fail("consistency", "%s: %s", what, p)
				}
			} else {
				r.ok("consistency", what)
			}
		}
	}

	checkDockerfile(r, *dockerfile, podUID)
	checkBadValues(r, h, versions[0], filepath.Join(*chart, *badBase), *badValues)
	checkBadManifests(r, *badManifests)
	checkSkaffold(r, h, versions[0], *skaffold, *skaffoldSchem)
	r.exit(start)
}

// report collects the outcome of every check.
type report struct {
	failures int
	passed   int
}

func (r *report) ok(check, detail string) {
	r.passed++
	fmt.Printf("ok    %-20s %s\n", check, detail)
}

func (r *report) fail(check, format string, args ...any) {
	r.failures++
	fmt.Printf("FAIL  %-20s %s\n", check, fmt.Sprintf(format, args...))
}

func (r *report) exit(start time.Time) {
	fmt.Printf("deploycheck: %d passed, %d failed (%.1fs)\n", r.passed, r.failures, time.Since(start).Seconds())
	if r.failures > 0 {
		os.Exit(1)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// wants returns the "# want: TEXT" lines of a test file: the error a
// checker must give for it.
func wants(content []byte) []string {
	var out []string
	for _, line := range strings.Split(string(content), "\n") {
		if w, ok := strings.CutPrefix(strings.TrimSpace(line), "# want:"); ok {
			out = append(out, strings.TrimSpace(w))
		}
	}
	return out
}

// testFile is a file that a checker must refuse, with the errors it must give.
type testFile struct {
	path    string
	content []byte
	wants   []string
}

// testFiles lists the .yaml files of a folder in name order; each must carry
// at least one "# want:" line.
func testFiles(r *report, check, dir string) []testFile {
	matches, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(matches) == 0 {
		r.fail(check, "no test files in %s", dir)
		return nil
	}
	var files []testFile
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			r.fail(check, "%v", err)
			continue
		}
		w := wants(b)
		if len(w) == 0 {
			r.fail(check, "%s has no \"# want:\" line naming the expected error", m)
			continue
		}
		files = append(files, testFile{path: m, content: b, wants: w})
	}
	return files
}

// missing returns the wanted texts that msg does not contain.
func missing(msg string, wants []string) []string {
	var out []string
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			out = append(out, w)
		}
	}
	return out
}
