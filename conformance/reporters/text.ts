/** Text helpers shared by the reporters. */

/**
 * A short form of a statement for test names and table cells: its first sentence with a requirement keyword (MUST,
 * SHOULD, ...), since statements often open with "X is OPTIONAL.", cut at a word boundary to at most `max`
 * characters. Deterministic: no locale, no width measuring.
 */
export function shortStatement(statement: string, max = 80): string {
  const sentences = statement.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=[A-Z])/);
  const normative = sentences.find((s) => /\b(MUST|SHOULD|REQUIRED|SHALL)\b/.test(s)) ?? sentences[0] ?? '';
  if (normative.length <= max) return normative;
  const cut = normative.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
