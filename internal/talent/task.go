package talent

// Task is follow-up work a state change records, in the idiom of river's
// JobArgs: a module declares one struct per kind of work (its arguments,
// JSON-encoded in the outbox) with a Kind naming the handler, e.g.
// "claim:evaluate". The store writes a change's tasks to the outbox in the
// change's own transaction; the workers run them.
type Task interface {
	Kind() string
}
