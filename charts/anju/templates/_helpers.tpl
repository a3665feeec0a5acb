{{/*
Names and labels.
*/}}
{{- define "anju.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "anju.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "anju.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "anju.selectorLabels" -}}
app.kubernetes.io/name: {{ include "anju.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "anju.labels" -}}
helm.sh/chart: {{ include "anju.chart" . }}
{{ include "anju.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: anju
{{- end }}

{{/*
Labels of one component (api, worker, migrate, dev-postgres, ...).
Call with (dict "ctx" $ "component" "api").
*/}}
{{- define "anju.componentLabels" -}}
{{ include "anju.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "anju.componentSelector" -}}
{{ include "anju.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "anju.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "anju.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: repository[:tag][@digest]. A tag of the form
TAG@sha256:DIGEST (as skaffold sets it) is used as it is.
*/}}
{{- define "anju.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Addresses of PostgreSQL, Redis and MinIO: the dev services when they are on.
*/}}
{{- define "anju.redisAddr" -}}
{{- if .Values.devServices.enabled }}
{{- printf "%s-dev-redis:6379" (include "anju.fullname" .) }}
{{- else }}
{{- .Values.redis.addr }}
{{- end }}
{{- end }}

{{- define "anju.minioEndpoint" -}}
{{- if .Values.devServices.enabled }}
{{- printf "%s-dev-minio:9000" (include "anju.fullname" .) }}
{{- else }}
{{- .Values.minio.endpoint }}
{{- end }}
{{- end }}

{{- define "anju.authEmulatorHost" -}}
{{- if .Values.firebase.authEmulatorHost }}
{{- .Values.firebase.authEmulatorHost }}
{{- else if and .Values.devServices.enabled .Values.devServices.authEmulator.enabled }}
{{- printf "%s-dev-auth:9099" (include "anju.fullname" .) }}
{{- end }}
{{- end }}

{{- define "anju.firebaseCredentialsPath" -}}
/var/run/secrets/anju/firebase/service-account.json
{{- end }}

{{/*
The settings that are not secret, as KEY: "value" lines: the ConfigMap's data
and, inline, the migration Job's environment (a pre-install hook runs before
the ConfigMap exists).
*/}}
{{- define "anju.settings" -}}
ANJU_ENV: {{ .Values.env | quote }}
ANJU_LOG_LEVEL: {{ .Values.settings.logLevel | quote }}
ANJU_HTTP_ADDR: ":8080"
ANJU_WORKER_ADDR: ":8081"
ANJU_MIGRATE_ON_START: "false"
ANJU_REDIS_ADDR: {{ include "anju.redisAddr" . | quote }}
ANJU_REDIS_DB: {{ .Values.redis.db | quote }}
ANJU_MINIO_ENDPOINT: {{ include "anju.minioEndpoint" . | quote }}
{{- with .Values.minio.publicEndpoint }}
ANJU_MINIO_PUBLIC_ENDPOINT: {{ . | quote }}
{{- end }}
ANJU_MINIO_BUCKET: {{ .Values.minio.bucket | quote }}
ANJU_MINIO_REGION: {{ .Values.minio.region | quote }}
ANJU_MINIO_TLS: {{ .Values.minio.tls | quote }}
{{- with .Values.firebase.projectId }}
ANJU_FIREBASE_PROJECT_ID: {{ . | quote }}
{{- end }}
{{- if .Values.firebase.credentials.existingSecret }}
ANJU_FIREBASE_CREDENTIALS: {{ include "anju.firebaseCredentialsPath" . | quote }}
{{- end }}
{{- with include "anju.authEmulatorHost" . }}
FIREBASE_AUTH_EMULATOR_HOST: {{ . | quote }}
{{- end }}
{{- with .Values.firebase.fcmEndpoint }}
ANJU_FCM_ENDPOINT: {{ . | quote }}
{{- end }}
{{- with .Values.settings.bootstrapAdmins }}
ANJU_BOOTSTRAP_ADMINS: {{ join "," . | quote }}
{{- end }}
ANJU_RATE_LIMIT_PER_IP: {{ .Values.settings.rateLimitPerIP | quote }}
{{- with .Values.settings.trustedProxies }}
ANJU_TRUSTED_PROXIES: {{ join "," . | quote }}
{{- end }}
ANJU_RATE_LIMIT_PER_USER: {{ .Values.settings.rateLimitPerUser | quote }}
ANJU_OBJECTIONS_PER_HOUR: {{ .Values.settings.objectionsPerHour | quote }}
ANJU_WORKER_CONCURRENCY: {{ .Values.settings.workerConcurrency | quote }}
ANJU_TASK_RETRY_BASE: {{ .Values.settings.taskRetryBase | quote }}
{{- with .Values.settings.reconcileEvery }}
ANJU_RECONCILE_EVERY: {{ . | quote }}
{{- end }}
{{- with .Values.settings.reconcileAfter }}
ANJU_RECONCILE_AFTER: {{ . | quote }}
{{- end }}
ANJU_SHUTDOWN_TIMEOUT: {{ printf "%ds" (int .Values.settings.shutdownTimeoutSeconds) | quote }}
ANJU_UPLOAD_TTL: {{ .Values.settings.uploadTTL | quote }}
ANJU_DOWNLOAD_TTL: {{ .Values.settings.downloadTTL | quote }}
ANJU_REVOCATION_MAX_AGE: {{ .Values.settings.revocationMaxAge | quote }}
ANJU_REVOCATION_GRACE: {{ .Values.settings.revocationGrace | quote }}
ANJU_USER_CACHE_TTL: {{ .Values.settings.userCacheTTL | quote }}
ANJU_LAST_SEEN_INTERVAL: {{ .Values.settings.lastSeenInterval | quote }}
ANJU_PPROF: {{ .Values.settings.pprof | quote }}
ANJU_PII_REQUIRE_BOUND: {{ .Values.settings.piiRequireBound | quote }}
{{- end }}

{{/*
Environment read from the existing Secret (or, in development without one,
plain values), as a list of EnvVar.
*/}}
{{- define "anju.secretEnv" -}}
{{- $s := .Values.secrets }}
{{- if $s.existingSecret }}
- name: ANJU_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.databaseURL }}
- name: ANJU_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.redisPassword }}
      optional: true
- name: ANJU_MINIO_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.minioAccessKey }}
- name: ANJU_MINIO_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.minioSecretKey }}
- name: ANJU_PII_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.piiKeys }}
- name: ANJU_PII_INDEX_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.piiIndexKey }}
{{- else if .Values.devServices.enabled }}
- name: ANJU_DATABASE_URL
  value: {{ printf "postgres://postgres@%s-dev-postgres:5432/anju?sslmode=disable" (include "anju.fullname" .) | quote }}
{{- else if .Values.database.url }}
- name: ANJU_DATABASE_URL
  value: {{ .Values.database.url | quote }}
{{- end }}
{{- end }}

{{/*
Pod- and container-level security: non-root, read-only root filesystem, no
capabilities, the runtime's default seccomp profile. The image's user is
65532 (distroless nonroot).
*/}}
{{- define "anju.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "anju.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Volumes every anju pod has: a small writable /tmp and, when configured, the
Firebase service-account file.
*/}}
{{- define "anju.volumes" -}}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- with .Values.firebase.credentials.existingSecret }}
- name: firebase-credentials
  secret:
    secretName: {{ . }}
    defaultMode: 0440
    items:
      - key: {{ $.Values.firebase.credentials.key }}
        path: service-account.json
{{- end }}
{{- end }}

{{- define "anju.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.firebase.credentials.existingSecret }}
- name: firebase-credentials
  mountPath: {{ include "anju.firebaseCredentialsPath" . | dir }}
  readOnly: true
{{- end }}
{{- end }}

{{/*
Spread a component's pods over zones and nodes.
Call with (dict "ctx" $ "component" "api").
*/}}
{{- define "anju.topologySpread" -}}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "anju.componentSelector" . | nindent 6 }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "anju.componentSelector" . | nindent 6 }}
{{- end }}

{{/*
Checks the schema cannot express.
*/}}
{{- define "anju.validate" -}}
{{- range $name := list "api" "worker" }}
{{- $as := (index $.Values $name).autoscaling }}
{{- if and $as.enabled (gt (int $as.minReplicas) (int $as.maxReplicas)) }}
{{- fail (printf "%s.autoscaling: minReplicas (%d) is greater than maxReplicas (%d)" $name (int $as.minReplicas) (int $as.maxReplicas)) }}
{{- end }}
{{- end }}
{{- if and (not .Values.migration.hook) (or .Values.api.autoscaling.enabled (gt (int .Values.api.replicas) 1)) }}
{{- fail "migration.hook=false makes the API migrate at start, which is only safe with one API replica: set api.replicas=1 and api.autoscaling.enabled=false, or keep migration.hook=true" }}
{{- end }}
{{- if and (not .Values.secrets.existingSecret) (not .Values.devServices.enabled) (not .Values.database.url) }}
{{- fail "no database: set secrets.existingSecret (or, in development, database.url or devServices.enabled)" }}
{{- end }}
{{- end }}
