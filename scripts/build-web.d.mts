/** Types of scripts/build-web.mjs (plain JavaScript, run by node without a build step). */

export interface BuildWebOptions {
  /** Where to write (default web/dist); replaced entirely. */
  outdir?: string;
  /** Minify the bundle (default true). */
  minify?: boolean;
  /** Write linked source maps (default true). */
  sourcemap?: boolean;
}

/** Builds the web console; resolves with the directory and the files written (names relative to it, sorted). */
export function buildWeb(options?: BuildWebOptions): Promise<{ outdir: string; files: string[] }>;
