/**
 * The bundled JSON-LD contexts (src/credentials/contexts/PROVENANCE.md): each copy that an installed npm package also
 * ships is identical to that package's copy, every entry is a JSON-LD context document, and the bundle cannot be
 * changed at run time.
 */
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
// @ts-expect-error -- untyped CJS package (JSDoc only)
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
// @ts-expect-error -- untyped CJS package (JSDoc only)
import securityContext from '@digitalbazaar/security-context';
// @ts-expect-error -- untyped CJS package (JSDoc only)
import ed25519Context from 'ed25519-signature-2020-context';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_CONTEXTS, CONTEXT_URLS, DIDBRIDGE_WEID_CONTEXT, bundledContext } from '../../src/credentials/contexts/index.js';

const packaged = new Map<string, unknown>([
  ...(credentialsContexts as Map<string, unknown>),
  ...(dataIntegrityContext.contexts as Map<string, unknown>),
  ...(securityContext.contexts as Map<string, unknown>),
  ...(ed25519Context.contexts as Map<string, unknown>),
]);

describe('bundled contexts', () => {
  it('every well-known URL is bundled, and each entry is a context document', () => {
    for (const url of Object.values(CONTEXT_URLS)) expect(BUNDLED_CONTEXTS.has(url), url).toBe(true);
    for (const [url, doc] of BUNDLED_CONTEXTS) {
      expect(typeof doc['@context'], url).toBe('object');
    }
  });

  it('copies shipped by npm packages are identical to them', () => {
    const compared: string[] = [];
    for (const [url, doc] of BUNDLED_CONTEXTS) {
      const theirs = packaged.get(url);
      if (theirs === undefined) continue;
      expect(doc, url).toEqual(theirs);
      compared.push(url);
    }
    // credentials v1/v2/undefined-terms, data integrity v1/v2, security v1/v2, ed25519-2020.
    expect(compared.length).toBeGreaterThanOrEqual(8);
  });

  it('PROVENANCE.md names every bundled URL', () => {
    const provenance = readFileSync(new URL('../../src/credentials/contexts/PROVENANCE.md', import.meta.url), 'utf8');
    for (const url of BUNDLED_CONTEXTS.keys()) expect(provenance, url).toContain(`\`${url}\``);
  });

  it('lookups ignore a fragment and are otherwise exact', () => {
    expect(bundledContext(`${CONTEXT_URLS.credentialsV2}#x`)).toBe(BUNDLED_CONTEXTS.get(CONTEXT_URLS.credentialsV2));
    expect(bundledContext(`${CONTEXT_URLS.credentialsV2}/`)).toBeUndefined();
    expect(bundledContext('HTTPS://www.w3.org/ns/credentials/v2')).toBeUndefined();
    expect(() => bundledContext(42 as unknown as string)).toThrow(TypeError);
  });

  it('the bundle is frozen', () => {
    const v2 = BUNDLED_CONTEXTS.get(CONTEXT_URLS.credentialsV2) as Record<string, any>;
    expect(() => {
      v2['@context'].VerifiableCredential = 'https://evil.example/';
    }).toThrow(TypeError);
    expect(Object.isFrozen(DIDBRIDGE_WEID_CONTEXT)).toBe(true);
  });
});
