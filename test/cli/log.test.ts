/** Structured logs: one JSON object per line, level filter, secrets redacted, bounded size. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../../src/log.js';

function capture(level?: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    stream: { write: (s: string) => (lines.push(s), true) } as never,
    now: () => new Date('2026-01-01T00:00:00Z'),
    base: { service: 'didbridge' },
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l)) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, msg and fields', () => {
    const { logger, lines, parsed } = capture();
    logger.info('listening', { port: 8080 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    expect(parsed()[0]).toEqual({ time: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'listening', service: 'didbridge', port: 8080 });
  });

  it('filters by level', () => {
    const { logger, parsed } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(parsed().map((l) => l.msg)).toEqual(['c', 'd']);
    expect(logger.enabled('info')).toBe(false);
    const silent = capture('silent');
    silent.logger.error('x');
    expect(silent.lines).toHaveLength(0);
  });

  it('redacts credential-like fields at any depth and reduces errors', () => {
    const { logger, lines, parsed } = capture();
    const err = Object.assign(new Error('boom'), { code: 'E_X', secretStack: 'nope' });
    logger.error('failed', {
      headers: { Authorization: 'Bearer abc', cookie: 'sid=1', accept: 'application/did' },
      options: { api_key: 'k', privateKeyJwk: { d: 'x' }, versionId: '1' },
      error: err,
    });
    const line = parsed()[0];
    expect(line.headers).toEqual({ Authorization: '[redacted]', cookie: '[redacted]', accept: 'application/did' });
    expect(line.options).toEqual({ api_key: '[redacted]', privateKeyJwk: '[redacted]', versionId: '1' });
    expect(line.error).toEqual({ name: 'Error', code: 'E_X', message: 'boom' });
    expect(lines[0]).not.toContain('Bearer abc');
  });

  it('bounds long strings, deep objects and cycles', () => {
    const { logger, parsed } = capture();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    logger.info('x', { long: 'y'.repeat(10_000), cyclic });
    const line = parsed()[0];
    expect(line.long.length).toBeLessThan(2100);
    expect(JSON.stringify(line.cyclic)).toContain('[object]');
  });

  it('child loggers add fields', () => {
    const { logger, parsed } = capture();
    logger.child({ requestId: 'r1' }).info('hi', { status: 200 });
    expect(parsed()[0]).toMatchObject({ requestId: 'r1', service: 'didbridge', status: 200 });
  });

  it('batching writes the lines of one event-loop turn with one call', async () => {
    const writes: string[] = [];
    const logger = createLogger({ stream: { write: (s: string) => (writes.push(s), true) } as never, batch: true });
    logger.info('one');
    logger.info('two');
    expect(writes).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.trimEnd().split('\n').map((l) => JSON.parse(l).msg)).toEqual(['one', 'two']);
  });

  it('writes every string field exactly as JSON.stringify would (quotes, backslashes, controls, surrogates)', () => {
    const samples = ['plain /1.0/identifiers/did:key:z6Mk', 'a "quoted" \\ path', 'tab\tand\nnewline\u0000\u001f', '\u2028\u2029',
      'pair \ud83d\ude00', 'lone \ud800 high', 'lone \udfff low', '', 'ünïcödé 中文', '\u007f del'];
    const check = (value: string) => {
      const { logger, lines } = capture();
      logger.info('m', { path: value });
      expect(lines[0]!).toBe(`{"time":"2026-01-01T00:00:00.000Z","level":"info","msg":"m","service":"didbridge","path":${JSON.stringify(value)}}\n`);
    };
    for (const value of samples) check(value);
    fc.assert(fc.property(fc.string({ unit: 'binary' }), check), { numRuns: 500 });
  });

  it('stamps lines with the system clock when none is given, formatted per millisecond', () => {
    const lines: string[] = [];
    const logger = createLogger({ stream: { write: (s: string) => (lines.push(s), true) } as never });
    const before = Date.now();
    for (let i = 0; i < 50; i++) logger.info('tick', { i });
    const after = Date.now();
    const times = lines.map((l) => JSON.parse(l).time as string);
    for (const time of times) {
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const ms = Date.parse(time);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
    expect([...times].sort()).toEqual(times);
  });

  it('rejects bad options with TypeError', () => {
    expect(() => createLogger({ level: 'loud' as never })).toThrow(TypeError);
    expect(() => createLogger({ stream: {} as never })).toThrow(/"stream"/);
  });
});
