/**
 * A stand-in for `kubectl port-forward` (the simulated cluster serves no port-forward
 * stream): a shell script named `kubectl`, put first on PATH, that records its arguments in
 * `args.<pid>` and prints what kubectl prints. `FAKE_KUBECTL_MODE` chooses how it behaves:
 * unset, it forwards until killed; `fail`, it exits before listening, as kubectl does for a
 * pod that is not running; `die`, it loses the connection right after listening.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_KUBECTL_DIR/args.$$"
pair=""; kubeconfig=""; prev=""
for a in "$@"; do
  [ "$prev" = "--kubeconfig" ] && kubeconfig="$a"
  case "$a" in [0-9]*:[0-9]*|:[0-9]*) pair="$a";; esac
  prev="$a"
done
lport=\${pair%%:*}; remote=\${pair#*:}
[ -z "$lport" ] && lport=41234
[ -f "$kubeconfig" ] || { echo "error: stat $kubeconfig: no such file or directory" >&2; exit 1; }
case "$FAKE_KUBECTL_MODE" in
  fail) echo "error: unable to forward port because pod is not running. Current status=Pending" >&2; exit 1;;
  die)
    echo "Forwarding from 127.0.0.1:$lport -> $remote"
    echo "E1205 21:10:00.000000   4242 portforward.go:413] an error occurred forwarding $lport -> $remote: lost connection to pod" >&2
    exit 1;;
esac
echo "Forwarding from 127.0.0.1:$lport -> $remote"
echo "Forwarding from [::1]:$lport -> $remote"
exec sleep 600
`;

export interface FakeKubectl {
  readonly dir: string;
  /** The path of the script. */
  readonly kubectl: string;
  /** The arguments of each run, by process id. */
  runs(): { readonly pid: number; readonly args: readonly string[] }[];
  remove(): void;
}

/** Writes the script to a new directory; callers put `dir` first on PATH and set FAKE_KUBECTL_DIR. */
export function createFakeKubectl(): FakeKubectl {
  const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-fake-kubectl-'));
  const kubectl = path.join(dir, 'kubectl');
  writeFileSync(kubectl, SCRIPT);
  chmodSync(kubectl, 0o755);
  return {
    dir,
    kubectl,
    runs: () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('args.'))
        .map((f) => ({ pid: Number(f.slice(5)), args: readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n') })),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether a process is still running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
