#!/bin/sh
# A real Docker Engine for the tests, the safe way (based on ../shared/recipes/docker-engine.sh):
# no bridge network, no iptables, a private resolv.conf so nothing ever looks up a registry, and images
# made locally with `docker import` (no registry). Every container uses host networking on 127.0.0.1.
#
#   sh scripts/docker-engine.sh install   # Debian packages: docker.io docker-compose containerd runc ...
#   sh scripts/docker-engine.sh start     # dockerd in the background; waits until the API answers
#   sh scripts/docker-engine.sh images    # handshake/busybox:local and handshake/node:local
#   sh scripts/docker-engine.sh stop      # stops dockerd (and its containerd)
set -eu
DK=${HANDSHAKE_DOCKER_DIR:-${TMPDIR:-/tmp}/handshake-docker}
SOCK=/var/run/docker.sock
PIDFILE=$DK/dockerd.pid
LOG=$DK/dockerd.log
DOCKER=${DOCKER:-docker}

do_install() {
  if command -v dockerd >/dev/null && command -v docker-compose >/dev/null && [ -x /bin/busybox ]; then return 0; fi
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  # The image's policy-rc.d keeps the package from starting dockerd with its defaults (a docker0 bridge).
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
    docker.io containerd runc iptables docker-compose busybox-static >/dev/null
}

do_start() {
  if [ -S $SOCK ] && $DOCKER info >/dev/null 2>&1; then echo "dockerd already up"; return 0; fi
  mkdir -p "$DK"
  # dockerd and host-network containers get this resolv.conf: lookups fail at once, on loopback.
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$DK/resolv.conf"
  # An accidental pull hits a closed local port and fails in ~0.1 s instead of trying the network.
  setsid nohup env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= \
    unshare --mount --propagation slave sh -c "mount --bind '$DK/resolv.conf' /etc/resolv.conf && exec dockerd \
      --bridge=none --iptables=false --ip-masq=false --ip6tables=false \
      --host=unix://$SOCK --log-level=warn" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  i=0
  until $DOCKER info >/dev/null 2>&1; do
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "dockerd died:"; tail -30 "$LOG"; return 1; }
    i=$((i + 1)); [ $i -le 600 ] || { echo "dockerd not ready after 60 s"; tail -30 "$LOG"; return 1; }
    sleep 0.1
  done
  if ip link show docker0 >/dev/null 2>&1; then ip link delete docker0; fi
}

do_stop() {
  [ -f "$PIDFILE" ] || return 0
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    kids=$(pgrep -P "$pid" || true)
    kill -TERM "$pid"
    i=0; for p in $pid $kids; do
      while kill -0 "$p" 2>/dev/null; do i=$((i + 1)); [ $i -le 400 ] || { echo "pid $p still alive after 40 s"; return 1; }; sleep 0.1; done
    done
  fi
  rm -f "$PIDFILE"
}

do_images() {
  # busybox: the static binary and its applets, imported as a one-layer image.
  R=$(mktemp -d)
  mkdir -p "$R/bin" "$R/tmp" "$R/www" "$R/etc"; chmod 1777 "$R/tmp"
  cp /bin/busybox "$R/bin/busybox"
  for a in sh ash httpd nc sleep wget cat echo ls env date true false test ps kill mkdir rm printf grep; do ln -s busybox "$R/bin/$a"; done
  echo ok >"$R/www/health"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$R/etc/passwd"; echo 'root:x:0:' >"$R/etc/group"
  tar -C "$R" -c . | $DOCKER import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - handshake/busybox:local >/dev/null
  rm -rf "$R"
  # node: this machine's node binary and the libraries ldd lists; apps are bind-mounted at run time.
  R=$(mktemp -d)
  mkdir -p "$R/usr/bin" "$R/tmp" "$R/bin"; chmod 1777 "$R/tmp"
  cp -L "$(command -v node)" "$R/usr/bin/node"
  for lib in $(ldd "$(command -v node)" | grep -o '/[^ ]*'); do mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; done
  cp /bin/busybox "$R/bin/busybox"; for a in sh sleep echo cat wget; do ln -s busybox "$R/bin/$a"; done
  tar -C "$R" -c . | $DOCKER import --change 'ENV PATH=/usr/bin:/bin' --change 'CMD ["/usr/bin/node"]' - handshake/node:local >/dev/null
  rm -rf "$R"
}

case "${1:-}" in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  images) do_images ;;
  *) echo "usage: $0 install|start|stop|images"; exit 2 ;;
esac
