package api

import "github.com/anju-city/anju/internal/talent"

// Codes of the HTTP layer: requests refused before any module sees them.
var (
	CodeRequestInvalid        = talent.NewCode("request_invalid")   // the request does not match the contract
	CodeBodyMalformed         = talent.NewCode("body_malformed")    // not JSON
	CodeBodyTooLarge          = talent.NewCode("body_too_large")    // over the body limit
	CodeBodyEncoding          = talent.NewCode("body_encoding")     // a compressed body (Content-Encoding)
	CodeRouteNotFound         = talent.NewCode("route_not_found")   // no such endpoint
	CodeParameterInvalid      = talent.NewCode("parameter_invalid") // a path, query or header parameter
	CodeTypeMismatch          = talent.NewCode("type_mismatch")
	CodeEnum                  = talent.NewCode("enum")
	CodePattern               = talent.NewCode("pattern")
	CodeFormat                = talent.NewCode("format")
	CodeSchema                = talent.NewCode("schema")
	CodeRateLimited           = talent.NewCode("rate_limited")
	CodeIdempotencyKeyReused  = talent.NewCode("idempotency_key_reused")
	CodeIdempotencyInProgress = talent.NewCode("idempotency_in_progress")
)
