package talent

import (
	"errors"
	"fmt"
	"slices"
)

// Kind classifies an Error by what the caller can do about it. The api maps
// kinds to HTTP statuses and workers map them to retry or archive, each in one
// table, so a new error never needs a new ladder of if statements.
type Kind string

// Error kinds.
const (
	// KindMalformed: the request cannot be parsed or does not match the contract.
	KindMalformed Kind = "malformed"
	// KindInvalid: the request is well formed but a value breaks a domain rule.
	KindInvalid Kind = "invalid"
	// KindUnauthenticated: no valid sign-in.
	KindUnauthenticated Kind = "unauthenticated"
	// KindForbidden: signed in, but the role does not allow the action.
	KindForbidden Kind = "forbidden"
	// KindNotFound: the resource does not exist or the caller may not see it.
	KindNotFound Kind = "not_found"
	// KindConflict: the change clashes with the current state.
	KindConflict Kind = "conflict"
	// KindIneligible: the rules of a policy refuse the request.
	KindIneligible Kind = "ineligible"
	// KindTooLarge: the request (its body) is larger than the operation accepts.
	KindTooLarge Kind = "too_large"
	// KindRateLimited: the caller sent too many requests.
	KindRateLimited Kind = "rate_limited"
	// KindUnavailable: a dependency is down; trying again later may work.
	KindUnavailable Kind = "unavailable"
	// KindInternal: a bug or an unexpected failure.
	KindInternal Kind = "internal"
)

// Code is a stable, machine-readable error code ("claim_incomplete") that
// clients branch on and the api localizes. Codes are made only by NewCode,
// as package-level variables beside the module that returns them, so a code
// can never be typed inline and every code is known to the message test.
type Code struct{ name string }

// codes are every Code made, in the order their packages were initialised.
var codes []Code

// NewCode declares a code. Call it only to initialise a package-level variable.
func NewCode(name string) Code {
	c := Code{name: name}
	codes = append(codes, c)
	return c
}

// String returns the code as clients see it.
func (c Code) String() string { return c.name }

// Codes returns every declared code of the packages linked into the program.
func Codes() []Code { return slices.Clone(codes) }

// Error is Anju's one error type. Code is stable and machine readable; the api
// localizes it. Message is English for logs and never contains personal data.
type Error struct {
	Kind    Kind
	Code    Code
	Message string
	Fields  []FieldError
	// Params are values a client needs to act on the error, named as the
	// contract's problem names them (e.g. "assigneeId" of a claim another
	// reviewer holds). Never personal data.
	Params map[string]string
}

// FieldError names one request field that failed and why, by stable code.
type FieldError struct {
	Field string
	Code  Code
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
}

// Errorf returns an Error of the given kind and code.
func Errorf(kind Kind, code Code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a KindInvalid error for the given field problems.
func Invalid(fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: CodeValidationFailed, Message: "one or more fields are invalid", Fields: fields}
}

// Field returns a KindInvalid error for one field.
func Field(field string, code Code) *Error {
	return Invalid(FieldError{Field: field, Code: code})
}

// ErrorKind returns the kind of err, KindInternal for errors Anju did not make.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrorCode returns the code of err, "internal" for errors Anju did not make.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code.name
	}
	return CodeInternal.name
}

// HasCode reports whether err is an Anju error with code c.
func HasCode(err error, c Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == c
}

// NotFound is the error for a missing resource or one the caller may not see;
// both answer the same so that ids cannot be probed.
func NotFound(code Code) *Error {
	return &Error{Kind: KindNotFound, Code: code, Message: code.name}
}

// Forbidden is the error for a role that does not allow an action.
func Forbidden(format string, args ...any) *Error {
	return Errorf(KindForbidden, CodeRoleRequired, format, args...)
}

// OwnBenefit refuses a staff operation whose actor would benefit from it:
// their own claim, application, lease, payment, tier or employment.
func OwnBenefit(format string, args ...any) *Error {
	return Errorf(KindForbidden, CodeOwnBenefit, format, args...)
}
