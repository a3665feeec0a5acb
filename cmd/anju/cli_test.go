package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
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
	for _, name := range []string{"api", "worker", "all", "migrate", "admin", "dev", "tasks", "pii", "verify-draw", "version"} {
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

// `anju tasks archived` lists the tasks that failed for good with their
// queue, type, id and error; `anju tasks rerun ID` and `--all` queue them
// again.
func TestTasksArchivedAndRerun(t *testing.T) {
	t.Parallel()
	in := services(t)
	inspector := asynq.NewInspector(asynq.RedisClientOpt{Addr: in.Redis.Addr})
	defer inspector.Close()
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: in.Redis.Addr})
	defer client.Close()
	var ids []string
	for range 3 {
		task, _ := workers.NewTask(account.InspectDocument{DocumentID: talent.NewID()})
		info, err := client.Enqueue(task, asynq.TaskID(talent.NewID()))
		if err != nil {
			t.Fatal(err)
		}
		if err := inspector.ArchiveTask(info.Queue, info.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, info.ID)
	}
	anju := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), args, func(k string) string { return in.Env[k] }, &out); err != nil {
			t.Fatalf("anju %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	out := anju("tasks", "archived")
	for _, id := range ids {
		if !strings.Contains(out, "default") || !strings.Contains(out, "document:inspect") || !strings.Contains(out, id) {
			t.Errorf("archived list lacks %s:\n%s", id, out)
		}
	}
	if !strings.Contains(out, "3 archived tasks") {
		t.Errorf("archived list: %s", out)
	}
	anju("tasks", "rerun", ids[0])
	if info, err := inspector.GetTaskInfo(workers.QueueDefault, ids[0]); err != nil || info.State != asynq.TaskStatePending {
		t.Fatalf("after rerun %s: %+v %v", ids[0], info, err)
	}
	if out := anju("tasks", "rerun", "--all"); !strings.Contains(out, "2 archived tasks queued again") {
		t.Errorf("rerun --all: %s", out)
	}
	if out := anju("tasks", "archived"); !strings.Contains(out, "0 archived tasks") {
		t.Errorf("after rerun --all: %s", out)
	}
	var out2 bytes.Buffer
	if err := run(context.Background(), []string{"tasks", "rerun", "no-such-task"}, func(k string) string { return in.Env[k] }, &out2); err == nil {
		t.Error("rerun of an unknown id succeeded")
	}
}

// TestDevTokenSignsGraduatesInByPhone: the demo graduate and a persona get
// tokens of a phone sign-in, which graduate operations need; staff get a
// password sign-in, as in the console.
func TestDevTokenSignsGraduatesInByPhone(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := func(args ...string) string {
		t.Helper()
		var out syncBuffer
		if err := run(context.Background(), append([]string{"dev", "token"}, args...), func(k string) string { return in.Env[k] }, &out); err != nil {
			t.Fatalf("dev token %v: %v", args, err)
		}
		return strings.TrimSpace(out.String())
	}
	for _, args := range [][]string{{"--role", "graduate"}, {"--as", "walker-" + newKey()[:6]}} {
		if r := in.call(t, "PUT", "/v1/me", token(args...), map[string]any{"name": "演示"}); r.Status != 200 {
			t.Errorf("dev token %v, then a profile: %d %s", args, r.Status, r.Body)
		}
	}
	if r := in.call(t, "PUT", "/v1/me", token("--role", "reviewer"), map[string]any{"name": "演示"}); r.Status != 401 {
		t.Errorf("a staff token by password acting as a graduate: %d %s", r.Status, r.Body)
	}
}
