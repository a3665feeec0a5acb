# Developer and CI entry points for Anju.
#
#   make services   install and start PostgreSQL, Redis, MinIO, Firebase Auth emulator
#   make run        services + build + migrate + demo seed, then serve on :8080
#   make test       services + check-gen + go test
#   make gen        regenerate api/gen/anju.gen.go from openapi/anju.yaml
#   make lint       gofmt, go vet, golangci-lint
#   make stop       stop the services that `make services` started
#
# Tools are built on demand into .tools/bin; service data lives in .data/.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# Each recipe runs in one shell, so variables set by `eval` carry on.
.ONESHELL:
.DEFAULT_GOAL := build

BIN := .tools/bin
SERVICES := scripts/services.sh

OAPI_CODEGEN := $(BIN)/oapi-codegen
OAPI_CONFIG := api/gen/oapi-codegen.yaml
OPENAPI_SPEC := openapi/anju.yaml
GENERATED := api/gen/anju.gen.go

GOLANGCI_LINT := $(BIN)/golangci-lint
GOLANGCI_LINT_VERSION := v2.15.0

ANJU_HTTP_ADDR ?= :8080

.PHONY: services build run test gen check-gen lint stop

services:
	$(SERVICES) up

build:
	go build -o $(BIN)/anju ./cmd/anju

run: services build
	eval "$$($(SERVICES) env)"
	export ANJU_ENV=development ANJU_HTTP_ADDR='$(ANJU_HTTP_ADDR)'
	$(BIN)/anju migrate up
	$(BIN)/anju dev seed
	exec $(BIN)/anju all

# Services first, then check-gen (prerequisites run left to right), then the
# tests; CI (and any other variable of the caller) passes through to go test.
test: services check-gen
	eval "$$($(SERVICES) env)"
	go test -count=1 -p 2 -timeout 20m ./...

gen: $(OAPI_CODEGEN)
	$(OAPI_CODEGEN) -config $(OAPI_CONFIG) $(OPENAPI_SPEC)

# Regenerate into a temporary file (the config's own output: line is dropped
# so that -o applies) and compare it with the committed file.
check-gen: $(OAPI_CODEGEN)
	@tmp=$$(mktemp -d)
	trap 'rm -rf "$$tmp"' EXIT
	grep -v '^output:' $(OAPI_CONFIG) >"$$tmp/oapi-codegen.yaml"
	$(OAPI_CODEGEN) -config "$$tmp/oapi-codegen.yaml" -o "$$tmp/anju.gen.go" $(OPENAPI_SPEC)
	if ! diff -u $(GENERATED) "$$tmp/anju.gen.go"; then
		echo "generated code is stale; run make gen" >&2
		exit 1
	fi
	echo "check-gen: $(GENERATED) is up to date"

lint: $(GOLANGCI_LINT)
	@unformatted=$$(find . \( -path ./.git -o -path ./.tools -o -path ./.data \) -prune -o -name '*.go' -print0 | xargs -0 -r gofmt -l)
	if [[ -n $$unformatted ]]; then
		echo "gofmt -l reports unformatted files:" >&2
		echo "$$unformatted" >&2
		exit 1
	fi
	echo "go vet ./..."
	go vet ./...
	echo "golangci-lint run ./..."
	$(GOLANGCI_LINT) run ./...

stop:
	$(SERVICES) down

# Built only when missing (or when tools/go.mod changes).
$(OAPI_CODEGEN): tools/go.mod
	cd tools && go build -o ../$(OAPI_CODEGEN) github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen

$(GOLANGCI_LINT):
	GOBIN=$(CURDIR)/$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
