/**
 * Our own retry schedule for transient SMTP failures (Bull's `attempts` would retry blindly,
 * even after an ambiguous failure). Pure.
 *
 * Delay after attempt n (1-based): base · 2^(n−1), capped at max, with ±10 % jitter so many
 * rows failing together do not come back in one burst.
 */
export function retryDelayMs(
  attempt: number,
  baseSeconds: number,
  maxSeconds: number,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const seconds = Math.min(maxSeconds, baseSeconds * 2 ** Math.min(n - 1, 30));
  const jitter = 0.9 + 0.2 * random();
  return Math.round(Math.min(maxSeconds, seconds * jitter) * 1000);
}
