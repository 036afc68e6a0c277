import { parseDocument, isMap, isScalar, isSeq } from 'yaml';
import type { Finding } from './diagnostics';
import type { ParsedFile } from './model';
import { RULES, type Severity } from './rules';
import type { Span } from './text';

/** Per rule: a severity, or off. Rules not listed keep their default severity. */
export type RuleLevel = Severity | 'off';
export type RuleSettings = ReadonlyMap<string, RuleLevel>;

export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'hint', 'information', 'warning', 'error'];

/** What a `.netpol.yaml` at the root of a repository may say; the CLI and the server both read it. */
export interface ProjectConfig {
  readonly rules: RuleSettings;
  readonly defaultNamespace: string | undefined;
  readonly exclude: readonly string[];
  /** Problems with the file itself, with their ranges in it. */
  readonly problems: readonly { readonly span: Span; readonly message: string }[];
}

export const CONFIG_FILE = '.netpol.yaml';

/** Read `.netpol.yaml`. Never throws: what it cannot use is reported and left out. */
export function parseProjectConfig(text: string): ProjectConfig {
  const problems: { span: Span; message: string }[] = [];
  const rules = new Map<string, RuleLevel>();
  let defaultNamespace: string | undefined;
  const exclude: string[] = [];
  const doc = parseDocument(text, { prettyErrors: false });
  for (const e of doc.errors) problems.push({ span: { start: e.pos[0], end: e.pos[1] }, message: e.message.split('\n')[0] ?? e.message });
  const root = doc.contents;
  const at = (n: { range?: [number, number, number] | null } | null | undefined): Span => ({ start: n?.range?.[0] ?? 0, end: n?.range?.[1] ?? 0 });
  if (root !== null && !isMap(root)) problems.push({ span: at(root), message: 'Expected a map with rules, defaultNamespace and exclude.' });
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if (key === 'rules') {
        if (!isMap(value)) {
          problems.push({ span: at(isScalar(pair.key) ? pair.key : null), message: 'rules: expected a map of rule code to off, hint, information, warning or error.' });
          continue;
        }
        for (const r of value.items) {
          const code = isScalar(r.key) ? String(r.key.value) : '';
          const level = isScalar(r.value) ? r.value.value : undefined;
          // YAML 1.1 readers turn `off` into false; accept both spellings.
          const lv = level === false ? 'off' : typeof level === 'string' ? level : undefined;
          if (!RULES.has(code)) problems.push({ span: at(isScalar(r.key) ? r.key : null), message: `Unknown rule ${JSON.stringify(code)}.` });
          else if (!lv || !(RULE_LEVELS as readonly string[]).includes(lv)) problems.push({ span: at(isScalar(r.value) ? r.value : null), message: `Rule ${code}: expected one of ${RULE_LEVELS.join(', ')}.` });
          else rules.set(code, lv as RuleLevel);
        }
      } else if (key === 'defaultNamespace') {
        if (isScalar(value) && typeof value.value === 'string' && value.value) defaultNamespace = value.value;
        else problems.push({ span: at(isScalar(value) ? value : null), message: 'defaultNamespace: expected a namespace name.' });
      } else if (key === 'exclude') {
        if (isSeq(value)) for (const i of value.items) if (isScalar(i) && typeof i.value === 'string') exclude.push(i.value);
        if (!isSeq(value)) problems.push({ span: at(isScalar(pair.key) ? pair.key : null), message: 'exclude: expected a list of glob patterns.' });
      } else {
        problems.push({ span: at(isScalar(pair.key) ? pair.key : null), message: `Unknown setting ${JSON.stringify(key)} (rules, defaultNamespace and exclude are known).` });
      }
    }
  }
  return { rules, defaultNamespace, exclude, problems };
}

/** Settings merged: later ones win (project file, then editor settings). */
export function mergeRuleSettings(...layers: (RuleSettings | undefined)[]): RuleSettings {
  const out = new Map<string, RuleLevel>();
  for (const l of layers) if (l) for (const [k, v] of l) out.set(k, v);
  return out;
}

const DIRECTIVE = /#\s*netpol-disable(-next-line|-line|-file)?\b([^#\n\r]*)/g;

interface Suppressions {
  readonly file: Set<string> | 'all' | undefined;
  /** By 0-based line: codes, or all. */
  readonly lines: Map<number, Set<string> | 'all'>;
}

/**
 * `# netpol-disable-next-line NP201` silences the next line, `# netpol-disable-line NP201` its own
 * line, `# netpol-disable-file NP201` the file; without codes, every rule. Comments are read from the
 * text: YAML keeps no ranges for them.
 */
function suppressions(text: string): Suppressions | undefined {
  if (!text.includes('netpol-disable')) return undefined;
  const lines = new Map<number, Set<string> | 'all'>();
  let file: Set<string> | 'all' | undefined;
  let line = 0;
  let lineStart = 0;
  const add = (target: Set<string> | 'all' | undefined, codes: string[]): Set<string> | 'all' => {
    if (codes.length === 0 || target === 'all') return 'all';
    const s = target ?? new Set<string>();
    for (const c of codes) s.add(c);
    return s;
  };
  for (const m of text.matchAll(DIRECTIVE)) {
    const at = m.index ?? 0;
    while (true) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0 || nl >= at) break;
      lineStart = nl + 1;
      line++;
    }
    const codes = (m[2] ?? '').split(/[\s,]+/).filter((c) => /^NP\d{3}$/.test(c));
    const kind = m[1];
    if (kind === '-next-line' || kind === '-line') {
      const target = kind === '-next-line' ? line + 1 : line;
      lines.set(target, add(lines.get(target), codes));
    } else {
      // `# netpol-disable-file`, or a bare `# netpol-disable` as in eslint: the whole file.
      file = add(file, codes);
    }
  }
  return { file, lines };
}

function lineOf(offset: number, starts: number[]): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Apply settings (severity or off) and in-file disable comments to a file's findings. */
export function applyRuleSettings(findings: readonly Finding[], file: ParsedFile, settings: RuleSettings): Finding[] {
  const sup = suppressions(file.text);
  let starts: number[] | undefined;
  const out: Finding[] = [];
  for (const f of findings) {
    const level = settings.get(f.code);
    if (level === 'off') continue;
    if (sup) {
      if (sup.file === 'all' || sup.file?.has(f.code)) continue;
      if (sup.lines.size) {
        if (!starts) {
          starts = [0];
          for (let i = 0; i < file.text.length; i++) if (file.text.charCodeAt(i) === 10) starts.push(i + 1);
        }
        const s = sup.lines.get(lineOf(f.span.start, starts));
        if (s === 'all' || s?.has(f.code)) continue;
      }
    }
    out.push(level && level !== f.severity ? { ...f, severity: level } : f);
  }
  return out;
}
