#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 for daytwo's tests: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler built from the Go module proxy, and kwok
# standing in for the kubelets of a few fake nodes (nodes.yaml).
#
#   real-cluster.sh build           build (or reuse) the binaries
#   real-cluster.sh start [DIR]     build if needed, start everything, print DIR/kubeconfig
#   real-cluster.sh stop [DIR]      stop what start started and remove DIR
#   real-cluster.sh status [DIR]    say what runs, with its RSS
#
# DIR defaults to test/real-cluster/.run. Binaries are cached in
# ${DAYTWO_REAL_CLUSTER_CACHE:-~/.cache/daytwo-real-cluster}/<version>/bin.
# Only the kubeconfig path goes to stdout; progress and errors go to stderr.
# With DAYTWO_REAL_CLUSTER_OWNER_PID=<pid>, a watchdog stops the cluster when that process
# ends (for harnesses that may be killed before their own cleanup runs).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" || ($1 == "require" && $2 == "k8s.io/kubernetes") {print $NF}' "$HERE/go.mod" | head -1)"
KWOK_VERSION=v0.8.0
CACHE="${DAYTWO_REAL_CLUSTER_CACHE:-$HOME/.cache/daytwo-real-cluster}"
BIN="$CACHE/$K8S_VERSION/bin"
KWOK_DIR="$CACHE/kwok-$KWOK_VERSION"
KWOK_BIN="$KWOK_DIR/bin"
# Started in this order, stopped in the reverse one.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { printf 'real-cluster: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

built() {
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler etcd; do [ -x "$BIN/$b" ] || return 1; done
  [ -x "$KWOK_BIN/kwok" ] && [ -f "$KWOK_DIR/stages/pod-ready.yaml" ]
}

build() {
  built && return 0
  command -v go >/dev/null || die "go is not installed: the real control plane is built from the Go module proxy"
  local t0=$SECONDS
  if [ ! -x "$BIN/kube-apiserver" ] || [ ! -x "$BIN/kube-controller-manager" ] || [ ! -x "$BIN/kube-scheduler" ] || [ ! -x "$BIN/etcd" ]; then
    log "building Kubernetes $K8S_VERSION and etcd into $BIN (a cold build takes minutes)"
    local tmp="$CACHE/$K8S_VERSION/bin.tmp"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # Stamp the version as the release build does, or /version says v0.0.0-master.
    local minor=${K8S_VERSION#v1.}
    minor=${minor%%.*}
    local pkg=k8s.io/component-base/version
    local ldflags="-s -w -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    (cd "$HERE" && go build -trimpath -ldflags="$ldflags" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler go.etcd.io/etcd/server/v3)
    # etcd's main package is its server module's root, so go names the binary `v3`.
    for b in v3 server; do [ ! -x "$tmp/$b" ] || mv "$tmp/$b" "$tmp/etcd"; done
    [ -x "$tmp/etcd" ] || die "the etcd binary is missing from $tmp"
    # Publish only a complete set: an interrupted build leaves nothing that looks built.
    rm -rf "$BIN"
    mv "$tmp" "$BIN"
  fi
  if [ ! -x "$KWOK_BIN/kwok" ] || [ ! -f "$KWOK_DIR/stages/pod-ready.yaml" ]; then
    log "building kwok $KWOK_VERSION into $KWOK_BIN"
    mkdir -p "$KWOK_BIN" "$KWOK_DIR/stages"
    # kwok pins its own Kubernetes libraries: `go install pkg@version` builds it with its go.mod.
    GOBIN="$KWOK_BIN" GOFLAGS= go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
    # kwok's own stages (nodes become Ready with a lease; pods become Ready, Jobs' pods
    # complete, deleted pods go), copied next to the binary so a cleaned module cache is fine.
    local src
    src="$(GOFLAGS= go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/kustomize/stage"
    cp "$src/node/fast/node-initialize.yaml" "$src/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
      "$src/pod/fast/pod-ready.yaml" "$src/pod/fast/pod-complete.yaml" "$src/pod/fast/pod-delete.yaml" "$KWOK_DIR/stages/"
    chmod 644 "$KWOK_DIR/stages/"*.yaml
  fi
  log "built in $((SECONDS - t0)) s"
}

free_ports() { # free_ports N: N distinct free ports, held open together while chosen
  node -e '
    const net = require("net"); const n = Number(process.argv[1]); const servers = [];
    const next = () => { if (servers.length === n) { console.log(servers.map((s) => s.address().port).join(" ")); servers.forEach((s) => s.close()); return; }
      const s = net.createServer(); s.listen(0, "127.0.0.1", () => { servers.push(s); next(); }); };
    next();' "$1"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  local f
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out waiting for $what"
    for f in "$RUN"/*.pid; do
      [ -f "$f" ] || continue
      alive "$(basename "$f" .pid)" || die "$(basename "$f" .pid) exited while waiting for $what"
    done
    sleep 0.3
  done
}

alive() { # alive NAME: the process of NAME's pid file runs, and is ours (its command line names this state dir)
  local pidfile="$RUN/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qF "$RUN/"
}

cert() { # cert NAME CN [O] [SAN]: a key and a certificate signed by the local CA
  local name=$1 cn=$2 org=${3:-} san=${4:-}
  local subj="/CN=$cn"
  [ -n "$org" ] && subj="/O=$org$subj"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "$subj" 2>/dev/null
  local ext="$PKI/$name.ext"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' >"$ext"
  [ -n "$san" ] && printf 'subjectAltName=%s\n' "$san" >>"$ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -out "$PKI/$name.crt" -days 30 -extfile "$ext" 2>/dev/null
}

kubeconfig() { # kubeconfig FILE USER-CERT-NAME
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: real
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $2
  user:
    client-certificate: $PKI/$2.crt
    client-key: $PKI/$2.key
contexts:
- name: real
  context: {cluster: real, user: $2}
current-context: real
EOF
}

launch() { # launch NAME COMMAND...: run in the background, logs and pid in the state dir
  local name=$1
  shift
  "$@" </dev/null >"$RUN/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

running() { # running PID: the process exists and is not a zombie
  [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
}

kill_all() { # kill_all: stop every process of this state dir, clients before servers; keeps the files
  local i name pid
  # In this order each one ends in well under a second; TERM, then KILL after 5 s.
  for name in watchdog kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    alive "$name" || continue
    pid=$(cat "$RUN/$name.pid")
    [ "$pid" != "$$" ] || continue
    kill "$pid" 2>/dev/null || continue
    for i in $(seq 1 70); do
      running "$pid" || break
      [ "$i" -ne 50 ] || kill -9 "$pid" 2>/dev/null || true
      sleep 0.1
    done
    running "$pid" && log "$name ($pid) did not stop"
  done
  return 0
}

on_start_failure() {
  local rc=$?
  [ $rc -ne 0 ] || return 0
  log "start failed: stopping what it started; logs stay in $RUN"
  local name
  for name in "${COMPONENTS[@]}"; do
    [ -f "$RUN/$name.log" ] || continue
    log "--- last lines of $RUN/$name.log"
    tail -n 5 "$RUN/$name.log" >&2 || true
  done
  kill_all
  rm -f "$RUN"/*.pid
}

start() {
  RUN="$(realpath -m "${1:-$HERE/.run}")"
  # A second start in the same directory replaces the first, leaving no orphans.
  if [ -e "$RUN/.real-cluster" ] || [ -e "$RUN/api-port" ]; then stop "$RUN"; fi
  [ ! -e "$RUN" ] || [ -z "$(ls -A "$RUN")" ] || die "$RUN exists and is not a cluster state directory: choose another"
  build
  command -v openssl >/dev/null || die "openssl is needed to make the cluster's certificates"
  command -v kubectl >/dev/null || die "kubectl is needed to create the nodes"
  command -v node >/dev/null || die "node is needed to choose free ports"
  local started=$SECONDS
  mkdir -p "$RUN"
  chmod 700 "$RUN"
  : >"$RUN/.real-cluster"
  trap on_start_failure EXIT
  trap "exit 130" INT TERM HUP
  PKI="$RUN/pki"
  mkdir -p "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 30 -subj "/CN=daytwo-real-cluster-ca" 2>/dev/null
  cert apiserver kube-apiserver "" "IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin admin system:masters
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert kwok kwok system:masters
  cert kwok-serving kwok "" "IP:127.0.0.1,DNS:localhost"
  cert viewer viewer
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

  local ports
  read -r -a ports <<<"$(free_ports 4)"
  ETCD_PORT=${ports[0]} ETCD_PEER_PORT=${ports[1]} API_PORT=${ports[2]} KWOK_PORT=${ports[3]}
  printf 'API_PORT=%s\nETCD_PORT=%s\nETCD_PEER_PORT=%s\nKWOK_PORT=%s\nK8S_VERSION=%s\n' \
    "$API_PORT" "$ETCD_PORT" "$ETCD_PEER_PORT" "$KWOK_PORT" "$K8S_VERSION" >"$RUN/env"
  echo "$API_PORT" >"$RUN/api-port"

  launch etcd "$BIN/etcd" --name real --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "real=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync
  wait_for 30 etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

  launch kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.0.0.0/24 --authorization-mode Node,RBAC --allow-privileged=true \
    --cert-dir "$RUN/apiserver-certs"
  kubeconfig "$RUN/kubeconfig" admin
  wait_for 90 "kube-apiserver /readyz (see $RUN/kube-apiserver.log)" \
    curl -sf --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://127.0.0.1:$API_PORT/readyz"

  kubeconfig "$RUN/controller-manager.kubeconfig" controller-manager
  kubeconfig "$RUN/scheduler.kubeconfig" scheduler
  kubeconfig "$RUN/kwok.kubeconfig" kwok
  launch kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$RUN/controller-manager.kubeconfig" --authentication-kubeconfig "$RUN/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$RUN/controller-manager.kubeconfig" --secure-port 0 --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" --use-service-account-credentials=true \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key"
  launch kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$RUN/scheduler.kubeconfig" --authentication-kubeconfig "$RUN/scheduler.kubeconfig" \
    --authorization-kubeconfig "$RUN/scheduler.kubeconfig" --secure-port 0 --leader-elect=false
  # kwok serves the kubelet API for every node on one port (127.0.0.1:KWOK_PORT, the nodes'
  # InternalIP and kubelet port), so `kubectl logs` reaches it through the API server, over TLS.
  local s="$KWOK_DIR/stages"
  # Every container "logs" the same few lines (CRI log format), so `kubectl logs` answers.
  printf '%s stdout F daytwo real-cluster: container started\n%s stdout F daytwo real-cluster: listening on :8080\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)" "$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)" >"$RUN/container.log"
  cat >"$RUN/kwok-logs.yaml" <<EOF
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata: {name: all-containers}
spec:
  logs:
  - logsFile: $RUN/container.log
    follow: true
EOF
  launch kwok "$KWOK_BIN/kwok" --kubeconfig "$RUN/kwok.kubeconfig" --manage-all-nodes=false \
    --config "$s/node-initialize.yaml" --config "$s/node-heartbeat-with-lease.yaml" --node-lease-duration-seconds 40 \
    --config "$s/pod-ready.yaml" --config "$s/pod-complete.yaml" --config "$s/pod-delete.yaml" --config "$RUN/kwok-logs.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.244.0.1/16 \
    --node-ip 127.0.0.1 --node-port "$KWOK_PORT" --server-address "127.0.0.1:$KWOK_PORT" \
    --tls-cert-file "$PKI/kwok-serving.crt" --tls-private-key-file "$PKI/kwok-serving.key"

  sed "s/KUBELET_VERSION/$K8S_VERSION/g" "$HERE/nodes.yaml" | kubectl_ apply -f - >/dev/null
  # Where the API server finds each node's kubelet API (for logs): kwok, on 127.0.0.1:KWOK_PORT.
  local node
  for node in $(kubectl_ get nodes -o name); do
    kubectl_ patch "$node" --subresource=status --type=merge >/dev/null -p "{\"status\": {
      \"addresses\": [{\"type\": \"InternalIP\", \"address\": \"127.0.0.1\"}, {\"type\": \"Hostname\", \"address\": \"${node#node/}\"}],
      \"daemonEndpoints\": {\"kubeletEndpoint\": {\"Port\": $KWOK_PORT}}}}"
  done
  wait_for 60 "nodes Ready (see $RUN/kwok.log)" bash -c "[ \"\$(KUBECONFIG='$RUN/kubeconfig' kubectl get nodes --no-headers 2>/dev/null | grep -cw Ready)\" = 3 ]"
  # `viewer` reads everything and changes nothing, as the simulated cluster's viewer.
  kubeconfig "$RUN/viewer.kubeconfig" viewer
  kubectl_ apply -f - >/dev/null <<'EOF'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: daytwo-viewer}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: daytwo-viewer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: daytwo-viewer}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: viewer}
EOF
  # The service account controller makes the default ServiceAccount that pods need.
  wait_for 60 "the default service account" kubectl_ -n default get serviceaccount default
  local name
  for name in "${COMPONENTS[@]}"; do alive "$name" || die "$name exited (see $RUN/$name.log)"; done
  if [ -n "${DAYTWO_REAL_CLUSTER_OWNER_PID:-}" ]; then
    nohup bash "$HERE/real-cluster.sh" _watch "$RUN/" "$DAYTWO_REAL_CLUSTER_OWNER_PID" </dev/null >>"$RUN/watchdog.log" 2>&1 &
    echo $! >"$RUN/watchdog.pid"
  fi
  trap - EXIT INT TERM HUP
  log "Kubernetes $K8S_VERSION ready in $((SECONDS - started)) s on https://127.0.0.1:$API_PORT (3 kwok nodes: nodes.yaml)"
  echo "$RUN/kubeconfig"
}

kubectl_() { KUBECONFIG="$RUN/kubeconfig" kubectl "$@"; }

stop() {
  RUN="$(realpath -m "${1:-$HERE/.run}")"
  [ -d "$RUN" ] || return 0
  [ -e "$RUN/.real-cluster" ] || [ -e "$RUN/api-port" ] || die "$RUN is not a cluster state directory (no .real-cluster): not removing it"
  kill_all
  rm -rf "$RUN"
  log "stopped"
}

status() {
  RUN="$(realpath -m "${1:-$HERE/.run}")"
  local name total=0 rss
  [ -f "$RUN/env" ] && log "Kubernetes $K8S_VERSION, kubeconfig $RUN/kubeconfig"
  for name in "${COMPONENTS[@]}"; do
    if alive "$name"; then
      rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$(cat "$RUN/$name.pid")/status")
      total=$((total + rss))
      echo "$name running, RSS ${rss} MiB"
    else
      echo "$name stopped"
    fi
  done
  echo "total RSS ${total} MiB"
}

watch_owner() { # _watch DIR PID: stop the cluster of DIR once PID has ended
  RUN="$(realpath -m "$1")"
  while kill -0 "$2" 2>/dev/null && [ -d "$RUN" ]; do sleep 2; done
  [ -d "$RUN" ] && log "owner $2 ended: stopping" && stop "$RUN"
  return 0
}

case "${1:-}" in
  build) build ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  status) status "${2:-}" ;;
  _watch) watch_owner "$2" "$3" ;;
  *) die "usage: real-cluster.sh build|start [DIR]|stop [DIR]|status [DIR]" ;;
esac
