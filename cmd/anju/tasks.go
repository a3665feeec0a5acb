package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// tasks is the operator's view of tasks that failed for good: `archived`
// lists them, `rerun` puts them back in their queue. Handlers are
// idempotent, so running a task whose work was done since changes nothing.
func tasks(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(commandUsage("tasks"))
	}
	rdb := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisDB})
	defer rdb.Close()
	inspector := asynq.NewInspectorFromRedisClient(rdb)
	switch args[0] {
	case "archived":
		if len(args) != 1 {
			return errors.New(commandUsage("tasks"))
		}
		return listArchived(inspector, stdout)
	case "rerun":
		rest := args[1:]
		if len(rest) == 0 || (slices.Contains(rest, "--all") && len(rest) != 1) {
			return errors.New("tasks rerun takes --all or one or more task ids\n" + commandUsage("tasks"))
		}
		return rerun(inspector, rest, stdout)
	}
	return fmt.Errorf("unknown tasks command %q\n%s", args[0], commandUsage("tasks"))
}

// queueNames are Anju's queues in a fixed order.
func queueNames() []string {
	names := make([]string, 0, len(workers.Queues))
	for q := range workers.Queues {
		names = append(names, q)
	}
	slices.Sort(names)
	return names
}

// archived lists every archived task of every queue, a page at a time.
func archived(inspector *asynq.Inspector, queue string) ([]*asynq.TaskInfo, error) {
	var all []*asynq.TaskInfo
	for page := 1; ; page++ {
		list, err := inspector.ListArchivedTasks(queue, asynq.PageSize(500), asynq.Page(page))
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if len(list) < 500 {
			return all, nil
		}
	}
}

func listArchived(inspector *asynq.Inspector, stdout io.Writer) error {
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "QUEUE\tTYPE\tID\tFAILED AT\tRETRIED\tERROR")
	n := 0
	for _, q := range queueNames() {
		list, err := archived(inspector, q)
		if err != nil {
			return fmt.Errorf("queue %s: %w", q, err)
		}
		for _, t := range list {
			msg := strings.ReplaceAll(t.LastErr, "\n", " ")
			if len(msg) > 200 {
				msg = msg[:200] + "…"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", q, t.Type, t.ID, t.LastFailedAt.UTC().Format("2006-01-02T15:04:05Z"), t.Retried, msg)
			n++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d archived tasks\n", n)
	return nil
}

// rerun moves archived tasks back to pending: all of them, or the ids given
// (looked up in every queue).
func rerun(inspector *asynq.Inspector, ids []string, stdout io.Writer) error {
	if ids[0] == "--all" {
		total := 0
		existing, err := inspector.Queues()
		if err != nil {
			return err
		}
		for _, q := range queueNames() {
			if !slices.Contains(existing, q) {
				continue // never held a task
			}
			n, err := inspector.RunAllArchivedTasks(q)
			if err != nil {
				return fmt.Errorf("queue %s: %w", q, err)
			}
			total += n
		}
		fmt.Fprintf(stdout, "%d archived tasks queued again\n", total)
		return nil
	}
	var missing []string
	for _, id := range ids {
		found := false
		for _, q := range queueNames() {
			info, err := inspector.GetTaskInfo(q, id)
			if errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			found = true
			if info.State != asynq.TaskStateArchived {
				fmt.Fprintf(stdout, "%s %s is %s, not archived: left as it is\n", q, id, info.State)
				break
			}
			if err := inspector.RunTask(q, id); err != nil {
				return fmt.Errorf("%s %s: %w", q, id, err)
			}
			fmt.Fprintf(stdout, "%s %s %s queued again\n", q, info.Type, id)
			break
		}
		if !found {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no task with id %s", strings.Join(missing, ", "))
	}
	return nil
}
