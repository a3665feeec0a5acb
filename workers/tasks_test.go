package workers_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
)

var kindDecl = regexp.MustCompile(`\) Kind\(\) string \{ return "([a-z:_]+)" \}`)

// Every task kind a module declares has its options and a handler, and
// every periodic job is a known kind: a new task type cannot be recorded
// in the outbox without something to run it.
func TestEveryKindHasOptionsAndAHandler(t *testing.T) {
	t.Parallel()
	declared := map[string]bool{}
	for _, dir := range []string{"../internal", "."} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			for _, m := range kindDecl.FindAllSubmatch(b, -1) {
				declared[string(m[1])] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(declared) < 10 {
		t.Fatalf("found only %d task kinds in the source", len(declared))
	}
	mux := workers.NewMux(&app.App{}, nil, nil, nil)
	for kind := range declared {
		if _, ok := workers.TaskOptions[kind]; !ok {
			t.Errorf("task kind %s has no options", kind)
		}
		if _, pattern := mux.Handler(asynq.NewTask(kind, nil)); pattern != kind {
			t.Errorf("task kind %s has no handler", kind)
		}
	}
	for kind := range workers.TaskOptions {
		if !declared[kind] {
			t.Errorf("options for %s, which no module declares", kind)
		}
	}
	for _, job := range workers.Jobs {
		if !declared[job.Args.Kind()] || job.Period <= 0 {
			t.Errorf("periodic job %+v", job)
		}
	}
}
