import type { Label, Selector } from './model';
import { intern, internLiteral } from './text';

export type Labels = ReadonlyMap<string, string>;

/**
 * metav1.LabelSelector semantics: matchLabels and matchExpressions are AND'ed; an empty selector
 * matches everything. A selector the API server would reject (unknown operator, a malformed node)
 * matches nothing, so that analysis never widens what an invalid policy allows.
 */
export function matches(selector: Selector, labels: Labels): boolean {
  if (selector.malformed) return false;
  for (const l of selector.matchLabels) {
    if (labels.get(l.key) !== l.value) return false;
  }
  for (const e of selector.matchExpressions) {
    const has = labels.has(e.key);
    const v = labels.get(e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.some((x) => x.value === v)) return false;
        break;
      case 'NotIn':
        if (has && e.values.some((x) => x.value === v)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `matches`, for a valid selector read as requirements: equal to it, and by identity on interned strings. */
export function satisfies(reqs: readonly Requirement[], labels: Labels): boolean {
  for (const r of reqs) {
    const v = labels.get(r.key);
    switch (r.op) {
      case 'In':
        if (v === undefined || !r.values.has(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && r.values.has(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

/** `matches`, through the selector's requirements when they were read (undefined for an invalid selector). */
export function selects(selector: Selector, reqs: readonly Requirement[] | undefined, labels: Labels): boolean {
  return reqs ? satisfies(reqs, labels) : matches(selector, labels);
}

export function isEmptySelector(selector: Selector): boolean {
  return !selector.malformed && selector.matchLabels.length === 0 && selector.matchExpressions.length === 0;
}

/** Labels as a map, with keys and values interned (see `intern`). */
export function toLabels(labels: readonly Label[]): Labels {
  const m = new Map<string, string>();
  for (const l of labels) m.set(intern(l.key), intern(l.value));
  return m;
}

/** The label every namespace carries, its name. */
export const NAMESPACE_NAME_LABEL = internLiteral('kubernetes.io/metadata.name');

/** `app=web, tier in (a, b)` — kubectl's selector syntax, for messages and hovers. */
export function describeSelector(selector: Selector): string {
  if (selector.malformed) return '(invalid selector)';
  const parts: string[] = selector.matchLabels.map((l) => `${l.key}=${l.value}`);
  for (const e of selector.matchExpressions) {
    const vals = e.values.map((v) => v.value).join(', ');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${vals})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${vals})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        parts.push(`${e.key} ${e.operator} (${vals})`);
    }
  }
  return parts.length ? parts.join(', ') : '(all)';
}

/** One requirement of a selector; matchLabels `k: v` is `k In [v]`. */
export interface Requirement {
  readonly key: string;
  readonly op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: ReadonlySet<string>;
  /** The values as a list, in order. */
  readonly list: readonly string[];
  /** `In` with one value: that value, a label every pod it selects carries (what label indexes narrow by). */
  readonly only: string | undefined;
}

export type Pin = Requirement & { readonly only: string };

const NO_REQUIREMENTS: readonly Requirement[] = [];

/**
 * A selector as requirements; undefined selector (absent) is the empty list (every pod). Undefined
 * when it is malformed or has an operator the API server rejects: such a selector matches nothing,
 * and nothing is claimed about it. Compiled policies hold them (engine/policy.ts), so each
 * selector is read once.
 */
export function requirements(s: Selector | undefined): readonly Requirement[] | undefined {
  return s ? readRequirements(s) : NO_REQUIREMENTS;
}

/** The first `key In [value]` requirement: every pod the selector selects carries that label. */
export function pinOf(reqs: readonly Requirement[]): Pin | undefined {
  return reqs.find(isPin);
}

function isPin(r: Requirement): r is Pin {
  return r.only !== undefined;
}

function readRequirements(s: Selector): readonly Requirement[] | undefined {
  if (s.malformed) return undefined;
  // The most common selector, one pair: one shared list, so equal selectors compare by identity.
  const first = s.matchLabels[0];
  if (first && s.matchLabels.length === 1 && s.matchExpressions.length === 0) return labelPair(first.key, first.value).alone;
  const out: Requirement[] = s.matchLabels.map((l) => labelRequirement(l.key, l.value));
  for (const e of s.matchExpressions) {
    if (e.operator !== 'In' && e.operator !== 'NotIn' && e.operator !== 'Exists' && e.operator !== 'DoesNotExist') return undefined;
    // In/NotIn with no values is rejected by the API server; say nothing about it.
    if ((e.operator === 'In' || e.operator === 'NotIn') && e.values.length === 0) return undefined;
    const values = new Set(e.values.map((v) => intern(v.value)));
    const list = [...values];
    out.push({ key: intern(e.key), op: e.operator, values, list, only: e.operator === 'In' && list.length === 1 ? list[0] : undefined });
  }
  return out;
}

/**
 * `key In [value]`, one object per pair (and the list of it alone): files repeat a few pairs
 * thousands of times (`kubernetes.io/metadata.name: kube-system`), and containment checks compare
 * them by identity first.
 */
const labelPairs = new Map<string, Map<string, { readonly requirement: Requirement; readonly alone: readonly Requirement[] }>>();
const LABEL_PAIRS_MAX = 50_000;

function labelPair(key: string, value: string): { readonly requirement: Requirement; readonly alone: readonly Requirement[] } {
  let byValue = labelPairs.get(key);
  if (!byValue) {
    if (labelPairs.size >= LABEL_PAIRS_MAX) labelPairs.clear();
    labelPairs.set(intern(key), (byValue = new Map()));
  }
  let pair = byValue.get(value);
  if (!pair) {
    if (byValue.size >= LABEL_PAIRS_MAX) byValue.clear();
    const v = intern(value);
    const requirement: Requirement = { key: intern(key), op: 'In', values: new Set([v]), list: [v], only: v };
    pair = { requirement, alone: [requirement] };
    byValue.set(v, pair);
  }
  return pair;
}

export function labelRequirement(key: string, value: string): Requirement {
  return labelPair(key, value).requirement;
}
