/**
 * The catalogue: every check didbridge runs, in one list, run against every target. Checks of a subject a target
 * does not produce are reported `n/a` for that target.
 */
import { assertCatalogue, type AnyCheck } from '../catalogue.js';
import { DID_CORE_DOCUMENT_CHECKS } from './did-core.js';
import { DEREFERENCING_CHECKS } from './dereferencing.js';
import { HTTP_CHECKS } from './http.js';
import { ERROR_CHECKS, RESOLUTION_CHECKS } from './resolution.js';
import { TRANSLATION_CHECKS } from './translation.js';

/** Orders ids by UTF-16 code units, independent of locale, so reports sort the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** All checks, sorted by id (reports list them in this order). */
export const CATALOGUE: readonly AnyCheck[] = [
  ...DID_CORE_DOCUMENT_CHECKS,
  ...RESOLUTION_CHECKS,
  ...ERROR_CHECKS,
  ...DEREFERENCING_CHECKS,
  ...HTTP_CHECKS,
  ...TRANSLATION_CHECKS,
].sort((a, b) => compareIds(a.id, b.id));

assertCatalogue(CATALOGUE);
