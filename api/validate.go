package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/openapi"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gofiber/fiber/v2"
)

// validator checks each request against openapi/anju.yaml before a handler
// runs, so handlers see only requests that match the contract. The headers
// every operation shares are declared once in the contract's components and
// checked here: Idempotency-Key against its schema on any POST that sends
// one, and its presence where an operation says x-idempotency-key: required.
type validator struct {
	router         routers.Router
	idempotencyKey *openapi3.Parameter
	// bare are the paths of the GET operations that declare no parameter
	// and no body: for them a request without a query string has nothing
	// to check, and is spared the copy into a net/http request that the
	// check needs (the cost of the most frequent request, GET /v1/me).
	bare map[string]bool
}

func loadSpec() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return doc, nil
}

func newValidator() (*validator, error) {
	doc, err := loadSpec()
	if err != nil {
		return nil, err
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	key := doc.Components.Parameters["IdempotencyKey"]
	if key == nil || key.Value == nil {
		return nil, errors.New("openapi: components.parameters.IdempotencyKey is missing")
	}
	bare := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		if op := item.Get; op != nil && len(item.Parameters) == 0 && len(op.Parameters) == 0 && op.RequestBody == nil &&
			!strings.ContainsAny(path, "{}") {
			bare[path] = true
		}
	}
	return &validator{router: r, idempotencyKey: key.Value, bare: bare}, nil
}

var validationOptions = &openapi3filter.Options{
	MultiError: true,
	// Sign-in is checked by the authenticate middleware, with the Admin SDK.
	AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
	// Ids are UUIDs of any version (Anju makes v7), checked here so that a
	// malformed one is named like any other field.
	SchemaValidationOptions: []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)),
	},
}

func (v *validator) middleware(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodGet && v.bare[c.Path()] && len(c.Request().URI().QueryString()) == 0 && len(c.Body()) == 0 {
		return c.Next()
	}
	req, err := http.NewRequestWithContext(c.UserContext(), c.Method(), "http://anju"+string(c.Request().URI().RequestURI()), bytes.NewReader(c.Body()))
	if err != nil {
		return talent.Errorf(talent.KindMalformed, CodeRequestInvalid, "bad request line")
	}
	c.Request().Header.VisitAll(func(k, val []byte) { req.Header.Add(string(k), string(val)) })
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fiber.ErrNotFound
	}
	err = openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route, Options: validationOptions,
	})
	// The key is checked even when the body is wrong, so that a client
	// retrying with a bad key learns of it in the same answer.
	if kerr := v.checkIdempotencyKey(route, req.Header); kerr != nil {
		if err == nil {
			err = kerr
		} else {
			err = openapi3.MultiError{err, kerr}
		}
	}
	if err != nil {
		return contractError(err)
	}
	return c.Next()
}

// checkIdempotencyKey applies the shared Idempotency-Key declaration.
func (v *validator) checkIdempotencyKey(route *routers.Route, h http.Header) error {
	if route.Method != http.MethodPost {
		return nil
	}
	key, sent := h.Get(v.idempotencyKey.Name), len(h.Values(v.idempotencyKey.Name)) > 0
	if !sent {
		if route.Operation.Extensions["x-idempotency-key"] == "required" {
			return &openapi3filter.RequestError{Parameter: v.idempotencyKey, Err: openapi3filter.ErrInvalidRequired}
		}
		return nil
	}
	if err := v.idempotencyKey.Schema.Value.VisitJSON(key); err != nil {
		return &openapi3filter.RequestError{Parameter: v.idempotencyKey, Err: err}
	}
	return nil
}

// contractError turns kin-openapi's errors into one problem listing every
// field that broke the contract.
func contractError(err error) error {
	var fields []talent.FieldError
	collect(err, &fields)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	code := CodeRequestInvalid
	for _, f := range fields {
		if f.Code == CodeBodyMalformed {
			code = CodeBodyMalformed
		}
	}
	return &talent.Error{Kind: talent.KindMalformed, Code: code, Message: "request does not match the contract", Fields: fields}
}

func collect(err error, out *[]talent.FieldError) {
	// A RequestError names the parameter or body at fault and may hold
	// several schema errors; it is looked at before any unwrapping, which
	// would lose which parameter they were about.
	var reqErr *openapi3filter.RequestError
	if re, ok := err.(*openapi3filter.RequestError); ok {
		reqErr = re
	}
	var multi openapi3.MultiError
	switch {
	case reqErr != nil && reqErr.Parameter != nil:
		code := CodeParameterInvalid
		var se *openapi3.SchemaError
		switch {
		case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
			code = talent.CodeRequired
		case errors.As(reqErr.Err, &se):
			code = schemaCode(se)
		}
		*out = append(*out, talent.FieldError{Field: reqErr.Parameter.Name, Code: code})
	case reqErr != nil && reqErr.RequestBody != nil:
		var parseErr *openapi3filter.ParseError
		switch {
		case errors.As(reqErr.Err, &parseErr):
			*out = append(*out, talent.FieldError{Field: "body", Code: CodeBodyMalformed})
		case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
			*out = append(*out, talent.FieldError{Field: "body", Code: talent.CodeRequired})
		case reqErr.Err != nil:
			collect(reqErr.Err, out)
		default:
			*out = append(*out, talent.FieldError{Field: "body", Code: CodeSchema})
		}
	case errors.As(err, &multi):
		for _, e := range multi {
			collect(e, out)
		}
	default:
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			*out = append(*out, talent.FieldError{Field: fieldPath(se), Code: schemaCode(se)})
			return
		}
		*out = append(*out, talent.FieldError{Field: "body", Code: CodeSchema})
	}
}

// fieldPath renders a schema error's JSON pointer as education[0].level.
// For a missing or unknown property the property itself is named.
func fieldPath(se *openapi3.SchemaError) string {
	var b strings.Builder
	for _, p := range se.JSONPointer() {
		if isIndex(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if name := propertyName(se); name != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(name)
	}
	if b.Len() == 0 {
		return "body"
	}
	return b.String()
}

// propertyName extracts the property a "required" or "additionalProperties"
// error is about; kin-openapi puts it only in the reason text.
func propertyName(se *openapi3.SchemaError) string {
	switch se.SchemaField {
	case "required", "additionalProperties", "properties":
		if _, rest, ok := strings.Cut(se.Reason, `property "`); ok {
			if name, _, ok := strings.Cut(rest, `"`); ok {
				return name
			}
		}
	}
	return ""
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// schemaCode names what kind of rule a value broke.
func schemaCode(se *openapi3.SchemaError) talent.Code {
	switch se.SchemaField {
	case "type", "nullable":
		return CodeTypeMismatch
	case "additionalProperties":
		return talent.CodeUnknownField
	case "properties":
		if strings.HasSuffix(se.Reason, "is unsupported") {
			return talent.CodeUnknownField
		}
	case "required":
		return talent.CodeRequired
	case "enum":
		return CodeEnum
	case "minLength", "maxLength", "minItems", "maxItems":
		return talent.CodeLength
	case "pattern":
		return CodePattern
	case "format":
		return CodeFormat
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return talent.CodeRange
	}
	return CodeSchema
}
