/**
 * A duration in seconds as kubectl's AGE column prints it: `45s`, `5m30s`, `3h12m`, `5d3h`, `2y17d`.
 * Mirrors `HumanDuration` in k8s.io/apimachinery/pkg/util/duration/duration.go (~2-3 significant figures).
 */
export function humanDuration(seconds: number): string {
  // Upstream tolerates up to 2 s of clock skew as "now" and calls anything earlier invalid.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  const s = Math.floor(seconds);
  if (s < 60 * 2) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) {
    const rest = s % 60;
    return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) {
    const rest = minutes % 60;
    return rest === 0 ? `${hours}h` : `${hours}h${rest}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const rest = hours % 24;
    return rest === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${rest}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.floor(hours / 24 / 365);
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
