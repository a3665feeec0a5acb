package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

// statusByKind is the one table from error kind to HTTP status.
var statusByKind = map[talent.Kind]int{
	talent.KindMalformed:       http.StatusBadRequest,
	talent.KindInvalid:         http.StatusUnprocessableEntity,
	talent.KindUnauthenticated: http.StatusUnauthorized,
	talent.KindForbidden:       http.StatusForbidden,
	talent.KindNotFound:        http.StatusNotFound,
	talent.KindConflict:        http.StatusConflict,
	talent.KindIneligible:      http.StatusUnprocessableEntity,
	talent.KindTooLarge:        http.StatusRequestEntityTooLarge,
	talent.KindRateLimited:     http.StatusTooManyRequests,
	talent.KindUnavailable:     http.StatusServiceUnavailable,
	talent.KindInternal:        http.StatusInternalServerError,
}

// fiberKinds classifies errors Fiber itself raises (unknown route, body too large…).
var fiberKinds = map[int]talent.Kind{
	http.StatusNotFound:              talent.KindNotFound,
	http.StatusMethodNotAllowed:      talent.KindNotFound,
	http.StatusRequestEntityTooLarge: talent.KindTooLarge,
	http.StatusBadRequest:            talent.KindMalformed,
	http.StatusUnsupportedMediaType:  talent.KindMalformed,
}

// errorHandler writes every error as RFC 9457 problem+json. Errors Anju did
// not classify are logged with the request id and answered as a bare 500:
// their text may hold details no client should see.
func errorHandler(logger *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		if errors.Is(err, fiber.ErrRequestTimeout) {
			// No whole request arrived before the read timeout: a
			// connection opened and left unused (a browser's preconnect,
			// a client's spare) or a request that stalled. fasthttp
			// writes whatever answer this leaves, and a client takes an
			// answer it never asked for as the reply to its next request
			// on that connection; so, like a proxy's header timeout, the
			// connection is closed first and nothing is written or logged.
			_ = c.Context().Conn().Close()
			return nil
		}
		te := classify(err)
		status := statusByKind[te.Kind]
		ctx := c.UserContext()
		if status >= 500 {
			logger.ErrorContext(ctx, "request failed", "method", c.Method(), "route", routePath(c), "err", err)
		}
		loc := localeOf(c)
		p := toProblem(te, loc)
		requestID := logging.RequestID(ctx)
		if requestID == "" {
			// An error fasthttp raised before any middleware ran (a header
			// too large, a timeout) still gets an id to quote to support.
			requestID = newRequestID()
			c.Set(fiber.HeaderXRequestID, requestID)
		}
		instance := c.Path()
		p.RequestId, p.Instance = &requestID, &instance
		if te.Kind == talent.KindUnauthenticated {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="anju"`)
		}
		c.Set(fiber.HeaderContentLanguage, string(loc))
		c.Status(status)
		if err := c.JSON(p); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return nil
	}
}

// classify turns any error into a talent error: Anju's own pass through,
// Fiber's (unknown route, body too large) are mapped, and anything else is
// internal, its text kept out of the response.
func classify(err error) *talent.Error {
	var te *talent.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &te):
		return te
	case errors.As(err, &fe):
		kind, ok := fiberKinds[fe.Code]
		if !ok {
			kind = talent.KindInternal
		}
		code := CodeRequestInvalid
		switch fe.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			code = CodeRouteNotFound
		case http.StatusRequestEntityTooLarge:
			code = CodeBodyTooLarge
		}
		return &talent.Error{Kind: kind, Code: code, Message: fe.Message}
	}
	return &talent.Error{Kind: talent.KindInternal, Code: talent.CodeInternal, Message: "internal error"}
}

// toProblem renders an error as RFC 9457 problem details in a locale.
func toProblem(te *talent.Error, loc talent.Locale) gen.Problem {
	p := gen.Problem{
		Type:   "https://anju.dev/problems/" + strings.ReplaceAll(te.Code.String(), "_", "-"),
		Title:  title(te.Kind, loc),
		Status: statusByKind[te.Kind],
		Code:   te.Code.String(),
	}
	if t, ok := messages[te.Code]; ok {
		d := t.in(loc)
		p.Detail = &d
	}
	if id, err := uuid.Parse(te.Params["assigneeId"]); err == nil {
		p.AssigneeId = &id
	}
	if len(te.Fields) > 0 {
		fields := make([]gen.FieldProblem, len(te.Fields))
		for i, f := range te.Fields {
			fields[i] = gen.FieldProblem{Field: f.Field, Code: f.Code.String(), Message: message(f.Code, loc)}
		}
		p.Errors = &fields
	}
	return p
}

// localeOf picks zh-CN or en from Accept-Language; zh-CN is the default.
func localeOf(c *fiber.Ctx) talent.Locale {
	if l, ok := c.Locals(localsLocale).(talent.Locale); ok {
		return l
	}
	l := talent.LocaleZH
	if c.AcceptsLanguages("zh-CN", "zh", "en") == "en" {
		l = talent.LocaleEN
	}
	c.Locals(localsLocale, l)
	return l
}

func retryAfter(c *fiber.Ctx, seconds int) {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(seconds, 1)))
}
