# Developer and CI entry points for Anju.
#
#   make services   install and start PostgreSQL, Redis, MinIO, Firebase Auth emulator
#   make run        services + build + migrate + reseal + demo seed, then serve on :8080
#   make test       services + check-gen + check-console + check-deploy + go test
#   make console    npm ci and vite build of the staff console (console/) when stale
#   make check-deploy  lint, render and validate charts/anju and skaffold.yaml offline
#   make gen        regenerate api/gen/anju.gen.go from openapi/anju.yaml
#   make lint       gofmt, go vet, golangci-lint, govulncheck
#   make fuzz       every fuzz target of outside input for FUZZTIME each (run by make test)
#   make vulncheck  govulncheck against a pinned copy of the Go vulnerability database
#   make bench      the load harness against the real binary and services (docs/performance.md)
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

# govulncheck reads the Go vulnerability database from the golang.org/x/vulndb
# module (its data/osv directory of OSV entries), fetched like any module
# through the Go module proxy: vuln.go.dev itself need not be reachable.
# Bump VULNDB_VERSION (go list -m -json golang.org/x/vulndb@master) to
# learn of newer vulnerabilities.
GOVULNCHECK := $(BIN)/govulncheck
GOVULNCHECK_VERSION := v1.9.0
VULNDB_VERSION := v0.0.0-20260813214354-9de686e1fb00

# Fuzz targets of every parser of outside input, as package:target. Each
# runs for FUZZTIME in make test; run one longer with e.g.
#   go test -run '^$$' -fuzz '^FuzzReadSheet$$' -fuzztime 10m ./internal/sheet
FUZZTIME ?= 5s
FUZZ_TARGETS := \
	./internal/talent:FuzzParseNationalID \
	./internal/talent:FuzzParseCreditCode \
	./internal/talent/policy:FuzzParse \
	./internal/talent/draw:FuzzUnmarshalRecord \
	./internal/talent/draw:FuzzAllocate \
	./internal/sheet:FuzzReadSheet \
	./internal/talent/housing:FuzzReadUnitRows \
	./internal/talent/employers:FuzzReadHires \
	./internal/talent/allowance:FuzzParseReturns \
	./internal/postgres:FuzzDecodeCursor \
	./internal/postgres:FuzzDecodeRankCursor \
	./internal/postgres:FuzzDecodeKeyCursor \
	./internal/filetype:FuzzDetect

ANJU_HTTP_ADDR ?= :8080

# Deployment checks (make check-deploy): helm built from source, and the
# checker in tools/deploycheck (its own module, so that the Kubernetes
# libraries stay out of the application's and the generators' go.mod).
HELM_VERSION := v3.22.0
# Kubernetes minor of the k8s.io modules helm $(HELM_VERSION) is built with:
# its default capabilities and deprecation checks, as in helm's own release.
HELM_K8S_MINOR := 37
HELM := $(BIN)/helm-$(HELM_VERSION)
DEPLOYCHECK := $(BIN)/deploycheck
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and a current one.
KUBE_VERSIONS := 1.30.0,1.35.0
# Relative to the repository root: CI clones the repository with shared/ beside it.
SKAFFOLD_SCHEMA := ../shared/schemas/skaffold-v4beta13.json

# The staff console (console/): npm ci when the lockfile changed, vite build
# into internal/console/dist/app (embedded in the binary) when any source,
# the lockfile or the contract changed. The build also makes /docs.
CONSOLE_NODE_MODULES := console/node_modules/.package-lock.json
CONSOLE_OUT := internal/console/dist/app/index.html
CONSOLE_SRC := $(shell find console/src -type f 2>/dev/null) console/index.html console/docs.html \
	console/vite.config.ts console/tsconfig.json console/package.json console/package-lock.json $(OPENAPI_SPEC)
CONSOLE_SCHEMA := console/src/api/schema.d.ts

.PHONY: services build run test gen check-gen check-console check-deploy console lint stop bench fuzz vulncheck

services:
	$(SERVICES) up

build: console
	go build -o $(BIN)/anju ./cmd/anju

console: $(CONSOLE_OUT)

$(CONSOLE_NODE_MODULES): console/package-lock.json
	command -v npm >/dev/null || { echo "npm is needed to build the console (Node.js 20.19 or newer)" >&2; exit 1; }
	(cd console && npm ci --no-audit --no-fund --prefer-offline)
	touch $@

$(CONSOLE_OUT): $(CONSOLE_NODE_MODULES) $(CONSOLE_SRC)
	(cd console && npm run --silent build)

run: services build
	eval "$$($(SERVICES) env)"
	export ANJU_ENV=development ANJU_HTTP_ADDR='$(ANJU_HTTP_ADDR)'
	$(BIN)/anju migrate up
	$(BIN)/anju pii reseal
	$(BIN)/anju dev seed
	echo
	echo "Staff console: http://127.0.0.1$(if $(filter :%,$(ANJU_HTTP_ADDR)),$(ANJU_HTTP_ADDR),:8080)/console/"
	echo "  sign in as demo-ROLE@anju.local with the password anju-demo-password, ROLE one of"
	echo "  reviewer, lead_reviewer, hr, employer_admin, housing, finance, admin"
	echo "API reference: http://127.0.0.1$(if $(filter :%,$(ANJU_HTTP_ADDR)),$(ANJU_HTTP_ADDR),:8080)/docs"
	exec $(BIN)/anju all

# Services first, then check-gen and check-deploy (prerequisites run left to
# right), then the tests; CI (and any other variable of the caller) passes
# through to go test.
test: services check-gen check-console check-deploy vulncheck console
	$(SERVICES) browser
	eval "$$($(SERVICES) env)"
	go test -count=1 -p 2 -timeout 20m ./...
	$(MAKE) --no-print-directory fuzz

# Each fuzz target for FUZZTIME (its seeds also run in go test); a failure
# leaves the input under the package's testdata/fuzz to commit with the fix.
fuzz:
	for t in $(FUZZ_TARGETS); do
		pkg=$${t%%:*} name=$${t##*:}
		echo "fuzz $$name ($$pkg, $(FUZZTIME))"
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg"
	done

# Known vulnerabilities in the code paths Anju calls, from the pinned
# database (see VULNDB_VERSION); fails when one is reachable.
vulncheck: $(GOVULNCHECK)
	db=$$(go mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p')
	test -d "$$db/data/osv" || { echo "vulncheck: no data/osv in golang.org/x/vulndb@$(VULNDB_VERSION)" >&2; exit 1; }
	$(GOVULNCHECK) -db "file://$$db/data/osv" ./...

# The load harness (bench/): several minutes, figures in bench/out and on
# stdout. Not part of make test, which runs only its smoke test; timed
# results belong in docs/performance.md, not in assertions.
bench: services
	eval "$$($(SERVICES) env)"
	go run ./bench -out bench/out $(BENCH_FLAGS)

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

# The console's TypeScript types regenerated from the contract and compared
# with the committed ones (like check-gen), then its unit tests (vitest).
check-console: $(CONSOLE_NODE_MODULES)
	@tmp=$$(mktemp -d)
	trap 'rm -rf "$$tmp"' EXIT
	(cd console && npx --no-install openapi-typescript ../$(OPENAPI_SPEC) -o "$$tmp/schema.d.ts" >/dev/null)
	if ! diff -u $(CONSOLE_SCHEMA) "$$tmp/schema.d.ts"; then
		echo "console types are stale; run: cd console && npm run gen" >&2
		exit 1
	fi
	echo "check-console: $(CONSOLE_SCHEMA) is up to date"
	cd console && npx --no-install vitest run

# Offline checks of the deployment files, no cluster needed: helm lint
# --strict and helm template for the default, production-like and dev values
# at each of KUBE_VERSIONS; every rendered object strictly decoded into its
# Kubernetes API type and checked against the others; values.schema.json
# refusing the bad values in tools/deploycheck/testdata/bad-values;
# skaffold.yaml valid against its schema, its paths present, its image wired
# into the chart. go build only relinks the checker when its sources changed.
check-deploy: $(HELM)
	go -C tools/deploycheck build -trimpath -o $(CURDIR)/$(DEPLOYCHECK) .
	$(DEPLOYCHECK) -helm $(HELM) -chart charts/anju -kube-versions $(KUBE_VERSIONS) \
		-skaffold skaffold.yaml -skaffold-schema $(SKAFFOLD_SCHEMA)

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
	$(MAKE) --no-print-directory vulncheck

stop:
	$(SERVICES) down

# Built only when missing (or when tools/go.mod changes).
$(OAPI_CODEGEN): tools/go.mod
	cd tools && go build -o ../$(OAPI_CODEGEN) github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen

$(GOLANGCI_LINT):
	GOBIN=$(CURDIR)/$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

$(GOVULNCHECK):
	GOBIN=$(CURDIR)/$(BIN) go install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

# helm, built from source like the other tools, with the version and
# Kubernetes defaults its release build sets. Built only when missing.
$(HELM):
	@tmp=$$(mktemp -d)
	trap 'rm -rf "$$tmp"' EXIT
	k8s='-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(HELM_K8S_MINOR)'
	k8s+=' -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM_K8S_MINOR)'
	echo "building helm $(HELM_VERSION) into $@"
	GOBIN="$$tmp" go install -trimpath \
		-ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) $$k8s" \
		helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	mkdir -p $(BIN)
	mv "$$tmp/helm" $@
	ln -sfn helm-$(HELM_VERSION) $(BIN)/helm
