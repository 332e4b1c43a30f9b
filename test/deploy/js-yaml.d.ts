/**
 * The part of js-yaml 4 the deploy tests use. js-yaml is in node_modules as a dependency of the eslint tooling, not
 * of this package, and ships no types; see the production-driver report (a `yaml` or `js-yaml` devDependency would
 * make this explicit).
 */
declare module 'js-yaml' {
  export function load(text: string): unknown;
  export function loadAll(text: string): unknown[];
  export function dump(value: unknown, options?: { lineWidth?: number; noRefs?: boolean; sortKeys?: boolean }): string;
  const yaml: { load: typeof load; loadAll: typeof loadAll; dump: typeof dump };
  export default yaml;
}
