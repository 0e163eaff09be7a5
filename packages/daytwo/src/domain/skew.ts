/**
 * kubelet vs kube-apiserver skew, per https://kubernetes.io/releases/version-skew-policy/:
 * "kubelet must not be newer than kube-apiserver. kubelet may be up to three minor versions
 * older than kube-apiserver (kubelet < 1.25 may only be up to two minor versions older than
 * kube-apiserver)."
 */

import { formatMinor, type KubeVersion, parseKubeVersion } from './version.js';

/** The skew of one kubelet against the API server. */
export interface KubeletSkew {
  /** API server minor minus kubelet minor: negative when the kubelet is newer. */
  readonly minorsBehind: number;
  readonly supported: boolean;
  /** Why the pair is outside the policy, or why it could not be judged. */
  readonly reason?: string;
}

/**
 * The first kubelet minor allowed three minors of skew; older kubelets get two. Stated from
 * the API server's side it is the same rule: from kube-apiserver 1.28 on, three minors
 * (1.28 - 3 = 1.25); before 1.28, two (KEP-3935).
 */
const THREE_MINOR_SKEW_SINCE = 25;

/** How many minors a kubelet of this version may trail the API server. */
export function maxKubeletMinorsBehind(kubelet: KubeVersion): number {
  return kubelet.major === 1 && kubelet.minor < THREE_MINOR_SKEW_SINCE ? 2 : 3;
}

/**
 * Judges a kubelet against the API server under the official skew policy.
 * Versions may be strings (`v1.30.4`, `v1.29.15-eks-abcdef`) or parsed; patch levels do not matter.
 */
export function kubeletSkew(apiServerVersion: string | KubeVersion, kubeletVersion: string | KubeVersion): KubeletSkew {
  const api = typeof apiServerVersion === 'string' ? parseKubeVersion(apiServerVersion) : apiServerVersion;
  const kubelet = typeof kubeletVersion === 'string' ? parseKubeVersion(kubeletVersion) : kubeletVersion;
  if (!api) return { minorsBehind: 0, supported: false, reason: `cannot parse kube-apiserver version "${apiServerVersion}"` };
  if (!kubelet) return { minorsBehind: 0, supported: false, reason: `cannot parse kubelet version "${kubeletVersion}"` };
  if (api.major !== kubelet.major) {
    return {
      minorsBehind: 0,
      supported: false,
      reason: `kubelet ${formatMinor(kubelet)} and kube-apiserver ${formatMinor(api)} differ in major version`,
    };
  }
  const minorsBehind = api.minor - kubelet.minor;
  if (minorsBehind < 0) {
    return {
      minorsBehind,
      supported: false,
      reason: `kubelet ${formatMinor(kubelet)} is newer than kube-apiserver ${formatMinor(api)}`,
    };
  }
  const allowed = maxKubeletMinorsBehind(kubelet);
  if (minorsBehind > allowed) {
    return {
      minorsBehind,
      supported: false,
      reason: `kubelet ${formatMinor(kubelet)} is ${minorsBehind} minor versions older than kube-apiserver ${formatMinor(api)} (at most ${allowed} supported)`,
    };
  }
  return { minorsBehind, supported: true };
}

/**
 * The worse of two skews: unsupported beats supported, then the larger distance
 * (a kubelet ahead of the API server counts by how far ahead it is).
 */
export function worseSkew(a: KubeletSkew | undefined, b: KubeletSkew | undefined): KubeletSkew | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.supported !== b.supported) return a.supported ? b : a;
  return Math.abs(b.minorsBehind) > Math.abs(a.minorsBehind) ? b : a;
}
