export const VERSION = '0.1.0';

export const USAGE = `daytwo ${VERSION}: a keyboard-driven console for Kubernetes day-2 operations

Usage:
  daytwo [--demo] [--kubeconfig FILE] [--context NAME] [-n NAMESPACE] [--readonly]
      Open the console on the current kubeconfig context (or the built-in simulated
      cluster with --demo).
  daytwo report <view> [-o table|json|yaml] [--demo] [--kubeconfig FILE] [--context NAME] [-n NAMESPACE]
      Print what a view shows and exit. Views: {{views}}.
  daytwo drain NODE... [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period S]
               [--timeout D] [--pod-selector SEL] [--dry-run] [connection options]
      Cordon the nodes, then evict their pods through the Eviction API one node at a time,
      as kubectl drain does (same lines, exit 0 when drained, 1 otherwise).
  daytwo migrate --from POOL [--to POOL]... [--gate-timeout D] [--dry-run] [--resume] [connection options]
      Move every pod off a node pool: preflight, cordon the pool, drain one node at a time
      and wait after each until every workload that lost a pod is available again;
      resumable from its journal (see 'daytwo migrate --help').
  daytwo rehearse migrate --from POOL [--to POOL]... [--gate-timeout D] [-o table|json|yaml] [connection options]
      Read the cluster once and run the same migration on a simulated copy: Pending pods and
      why, PDB holds, evictions and the estimated duration. Writes nothing to the cluster.
  daytwo rehearse drain NODE... [drain flags] [-o table|json|yaml] [connection options]
      The same for one drain: the pods evicted, those that go Pending and why, PDB holds
      and the estimated duration, with daytwo drain's code on a simulated copy.
  daytwo cordon|uncordon NODE... [--dry-run] [connection options]
      Mark nodes unschedulable (cordon) or schedulable again (uncordon).
  daytwo rollback KIND/NAME [-n NAMESPACE] [--to-revision N] [--dry-run] [connection options]
      Roll a deployment, statefulset or daemonset back to the previous revision (or N), as
      kubectl rollout undo does. --dry-run prints the pod template diff and changes nothing.
  daytwo logs TARGET [-c CONTAINER] [-l SELECTOR [-A]] [-f] [--since D] [--tail N] [--timestamps] [-p]
              [connection options]
      Print the merged logs of a pod (NAME or pod/NAME), a workload (deployment/NAME,
      statefulset/NAME, daemonset/NAME, job/NAME) or a selector (-l), each line prefixed
      pod/container, like stern; -f follows pods as they come and go until interrupted.
      Starts from the last 100 lines per container (--tail -1: all), or with --since from
      every line in that window (--tail still applies when given).
  daytwo --git PATH|URL [--git-ref REF] [--git-path DIR] [--git-namespace NS] [--prune-selector SEL]
      Open the console on the Drift view: the manifests in Git compared with the cluster.
  daytwo report drift --git PATH|URL [--git-ref REF] [--git-path DIR] [--git-namespace NS]
               [--prune-selector SEL] [-o table|json|yaml] [connection options]
      Print the drift and exit 0 when everything is Synced, 1 when anything drifted, 2 on error.
  daytwo report upgrade [--to X.Y] [--git PATH|URL] [-f FILE_OR_DIR ...] [-o table|json|yaml] [connection options]
      Whether the cluster can go to the target minor (default: the API server's next) and in
      what order; exit 0 when ready, 1 when blocked, 2 on error. -f alone needs no cluster.
  daytwo sim [options]
      Run the simulated cluster (a Kubernetes API server on 127.0.0.1). See 'daytwo sim --help'.

Options:
  --demo               start the simulated cluster in-process (scenario demo) and connect to it
  --kubeconfig FILE    kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME       kubeconfig context (default: the current context)
  -n, --namespace NS   limit every watch and view to one namespace (default: all)
  --readonly           refuse every action that changes the cluster
  --log-buffer N       lines the Logs view keeps (a ring buffer; default 10000)
  --git PATH|URL       manifests to compare with the cluster: a directory (in a Git working tree or
                       not) or a Git URL (cloned into ~/.cache/daytwo/git; file:// works)
  --git-ref REF        compare the manifests of this commit, branch or tag instead of the working tree
  --git-path DIR       a subdirectory of --git
  --git-namespace NS   namespace of namespaced objects that name none (default: default)
  --prune-selector SEL live objects matching this label selector are Extra when Git lacks them
  -o, --output FORMAT  report format: table (default), json or yaml
  -h, --help           show this help
  -v, --version        print the version
`;
