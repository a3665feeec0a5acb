// Package logging builds Anju's structured JSON logs and carries the request
// or task id in the context, so every line a request causes can be found by
// that id.
package logging

import (
	"context"
	"io"
	"log/slog"
)

type ctxKey struct{}

// WithRequestID returns ctx carrying a request (or task) id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// New returns a JSON logger writing to w that adds request_id to every
// record logged with a context that carries one.
// When w is Buffered, a warning or worse is written out at once.
func New(w io.Writer, level slog.Level) *slog.Logger {
	b, _ := w.(*Buffered)
	return slog.New(handler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}), b})
}

type handler struct {
	slog.Handler
	buf *Buffered
}

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	err := h.Handler.Handle(ctx, r)
	if h.buf != nil && r.Level >= slog.LevelWarn {
		_ = h.buf.Flush()
	}
	return err
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return handler{h.Handler.WithAttrs(attrs), h.buf}
}

func (h handler) WithGroup(name string) slog.Handler {
	return handler{h.Handler.WithGroup(name), h.buf}
}
