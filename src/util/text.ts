/**
 * Short, printable renderings of untrusted upstream text and values for error details: an error message must stay
 * one readable line whatever an upstream sent (control characters, megabytes of HTML, nested JSON).
 */

/**
 * A printable excerpt of a response body: control characters (and U+FFFD from undecodable bytes) replaced by `·`,
 * trimmed, at most 120 characters (then `…`).
 * @example excerptOf('<html>\r\n<body>Bad Gateway</body>') // '<html>··<body>Bad Gateway</body>'
 */
export function excerptOf(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '·').trim();
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

/**
 * A value for an error detail: a string as it is, anything else as JSON (`undefined` as `null`), at most 200
 * characters (then `…`).
 * @example shortDetail({ code: 7 }) // '{"code":7}'
 */
export function shortDetail(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
