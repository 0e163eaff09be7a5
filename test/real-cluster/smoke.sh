#!/usr/bin/env bash
# Checks that a cluster started by real-cluster.sh behaves like one, with kubectl only:
#   bash test/real-cluster/smoke.sh [KUBECONFIG]   (default test/real-cluster/.run/kubeconfig)
# Ready nodes in pools, a Deployment's pods scheduled and Running, logs through the API server,
# an eviction refused with 429 by a PodDisruptionBudget, a drain that evicts, a rollout undo.
# It works in a namespace of its own and deletes it at the end.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export KUBECONFIG="${1:-$HERE/.run/kubeconfig}"
NS=smoke-$$
k() { kubectl -n "$NS" "$@"; }
ok() { printf 'smoke: ok   %s\n' "$*"; }
fail() { printf 'smoke: FAIL %s\n' "$*"; exit 1; }
trap 'kubectl uncordon "${node:-none}" >/dev/null 2>&1 || true; kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true' EXIT

[ "$(kubectl get nodes --no-headers | grep -cw Ready)" -ge 3 ] || fail "3 Ready nodes"
[ -n "$(kubectl get nodes -l cloud.google.com/gke-nodepool=pool-b -o name)" ] || fail "a node in pool-b"
ok "$(kubectl get nodes --no-headers | grep -cw Ready) nodes Ready, in pools $(kubectl get nodes -o jsonpath='{.items[*].metadata.labels.cloud\.google\.com/gke-nodepool}' | tr ' ' '\n' | sort -u | tr '\n' ' ')"

kubectl create namespace "$NS" >/dev/null
until k get serviceaccount default >/dev/null 2>&1; do sleep 0.2; done
k create deployment web --image=nginx:1.27 --replicas=3 >/dev/null
k rollout status deployment/web --timeout=60s >/dev/null || fail "deployment web rolled out"
[ "$(k get pods -l app=web --field-selector=status.phase=Running --no-headers | wc -l)" = 3 ] || fail "3 pods Running"
ok "deployment web: 3 pods Running on $(k get pods -l app=web -o jsonpath='{.items[*].spec.nodeName}')"

k logs deployment/web | grep -q 'container started' || fail "kubectl logs"
ok "kubectl logs through the API server (kwok serves the kubelet API)"

k create poddisruptionbudget web --selector=app=web --min-available=3 >/dev/null
until [ "$(k get pdb web -o jsonpath='{.status.observedGeneration}')" = 1 ]; do sleep 0.2; done
pod=$(k get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
node=$(k get pod "$pod" -o jsonpath='{.spec.nodeName}')
out=$(kubectl -v=6 create --raw "/api/v1/namespaces/$NS/pods/$pod/eviction" -f - 2>&1 <<EOF || true
{"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "$pod", "namespace": "$NS"}}
EOF
)
grep -q '429 Too Many Requests' <<<"$out" || fail "eviction refused with 429: $out"
ok "eviction of $pod refused with 429 by the PodDisruptionBudget"
if kubectl drain "$node" --pod-selector=app=web --timeout=5s >/dev/null 2>&1; then fail "drain blocked by the PodDisruptionBudget"; fi
ok "drain of $node blocked while the budget allows no disruption"

k patch pdb web --type=merge -p '{"spec": {"minAvailable": 2}}' >/dev/null
kubectl drain "$node" --pod-selector=app=web --timeout=60s >/dev/null || fail "drain of $node"
k rollout status deployment/web --timeout=60s >/dev/null
[ -z "$(k get pods -l app=web --field-selector=spec.nodeName="$node" -o name)" ] || fail "no web pod left on $node"
ok "drain of $node evicted its pod; the replacement runs elsewhere"
kubectl uncordon "$node" >/dev/null

k set image deployment/web nginx=nginx:1.28 >/dev/null
k rollout status deployment/web --timeout=60s >/dev/null
k rollout undo deployment/web >/dev/null
k rollout status deployment/web --timeout=60s >/dev/null
image=$(k get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}')
revision=$(k get deployment web -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')
[ "$image" = nginx:1.27 ] && [ "$revision" = 3 ] || fail "rollout undo: image $image, revision $revision"
ok "rollout undo: back to nginx:1.27 as revision 3"
echo "smoke: all passed ($(kubectl version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1))"
