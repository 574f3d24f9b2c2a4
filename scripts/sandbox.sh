#!/usr/bin/env bash
# A local Conductor to look at: one management cluster and two tenant clusters, all on loopback.
#
#   scripts/sandbox.sh up      build, start everything below, print where to look
#   scripts/sandbox.sh down    stop exactly what `up` started (by recorded pid), nothing else
#   scripts/sandbox.sh status  show what is running
#
# `up` starts:
#   - three kube-apiservers from ../shared/kube/kube.sh (built once in KUBE_BUILD_HOME, each with its own home):
#       management 127.0.0.1:7643 (etcd 4379), tenant-a :7743 (etcd 4479), tenant-b :7843 (etcd 4579)
#   - the compiler's launch CRDs (`compiler launch`) applied to each
#   - a federation PKI made with openssl: ECDSA P-256 CA, gateway server certificate for 127.0.0.1, one client
#     certificate per tenant whose DNS SAN is the tenant's cluster id
#   - the management agent (role=management: the Orleans silo, internal port 7080) and two tenant agents
#     (role=tenant, internal ports 7081 and 7082), each with KUBECONFIG pointing at its own apiserver
#
# Knobs: SANDBOX_HOME (state, logs, pids, certs; default /var/cache/conductor-sandbox), KUBE_BUILD_HOME
# (default /var/cache/conductor-kube), SANDBOX_PORT_BASE (default 7000: apiservers at +643/+743/+843, agents' internal
# ports at +80/+81/+82, federation gateway at +443), SANDBOX_ETCD_BASE (default 4379; +100 per cluster).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kube="$root/../shared/kube/kube.sh"
home=${SANDBOX_HOME:-/var/cache/conductor-sandbox}
build_home=${KUBE_BUILD_HOME:-/var/cache/conductor-kube}
base=${SANDBOX_PORT_BASE:-7000}
etcd_base=${SANDBOX_ETCD_BASE:-4379}
clusters=(mgmt tenant-a tenant-b)
federation_port=$((base + 443))
conductor_dll="$root/src/Silo/bin/Release/net10.0/conductor.dll"
compiler_dll="$root/src/Compiler/bin/Release/net10.0/compiler.dll"

index_of() { local i; for i in "${!clusters[@]}"; do [ "${clusters[$i]}" = "$1" ] && echo "$i" && return; done; }
kube_home() { echo "$home/kube/$1"; }
kube_port() { echo $((base + 643 + 100 * $(index_of "$1"))); }
etcd_port() { echo $((etcd_base + 100 * $(index_of "$1"))); }
internal_port() { echo $((base + 80 + $(index_of "$1"))); }

build() {
  echo "building conductor and compiler (Release)"
  local p
  mkdir -p "$home/logs"
  for p in src/Silo src/Compiler; do
    dotnet build "$root/$p" -c Release -nologo -v quiet > "$home/logs/build.log" 2>&1 || { cat "$home/logs/build.log" >&2; exit 1; }
  done
}

start_apiservers() {
  KUBE_HOME="$build_home" bash "$kube" build >/dev/null
  local c h
  for c in "${clusters[@]}"; do
    h=$(kube_home "$c")
    mkdir -p "$h/bin"
    ln -sfn "$build_home/bin/kube-apiserver" "$h/bin/kube-apiserver"
    FRESH=1 KUBE_HOME="$h" KUBE_PORT=$(kube_port "$c") ETCD_PORT=$(etcd_port "$c") bash "$kube" start | head -1
  done
}

apply_launch_crds() {
  rm -rf "$home/launch"
  dotnet "$compiler_dll" launch --output "$home/launch" >/dev/null
  local c
  for c in "${clusters[@]}"; do
    kubectl --kubeconfig "$(kube_home "$c")/kubeconfig" apply -k "$home/launch" >/dev/null
    echo "launch CRDs applied to $c"
  done
}

# Federation mTLS: the gateway trusts only clients signed by this CA, and reads the tenant's cluster id from the
# client certificate's DNS SAN.
make_pki() {
  local pki="$home/pki" t
  mkdir -p "$pki"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=conductor-sandbox-federation-ca" -days 30 -out "$pki/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  issue() { # name subject-alt-name extended-key-usage
    openssl ecparam -name prime256v1 -genkey -noout -out "$pki/$1.key.sec1" 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -in "$pki/$1.key.sec1" -out "$pki/$1.key" && rm "$pki/$1.key.sec1"
    openssl req -new -key "$pki/$1.key" -subj "/CN=$1" -out "$pki/$1.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' "$2" "$3" > "$pki/$1.ext"
    openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
      -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
    rm -f "$pki/$1.csr" "$pki/$1.ext"
  }
  issue gateway "IP:127.0.0.1,DNS:localhost" serverAuth
  for t in "${clusters[@]:1}"; do issue "$t" "DNS:$t" clientAuth; done
  chmod 600 "$pki"/*.key
  echo "federation certificates in $pki"
}

start_agent() { # cluster role
  local c=$1 role=$2 run="$home/run" pki="$home/pki"
  mkdir -p "$run" "$home/logs"
  local -a env=(
    CONDUCTOR_ROLE="$role" CLUSTER_REF="$c" KUBECONFIG="$(kube_home "$c")/kubeconfig" POD_NAMESPACE=ont-system
    INTERNAL_PORT="$(internal_port "$c")"
  )
  if [ "$role" = management ]; then
    env+=(SILO_PORT=$((base + 111)) GATEWAY_PORT=$((base + 300))
      FEDERATION_PORT="$federation_port" FEDERATION_CA_CERT_PATH="$pki/ca.crt"
      FEDERATION_SERVER_CERT_PATH="$pki/gateway.crt" FEDERATION_SERVER_KEY_PATH="$pki/gateway.key")
  else
    env+=(MGMT_ENDPOINT="https://127.0.0.1:$federation_port" FEDERATION_CA_CERT_PATH="$pki/ca.crt"
      FEDERATION_CLIENT_CERT_PATH="$pki/$c.crt" FEDERATION_CLIENT_KEY_PATH="$pki/$c.key" WAL_PATH="$home/wal-$c")
  fi
  env "${env[@]}" setsid nohup dotnet "$conductor_dll" > "$home/logs/$c.log" 2>&1 < /dev/null &
  echo $! > "$run/$c.pid"
}

wait_ready() { # cluster
  local c=$1 port pid
  port=$(internal_port "$c"); pid=$(cat "$home/run/$c.pid")
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && { echo "$c agent ready on http://127.0.0.1:$port"; return; }
    kill -0 "$pid" 2>/dev/null || { tail -20 "$home/logs/$c.log" >&2; echo "$c agent exited; see $home/logs/$c.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$c agent not ready after 60 s; see $home/logs/$c.log" >&2; exit 1
}

up() {
  [ -f "$kube" ] || { echo "missing $kube: clone the project beside ../shared" >&2; exit 1; }
  if [ -d "$home/run" ] && ls "$home/run"/*.pid >/dev/null 2>&1; then
    echo "a sandbox is already up (pids in $home/run); run '$0 down' first" >&2; exit 1
  fi
  mkdir -p "$home"
  build
  start_apiservers
  apply_launch_crds
  make_pki
  start_agent mgmt management
  start_agent tenant-a tenant
  start_agent tenant-b tenant
  local c; for c in "${clusters[@]}"; do wait_ready "$c"; done
  local m; m=$(internal_port mgmt)
  cat <<DONE

Conductor sandbox is up.
  dashboard   http://127.0.0.1:$m/dashboard
  metrics     http://127.0.0.1:$m/metrics   (tenants: :$(internal_port tenant-a)/metrics, :$(internal_port tenant-b)/metrics)
  readiness   http://127.0.0.1:$m/readyz
  kubeconfigs $(kube_home mgmt)/kubeconfig, $(kube_home tenant-a)/kubeconfig, $(kube_home tenant-b)/kubeconfig
  logs        $home/logs/
Stop it with: scripts/sandbox.sh down
DONE
}

# Stops a recorded agent only if that pid is still our dotnet conductor.dll (a pid may have been reused).
stop_agent() {
  local f="$home/run/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "conductor.dll"; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $1 agent ($pid)"
  fi
  rm -f "$f"
}

down() {
  local c
  for c in tenant-b tenant-a mgmt; do stop_agent "$c"; done
  for c in tenant-b tenant-a mgmt; do
    [ -d "$(kube_home "$c")" ] && KUBE_HOME="$(kube_home "$c")" bash "$kube" stop || true
  done
}

status() {
  local c
  for c in "${clusters[@]}"; do
    if curl -fsS "http://127.0.0.1:$(internal_port "$c")/readyz" >/dev/null 2>&1; then echo "$c agent: ready"; else echo "$c agent: down"; fi
    if [ -d "$(kube_home "$c")" ] && KUBE_HOME="$(kube_home "$c")" KUBE_PORT=$(kube_port "$c") bash "$kube" status >/dev/null 2>&1; then
      echo "$c apiserver: up on $(kube_port "$c")"; else echo "$c apiserver: down"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
