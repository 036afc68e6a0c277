/**
 * Writes small YAML snippets in the style of the document they go into: its indentation unit,
 * whether sequences are indented under their key, flow or block, JSON or YAML quoting.
 */
export type Value = string | number | boolean | readonly Value[] | { readonly [key: string]: Value };

export interface Style {
  /** Spaces per nesting level of maps. */
  readonly unit: number;
  /** Extra spaces before `-` of a sequence under a map key (0 for `key:\n- a`, usually `unit`). */
  readonly seqIndent: number;
  /** Columns from a `-` to its item's content (2 for `- a`, 4 for `-   a`). */
  readonly dashGap: number;
  readonly eol: string;
}

const PLAIN = /^[A-Za-z0-9_./-]+$/;
const AMBIGUOUS = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?|0x[0-9a-f]+)$/i;

function scalar(v: string | number | boolean, json: boolean): string {
  if (typeof v !== 'string') return String(v);
  if (!json && PLAIN.test(v) && !AMBIGUOUS.test(v) && !v.startsWith('-')) return v;
  return JSON.stringify(v);
}

function isMap(v: Value): v is { readonly [key: string]: Value } {
  return typeof v === 'object' && !Array.isArray(v);
}

/** `{a: 1, b: [x]}`, or JSON (`{"a": 1}`) when the document is JSON. */
export function flow(v: Value, json = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => flow(x, json)).join(', ')}]`;
  if (isMap(v)) return `{${Object.entries(v).map(([k, x]) => `${scalar(k, json)}: ${flow(x, json)}`).join(', ')}}`;
  return scalar(v as string | number | boolean, json);
}

/**
 * Block lines for `v` as the item of a sequence whose `-` stands at column `col`.
 * Returns the lines joined by the style's end of line, without a trailing one.
 */
export function blockSeqItem(v: Value, col: number, style: Style): string {
  return lines(v, col, style, 'item').join(style.eol);
}

/** Block lines for `key: v` with the key at column `col`. */
export function blockEntry(key: string, v: Value, col: number, style: Style): string {
  return lines({ [key]: v }, col, style, 'map').join(style.eol);
}

function lines(v: Value, col: number, style: Style, as: 'item' | 'map'): string[] {
  const pad = (n: number): string => ' '.repeat(n);
  if (as === 'item') {
    const dash = `-${pad(style.dashGap - 1)}`;
    if (isMap(v) || Array.isArray(v)) {
      const inner = lines(v, col + style.dashGap, style, 'map');
      const first = inner[0] ?? '';
      return [`${pad(col)}${dash}${first.slice(col + style.dashGap)}`, ...inner.slice(1)];
    }
    return [`${pad(col)}${dash}${scalar(v as string | number | boolean, false)}`];
  }
  if (Array.isArray(v)) return v.flatMap((x) => lines(x, col, style, 'item'));
  if (!isMap(v)) return [`${pad(col)}${scalar(v as string | number | boolean, false)}`];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (Array.isArray(x)) {
      if (x.length === 0) out.push(`${pad(col)}${scalar(k, false)}: []`);
      else out.push(`${pad(col)}${scalar(k, false)}:`, ...x.flatMap((y) => lines(y, col + style.seqIndent, style, 'item')));
    } else if (isMap(x)) {
      if (Object.keys(x).length === 0) out.push(`${pad(col)}${scalar(k, false)}: {}`);
      else out.push(`${pad(col)}${scalar(k, false)}:`, ...lines(x, col + style.unit, style, 'map'));
    } else {
      out.push(`${pad(col)}${scalar(k, false)}: ${scalar(x as string | number | boolean, false)}`);
    }
  }
  return out;
}
