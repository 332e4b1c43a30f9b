/**
 * A small XML 1.0 well-formedness checker and tree builder for the JUnit reporter tests (no XML parser is among the
 * project's dependencies). It covers what the reporter can emit: an XML declaration, elements, attributes, text,
 * and entity or character references. DTDs, CDATA, comments and processing instructions other than the declaration
 * are rejected, since the reporter never writes them.
 * @see https://www.w3.org/TR/xml/#sec-well-formed
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Replaces entity and character references, throwing on any that XML does not define. */
function decode(raw: string, where: number): string {
  return raw.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare "&" near offset ${where}`);
    if (body in PREDEFINED) return PREDEFINED[body]!;
    const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (!m) throw new Error(`unknown entity "${match}" near offset ${where}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    if (!isXmlChar(code)) throw new Error(`character reference ${match} names a character XML forbids`);
    return String.fromCodePoint(code);
  });
}

/** Parses `xml`, throwing an Error that says what is wrong and where if it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    if (!isXmlChar(ch.codePointAt(0)!)) throw new Error(`character U+${ch.codePointAt(0)!.toString(16)} is not allowed in XML`);
  }
  let i = 0;
  const decl = /^<\?xml\s+version="1\.[0-9]"(?:\s+encoding="[A-Za-z][A-Za-z0-9._-]*")?\s*\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  skipSpace();
  while (i < xml.length) {
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`end tag </${m[0]}> at ${i} does not match <${open?.name ?? ''}>`);
      i += 2 + m[0].length;
      skipSpace();
      if (xml[i] !== '>') throw new Error(`end tag at ${i} is not closed`);
      i++;
      if (stack.length === 0) {
        skipSpace();
        if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
      }
    } else if (xml[i] === '<') {
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) throw new Error(`unsupported markup at ${i}`);
      const m = NAME.exec(xml.slice(i + 1));
      if (!m) throw new Error(`bad start tag at ${i}`);
      const element: XmlElement = { name: m[0], attributes: {}, children: [], text: '' };
      i += 1 + m[0].length;
      for (;;) {
        const before = i;
        skipSpace();
        if (xml.startsWith('/>', i)) {
          i += 2;
          break;
        }
        if (xml[i] === '>') {
          i++;
          stack.push(element);
          break;
        }
        if (i === before) throw new Error(`attributes must be separated by white space at ${i}`);
        const an = NAME.exec(xml.slice(i));
        if (!an) throw new Error(`bad attribute name at ${i}`);
        i += an[0].length;
        skipSpace();
        if (xml[i] !== '=') throw new Error(`attribute ${an[0]} without "=" at ${i}`);
        i++;
        skipSpace();
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") throw new Error(`attribute ${an[0]} value is not quoted at ${i}`);
        const end = xml.indexOf(quote, i + 1);
        if (end < 0) throw new Error(`attribute ${an[0]} value is not closed`);
        const raw = xml.slice(i + 1, end);
        if (raw.includes('<')) throw new Error(`"<" in the value of attribute ${an[0]}`);
        if (an[0] in element.attributes) throw new Error(`attribute ${an[0]} repeated on <${element.name}>`);
        element.attributes[an[0]] = decode(raw, i);
        i = end + 1;
      }
      const parent = stack.at(stack.at(-1) === element ? -2 : -1);
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`a second root element <${element.name}>`);
      else root = element;
      // An empty-element root closes at once; after the root nothing but white space may follow.
      if (stack.length === 0) {
        skipSpace();
        if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
      }
    } else {
      const next = xml.indexOf('<', i);
      const end = next < 0 ? xml.length : next;
      const raw = xml.slice(i, end);
      if (stack.length === 0) throw new Error(`text outside the root element at ${i}`);
      if (raw.includes(']]>')) throw new Error(`"]]>" in text at ${i}`);
      stack.at(-1)!.text += decode(raw, i);
      i = end;
    }
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** All descendants (depth first) named `name`. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const child of e.children) {
      if (child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}
