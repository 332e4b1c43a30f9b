/**
 * A small renderer for the subset of Helm's templates (Go text/template plus a few Sprig functions) that the
 * didbridge chart uses, so the chart can be rendered and checked in tests: no `helm` binary exists here (and apt has
 * none). It is strict where Helm is lenient: a construct it does not know, or a value path missing from the values,
 * throws instead of rendering something plausible, so a template can never pass the tests by using syntax this
 * renderer would read differently.
 *
 * Supported: `{{ pipeline }}`, `{{- ... -}}` whitespace trimming, `{{/* comments *\/}}`, `if` / `else` / `end`,
 * `range $k, $v := ...` over maps (sorted keys, as Go does) and lists, `define` / `include`, parenthesised
 * sub-pipelines, `.Values...`, `.Chart...`, `.Release...`, `$var`, string and number literals, and the functions
 * default, quote, upper, printf (%s %d %v), trunc, trimSuffix, toYaml, toJson, indent, nindent, not, and, or, eq, ne.
 *
 * @see https://pkg.go.dev/text/template
 * @see https://helm.sh/docs/chart_template_guide/function_list/
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

type Value = unknown;

interface Scope {
  dot: Value;
  root: Value;
  vars: Map<string, Value>;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: string }
  | { kind: 'if'; cond: string; then: Node[]; else: Node[] }
  | { kind: 'range'; keyVar?: string; valueVar?: string; pipeline: string; body: Node[] };

interface Token {
  kind: 'text' | 'action';
  text: string;
}

/** Splits a template into text and actions, applying `{{-` and `-}}` trimming and dropping comments. */
function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      tokens.push({ kind: 'text', text: source.slice(at) });
      break;
    }
    tokens.push({ kind: 'text', text: source.slice(at, open) });
    const close = source.indexOf('}}', open);
    if (close < 0) throw new Error(`${file}: unterminated action at ${open}`);
    let inner = source.slice(open + 2, close);
    at = close + 2;
    if (inner.startsWith('- ')) {
      const prev = tokens[tokens.length - 1]!;
      prev.text = prev.text.replace(/\s+$/, '');
      inner = inner.slice(2);
    }
    let trimAfter = false;
    if (inner.endsWith(' -')) {
      trimAfter = true;
      inner = inner.slice(0, -2);
    }
    inner = inner.trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) tokens.push({ kind: 'action', text: inner });
    if (trimAfter) {
      const m = /^\s*/.exec(source.slice(at))!;
      at += m[0].length;
    }
  }
  return tokens;
}

/** Parses tokens into nodes; `define` blocks go into `defines`. */
function parse(tokens: Token[], defines: Map<string, Node[]>, file: string): Node[] {
  let i = 0;
  const block = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t.kind === 'text') {
        if (t.text !== '') nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const word = t.text.split(/\s+/)[0]!;
      if (terminators.includes(word)) return { nodes, end: t.text };
      if (word === 'if') {
        const cond = t.text.slice(2).trim();
        const thenPart = block(['else', 'end']);
        let elsePart: Node[] = [];
        if (thenPart.end.startsWith('else')) {
          if (thenPart.end !== 'else') throw new Error(`${file}: "${thenPart.end}" is not supported (only a plain else)`);
          elsePart = block(['end']).nodes;
        }
        nodes.push({ kind: 'if', cond, then: thenPart.nodes, else: elsePart });
      } else if (word === 'range') {
        const m = /^range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*)?(.+)$/.exec(t.text);
        if (!m) throw new Error(`${file}: cannot read "${t.text}"`);
        const body = block(['end']).nodes;
        const [keyVar, valueVar] = m[2] ? [m[1], m[2]] : [undefined, m[1]];
        nodes.push({ kind: 'range', keyVar, valueVar, pipeline: m[3]!, body });
      } else if (word === 'define') {
        const m = /^define\s+"([^"]+)"$/.exec(t.text);
        if (!m) throw new Error(`${file}: cannot read "${t.text}"`);
        defines.set(m[1]!, block(['end']).nodes);
      } else if (['with', 'template', 'block', 'else', 'end', 'break', 'continue'].includes(word)) {
        throw new Error(`${file}: "${word}" is not supported here (or is unbalanced)`);
      } else {
        nodes.push({ kind: 'action', pipeline: t.text });
      }
    }
    if (terminators.length > 0) throw new Error(`${file}: missing {{ end }}`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

/** Splits a pipeline into commands at top-level `|`, and a command into words (strings and parentheses kept whole). */
function words(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '"') {
          j++;
          while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        } else if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === '|') {
      out.push('|');
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s|()"]/.test(text[j]!)) j++;
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function printValue(v: Value): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(`cannot print ${JSON.stringify(v)} directly (use toYaml or toJson)`);
}

function field(base: Value, path: string[], what: string): Value {
  let v = base;
  for (const name of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, name)) {
      throw new Error(`${what}: no value at "${path.join('.')}" (missing "${name}")`);
    }
    v = (v as Record<string, unknown>)[name];
  }
  return v;
}

/** The chart renderer. */
export class HelmRenderer {
  private readonly defines = new Map<string, Node[]>();
  private readonly templates = new Map<string, Node[]>();

  constructor(readonly chartDir: string) {
    const dir = join(chartDir, 'templates');
    for (const name of readdirSync(dir).sort()) {
      const nodes = parse(tokenize(readFileSync(join(dir, name), 'utf8'), name), this.defines, name);
      if (!name.startsWith('_')) this.templates.set(name, nodes);
    }
  }

  /** Chart.yaml as `.Chart` sees it (Name, Version, AppVersion, ...). */
  chart(): Record<string, unknown> {
    const raw = yaml.load(readFileSync(join(this.chartDir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]));
  }

  /** values.yaml. */
  defaultValues(): Record<string, unknown> {
    return yaml.load(readFileSync(join(this.chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  }

  /** Renders every template with values.yaml deep-merged with `overrides`; returns file name → text. */
  render(overrides: Record<string, unknown> = {}, release = { Name: 'test', Namespace: 'default', Service: 'Helm' }): Map<string, string> {
    const values = deepMerge(this.defaultValues(), overrides);
    const root = { Values: values, Chart: this.chart(), Release: release };
    const out = new Map<string, string>();
    for (const [name, nodes] of this.templates) out.set(name, this.run(nodes, { dot: root, root, vars: new Map() }, name));
    return out;
  }

  /** Renders and parses every YAML document of every template (empty documents dropped). */
  manifests(overrides: Record<string, unknown> = {}): Array<Record<string, any>> {
    const docs: Array<Record<string, any>> = [];
    for (const [name, text] of this.render(overrides)) {
      if (!name.endsWith('.yaml')) continue;
      for (const part of text.split(/^---\s*$/m)) {
        const doc = yaml.load(part);
        if (doc === undefined || doc === null) continue;
        if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${name}: a document is not a mapping`);
        docs.push(doc as Record<string, any>);
      }
    }
    return docs;
  }

  private run(nodes: Node[], scope: Scope, file: string): string {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'action') out += printValue(this.pipeline(node.pipeline, scope, file));
      else if (node.kind === 'if') out += this.run(truthy(this.pipeline(node.cond, scope, file)) ? node.then : node.else, scope, file);
      else {
        const over = this.pipeline(node.pipeline, scope, file);
        const items: Array<[Value, Value]> = Array.isArray(over)
          ? over.map((v, i) => [i, v])
          : over && typeof over === 'object'
            ? Object.keys(over).sort().map((k) => [k, (over as Record<string, unknown>)[k]])
            : [];
        for (const [k, v] of items) {
          const vars = new Map(scope.vars);
          if (node.keyVar) vars.set(node.keyVar, k);
          if (node.valueVar) vars.set(node.valueVar, v);
          out += this.run(node.body, { dot: v, root: scope.root, vars }, file);
        }
      }
    }
    return out;
  }

  private pipeline(text: string, scope: Scope, file: string): Value {
    const parts = words(text);
    const commands: string[][] = [[]];
    for (const w of parts) {
      if (w === '|') commands.push([]);
      else commands[commands.length - 1]!.push(w);
    }
    let piped: Value;
    let first = true;
    for (const command of commands) {
      if (command.length === 0) throw new Error(`${file}: empty command in "${text}"`);
      piped = this.command(command, first ? undefined : { value: piped }, scope, file);
      first = false;
    }
    return piped;
  }

  private operand(word: string, scope: Scope, file: string): Value {
    if (word.startsWith('"')) return JSON.parse(word);
    if (/^-?\d+$/.test(word)) return Number(word);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word.startsWith('(')) return this.pipeline(word.slice(1, -1), scope, file);
    if (word === '.') return scope.dot;
    if (word === '$') return scope.root;
    if (word.startsWith('.')) return field(scope.dot, word.slice(1).split('.'), file);
    if (word.startsWith('$')) {
      const [name, ...path] = word.split('.');
      if (name === '$') return field(scope.root, path, file);
      if (!scope.vars.has(name!)) throw new Error(`${file}: undefined variable ${name}`);
      return field(scope.vars.get(name!), path, file);
    }
    throw new Error(`${file}: unknown operand "${word}"`);
  }

  private command(command: string[], piped: { value: Value } | undefined, scope: Scope, file: string): Value {
    const [head, ...rest] = command;
    if (!/^[a-zA-Z]\w*$/.test(head!) || head === 'true' || head === 'false') {
      if (rest.length > 0 || piped) throw new Error(`${file}: "${command.join(' ')}" is not a function call`);
      return this.operand(head!, scope, file);
    }
    const args = rest.map((w) => this.operand(w, scope, file));
    if (piped) args.push(piped.value);
    const str = (v: Value) => printValue(v);
    switch (head) {
      case 'include': {
        const body = this.defines.get(String(args[0]));
        if (!body) throw new Error(`${file}: no template named ${String(args[0])}`);
        return this.run(body, { dot: args[1], root: scope.root, vars: new Map() }, file);
      }
      case 'default':
        return truthy(args[1]) ? args[1] : args[0];
      case 'quote':
        return JSON.stringify(str(args[0]));
      case 'upper':
        return str(args[0]).toUpperCase();
      case 'printf': {
        let n = 1;
        return String(args[0]).replace(/%[sdv]/g, () => str(args[n++]));
      }
      case 'trunc':
        return str(args[1]).slice(0, Number(args[0]));
      case 'trimSuffix': {
        const s = str(args[1]);
        const suffix = String(args[0]);
        return s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
      }
      case 'toYaml':
        return args[0] === null || args[0] === undefined ? 'null' : yaml.dump(args[0], { lineWidth: -1 }).replace(/\n$/, '');
      case 'toJson':
        return JSON.stringify(args[0]);
      case 'indent':
        return str(args[1]).split('\n').map((l) => ' '.repeat(Number(args[0])) + l).join('\n');
      case 'nindent':
        return `\n${str(args[1]).split('\n').map((l) => ' '.repeat(Number(args[0])) + l).join('\n')}`;
      case 'not':
        return !truthy(args[0]);
      case 'and':
        return args.every(truthy);
      case 'or':
        return args.some(truthy);
      case 'eq':
        return args[0] === args[1];
      case 'ne':
        return args[0] !== args[1];
      default:
        throw new Error(`${file}: function "${head}" is not supported by the test renderer`);
    }
  }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
