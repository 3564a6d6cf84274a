#!/bin/sh
# What the remote-engine tests need besides a Docker Engine (test/stack/remote-*.test.ts): Debian's
# openssh-server (a throwaway sshd on a loopback port, started and stopped by the tests themselves),
# openssh-client (ssh-keygen, ssh-agent) and openssl (the tests' certificates). Safe to run again.
set -eu
if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null && command -v ssh-agent >/dev/null && command -v openssl >/dev/null; then exit 0; fi
apt-get -o DPkg::Lock::Timeout=300 update -qq
# The package would start a system sshd on port 22: keep it from starting anything, as the image's
# policy-rc.d does for dockerd (and leave an existing policy alone).
added=
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added=1; fi
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
  openssh-server openssh-client openssl >/dev/null || { [ -z "$added" ] || rm -f /usr/sbin/policy-rc.d; exit 1; }
[ -z "$added" ] || rm -f /usr/sbin/policy-rc.d
