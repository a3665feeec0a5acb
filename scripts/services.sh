#!/usr/bin/env bash
# Local services for developing and testing Anju: PostgreSQL, Redis, MinIO and
# the Firebase Auth emulator, each on its own loopback port so that they never
# collide with system services on the standard ports (5432, 6379, ...).
#
#   scripts/services.sh up      install what is missing, start what is not running
#   scripts/services.sh down    stop what `up` started
#   scripts/services.sh browser install chromium for the console's browser tests
#   scripts/services.sh status  show what is answering
#   scripts/services.sh env     print `export` lines for the Anju variables
#
# Data and logs live in the git-ignored .data/ folder, tools in .tools/.
# A service already answering on its port is reused, never started twice.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

DATA="$ROOT/.data"
TOOLS="$ROOT/.tools"

PG_PORT=55432
REDIS_PORT=56379
MINIO_PORT=59000
MINIO_CONSOLE_PORT=59001
FB_AUTH_PORT=59099
FB_HUB_PORT=59400
FB_LOGGING_PORT=59500

MINIO_MODULE=github.com/minio/minio
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_USER=anju-dev
MINIO_PASSWORD=anju-dev-secret
FIREBASE_TOOLS_VERSION=15.34.2
FIREBASE_PROJECT=demo-anju

MINIO_BIN="$TOOLS/bin/minio"
FB_DIR="$TOOLS/firebase"
FB_BIN="$FB_DIR/node_modules/.bin/firebase"

WAIT_SECONDS=60

if [[ $EUID -eq 0 ]]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo)
else
	SUDO=()
fi

note() { printf 'services: %s\n' "$*" >&2; }
die() {
	printf 'services: error: %s\n' "$*" >&2
	exit 1
}

# fail SERVICE LOG MESSAGE: print the message and the end of the log, exit 1.
fail() {
	local name=$1 log=$2
	shift 2
	printf '%s: FAILED: %s\n' "$name" "$*" >&2
	if [[ -n $log && -s $log ]]; then
		printf -- '--- last lines of %s ---\n' "${log#"$ROOT"/}" >&2
		tail -n 40 "$log" >&2 || true
		printf -- '---\n' >&2
	fi
	exit 1
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive PIDFILE WORD: the pid in PIDFILE runs a command line containing WORD.
pid_alive() {
	local pid
	[[ -s $1 ]] || return 1
	pid=$(<"$1")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	local cmdline
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
	[[ $cmdline == *"$2"* ]]
}

# ---------------------------------------------------------------- installs --

# Newest /usr/lib/postgresql/<version>/bin holding pg_ctl.
pg_bindir() {
	local d best=""
	for d in /usr/lib/postgresql/*/bin; do
		[[ -x $d/pg_ctl ]] || continue
		if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n 1) == "$d" ]]; then
			best=$d
		fi
	done
	[[ -n $best ]] && printf '%s\n' "$best"
}

firebase_installed_version() {
	local pkg="$FB_DIR/node_modules/firebase-tools/package.json"
	[[ -x $FB_BIN && -r $pkg ]] || return 0
	sed -n 's/^  "version": "\([^"]*\)".*/\1/p;T;q' "$pkg"
}

apt_install() {
	(($#)) || return 0
	if [[ $EUID -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
		die "missing Debian packages ($*): run as root or install sudo"
	fi
	note "installing Debian packages: $*"
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_packages() {
	local pkgs=()
	[[ -n $(pg_bindir) ]] || pkgs+=(postgresql)
	command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
	command -v redis-cli >/dev/null 2>&1 || pkgs+=(redis-tools)
	command -v curl >/dev/null 2>&1 || pkgs+=(curl)
	if [[ $(firebase_installed_version) != "$FIREBASE_TOOLS_VERSION" ]]; then
		command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
		command -v npm >/dev/null 2>&1 || pkgs+=(npm)
	fi
	apt_install "${pkgs[@]}"
}

ensure_minio() {
	[[ -x $MINIO_BIN ]] && return 0
	command -v go >/dev/null 2>&1 || die "minio: the Go toolchain is needed to build $MINIO_MODULE"
	note "building MinIO $MINIO_VERSION into .tools/bin (first time only, a few minutes)"
	# Build into a private folder and move the binary into place, so that an
	# interrupted build never leaves a half-written .tools/bin/minio behind.
	local tmp="$TOOLS/bin/.minio-build"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	if ! GOBIN="$tmp" go install "$MINIO_MODULE@$MINIO_VERSION" >"$DATA/minio-build.log" 2>&1; then
		fail minio "$DATA/minio-build.log" "go install $MINIO_MODULE@$MINIO_VERSION failed"
	fi
	mv -f "$tmp/minio" "$MINIO_BIN"
	rm -rf "$tmp"
}

ensure_firebase() {
	[[ $(firebase_installed_version) == "$FIREBASE_TOOLS_VERSION" ]] && return 0
	local major
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if ((major < 20)); then
		note "warning: firebase-tools $FIREBASE_TOOLS_VERSION needs Node.js >= 20, found $(node --version 2>/dev/null || echo none)"
	fi
	note "installing firebase-tools@$FIREBASE_TOOLS_VERSION into .tools/firebase (first time only)"
	mkdir -p "$FB_DIR"
	[[ -e $FB_DIR/package.json ]] || printf '{\n  "name": "anju-firebase-tools",\n  "private": true\n}\n' >"$FB_DIR/package.json"
	local npm=(npm install --prefix "$FB_DIR" --no-audit --no-fund --no-update-notifier --save-exact)
	# --prefer-offline takes what ~/.npm already holds without asking the
	# registry again (much faster); retry plainly if the cache falls short.
	if ! "${npm[@]}" --prefer-offline "firebase-tools@$FIREBASE_TOOLS_VERSION" >"$DATA/firebase-install.log" 2>&1 &&
		! "${npm[@]}" "firebase-tools@$FIREBASE_TOOLS_VERSION" >>"$DATA/firebase-install.log" 2>&1; then
		fail firebase "$DATA/firebase-install.log" "npm install firebase-tools@$FIREBASE_TOOLS_VERSION failed"
	fi
	[[ -x $FB_BIN ]] || fail firebase "$DATA/firebase-install.log" "npm install left no $FB_BIN"
}

# ---------------------------------------------------------------- postgres --

# Sets PG_BASE, PG_DATA, PG_LOG and PG_SOCK. As root the server runs as the
# postgres OS user, which must be able to reach its data folder: a repository
# under a private path (/root/...) gets its cluster in /var/tmp/anju-<hash>,
# with .data/postgres and .data/postgres.log as symlinks to it.
pg_paths() {
	local hash
	hash=$(printf '%s' "$ROOT" | sha1sum | cut -c1-10)
	local away="/var/tmp/anju-$hash"
	if [[ -L $DATA/postgres ]]; then
		PG_DATA=$(readlink -f "$DATA/postgres")
		PG_BASE=$(dirname "$PG_DATA")
	elif [[ $EUID -eq 0 && ! -d $DATA/postgres ]] && ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
		PG_BASE=$away
		PG_DATA=$away/postgres
	else
		PG_BASE=$DATA
		PG_DATA=$DATA/postgres
	fi
	if [[ $PG_BASE == "$DATA" ]]; then
		PG_LOG=$DATA/postgres.log
		PG_SOCK=$DATA/pg-socket
		# Unix socket paths are limited to ~107 bytes.
		((${#PG_SOCK} <= 80)) || PG_SOCK=$away/pg-socket
	else
		PG_LOG=$PG_BASE/postgres.log
		PG_SOCK=$PG_BASE/pg-socket
	fi
}

# as_pg CMD...: run as the postgres OS user when root, else as ourselves.
as_pg() {
	if [[ $EUID -eq 0 ]]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

pg_ensure_db() {
	local psql=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
	[[ -x $PG_BIN/psql ]] && psql[0]=$PG_BIN/psql
	local have
	if ! have=$("${psql[@]}" -d postgres -tAc "select 1 from pg_database where datname = 'anju'" 2>&1); then
		fail postgres /dev/null "cannot connect as postgres to 127.0.0.1:$PG_PORT: $have"
	fi
	if [[ $have != 1 ]]; then
		"${psql[@]}" -d postgres -c 'create database anju' >/dev/null ||
			fail postgres /dev/null "could not create database anju"
	fi
}

postgres_up() {
	PG_BIN=$(pg_bindir) || die "postgres: no /usr/lib/postgresql/*/bin/pg_ctl found"
	if port_open "$PG_PORT"; then
		local i
		for ((i = 0; i < WAIT_SECONDS; i++)); do
			pg_ready && break
			sleep 1
		done
		pg_ready || fail postgres /dev/null "127.0.0.1:$PG_PORT is taken but does not answer as PostgreSQL"
		pg_ensure_db
		echo "postgres: running on 127.0.0.1:$PG_PORT (reused)"
		return 0
	fi

	pg_paths
	if [[ $PG_BASE != "$DATA" && ! -L $DATA/postgres && -e $PG_DATA ]]; then
		# Left by an earlier checkout at this same path whose .data is gone.
		note "postgres: removing stale cluster $PG_DATA of an earlier checkout"
		rm -rf "$PG_DATA"
	fi
	if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
		useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
	fi
	local created=""
	mkdir -p "$DATA" "$PG_BASE" "$PG_SOCK"
	if [[ ! -d $PG_DATA ]]; then
		mkdir -p "$PG_DATA"
		created=1
	fi
	chmod 700 "$PG_DATA"
	touch "$PG_LOG"
	if [[ $EUID -eq 0 ]]; then
		[[ $PG_BASE == "$DATA" ]] || chown postgres: "$PG_BASE"
		chown postgres: "$PG_SOCK" "$PG_LOG"
		[[ -n $created || ! -s $PG_DATA/PG_VERSION ]] && chown -R postgres: "$PG_DATA"
	fi
	if [[ $PG_BASE != "$DATA" ]]; then
		ln -sfn "$PG_DATA" "$DATA/postgres"
		ln -sfn "$PG_LOG" "$DATA/postgres.log"
	fi

	if [[ ! -s $PG_DATA/PG_VERSION ]]; then
		local locale=(--no-locale) locales
		locales=$(locale -a 2>/dev/null || true)
		if grep -qixE 'c\.utf-?8' <<<"$locales"; then locale=(--locale=C.UTF-8); fi
		as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 "${locale[@]}" >>"$PG_LOG" 2>&1 ||
			fail postgres "$PG_LOG" "initdb failed"
	fi
	# A cluster made by an older PostgreSQL needs that version's binaries.
	local v
	v=$(<"$PG_DATA/PG_VERSION")
	if [[ -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then
		PG_BIN=/usr/lib/postgresql/$v/bin
	else
		fail postgres /dev/null "cluster in ${PG_DATA} is PostgreSQL $v, which is not installed; remove it to start afresh"
	fi
	# A postmaster.pid left by a killed server (e.g. after a reboot) whose pid
	# is now some other process would make the new server refuse to start.
	if [[ -s $PG_DATA/postmaster.pid ]]; then
		local pid
		pid=$(head -n 1 "$PG_DATA/postmaster.pid")
		if ! { [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres* ]]; }; then
			rm -f "$PG_DATA/postmaster.pid"
		fi
	fi
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$WAIT_SECONDS" \
		-o "-p $PG_PORT -k '$PG_SOCK' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null 2>&1 9>&- || fail postgres "$PG_LOG" "pg_ctl start failed"
	pg_ready || fail postgres "$PG_LOG" "started but does not answer on 127.0.0.1:$PG_PORT"
	pg_ensure_db
	echo "postgres: running on 127.0.0.1:$PG_PORT (started, data ${PG_DATA#"$ROOT"/})"
}

postgres_down() {
	PG_BIN=$(pg_bindir) || true
	pg_paths
	if [[ -n $PG_BIN && -s $PG_DATA/postmaster.pid ]]; then
		local v
		v=$(cat "$PG_DATA/PG_VERSION" 2>/dev/null || true)
		[[ -n $v && -x /usr/lib/postgresql/$v/bin/pg_ctl ]] && PG_BIN=/usr/lib/postgresql/$v/bin
		if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null 2>&1; then
			echo "postgres: stopped"
			return 0
		fi
		as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || {
			echo "postgres: not running"
			return 0
		}
		fail postgres "$PG_LOG" "pg_ctl stop failed"
	fi
	echo "postgres: not started by this script"
}

# ------------------------------------------------------------------- redis --

redis_ping() {
	if command -v redis-cli >/dev/null 2>&1; then
		[[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
	else
		local reply
		# shellcheck disable=SC2094
		{ printf 'PING\r\n' >&3 && IFS= read -r -t 2 reply <&3; } 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" 2>/dev/null &&
			[[ $reply == +PONG* ]]
	fi
}

redis_up() {
	local log=$DATA/redis.log
	if port_open "$REDIS_PORT"; then
		wait_for redis "$log" "" redis_ping
		echo "redis: running on 127.0.0.1:$REDIS_PORT (reused)"
		return 0
	fi
	local server
	server=$(command -v redis-server) || die "redis: redis-server not found"
	mkdir -p "$DATA/redis"
	"$server" --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
		--dir "$DATA/redis" --save "" --appendonly no \
		--pidfile "$DATA/redis.pid" --logfile "$log" 9>&- ||
		fail redis "$log" "redis-server did not start"
	wait_for redis "$log" "" redis_ping
	echo "redis: running on 127.0.0.1:$REDIS_PORT (started)"
}

# --------------------------------------------------------------- wait/stop --

# wait_for NAME LOG PIDFILE CHECK...: poll CHECK for WAIT_SECONDS, failing
# early if the process in PIDFILE (when given) has gone.
wait_for() {
	local name=$1 log=$2 pidfile=$3
	shift 3
	local pid="" deadline=$((SECONDS + WAIT_SECONDS))
	[[ -n $pidfile ]] && pid=$(<"$pidfile")
	while ! "$@"; do
		if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
			sleep 0.5
			"$@" && return 0
			fail "$name" "$log" "process exited before answering"
		fi
		((SECONDS < deadline)) || fail "$name" "$log" "did not answer within ${WAIT_SECONDS}s"
		sleep 0.5
	done
}

# stop_pid NAME PIDFILE WORD PORT: stop the process (group) we started.
stop_pid() {
	local name=$1 pidfile=$2 word=$3 port=$4
	if ! pid_alive "$pidfile" "$word"; then
		rm -f "$pidfile"
		echo "$name: not started by this script"
		return 0
	fi
	local pid i
	pid=$(<"$pidfile")
	# Started with setsid, so the pid leads its own process group.
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 40; i++)); do
		pid_alive "$pidfile" "$word" || break
		sleep 0.25
	done
	if pid_alive "$pidfile" "$word"; then
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		sleep 0.5
	fi
	for ((i = 0; i < 20; i++)); do
		port_open "$port" || break
		sleep 0.25
	done
	rm -f "$pidfile"
	echo "$name: stopped"
}

# ------------------------------------------------------------------- minio --

minio_live() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$MINIO_PORT/minio/health/live"; }

minio_up() {
	local log=$DATA/minio.log pidfile=$DATA/minio.pid
	if port_open "$MINIO_PORT"; then
		wait_for minio "$log" "" minio_live
		echo "minio: running on 127.0.0.1:$MINIO_PORT (reused)"
		return 0
	fi
	mkdir -p "$DATA/minio"
	MINIO_ROOT_USER=$MINIO_USER MINIO_ROOT_PASSWORD=$MINIO_PASSWORD MINIO_UPDATE=off \
		setsid nohup "$MINIO_BIN" server "$DATA/minio" \
		--address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$MINIO_CONSOLE_PORT" \
		>>"$log" 2>&1 </dev/null 9>&- &
	echo $! >"$pidfile"
	wait_for minio "$log" "$pidfile" minio_live
	echo "minio: running on 127.0.0.1:$MINIO_PORT (started, console 127.0.0.1:$MINIO_CONSOLE_PORT)"
}

# ---------------------------------------------------------------- firebase --

firebase_live() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$FB_AUTH_PORT/"; }

firebase_up() {
	local log=$DATA/firebase.log pidfile=$DATA/firebase.pid dir=$DATA/firebase
	if port_open "$FB_AUTH_PORT"; then
		wait_for firebase "$log" "" firebase_live
		echo "firebase: auth emulator running on 127.0.0.1:$FB_AUTH_PORT (reused)"
		return 0
	fi
	mkdir -p "$dir/config"
	cat >"$dir/firebase.json" <<EOF
{"emulators":{"auth":{"host":"127.0.0.1","port":$FB_AUTH_PORT},"ui":{"enabled":false},"hub":{"host":"127.0.0.1","port":$FB_HUB_PORT},"logging":{"host":"127.0.0.1","port":$FB_LOGGING_PORT}}}
EOF
	# Offline and quiet: CI (and NO_UPDATE_NOTIFIER) turn off the update check
	# and the message-of-the-day fetch; a private XDG_CONFIG_HOME keeps the
	# CLI away from a developer's login and analytics consent; the demo-
	# project id keeps the emulator from calling production services.
	(
		cd "$dir"
		CI=${CI:-true} NO_UPDATE_NOTIFIER=1 XDG_CONFIG_HOME="$dir/config" \
			setsid nohup "$FB_BIN" emulators:start --only auth --project "$FIREBASE_PROJECT" --non-interactive \
			>>"$log" 2>&1 </dev/null 9>&- &
		echo $! >"$pidfile"
	)
	wait_for firebase "$log" "$pidfile" firebase_live
	echo "firebase: auth emulator running on 127.0.0.1:$FB_AUTH_PORT (started, project $FIREBASE_PROJECT)"
}

# ---------------------------------------------------------------- commands --

lock() {
	mkdir -p "$DATA"
	exec 9>"$DATA/.services.lock"
	flock -w 900 9 || die "another scripts/services.sh is still running (lock $DATA/.services.lock)"
}

cmd_up() {
	lock
	ensure_packages
	ensure_minio
	ensure_firebase
	postgres_up
	redis_up
	minio_up
	firebase_up
}

# cmd_browser installs Debian's chromium for the console's browser tests
# (cmd/anju/console_test.go drives it headless with chromedp).
cmd_browser() {
	local pkgs=()
	command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
	# Chinese text in screenshots of the console.
	[[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || pkgs+=(fonts-wqy-microhei)
	apt_install "${pkgs[@]}"
}

cmd_down() {
	lock
	firebase_down
	stop_pid minio "$DATA/minio.pid" minio "$MINIO_PORT"
	stop_pid redis "$DATA/redis.pid" redis-server "$REDIS_PORT"
	postgres_down
}

firebase_down() {
	stop_pid firebase "$DATA/firebase.pid" firebase "$FB_AUTH_PORT"
}

cmd_status() {
	local bad=0 bin
	bin=$(pg_bindir || true)
	if [[ -n $bin ]] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; then
		echo "postgres: up on 127.0.0.1:$PG_PORT"
	else
		echo "postgres: down"
		bad=1
	fi
	if redis_ping; then echo "redis: up on 127.0.0.1:$REDIS_PORT"; else
		echo "redis: down"
		bad=1
	fi
	if minio_live; then echo "minio: up on 127.0.0.1:$MINIO_PORT"; else
		echo "minio: down"
		bad=1
	fi
	if firebase_live; then echo "firebase: auth emulator up on 127.0.0.1:$FB_AUTH_PORT"; else
		echo "firebase: down"
		bad=1
	fi
	return "$bad"
}

cmd_env() {
	local redis_server
	redis_server=$(command -v redis-server 2>/dev/null || echo redis-server)
	local minio_endpoint=127.0.0.1:$MINIO_PORT
	local vars=(
		"ANJU_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/anju?sslmode=disable"
		"ANJU_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
		"ANJU_REDIS_ADDR=127.0.0.1:$REDIS_PORT"
		"ANJU_TEST_REDIS_SERVER=$redis_server"
		"ANJU_MINIO_ENDPOINT=$minio_endpoint"
		"ANJU_MINIO_ACCESS_KEY=$MINIO_USER"
		"ANJU_MINIO_SECRET_KEY=$MINIO_PASSWORD"
		"ANJU_TEST_MINIO_ENDPOINT=$minio_endpoint"
		"ANJU_TEST_MINIO_ACCESS_KEY=$MINIO_USER"
		"ANJU_TEST_MINIO_SECRET_KEY=$MINIO_PASSWORD"
		"ANJU_TEST_MINIO_SERVER=$MINIO_BIN"
		"FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:$FB_AUTH_PORT"
		"ANJU_FIREBASE_PROJECT_ID=$FIREBASE_PROJECT"
	)
	local v
	for v in "${vars[@]}"; do
		printf "export %s='%s'\n" "${v%%=*}" "${v#*=}"
	done
}

usage() {
	echo "usage: scripts/services.sh up|down|status|env" >&2
	exit 2
}

[[ $# -eq 1 ]] || usage
case $1 in
up) cmd_up ;;
browser) cmd_browser ;;
down) cmd_down ;;
status) cmd_status ;;
env) cmd_env ;;
*) usage ;;
esac
