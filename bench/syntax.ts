/**
 * Speed of the DID / DID URL scanner by input size, to show it is linear: nanoseconds per character should stay
 * flat from 1 KiB to 1 MiB. Run: `npx tsx bench/syntax.ts`.
 *
 * Inputs per size: a valid DID (`did:example:aaaa…`), a valid DID URL with a long path, query (parsed into
 * parameters) and fragment, and an input that is invalid at its very end (the worst case for a rejecting scanner).
 */
import { parseDid, parseDidUrl } from '../src/syntax/did-url.js';

const SIZES = [1, 4, 16, 64, 256, 1024].map((k) => k * 1024);

function fill(prefix: string, unit: string, size: number, suffix = ''): string {
  return prefix + unit.repeat(Math.max(0, Math.floor((size - prefix.length - suffix.length) / unit.length))) + suffix;
}

const cases: Array<{ name: string; make: (size: number) => string; run: (input: string, max: number) => void }> = [
  { name: 'DID (valid)', make: (n) => fill('did:example:', 'a', n), run: (s, max) => parseDid(s, { maxLength: max }) },
  {
    name: 'DID URL (valid)',
    make: (n) => {
      const third = Math.floor(n / 3);
      return fill('did:example:123', '/seg', third) + fill('?', 'k=v%20&', third) + fill('#', 'f', n - 2 * third);
    },
    run: (s, max) => parseDidUrl(s, { maxLength: max }),
  },
  {
    name: 'DID (invalid at the end)',
    make: (n) => fill('did:example:', 'a', n, ':'),
    run: (s, max) => {
      try {
        parseDid(s, { maxLength: max });
      } catch {
        /* expected */
      }
    },
  },
];

/** Runs `fn` until at least `minMs` have passed and returns nanoseconds per call (median of 5 such runs). */
function measure(fn: () => void, minMs = 200): number {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < BigInt(minMs) * 1_000_000n) {
      fn();
      calls++;
      elapsed = process.hrtime.bigint() - start;
    }
    runs.push(Number(elapsed) / calls);
  }
  runs.sort((a, b) => a - b);
  return runs[2]!;
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
console.log('input                        size      ns/call     ns/char');
for (const c of cases) {
  // Warm up the JIT on a mid-sized input so the first size is not charged for compilation.
  const warm = c.make(64 * 1024);
  for (let i = 0; i < 200; i++) c.run(warm, warm.length);
  for (const size of SIZES) {
    const input = c.make(size);
    const ns = measure(() => c.run(input, input.length));
    console.log(
      `${c.name.padEnd(26)} ${String(size / 1024).padStart(5)} KiB ${ns.toFixed(0).padStart(12)} ${(ns / input.length).toFixed(2).padStart(11)}`,
    );
  }
}
