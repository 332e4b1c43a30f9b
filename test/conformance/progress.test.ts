/** The progress display: a line rewritten in place on a terminal, one quiet line per target elsewhere. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../conformance/progress.js';
import { runConformance } from '../../conformance/run.js';
import type { ConformanceTarget } from '../../conformance/targets.js';

const target = (id: string, steps: number): ConformanceTarget => ({
  id,
  kind: 'test',
  async observe(context) {
    for (let i = 1; i <= steps; i++) context.step?.(i, steps, `case ${i}`);
    return [{ subject: 'document', label: id, input: { document: { id: 'did:example:1' }, representation: 'application/did+json' } }];
  },
});

describe('progress', () => {
  it('on a terminal rewrites one line with the target and its steps, and clears it at the end', async () => {
    let out = '';
    const progress = createProgress({ write: (t) => void (out += t), tty: true, columns: 60 });
    await runConformance([target('test:a', 2), target('test:b', 0)], { onProgress: progress.onProgress });
    progress.done();
    expect(out).not.toContain('\n');
    expect(out).toContain('\r\u001b[2K[1/2] test:a 1/2 case 1');
    expect(out).toContain('\r\u001b[2K[2/2] test:b done');
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
    // Lines are cut to the terminal width.
    for (const line of out.split('\r\u001b[2K')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('elsewhere writes one line per finished target, nothing per step', async () => {
    let out = '';
    const progress = createProgress({ write: (t) => void (out += t), tty: false });
    await runConformance([target('test:a', 5), target('test:b', 0)], { onProgress: progress.onProgress });
    progress.done();
    expect(out.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^conformance \[1\/2\] test:a: \d+ pass, 0 fail, 0 warn, 0 baselined$/),
      expect.stringMatching(/^conformance \[2\/2\] test:b: \d+ pass, 0 fail, 0 warn, 0 baselined$/),
    ]);
  });

  it('a throwing progress display does not break the run', async () => {
    const report = await runConformance([target('test:a', 1)], {
      onProgress: () => {
        throw new Error('display gone');
      },
    });
    expect(report.summary.ok).toBe(true);
  });
});
