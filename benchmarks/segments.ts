/** One k6 instance's share of a test split across `n`: its `--execution-segment`, and the sequence every instance shares. */
export interface ExecutionSegment {
  segment: string;
  sequence: string;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** `i/n` as k6 writes a fraction: reduced, "0" and "1" at the ends. */
function fraction(i: number, n: number): string {
  if (i === 0) return "0";
  if (i === n) return "1";
  const d = gcd(i, n);
  return `${i / d}/${n / d}`;
}

/**
 * The execution segments that split one k6 test into `n` equal parts, in order (e.g. n = 2: "0:1/2" and "1/2:1",
 * both with the sequence "0,1/2,1"); empty for n = 1, which runs unsplit. Throws on n that is not a positive integer.
 */
export function executionSegments(n: number): ExecutionSegment[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`k6 instances must be a positive integer, not ${n}`);
  if (n === 1) return [];
  const sequence = Array.from({ length: n + 1 }, (_, i) => fraction(i, n)).join(",");
  return Array.from({ length: n }, (_, i) => ({ segment: `${fraction(i, n)}:${fraction(i + 1, n)}`, sequence }));
}

/** The k6 flags of one instance's segment. */
export function segmentArgs(segment: ExecutionSegment): string[] {
  return ["--execution-segment", segment.segment, "--execution-segment-sequence", segment.sequence];
}
