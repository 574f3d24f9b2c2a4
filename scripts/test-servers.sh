#!/usr/bin/env bash
# Starts (or stops) the real servers the test suite talks to, all on loopback:
#   - the management kube-apiserver  (home /var/cache/conductor-kube,        port 6443, etcd 2379)
#   - the tenant kube-apiserver      (home /var/cache/conductor-kube-tenant, port 6543, etcd 2479)
# Both come from ../shared/kube/kube.sh, built once in KUBE_BUILD_HOME; other homes reuse that build.
#
#   scripts/test-servers.sh up     build if needed, start both, write .ci/out/test-env.sh
#   scripts/test-servers.sh down   stop exactly what `up` started
#   source .ci/out/test-env.sh     exports KUBECONFIG and TENANT_KUBECONFIG for `dotnet test`
#
# Knobs (to run a second suite beside a running one): KUBE_BUILD_HOME, MGMT_KUBE_HOME, TENANT_KUBE_HOME,
# MGMT_KUBE_PORT, MGMT_ETCD_PORT, TENANT_KUBE_PORT, TENANT_ETCD_PORT (etcd also uses the next two ports).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kube="$root/../shared/kube/kube.sh"
build_home=${KUBE_BUILD_HOME:-/var/cache/conductor-kube}
mgmt_home=${MGMT_KUBE_HOME:-$build_home}
tenant_home=${TENANT_KUBE_HOME:-/var/cache/conductor-kube-tenant}
mgmt_port=${MGMT_KUBE_PORT:-6443}
mgmt_etcd=${MGMT_ETCD_PORT:-2379}
tenant_port=${TENANT_KUBE_PORT:-6543}
tenant_etcd=${TENANT_ETCD_PORT:-2479}
out="$root/.ci/out"

share_build() {
  [ "$1" = "$build_home" ] && return
  mkdir -p "$1/bin"
  ln -sfn "$build_home/bin/kube-apiserver" "$1/bin/kube-apiserver"
}

up() {
  [ -f "$kube" ] || { echo "missing $kube: clone the project beside ../shared" >&2; exit 1; }
  KUBE_HOME="$build_home" bash "$kube" build
  share_build "$mgmt_home"
  share_build "$tenant_home"
  FRESH=1 KUBE_HOME="$mgmt_home" KUBE_PORT="$mgmt_port" ETCD_PORT="$mgmt_etcd" bash "$kube" start
  FRESH=1 KUBE_HOME="$tenant_home" KUBE_PORT="$tenant_port" ETCD_PORT="$tenant_etcd" bash "$kube" start
  mkdir -p "$out"
  cat > "$out/test-env.sh" <<ENV
export KUBECONFIG=$mgmt_home/kubeconfig
export TENANT_KUBECONFIG=$tenant_home/kubeconfig
ENV
  echo "servers up; run: source .ci/out/test-env.sh"
}

down() {
  KUBE_HOME="$tenant_home" bash "$kube" stop || true
  KUBE_HOME="$mgmt_home" bash "$kube" stop || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
