/**
 * Generated cases, shared by the library and driver targets: what to resolve and dereference for each method, and
 * what each input must produce.
 *
 * Per method:
 * - every DID known to resolve (the method's test identifiers, DIDs the sandbox holds or created): resolves
 *   (`defaultOutcome`); the first of them also in `application/did+json` and `application/did+ld+json`, with an
 *   unsupported `accept` (`representationNotSupportedErrorOutcome`) and with both `versionId` and `versionTime`
 *   (`invalidOptionsErrorOutcome`); dereferenced as a bare DID URL, by the fragment of its first verification
 *   method, by a fragment it does not have (`notFoundErrorOutcome`), by its first service as `text/uri-list`, and as
 *   a syntactically invalid DID URL (`invalidDidUrlErrorOutcome`);
 * - DIDs known to be deactivated (`deactivatedOutcome`) and known not to exist (`notFoundErrorOutcome`);
 * - invalid DIDs of the method (`did:<m>:`, characters outside the DID syntax, a broken percent-encoding).
 *
 * Across methods: `not-a-did`, `did:example` (invalid), and a DID of a method nobody serves
 * (`methodNotSupportedErrorOutcome`).
 *
 * Targets supply an executor that runs one case and turns what it saw into observations.
 */
import type { DIDResolutionResult, ResolutionOptions } from '../../src/spec.js';
import type { ExpectedOutcome } from '../catalogue.js';
import { isMap, member } from '../checks/shared.js';
import type { Observation } from '../targets.js';

/** DIDs of one method whose outcome is known in advance. */
export interface KnownDids {
  /** DIDs that resolve (test identifiers first). */
  resolvable: readonly string[];
  deactivated?: readonly string[];
  notFound?: readonly string[];
  /**
   * Stable names for DIDs that change from run to run (created with fresh keys), used in labels instead of the DID
   * so that two runs give the same report: `did:bid:<created 1>`.
   */
  names?: ReadonlyMap<string, string>;
}

/** How a DID (or DID URL starting with one) is shown in labels. */
function shown(value: string, names: ReadonlyMap<string, string> | undefined): string {
  if (!names) return value;
  for (const [did, name] of names) {
    if (value === did || value.startsWith(did + '#') || value.startsWith(did + '?') || value.startsWith(did + '/')) {
      return name + value.slice(did.length);
    }
  }
  return value;
}

export interface ResolveCase {
  operation: 'resolve';
  did: string;
  options: ResolutionOptions;
  expectedOutcome?: ExpectedOutcome;
  /** A short, machine-independent description (shown next to outcomes). */
  label: string;
  /** The case that checks the plain resolution of a resolvable DID (its result feeds the dereferencing cases). */
  primary?: boolean;
}

export interface DereferenceCase {
  operation: 'dereference';
  didUrl: string;
  options: ResolutionOptions;
  expectedOutcome?: ExpectedOutcome;
  label: string;
}

export type Case = ResolveCase | DereferenceCase;

/** Runs cases against something (the library, a driver) and reports observations. */
export interface CaseExecutor {
  /** Resolves; returns the observations and, when the target saw one, the resolution result. */
  resolve(c: ResolveCase): Promise<{ observations: Observation[]; result?: DIDResolutionResult }>;
  /** Dereferences; `resolution` is the result of resolving the same DID, when there is one. */
  dereference(c: DereferenceCase, resolution?: DIDResolutionResult): Promise<Observation[]>;
}

/** How many known DIDs of each kind are exercised per method. */
export const MAX_DIDS_PER_KIND = 5;

/** An `accept` no resolver produces: asks for REPRESENTATION_NOT_SUPPORTED. */
export const UNSUPPORTED_ACCEPT = 'image/png';

/** A fragment no generated document has. */
export const MISSING_FRAGMENT = 'didbridge-conformance-missing';

/** Invalid DIDs of a method: empty method-specific id, a character outside the DID syntax, a broken escape. */
export function invalidDidsOf(method: string): string[] {
  return [`did:${method}:`, `did:${method}:a!b`, `did:${method}:a%zz`];
}

/** A method name that no resolver serves. */
export function unsupportedMethod(served: readonly string[]): string {
  let name = 'didbridgeunsupported';
  while (served.includes(name)) name += 'x';
  return name;
}

/** Cases that belong to no method. */
export function genericCases(served: readonly string[]): Case[] {
  const method = unsupportedMethod(served);
  return [
    { operation: 'resolve', did: 'not-a-did', options: {}, expectedOutcome: 'invalidDidErrorOutcome', label: 'resolve not-a-did' },
    { operation: 'resolve', did: 'did:example', options: {}, expectedOutcome: 'invalidDidErrorOutcome', label: 'resolve did:example' },
    {
      operation: 'resolve',
      did: `did:${method}:123`,
      options: {},
      expectedOutcome: 'methodNotSupportedErrorOutcome',
      label: `resolve did:${method}:123`,
    },
  ];
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** The resolution cases of one method. */
export function resolutionCases(method: string, known: KnownDids): ResolveCase[] {
  const cases: ResolveCase[] = [];
  const n = (did: string) => shown(did, known.names);
  const resolvable = unique(known.resolvable).slice(0, MAX_DIDS_PER_KIND);
  for (const did of resolvable) {
    cases.push({ operation: 'resolve', did, options: {}, expectedOutcome: 'defaultOutcome', label: `resolve ${n(did)}`, primary: true });
  }
  const first = resolvable[0];
  if (first !== undefined) {
    for (const accept of ['application/did+json', 'application/did+ld+json']) {
      cases.push({ operation: 'resolve', did: first, options: { accept }, expectedOutcome: 'defaultOutcome', label: `resolve ${n(first)} accept ${accept}` });
    }
    cases.push({
      operation: 'resolve',
      did: first,
      options: { accept: UNSUPPORTED_ACCEPT },
      expectedOutcome: 'representationNotSupportedErrorOutcome',
      label: `resolve ${n(first)} accept ${UNSUPPORTED_ACCEPT}`,
    });
    cases.push({
      operation: 'resolve',
      did: first,
      options: { versionId: '1', versionTime: '2021-05-10T17:00:00Z' },
      expectedOutcome: 'invalidOptionsErrorOutcome',
      label: `resolve ${n(first)} with versionId and versionTime`,
    });
  }
  for (const did of unique(known.deactivated ?? []).slice(0, MAX_DIDS_PER_KIND)) {
    cases.push({ operation: 'resolve', did, options: {}, expectedOutcome: 'deactivatedOutcome', label: `resolve deactivated ${n(did)}` });
  }
  for (const did of unique(known.notFound ?? []).slice(0, MAX_DIDS_PER_KIND)) {
    cases.push({ operation: 'resolve', did, options: {}, expectedOutcome: 'notFoundErrorOutcome', label: `resolve unregistered ${n(did)}` });
  }
  for (const did of invalidDidsOf(method)) {
    cases.push({ operation: 'resolve', did, options: {}, expectedOutcome: 'invalidDidErrorOutcome', label: `resolve invalid ${JSON.stringify(did)}` });
  }
  return cases;
}

/** The id of the first verification method of a document (in `verificationMethod` or embedded in a relationship). */
function firstMethodId(document: unknown): string | undefined {
  for (const name of ['verificationMethod', 'authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation']) {
    const list = member(document, name);
    if (!Array.isArray(list)) continue;
    for (const entry of list) if (isMap(entry) && typeof entry.id === 'string') return entry.id;
  }
  return undefined;
}

/** The fragment of a node id (`did#x` or `#x`) in the document of `did`. */
function fragmentOf(id: string, did: string): string | undefined {
  if (id.startsWith('#')) return id.slice(1);
  if (id.startsWith(`${did}#`)) return id.slice(did.length + 1);
  return undefined;
}

/** The first service with a string (or list of strings) endpoint that is an absolute URL. */
function firstListableService(document: unknown, did: string): string | undefined {
  const services = member(document, 'service');
  if (!Array.isArray(services)) return undefined;
  for (const service of services) {
    if (!isMap(service) || typeof service.id !== 'string') continue;
    const endpoint = service.serviceEndpoint;
    const urls = typeof endpoint === 'string' ? [endpoint] : Array.isArray(endpoint) ? endpoint.filter((e) => typeof e === 'string') : [];
    if (!urls.some((u) => /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(u as string))) continue;
    const fragment = fragmentOf(service.id, did);
    if (fragment !== undefined && /^[A-Za-z0-9._~-]+$/.test(fragment)) return fragment;
  }
  return undefined;
}

/** The dereferencing cases of a DID that resolved to `document`. */
export function dereferencingCases(did: string, document: unknown, names?: ReadonlyMap<string, string>): DereferenceCase[] {
  const n = (url: string) => shown(url, names);
  const cases: DereferenceCase[] = [
    { operation: 'dereference', didUrl: did, options: {}, expectedOutcome: 'defaultOutcome', label: `dereference ${n(did)}` },
    {
      operation: 'dereference',
      didUrl: `${did}#${MISSING_FRAGMENT}`,
      options: {},
      expectedOutcome: 'notFoundErrorOutcome',
      label: `dereference ${n(`${did}#${MISSING_FRAGMENT}`)}`,
    },
    { operation: 'dereference', didUrl: `${did}/%zz`, options: {}, expectedOutcome: 'invalidDidUrlErrorOutcome', label: `dereference invalid ${n(`${did}/%zz`)}` },
  ];
  const methodId = firstMethodId(document);
  const fragment = methodId === undefined ? undefined : fragmentOf(methodId, did);
  if (fragment !== undefined) {
    cases.push({ operation: 'dereference', didUrl: `${did}#${fragment}`, options: {}, expectedOutcome: 'defaultOutcome', label: `dereference ${n(`${did}#${fragment}`)}` });
  }
  const service = firstListableService(document, did);
  if (service !== undefined) {
    cases.push({
      operation: 'dereference',
      didUrl: `${did}?service=${service}`,
      options: { accept: 'text/uri-list' },
      expectedOutcome: 'defaultOutcome',
      label: `dereference ${n(`${did}?service=${service}`)} as text/uri-list`,
    });
    cases.push({
      operation: 'dereference',
      didUrl: `${did}?service=${service}`,
      options: {},
      expectedOutcome: 'defaultOutcome',
      label: `dereference ${n(`${did}?service=${service}`)}`,
    });
  }
  return cases;
}

/**
 * Runs every case of one method: resolutions first, then the dereferencing cases of the first DID that resolved.
 * `step` is told of progress.
 */
export async function runMethodCases(
  executor: CaseExecutor,
  method: string,
  known: KnownDids,
  step?: (done: number, of: number, label?: string) => void,
): Promise<Observation[]> {
  const observations: Observation[] = [];
  const resolutions = resolutionCases(method, known);
  let firstResolved: { did: string; result: DIDResolutionResult } | undefined;
  let done = 0;
  const total = resolutions.length + 6;
  for (const c of resolutions) {
    const { observations: seen, result } = await executor.resolve(c);
    observations.push(...seen);
    if (c.primary && firstResolved === undefined && result && isMap(result.didDocument) && !member(result.didResolutionMetadata, 'error')) {
      firstResolved = { did: c.did, result };
    }
    step?.(++done, total, c.label);
  }
  if (firstResolved) {
    const derefs = dereferencingCases(firstResolved.did, firstResolved.result.didDocument, known.names);
    for (const c of derefs) {
      observations.push(...(await executor.dereference(c, c.didUrl === firstResolved.did ? firstResolved.result : undefined)));
      step?.(++done, total, c.label);
    }
  }
  for (const did of (known.deactivated ?? []).slice(0, 1)) {
    observations.push(
      ...(await executor.dereference({ operation: 'dereference', didUrl: did, options: {}, expectedOutcome: 'deactivatedOutcome', label: `dereference deactivated ${shown(did, known.names)}` })),
    );
  }
  for (const did of (known.notFound ?? []).slice(0, 1)) {
    observations.push(
      ...(await executor.dereference({ operation: 'dereference', didUrl: did, options: {}, expectedOutcome: 'notFoundErrorOutcome', label: `dereference unregistered ${shown(did, known.names)}` })),
    );
  }
  return observations;
}

/** Runs the cases that belong to no method. */
export async function runGenericCases(executor: CaseExecutor, served: readonly string[]): Promise<Observation[]> {
  const observations: Observation[] = [];
  for (const c of genericCases(served)) {
    if (c.operation === 'resolve') observations.push(...(await executor.resolve(c)).observations);
    else observations.push(...(await executor.dereference(c)));
  }
  return observations;
}
