#!/bin/sh
# Tools the benchmarks compare against (not needed by the tests or the product): ripgrep, the baseline of
# bench/lint-tree.bench.ts. Debian's package; the bench prints that it skips the ratio when rg is missing.
set -eu
if command -v rg >/dev/null 2>&1; then exit 0; fi
apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends ripgrep
