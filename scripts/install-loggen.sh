#!/usr/bin/env bash
# Installs syslog-ng's load generator `loggen` (the real syslog client the log-centre
# benchmark sends with) to /opt/syslog-ng/loggen, without installing syslog-ng itself:
# Debian's syslog-ng-core conflicts with rsyslog (both are the system log daemon), and the
# benchmark needs rsyslog as the status quo it compares against.
set -euo pipefail
[ -x /opt/syslog-ng/loggen ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
(cd "$tmp" && apt-get download syslog-ng-core >/dev/null)
# loggen's own shared libraries come from packages syslog-ng-core depends on.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libglib2.0-0 libivykis0 libjson-c5 libnet1 libssl3 >/dev/null
$SUDO dpkg -x "$tmp"/syslog-ng-core_*.deb /opt/syslog-ng
$SUDO tee /opt/syslog-ng/loggen >/dev/null <<'WRAP'
#!/bin/sh
export LD_LIBRARY_PATH=/opt/syslog-ng/usr/lib/syslog-ng${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export SYSLOGNG_PREFIX=/opt/syslog-ng/usr
exec /opt/syslog-ng/usr/bin/loggen "$@"
WRAP
$SUDO chmod +x /opt/syslog-ng/loggen
echo "loggen installed: /opt/syslog-ng/loggen"
