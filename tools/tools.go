//go:build tools

// Package tools pins the versions of the generators Anju's build uses, so that
// `make gen` produces the same code on every machine.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
