#!/usr/bin/env bash
# Starts (or stops) the real servers the test suite talks to, all on loopback:
#   - the management kube-apiserver  (KUBE_HOME=/var/cache/conductor-kube,        port 6443)
#   - the tenant kube-apiserver      (KUBE_HOME=/var/cache/conductor-kube-tenant, port 6543)
# Both come from ../shared/kube/kube.sh; the tenant instance reuses the management build.
#
#   scripts/test-servers.sh up     build if needed, start both, write .ci/out/test-env.sh
#   scripts/test-servers.sh down   stop exactly what `up` started
#   source .ci/out/test-env.sh     exports KUBECONFIG and TENANT_KUBECONFIG for `dotnet test`
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kube="$root/../shared/kube/kube.sh"
mgmt_home=${KUBE_HOME:-/var/cache/conductor-kube}
tenant_home=${TENANT_KUBE_HOME:-/var/cache/conductor-kube-tenant}
out="$root/.ci/out"

up() {
  [ -x "$kube" ] || [ -f "$kube" ] || { echo "missing $kube: clone the project beside ../shared" >&2; exit 1; }
  KUBE_HOME="$mgmt_home" bash "$kube" build
  mkdir -p "$tenant_home/bin"
  ln -sfn "$mgmt_home/bin/kube-apiserver" "$tenant_home/bin/kube-apiserver"
  FRESH=1 KUBE_HOME="$mgmt_home" KUBE_PORT=6443 ETCD_PORT=2379 bash "$kube" start
  FRESH=1 KUBE_HOME="$tenant_home" KUBE_PORT=6543 ETCD_PORT=2479 bash "$kube" start
  mkdir -p "$out"
  cat > "$out/test-env.sh" <<ENV
export KUBECONFIG=$mgmt_home/kubeconfig
export TENANT_KUBECONFIG=$tenant_home/kubeconfig
ENV
  echo "servers up; run: source .ci/out/test-env.sh"
}

down() {
  KUBE_HOME="$tenant_home" KUBE_PORT=6543 ETCD_PORT=2479 bash "$kube" stop || true
  KUBE_HOME="$mgmt_home" KUBE_PORT=6443 ETCD_PORT=2379 bash "$kube" stop || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
