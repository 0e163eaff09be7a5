/**
 * Kubernetes version strings as nodes and `/version` report them: `v1.30.4`,
 * `v1.29.15-eks-abcdef`, `v1.31.5-gke.1023000`, `v1.30.4+k3s1`, or `/version`'s
 * `major: "1"`, `minor: "30+"` pair. Only what skew checks need: major, minor, patch.
 */

/** A parsed Kubernetes version. */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  /** 0 when the source had no patch level (`/version` major/minor, `1.30`). */
  readonly patch: number;
  /** Semver pre-release after `-`, e.g. `eks-abcdef`, `gke.1023000`, `rc.1`. */
  readonly preRelease?: string;
  /** Semver build metadata after `+`, e.g. `k3s1`. */
  readonly build?: string;
  /** The string parsed, trimmed. */
  readonly raw: string;
}

/** The fields of `/version` (version.Info) that identify the release. */
export interface VersionInfo {
  major?: string;
  minor?: string;
  gitVersion?: string;
}

// Same shape as k8s.io/apimachinery/pkg/util/version's generic parser: an optional `v`,
// two or three dot-separated numbers, then optional semver pre-release and build parts.
const VERSION_PATTERN = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

/** Parses `v1.30.4`, `1.29.15-eks-abcdef`, `v1.31.5-gke.1023000`; undefined when it is not a version. */
export function parseKubeVersion(text: string | undefined): KubeVersion | undefined {
  if (!text) return undefined;
  const raw = text.trim();
  const m = VERSION_PATTERN.exec(raw);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    ...(m[4] !== undefined ? { preRelease: m[4] } : {}),
    ...(m[5] !== undefined ? { build: m[5] } : {}),
    raw,
  };
}

/**
 * The version from a `/version` answer: `gitVersion` when it parses, else `major`/`minor`
 * (providers append `+` to the minor, e.g. EKS/GKE report `minor: "30+"`).
 */
export function versionFromInfo(info: VersionInfo): KubeVersion | undefined {
  const fromGit = parseKubeVersion(info.gitVersion);
  if (fromGit) return fromGit;
  const major = /^(\d+)\+?$/.exec(info.major?.trim() ?? '');
  const minor = /^(\d+)\+?$/.exec(info.minor?.trim() ?? '');
  if (!major || !minor) return undefined;
  return { major: Number(major[1]), minor: Number(minor[1]), patch: 0, raw: `${major[1]}.${minor[1]}` };
}

/** Negative, zero or positive as `a`'s major.minor is older than, equal to or newer than `b`'s. */
export function compareMinor(a: KubeVersion, b: KubeVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** Orders by major, minor, patch (pre-release and build parts are ignored). */
export function compareVersions(a: KubeVersion, b: KubeVersion): number {
  return compareMinor(a, b) || a.patch - b.patch;
}

/** `1.30` */
export function formatMinor(v: KubeVersion): string {
  return `${v.major}.${v.minor}`;
}
