/** src/util/text.ts: the one-line renderings of untrusted upstream text that the adapters' error details use. */
import { describe, expect, it } from 'vitest';
import { excerptOf, shortDetail } from '../../src/util/text.js';

describe('excerptOf', () => {
  it('replaces control characters and undecodable bytes, trims, and cuts at 120 characters', () => {
    expect(excerptOf('  <html>\r\n<body>\u0000Bad\ufffdGateway</body>  ')).toBe('<html>··<body>·Bad·Gateway</body>');
    const long = excerptOf('x'.repeat(500));
    expect(long).toBe(`${'x'.repeat(120)}…`);
    expect(excerptOf('')).toBe('');
  });
});

describe('shortDetail', () => {
  it('keeps strings, writes other values as JSON, and cuts at 200 characters', () => {
    expect(shortDetail('not found')).toBe('not found');
    expect(shortDetail({ code: 7 })).toBe('{"code":7}');
    expect(shortDetail(undefined)).toBe('null');
    expect(shortDetail('y'.repeat(201))).toBe(`${'y'.repeat(200)}…`);
  });
});
