#!/usr/bin/env bash
# `npm run test:real`: builds (or reuses) and starts the real control plane of
# test/real-cluster, runs the backend suite on it and on the simulated cluster, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v go >/dev/null 2>&1; then
  echo "test:real: skipped: go is not installed (the real control plane is built from the Go module proxy)"
  exit 0
fi
run_dir="$(mktemp -d)/real-cluster"
trap 'bash test/real-cluster/real-cluster.sh stop "$run_dir"' EXIT
kubeconfig="$(DAYTWO_REAL_CLUSTER_OWNER_PID=$$ bash test/real-cluster/real-cluster.sh start "$run_dir")"
DAYTWO_REAL_KUBECONFIG="$kubeconfig" npx vitest run packages/daytwo/test/backends "$@"
