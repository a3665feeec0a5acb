package api

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
)

// respond is the shape of a handler: the signed-in user, one call into the
// application, and on success the answer converted to the contract's type
// with status. Errors go to the one problem mapping.
func respond[T, W any](c *fiber.Ctx, status int, call func(context.Context, talent.User) (T, error), convert func(T) W) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	v, err := call(c.UserContext(), u)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(convert(v))
}

// respondBody is respond for a request with a JSON body, decoded into B first.
func respondBody[B, T, W any](c *fiber.Ctx, status int, call func(context.Context, talent.User, B) (T, error), convert func(T) W) error {
	var body B
	if err := decode(c, &body); err != nil {
		return err
	}
	return respond(c, status, func(ctx context.Context, u talent.User) (T, error) { return call(ctx, u, body) }, convert)
}

// done answers 204 once an action that returns nothing succeeded.
func done(c *fiber.Ctx, act func(context.Context, talent.User) error) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	if err := act(c.UserContext(), u); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// same is the converter of an answer that already has the contract's type.
func same[T any](v T) T { return v }

// decode reads a JSON body strictly. The contract check has already refused
// unknown fields; this keeps handlers safe if a schema is loosened by mistake.
func decode(c *fiber.Ctx, v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &talent.Error{Kind: talent.KindMalformed, Code: CodeBodyMalformed, Message: "invalid JSON body",
			Fields: []talent.FieldError{{Field: "body", Code: CodeBodyMalformed}}}
	}
	return nil
}

// page reads the contract's paging parameters.
func page(cursor *gen.Cursor, limit *gen.Limit) talent.Page {
	var p talent.Page
	if cursor != nil {
		p.Cursor = *cursor
	}
	if limit != nil {
		p.Limit = *limit
	}
	return p
}

// value dereferences an optional field, giving the zero value when absent.
func value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
