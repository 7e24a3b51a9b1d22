# Shared paths and pinned versions for the shell scripts. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="$ROOT/var"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

# Odoo 18.0 Community source: ODOO_SRC, else this fixed cache outside the clone,
# else a clone of the official 18.0 branch into the same cache.
ODOO_CACHE_DIR="${ODOO_CACHE_DIR:-/var/cache/admin-enforcement/odoo-18.0}"
ODOO_UPSTREAM="${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}"

# The process engine: Operaton 1.0.3 on Spring Boot, built from engine/ by
# scripts/setup and run on Debian's Java 17. Its REST credentials are
# generated once, kept out of git.
ENGINE_SRC="$ROOT/engine"
ENGINE_DIR="$VAR/engine"
ENGINE_JAR="$ENGINE_DIR/operaton-engine.jar"
ENGINE_CREDENTIALS="$ENGINE_DIR/credentials"

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# The private cluster runs as this non-root OS user.
PG_OS_USER="${PG_OS_USER:-postgres}"

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }
