package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// helmRunner runs the helm binary on one chart.
type helmRunner struct {
	bin       string
	chart     string
	release   string
	namespace string
}

func (h *helmRunner) run(args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.Command(h.bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

func (h *helmRunner) version() (string, error) {
	out, stderr, err := h.run("version", "--short")
	if err != nil {
		return "", fmt.Errorf("%s version: %v: %s", h.bin, err, stderr)
	}
	v := strings.TrimSpace(string(out))
	if !strings.HasPrefix(v, "v3.") {
		return "", fmt.Errorf("%s is helm %s; helm v3 is needed", h.bin, v)
	}
	return h.bin + " " + v, nil
}

// lint runs `helm lint --strict` and returns its output.
func (h *helmRunner) lint(kubeVersion string, valuesFiles []string) (string, error) {
	args := []string{"lint", "--strict", "--kube-version", kubeVersion}
	for _, f := range valuesFiles {
		args = append(args, "-f", f)
	}
	args = append(args, h.chart)
	out, stderr, err := h.run(args...)
	return strings.TrimSpace(string(out) + string(stderr)), err
}

// template renders the chart. set holds --set-string flags (key=value).
// The error carries helm's message.
func (h *helmRunner) template(kubeVersion string, valuesFiles, set []string) ([]byte, error) {
	args := []string{"template", h.release, h.chart, "--namespace", h.namespace, "--kube-version", kubeVersion}
	for _, f := range valuesFiles {
		args = append(args, "-f", f)
	}
	for _, s := range set {
		args = append(args, "--set-string", s)
	}
	out, stderr, err := h.run(args...)
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(string(stderr)))
	}
	return out, nil
}

// checkBadValues renders the chart with the base values plus each bad
// values file: helm must refuse every one, with the error its "# want:"
// lines name.
func checkBadValues(r *report, h *helmRunner, kubeVersion, base, dir string) {
	const check = "schema refuses"
	for _, f := range testFiles(r, check, dir) {
		_, err := h.template(kubeVersion, []string{base, f.path}, nil)
		switch {
		case err == nil:
			r.fail(check, "%s: helm accepted it", f.path)
		case len(missing(err.Error(), f.wants)) > 0:
			r.fail(check, "%s: refused, but the error lacks %q:\n%v", f.path, missing(err.Error(), f.wants), err)
		default:
			r.ok(check, fmt.Sprintf("%s (%s)", f.path, strings.Join(f.wants, "; ")))
		}
	}
}
