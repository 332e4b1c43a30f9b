/**
 * Shared machinery for translating native documents into DID Core while recording every change.
 *
 * Each change is data (`ChangeRecord`): the rule applied, a JSON pointer into the original and into the result, and
 * why. Adapters build their translations with a `ChangeLog` so that records look the same for every method and the
 * conformance report can highlight them on both sides.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901 (JSON Pointer)
 */
import type { ChangeRecord, DIDDocument } from './spec.js';

/** Escapes one reference token of a JSON pointer (RFC 6901 §3). */
export function escapePointerToken(token: string | number): string {
  const text = typeof token === 'string' ? token : String(token);
  // Member names almost never contain "~" or "/": skip the two replacements then (pointers are built for every
  // change recorded).
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a JSON pointer from tokens: `pointer('publicKey', 0, 'type')` → `/publicKey/0/type`. */
export function pointer(...tokens: Array<string | number>): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) out += '/' + escapePointerToken(tokens[i]!);
  return out;
}

/** Pointer into the produced document metadata, e.g. `#metadata/created`. */
export function metadataPointer(...tokens: Array<string | number>): string {
  return '#metadata' + pointer(...tokens);
}

/** Reads the value at a JSON pointer, or undefined. */
export function getAtPointer(root: unknown, ptr: string): unknown {
  if (ptr === '') return root;
  if (!ptr.startsWith('/')) return undefined;
  let cur: unknown = root;
  for (const raw of ptr.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      cur = cur[Number(token)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, token)) return undefined;
      cur = (cur as Record<string, unknown>)[token];
    }
  }
  return cur;
}

/** Collects change records during one translation. */
export class ChangeLog {
  readonly changes: ChangeRecord[] = [];

  /**
   * Records a change.
   * @param rule stable rule id, `<method>.<what>` (e.g. `bid.publicKeyHex-to-multibase`)
   * @param from pointer into the original, or null when something is added
   * @param to pointer into the result (or `#metadata/...`), or null when something is dropped or preserved elsewhere
   * @param reason why, quoting the DID Core requirement where there is one
   */
  record(rule: string, from: string | null, to: string | null, reason: string, spec?: string): void {
    this.changes.push(spec ? { rule, from, to, reason, spec } : { rule, from, to, reason });
  }
}

/**
 * The translated document with `@context` and `id` first and the other DID Core members in the order DID Core lists
 * them (controller, alsoKnownAs, verificationMethod, the five verification relationships, service), so that documents
 * read alike whatever the native order was; members the translation did not make are left out. Each member is named
 * rather than looked up from a list (this runs on every translation).
 * @see https://www.w3.org/TR/did-core/#core-properties
 */
export function inDidCoreOrder(context: DIDDocument['@context'], members: DIDDocument): DIDDocument {
  const ordered: DIDDocument = { '@context': context, id: members.id };
  if (members.controller !== undefined) ordered.controller = members.controller;
  if (members.alsoKnownAs !== undefined) ordered.alsoKnownAs = members.alsoKnownAs;
  if (members.verificationMethod !== undefined) ordered.verificationMethod = members.verificationMethod;
  if (members.authentication !== undefined) ordered.authentication = members.authentication;
  if (members.assertionMethod !== undefined) ordered.assertionMethod = members.assertionMethod;
  if (members.keyAgreement !== undefined) ordered.keyAgreement = members.keyAgreement;
  if (members.capabilityInvocation !== undefined) ordered.capabilityInvocation = members.capabilityInvocation;
  if (members.capabilityDelegation !== undefined) ordered.capabilityDelegation = members.capabilityDelegation;
  if (members.service !== undefined) ordered.service = members.service;
  return ordered;
}

/** DID Core section URLs that translation rules cite. */
export const DID_CORE = {
  context: 'https://www.w3.org/TR/did-core/#json-ld',
  verificationMethods: 'https://www.w3.org/TR/did-core/#verification-methods',
  verificationMaterial: 'https://www.w3.org/TR/did-core/#verification-material',
  relationships: 'https://www.w3.org/TR/did-core/#verification-relationships',
  alsoKnownAs: 'https://www.w3.org/TR/did-core/#also-known-as',
  controller: 'https://www.w3.org/TR/did-core/#did-controller',
  services: 'https://www.w3.org/TR/did-core/#services',
  metadata: 'https://www.w3.org/TR/did-core/#did-document-metadata',
  extensibility: 'https://www.w3.org/TR/did-core/#extensibility',
  identifier: 'https://www.w3.org/TR/did-core/#did-subject',
} as const;
