/**
 * `didbridge resolve <did|didUrl> [--accept TYPE] [--profile spec|uniresolver|legacy-1.0] [--option name=value]...
 * [--json]`: resolves a DID (or dereferences a DID URL) in process and prints what the HTTP driver would answer for
 * the same request (same negotiation, same error profiles, same rendering). `--profile legacy-1.0` with `--json`
 * prints the DID Core 1.0 era result (camelCase error strings, top-level `@context`; resolver-contract.md §2.2).
 *
 * Exit codes: 0 resolved (a deactivated DID is a resolution, reported as such), 1 resolution error (its name is
 * printed on stderr), 2 usage error.
 */
import type { Argv, CommandModule } from 'yargs';
import { ERROR_PROFILES, type ErrorProfileName } from '../../config.js';
import { dereference } from '../../dereference.js';
import { dereferencingBody, renderDereferencing, renderResolution, type RenderedResponse } from '../../http/render.js';
import { negotiateDereferencing, negotiateResolution } from '../../http/negotiate.js';
import type { DIDDocument, DIDResolutionResult } from '../../spec.js';
import { configFromArgs, startRuntime, EXIT, printJson, UsageError, wantsJson, type GlobalArgs } from '../runtime.js';

interface ResolveArgs extends GlobalArgs {
  identifier: string;
  accept?: string;
  profile?: string;
  option?: string[];
}

/** Reads `--option name=value` pairs into resolution options. */
export function parseOptionPairs(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--option expects name=value, got "${pair}"`);
    const name = pair.slice(0, eq);
    if (['__proto__', 'constructor', 'prototype'].includes(name)) throw new UsageError(`"${name}" is not an option name`);
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new UsageError(`--option ${name} is given more than once`);
    out[name] = pair.slice(eq + 1);
  }
  return out;
}

function list(doc: DIDDocument, key: string): unknown[] {
  const v = doc[key];
  return Array.isArray(v) ? v : [];
}

function idOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string') return (entry as { id: string }).id;
  return '?';
}

/** A short human summary of a resolution result. */
function summarise(identifier: string, result: DIDResolutionResult): string {
  const lines: string[] = [];
  const doc = result.didDocument;
  const meta = result.didDocumentMetadata ?? {};
  if (meta.deactivated === true) lines.push(`${identifier}: deactivated`);
  else lines.push(`${identifier}: resolved (${result.didResolutionMetadata.contentType ?? 'application/did'})`);
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(21)} ${value}`.trimEnd());
  if (doc) {
    for (const vm of list(doc, 'verificationMethod')) {
      const type = (vm as { type?: unknown }).type;
      row('verificationMethod', `${idOf(vm)}  ${typeof type === 'string' ? type : ''}`);
    }
    for (const rel of ['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation']) {
      const entries = list(doc, rel);
      if (entries.length > 0) row(rel, entries.map(idOf).join(', '));
    }
    for (const s of list(doc, 'service')) {
      const endpoint = (s as { serviceEndpoint?: unknown }).serviceEndpoint;
      row('service', `${idOf(s)}  ${typeof endpoint === 'string' ? endpoint : JSON.stringify(endpoint)}`);
    }
    if (Array.isArray(doc.alsoKnownAs) && doc.alsoKnownAs.length > 0) row('alsoKnownAs', doc.alsoKnownAs.join(', '));
  }
  for (const [k, v] of Object.entries(meta)) row(`metadata.${k}`, typeof v === 'string' ? v : JSON.stringify(v));
  const changes = result.didResolutionMetadata.didbridgeChanges;
  if (Array.isArray(changes) && changes.length > 0) lines.push(`  ${changes.length} change(s) made translating to DID Core (see --json)`);
  return lines.join('\n');
}

function printBody(rendered: RenderedResponse): void {
  if (rendered.contentType && /json|did/.test(rendered.contentType)) {
    try {
      printJson(JSON.parse(bodyText(rendered)));
      return;
    } catch {
      /* not JSON after all: print as is */
    }
  }
  const text = bodyText(rendered);
  process.stdout.write(text);
  if (!text.endsWith('\n')) process.stdout.write('\n');
}

function bodyText(rendered: RenderedResponse): string {
  return typeof rendered.body === 'string' ? rendered.body : rendered.body.toString('utf8');
}

export const resolveCommand: CommandModule<GlobalArgs, ResolveArgs> = {
  command: 'resolve <identifier>',
  describe: 'Resolve a DID or dereference a DID URL (in process)',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('identifier', { type: 'string', describe: 'a DID or DID URL', demandOption: true })
      .option('accept', {
        type: 'string',
        describe: 'media type, as the HTTP Accept header: application/did-resolution (default), application/did+ld+json, text/uri-list, ...',
      })
      .option('profile', {
        type: 'string',
        choices: [...ERROR_PROFILES],
        describe: 'response profile: how errors are written (legacy-1.0: DID Core 1.0 era results)',
      })
      .option('option', {
        alias: 'o',
        type: 'string',
        array: true,
        describe: 'a resolution option, name=value (repeatable), e.g. -o versionId=2',
      }) as Argv<ResolveArgs>,
  handler: async (args) => {
    const options = parseOptionPairs(args.option);
    const config = configFromArgs(args);
    const profile = (args.profile as ErrorProfileName | undefined) ?? config.errorProfile;
    const runtime = await startRuntime(config);
    const { resolver } = runtime;
    const identifier = args.identifier;
    try {
      let rendered: RenderedResponse;
      let printable: unknown;
      if (/[/?#]/.test(identifier)) {
        const variant = negotiateDereferencing(args.accept);
        const outcome = await dereference(resolver, identifier, variant.kind === 'content' ? { ...options, accept: variant.accept } : options);
        rendered = renderDereferencing(outcome, variant, profile);
        printable = rendered.status === 303 ? dereferencingBody(outcome) : undefined;
      } else {
        const variant = negotiateResolution(args.accept);
        const result = await resolver.resolve(identifier, variant.kind === 'result' ? options : { ...options, accept: variant.accept });
        rendered = renderResolution(result, variant, profile);
        if (!wantsJson(args) && rendered.status < 400) {
          process.stdout.write(`${summarise(identifier, result)}\n`);
          if (rendered.status === 410) process.stderr.write(`${identifier} is deactivated\n`);
          process.exitCode = EXIT.OK;
          return;
        }
      }
      if (rendered.status === 303 && !wantsJson(args)) {
        process.stdout.write(`${rendered.location}\n`);
      } else if (printable !== undefined) {
        printJson(printable);
      } else {
        printBody(rendered);
      }
      if (rendered.error) {
        const body = JSON.parse(bodyText(rendered)) as Record<
          string,
          { error?: { detail?: string } | string; errorMessage?: string } | undefined
        >;
        const metadata = body.didResolutionMetadata ?? body.dereferencingMetadata;
        // The legacy-1.0 profile writes the error as a string and its detail as errorMessage.
        const detail = typeof metadata?.error === 'object' ? metadata.error.detail : metadata?.errorMessage;
        process.stderr.write(`error: ${rendered.error}${detail ? `: ${detail}` : ''}\n`);
        process.exitCode = EXIT.FAILED;
      } else {
        process.exitCode = EXIT.OK;
      }
    } finally {
      await runtime.close();
    }
  },
};
