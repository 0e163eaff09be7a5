#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 for daytwo's tests: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler built from the Go module proxy, and kwok
# standing in for the kubelets of a few fake nodes.
#
#   real-cluster.sh build           build (or reuse) the binaries
#   real-cluster.sh start [DIR]     build if needed, start everything, write DIR/kubeconfig
#   real-cluster.sh stop [DIR]      stop what start started and remove DIR
#   real-cluster.sh status [DIR]    say what runs
#
# DIR defaults to test/real-cluster/.run. Binaries are cached in
# ${DAYTWO_REAL_CLUSTER_CACHE:-~/.cache/daytwo-real-cluster}/<version>/bin.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" || ($1 == "require" && $2 == "k8s.io/kubernetes") {print $NF}' "$HERE/go.mod" | head -1)"
KWOK_VERSION=v0.8.0
CACHE="${DAYTWO_REAL_CLUSTER_CACHE:-$HOME/.cache/daytwo-real-cluster}"
BIN="$CACHE/$K8S_VERSION/bin"
KWOK_BIN="$CACHE/kwok-$KWOK_VERSION/bin"

log() { printf 'real-cluster: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

build() {
  command -v go >/dev/null || die "go is not installed: the real control plane is built from the Go module proxy"
  if [ ! -x "$BIN/kube-apiserver" ] || [ ! -x "$BIN/kube-controller-manager" ] || [ ! -x "$BIN/kube-scheduler" ] || [ ! -x "$BIN/etcd" ]; then
    log "building Kubernetes $K8S_VERSION and etcd into $BIN (a cold build takes several minutes)"
    mkdir -p "$BIN"
    # Stamp the version as the release build does, or /version says v0.0.0-master.
    local minor=${K8S_VERSION#v1.}
    minor=${minor%%.*}
    local pkg=k8s.io/component-base/version
    local ldflags="-s -w -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    (cd "$HERE" && go build -trimpath -ldflags="$ldflags" -o "$BIN/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler go.etcd.io/etcd/server/v3)
    # etcd's main package is the module root, so go names the binary after its last element (server).
    [ -x "$BIN/server" ] && mv "$BIN/server" "$BIN/etcd"
  fi
  if [ ! -x "$KWOK_BIN/kwok" ]; then
    log "building kwok $KWOK_VERSION into $KWOK_BIN"
    mkdir -p "$KWOK_BIN"
    GOBIN="$KWOK_BIN" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out waiting for $what"
    sleep 0.5
  done
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
  "$@" >"$RUN/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

start() {
  RUN="$(realpath -m "${1:-$HERE/.run}")"
  [ -e "$RUN/kubeconfig" ] && stop "$RUN"
  build
  command -v openssl >/dev/null || die "openssl is needed to make the cluster's certificates"
  mkdir -p "$RUN"
  chmod 700 "$RUN"
  PKI="$RUN/pki"
  mkdir -p "$PKI"
  local started=$SECONDS
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 30 -subj "/CN=daytwo-real-cluster-ca" 2>/dev/null
  cert apiserver kube-apiserver "" "IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin admin system:masters
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert kwok kwok system:masters
  cert viewer viewer
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

  ETCD_PORT=$(free_port)
  ETCD_PEER_PORT=$(free_port)
  API_PORT=$(free_port)
  KWOK_PORT=$(free_port)
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
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.0.0.0/24 --authorization-mode Node,RBAC --allow-privileged=true \
    --cert-dir "$RUN/apiserver-certs"
  kubeconfig "$RUN/kubeconfig" admin
  wait_for 90 "kube-apiserver /readyz" curl -sf --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://127.0.0.1:$API_PORT/readyz"

  kubeconfig "$RUN/controller-manager.kubeconfig" controller-manager
  kubeconfig "$RUN/scheduler.kubeconfig" scheduler
  kubeconfig "$RUN/kwok.kubeconfig" kwok
  launch kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$RUN/controller-manager.kubeconfig" --authentication-kubeconfig "$RUN/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$RUN/controller-manager.kubeconfig" --secure-port 0 --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" --use-service-account-credentials=true
  launch kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$RUN/scheduler.kubeconfig" --authentication-kubeconfig "$RUN/scheduler.kubeconfig" \
    --authorization-kubeconfig "$RUN/scheduler.kubeconfig" --secure-port 0 --leader-elect=false
  # kwok's own stages (from its module, which the build downloaded): nodes become Ready and
  # keep a heartbeat; pods become Ready, Jobs' pods complete, deleted pods go.
  local stages
  stages="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  launch kwok "$KWOK_BIN/kwok" --kubeconfig "$RUN/kwok.kubeconfig" --manage-all-nodes=false \
    --config "$stages/node/fast/node-initialize.yaml" --config "$stages/node/heartbeat/node-heartbeat.yaml" \
    --config "$stages/pod/fast/pod-ready.yaml" --config "$stages/pod/fast/pod-complete.yaml" --config "$stages/pod/fast/pod-delete.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.244.0.1/16 --node-ip 10.1.0.1 \
    --server-address "127.0.0.1:$KWOK_PORT"

  sed "s/KUBELET_VERSION/$K8S_VERSION/g" "$HERE/nodes.yaml" | kubectl_ apply -f - >/dev/null
  wait_for 60 "nodes Ready" bash -c "[ \"\$(KUBECONFIG='$RUN/kubeconfig' kubectl get nodes --no-headers 2>/dev/null | grep -cw Ready)\" = 3 ]"
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
  log "Kubernetes $K8S_VERSION ready in $((SECONDS - started)) s on https://127.0.0.1:$API_PORT (3 kwok nodes: nodes.yaml)"
  echo "$RUN/kubeconfig"
}

kubectl_() { KUBECONFIG="$RUN/kubeconfig" kubectl "$@"; }

stop() {
  RUN="$(realpath -m "${1:-$HERE/.run}")"
  [ -d "$RUN" ] || return 0
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    local pidfile="$RUN/$name.pid"
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$RUN"
  log "stopped"
}

status() {
  RUN="$(realpath -m "${1:-$HERE/.run}")"
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then echo "$name running"; else echo "$name stopped"; fi
  done
}

case "${1:-}" in
  build) build ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  status) status "${2:-}" ;;
  *) die "usage: real-cluster.sh build|start [DIR]|stop [DIR]|status [DIR]" ;;
esac
