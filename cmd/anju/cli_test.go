package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// help answers without reading the configuration or starting anything: the
// environment here is invalid, so any command that started would fail.
func TestHelpStartsNothing(t *testing.T) {
	t.Parallel()
	broken := func(name string) string {
		if name == "ANJU_ENV" {
			return "no-such-environment"
		}
		return ""
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, broken, &out); err != nil {
		t.Fatalf("anju help: %v", err)
	}
	for _, c := range commands {
		if !strings.Contains(out.String(), "  "+c.name) {
			t.Errorf("anju help does not list %s:\n%s", c.name, out.String())
		}
	}
	for _, name := range []string{"api", "worker", "all", "migrate", "admin", "dev", "verify-draw", "version"} {
		for _, flag := range []string{"--help", "-h"} {
			out.Reset()
			args := []string{name, flag}
			if name == "admin" {
				args = []string{name, "grant", flag}
			}
			if err := run(context.Background(), args, broken, &out); err != nil {
				t.Errorf("anju %s: %v", strings.Join(args, " "), err)
			}
			if !strings.HasPrefix(out.String(), "usage: anju "+name) {
				t.Errorf("anju %s printed %q", strings.Join(args, " "), out.String())
			}
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"help", "verify-draw"}, broken, &out); err != nil || !strings.Contains(out.String(), "FILE") {
		t.Errorf("anju help verify-draw: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"api"}, broken, &out); err == nil || !strings.Contains(err.Error(), "ANJU_ENV") {
		t.Errorf("with this environment a real start must fail on ANJU_ENV, got %v", err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, broken, &out); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
}
