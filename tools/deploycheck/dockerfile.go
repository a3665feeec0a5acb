package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// checkDockerfile parses the Dockerfile with BuildKit's own parser and lint
// rules (those that need no build), without a Docker engine, and checks
// what the chart relies on: the final stage runs /anju as a numeric
// non-root user (the uid the pods run as), with "api" as the default
// command, and the build is static and reproducible. It also checks that
// .dockerignore keeps local data out of the context but not the sources.
func checkDockerfile(r *report, path string, podUID int64) {
	const check = "dockerfile"
	src, err := os.ReadFile(path)
	if err != nil {
		r.fail(check, "%v", err)
		return
	}
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		r.fail(check, "%s: %v", path, err)
		return
	}
	var problems []string
	for _, w := range res.Warnings {
		problems = append(problems, fmt.Sprintf("line %d: %s", w.Location.Start.Line, w.Short))
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		problems = append(problems, fmt.Sprintf("line %d: %s: %s", line, rule, msg))
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		r.fail(check, "%s: %v", path, err)
		return
	}
	if len(stages) < 2 {
		problems = append(problems, "want a build stage and a final stage")
	}

	var buildRun, finalUser, finalBase string
	for _, s := range stages[:max(len(stages)-1, 0)] {
		for _, c := range s.Commands {
			if run, ok := c.(*instructions.RunCommand); ok {
				buildRun += " " + strings.Join(run.CmdLine, " ")
			}
			if env, ok := c.(*instructions.EnvCommand); ok {
				for _, kv := range env.Env {
					buildRun += " " + kv.Key + "=" + kv.Value
				}
			}
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.version=", "./cmd/anju"} {
		if !strings.Contains(buildRun, want) {
			problems = append(problems, fmt.Sprintf("the build stages never use %q", want))
		}
	}

	if len(stages) > 0 {
		final := stages[len(stages)-1]
		var user, tz string
		var entrypoint, cmd []string
		for _, c := range final.Commands {
			switch c := c.(type) {
			case *instructions.UserCommand:
				user = c.User
			case *instructions.EntrypointCommand:
				if c.PrependShell {
					problems = append(problems, "ENTRYPOINT must be exec form (JSON), so that SIGTERM reaches anju")
				}
				entrypoint = c.CmdLine
			case *instructions.CmdCommand:
				if c.PrependShell {
					problems = append(problems, "CMD must be exec form (JSON)")
				}
				cmd = c.CmdLine
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					if kv.Key == "TZ" {
						tz = kv.Value
					}
				}
			}
		}
		finalUser, finalBase = user, final.BaseName
		if !strings.HasPrefix(final.BaseName, "gcr.io/distroless/static") {
			problems = append(problems, fmt.Sprintf("final stage is %s, want gcr.io/distroless/static (CA certificates, tzdata, nothing else)", final.BaseName))
		}
		uid, _, _ := strings.Cut(user, ":")
		n, err := strconv.ParseInt(uid, 10, 64)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("USER %q is not numeric: Kubernetes cannot check runAsNonRoot", user))
		case n == 0:
			problems = append(problems, "USER is root")
		case podUID != 0 && n != podUID:
			problems = append(problems, fmt.Sprintf("USER %d differs from the pods' runAsUser %d", n, podUID))
		}
		if strings.Join(entrypoint, " ") != "/anju" {
			problems = append(problems, fmt.Sprintf("ENTRYPOINT %q, want [\"/anju\"]", entrypoint))
		}
		if strings.Join(cmd, " ") != "api" {
			problems = append(problems, fmt.Sprintf("CMD %q, want [\"api\"]: the image's default runs the API", cmd))
		}
		if tz != "Asia/Shanghai" {
			problems = append(problems, fmt.Sprintf("TZ is %q, want Asia/Shanghai", tz))
		}
	}

	problems = append(problems, checkDockerignore(filepath.Join(filepath.Dir(path), ".dockerignore"))...)
	if len(problems) > 0 {
		for _, p := range problems {
			r.fail(check, "%s: %s", path, p)
		}
		return
	}
	r.ok(check, fmt.Sprintf("%s: %d stages parse and pass BuildKit's lint rules; %s runs /anju api as %s", path, len(stages), finalBase, finalUser))
}

// checkDockerignore makes sure that local data, tools and git history stay
// out of the build context, and the sources the build needs stay in.
func checkDockerignore(path string) []string {
	src, err := os.ReadFile(path)
	if err != nil {
		return []string{err.Error()}
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(src))
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	var problems []string
	for _, p := range []string{".git/config", ".data/postgres/PG_VERSION", ".tools/bin/minio", "charts/anju/values.yaml"} {
		if ok, _ := pm.MatchesOrParentMatches(p); !ok {
			problems = append(problems, fmt.Sprintf("%s: %s would be sent to the builder", path, p))
		}
	}
	for _, p := range []string{"go.mod", "go.sum", "cmd/anju/main.go", "internal/postgres/migrations/00001_platform.sql", "openapi/anju.yaml", "api/server.go", "workers/tasks.go"} {
		if ok, _ := pm.MatchesOrParentMatches(p); ok {
			problems = append(problems, fmt.Sprintf("%s: excludes %s, which the build needs", path, p))
		}
	}
	return problems
}
