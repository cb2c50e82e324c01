/**
 * Lower bound of the Wilson score interval for a binomial proportion (95% by default): a pass
 * rate that stays honest for small samples — 1 of 1 passed is not "100%", its lower bound is 0.21.
 */
export function wilsonLowerBound(successes: number, trials: number, z = 1.959964): number {
  if (trials === 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p) + z2 / (4 * trials)) / trials);
  return Math.max(0, (centre - margin) / (1 + z2 / trials));
}
