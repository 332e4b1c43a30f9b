/**
 * `didbridge verify <file|->`: verifies a credential or presentation (a compact JWT, or JSON: Data Integrity, a
 * WeIdentity CredentialPojo, a VP, an enveloped JWT), recognised from its content, and prints the report: check by
 * check on a terminal, the report as JSON with `--json` or when stdout is not a terminal.
 *
 * Exit codes: 0 verified, 1 not verified (the report says why), 2 usage error (no such file, bad option values).
 *
 * Options: `--now` (verification time, XML datetime or epoch seconds), `--skew` (seconds), `--expect`,
 * `--audience`, `--challenge`, `--domain`, `--subject-binding`, `--unknown-status`, `--cross-check`, `--sm2-user-id`,
 * `--max-bytes`; issuer DIDs resolve with the configuration (`--config`, environment), domestic methods included.
 *
 * @see ../../credentials/README.md
 */
import { open } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { VERIFY_DEFAULTS, verify } from '../../credentials/verify.js';
import type { VerifyOptions } from '../../credentials/format.js';
import type { VerificationReport } from '../../credentials/report.js';
import { normaliseDatetime } from '../../util/datetime.js';
import { configFromArgs, startRuntime, EXIT, printJson, UsageError, wantsJson, type GlobalArgs } from '../runtime.js';

interface VerifyArgs extends GlobalArgs {
  input: string;
  now?: string;
  skew?: number;
  expect?: 'credential' | 'presentation' | 'any';
  audience?: string;
  challenge?: string;
  domain?: string;
  'subject-binding'?: 'off' | 'warn' | 'fail';
  'unknown-status'?: 'fail' | 'warn';
  'cross-check'?: boolean;
  'sm2-user-id'?: string;
  'max-bytes'?: number;
}

/** Reads a file or standard input (`-`), refusing more than `maxBytes` without reading the rest. */
export async function readInput(path: string, maxBytes: number): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new UsageError(`standard input is larger than ${maxBytes} bytes (--max-bytes)`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new UsageError(`${path} is larger than ${maxBytes} bytes (--max-bytes)`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    await handle.close();
  }
}

const OUTCOME_LABEL = { pass: 'pass', fail: 'FAIL', warn: 'warn', skip: 'skip' } as const;

/**
 * The report as text, check by check: what a person reads on a terminal. Nested reports (the credentials of a
 * presentation) are indented under their presentation.
 *
 * @example
 * VERIFIED  jwt-vc
 *   issuer  did:bid:ef… (did:bid; document translated by the bridge, 7 changes)
 *   key     did:bid:ef…#key-1 (Multikey, Ed25519, assertionMethod)
 *   pass  format             compact JWS (alg EdDSA, …)
 */
export function renderReportText(report: VerificationReport, indent = ''): string {
  const lines: string[] = [];
  lines.push(`${indent}${report.verified ? 'VERIFIED' : 'NOT VERIFIED'}  ${report.format}`);
  if (report.issuer) {
    const i = report.issuer;
    const how = [i.resolvedMethod ? `did:${i.resolvedMethod}` : undefined, i.translated ? `document translated by the bridge, ${i.changes ?? 0} change(s)` : undefined]
      .filter(Boolean)
      .join('; ');
    lines.push(`${indent}  ${report.format.endsWith('vp') ? 'holder' : 'issuer'}  ${i.id}${how ? ` (${how})` : ''}`);
  }
  if (report.key) {
    const k = report.key;
    lines.push(`${indent}  key     ${k.verificationMethod} (${k.type}, ${k.keyType}, ${k.relationship})`);
  }
  const width = Math.max(0, ...report.checks.map((c) => c.name.length));
  for (const c of report.checks) {
    lines.push(`${indent}  ${OUTCOME_LABEL[c.outcome]}  ${c.name.padEnd(width)}  ${c.detail}`);
  }
  for (const e of report.errors) lines.push(`${indent}  error ${e.code}${e.check ? ` (${e.check})` : ''}: ${e.message}`);
  report.presentation?.credentials.forEach((inner, index) => {
    lines.push(`${indent}  credential ${index}:`);
    lines.push(renderReportText(inner, `${indent}    `));
  });
  return lines.join('\n');
}

function nowOption(value: string | undefined): VerifyOptions['now'] {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  if (normaliseDatetime(value) === undefined) throw new UsageError(`--now must be an XML datetime such as 2025-01-01T00:00:00Z or epoch seconds, got "${value.slice(0, 64)}"`);
  return value;
}

export const verifyCommand: CommandModule<GlobalArgs, VerifyArgs> = {
  command: 'verify <input>',
  describe: 'Verify a credential or presentation (JWT, Data Integrity, WeIdentity) and print the report',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('input', { type: 'string', describe: 'a file holding a compact JWT or JSON, or - for standard input', demandOption: true })
      .option('now', { type: 'string', describe: 'verification time: XML datetime or epoch seconds (default: now)' })
      .option('skew', { type: 'number', describe: 'clock skew tolerated on validity bounds, seconds (default 300)' })
      .option('expect', { type: 'string', choices: ['credential', 'presentation', 'any'] as const, describe: 'what the input must be (default any)' })
      .option('audience', { type: 'string', describe: 'presentations: the expected audience (JWT aud)' })
      .option('challenge', { type: 'string', describe: 'presentations: the expected challenge (JWT nonce, Data Integrity challenge)' })
      .option('domain', { type: 'string', describe: 'Data Integrity presentations: the expected domain' })
      .option('subject-binding', { type: 'string', choices: ['off', 'warn', 'fail'] as const, describe: 'presentations: credential subjects must be the holder (default warn)' })
      .option('unknown-status', { type: 'string', choices: ['fail', 'warn'] as const, describe: 'a credentialStatus no checker understands (default fail)' })
      .option('cross-check', { type: 'boolean', describe: 'JWTs: also verify with did-jwt-vc and fail on disagreement' })
      .option('sm2-user-id', { type: 'string', describe: 'SM2 signatures: the signer user id (default 1234567812345678, GM/T 0009)' })
      .option('max-bytes', { type: 'number', describe: `largest input read, bytes (default ${VERIFY_DEFAULTS.maxInputBytes})` })
      .check((args) => {
        if (args.skew !== undefined && (!Number.isFinite(args.skew) || args.skew < 0 || args.skew > 86_400)) throw new Error('--skew must be a number of seconds from 0 to 86400');
        const max = args['max-bytes'];
        if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 64 * 1024 * 1024)) throw new Error('--max-bytes must be an integer from 1 to 67108864');
        return true;
      }) as Argv<VerifyArgs>,
  handler: async (args) => {
    const maxInputBytes = args['max-bytes'] ?? VERIFY_DEFAULTS.maxInputBytes;
    const now = nowOption(args.now);
    const config = configFromArgs(args);
    // yargs hands a lone "-" over as an empty string; an empty path names no file anyway.
    const text = await readInput(args.input === '' ? '-' : args.input, maxInputBytes);
    const runtime = await startRuntime(config);
    const { resolver } = runtime;
    try {
      const report = await verify(text, {
        resolver,
        now,
        maxInputBytes,
        ...(args.skew === undefined ? {} : { skewSeconds: args.skew }),
        ...(args.expect === undefined ? {} : { expect: args.expect }),
        ...(args.audience === undefined ? {} : { audience: args.audience }),
        ...(args.challenge === undefined ? {} : { challenge: args.challenge }),
        ...(args.domain === undefined ? {} : { domain: args.domain }),
        ...(args['subject-binding'] === undefined ? {} : { subjectBinding: args['subject-binding'] }),
        ...(args['unknown-status'] === undefined ? {} : { unknownStatus: args['unknown-status'] }),
        ...(args['cross-check'] === undefined ? {} : { crossCheck: args['cross-check'] }),
        ...(args['sm2-user-id'] === undefined ? {} : { sm2UserId: args['sm2-user-id'] }),
      });
      if (wantsJson(args)) printJson(report);
      else process.stdout.write(`${renderReportText(report)}\n`);
      process.exitCode = report.verified ? EXIT.OK : EXIT.FAILED;
    } catch (err) {
      // verify() throws only TypeError for option misuse: a usage problem here.
      if (err instanceof TypeError) throw new UsageError(err.message);
      throw err;
    } finally {
      await runtime.close();
    }
  },
};
