# syntax=docker/dockerfile:1.7
#
# The anju image: one static binary on distroless, run as a non-root user.
# One image serves every role; the chart picks it with the arguments
# (api, worker, migrate up).
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t anju .

ARG GO_VERSION=1.26.8

ARG NODE_VERSION=22

# The staff console and /docs, built by Vite into internal/console/dist/app
# and embedded by the Go build below.
FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-bookworm-slim AS console
WORKDIR /src/console
COPY console/package.json console/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY openapi /src/openapi
COPY console ./
RUN npm run build

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# Dependencies first, so that a code change reuses the module layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
COPY --from=console /src/internal/console/dist/app internal/console/dist/app
ARG TARGETOS TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/anju ./cmd/anju

# distroless/static has CA certificates, tzdata and /etc/passwd with the
# nonroot user (65532), and nothing else: no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="anju" \
      org.opencontainers.image.description="Anju (人才安居): API, workers and migrations of a city's graduate-talent programme" \
      org.opencontainers.image.source="https://github.com/anju-city/anju" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/anju /anju
# Policy dates are civil dates in Asia/Shanghai.
ENV TZ=Asia/Shanghai
# Numeric, so that Kubernetes can check runAsNonRoot.
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/anju"]
CMD ["api"]
