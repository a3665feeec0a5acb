// Package openapi holds anju.yaml, the contract the mobile app is built
// against. The API serves it, validates requests with it and generates its
// server interface from it.
package openapi

import _ "embed"

// Spec is the OpenAPI document.
//
//go:embed anju.yaml
var Spec []byte
