# Shared helpers for scripts/*. Source it; do not run it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "error: $*" >&2; exit 1; }

# ensure_cmd COMMAND DEBIAN_PACKAGE: install the package when the command is missing.
ensure_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 (needed for $1) ..." >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v apt-get >/dev/null 2>&1 || die "$1 is missing and this is not a Debian system: install $2 by hand"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null || die "could not install $2; install it by hand"
  command -v "$1" >/dev/null 2>&1 || die "$2 installed but $1 is still missing"
}

# ensure_pkg PACKAGE: install a Debian package that has no command to look for (a library's headers).
ensure_pkg() {
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  echo "installing $1 ..." >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v apt-get >/dev/null 2>&1 || die "$1 is missing and this is not a Debian system: install it by hand"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null || die "could not install $1; install it by hand"
}

# ensure_postgres: the PostgreSQL server binaries (Debian's postgresql package) for a private
# cluster. Installing the package also creates and starts Debian's own cluster (15/main) as a
# system service; we never use it, so a cluster that this install created is stopped again and
# set to start manually (not at boot), and the user is told how to start or drop it.
ensure_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && return 0
  command -v initdb >/dev/null 2>&1 && return 0
  echo "installing postgresql (for the center's ledger) ..." >&2
  local sudo="" before
  [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is missing and this is not a Debian system: install its server by hand"
  before=$(system_pg_clusters)
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null || die "could not install postgresql; install it by hand"
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
  quiet_new_pg_clusters "$before"
}

# system_pg_clusters: Debian's PostgreSQL clusters as VERSION/NAME lines (none without postgresql-common).
system_pg_clusters() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk '{ print $1 "/" $2 }'
}

# quiet_new_pg_clusters BEFORE: stops every Debian cluster not in BEFORE (the output of
# system_pg_clusters before installing) and sets it to start manually. PG_ETC: /etc/postgresql.
quiet_new_pg_clusters() {
  local before=$1 etc=${PG_ETC:-/etc/postgresql} sudo="" c ver name
  [ "$(id -u)" = 0 ] || sudo="sudo"
  for c in $(system_pg_clusters); do
    if printf '%s\n' "$before" | grep -qxF "$c"; then
      continue
    fi
    ver=${c%%/*}
    name=${c#*/}
    $sudo pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
    if [ -f "$etc/$ver/$name/start.conf" ]; then
      echo manual | $sudo tee "$etc/$ver/$name/start.conf" >/dev/null
    fi
    echo "note: installing postgresql created Debian's own cluster $c and started it as a service; it is not" \
      "used here (the center runs a private cluster), so it was stopped and set to start manually" \
      "($etc/$ver/$name/start.conf). Start it: sudo pg_ctlcluster $ver $name start; remove it:" \
      "sudo pg_dropcluster $ver $name" >&2
  done
}

# ensure_built: package the modules (no tests) when a jar is missing or a source is newer.
ensure_built() {
  local stamp="$ROOT/simulator/target/.built"
  if [ -f "$stamp" ] && [ -f "$ROOT/simulator/target/classpath.txt" ] && [ -f "$ROOT/terminal/target/classpath.txt" ] \
     && [ -f "$ROOT/center/target/classpath.txt" ] \
     && [ -z "$(find "$ROOT" \( -name target -o -name work -o -name .git \) -prune -o \
          -type f \( -path '*/src/main/*' -o -name pom.xml \) -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  # the center's H5 app vendors its QR reader from npm at build time (center/src/main/h5/package-lock.json)
  ensure_cmd npm npm
  echo "building (first run or sources changed) ..." >&2
  # never from the user's input: what is piped in is for the command (simulate --keep's console), not the build
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package) </dev/null >&2 || die "build failed; run: ./mvnw -B package"
  touch "$stamp"
}

# classpath MODULE: the module's jar and its runtime dependencies.
classpath() {
  local m=$1
  echo "$ROOT/$m/target/$m-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/$m/target/classpath.txt")"
}
