/**
 * Progress display for long runs: on a terminal, one line rewritten in place (`[3/12] library:bid 5/20 resolve …`);
 * elsewhere (CI logs, pipes), one quiet line per finished target. Written to stderr so that stdout keeps the
 * summary.
 */
import type { ProgressEvent } from './run.js';

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Where lines go. Default: `process.stderr`. */
  write?: (text: string) => void;
  /** Whether the output is a terminal. Default: `process.stderr.isTTY`. */
  tty?: boolean;
  /** Terminal width for truncating the live line. Default: `process.stderr.columns` or 100. */
  columns?: number;
}

/** A progress display: pass `onProgress` to `runConformance`, call `done()` after the run. */
export interface Progress {
  onProgress(event: ProgressEvent): void;
  /** Clears the live line (terminal only). */
  done(): void;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const tty = options.tty ?? process.stderr.isTTY === true;
  const columns = Math.max(20, options.columns ?? process.stderr.columns ?? 100);
  let live = false;
  const line = (text: string) => {
    const cut = text.length >= columns ? `${text.slice(0, columns - 2)}…` : text;
    write(`\r\u001b[2K${cut}`);
    live = true;
  };
  return {
    onProgress(event) {
      const head = `[${event.index + 1}/${event.total}] ${event.target}`;
      if (tty) {
        if (event.kind === 'target-start') line(head);
        else if (event.kind === 'target-step') line(`${head} ${event.done}/${event.of}${event.label ? ` ${event.label}` : ''}`);
        else line(`${head} done`);
        return;
      }
      if (event.kind !== 'target-done') return;
      const c = event.counts;
      const state = event.error !== undefined ? `ERROR ${event.error}` : `${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.baselined} baselined`;
      write(`conformance ${head}: ${state}\n`);
    },
    done() {
      if (tty && live) write('\r\u001b[2K');
      live = false;
    },
  };
}
