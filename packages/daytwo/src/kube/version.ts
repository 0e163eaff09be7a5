import type { KubeHttp } from './http.js';

/** The fields of `/version` (k8s.io/apimachinery/pkg/version.Info) daytwo uses. */
export interface ServerVersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  platform?: string;
}

/** Fetches the API server's `/version` (readable by everyone, authenticated or not). */
export async function fetchServerVersion(http: KubeHttp, signal?: AbortSignal): Promise<ServerVersionInfo> {
  return http.requestJson<ServerVersionInfo>('/version', { signal, idleTimeoutMs: 15_000 });
}
