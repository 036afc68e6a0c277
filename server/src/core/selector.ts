import type { Label, Selector } from './model';

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

export function isEmptySelector(selector: Selector): boolean {
  return !selector.malformed && selector.matchLabels.length === 0 && selector.matchExpressions.length === 0;
}

export function toLabels(labels: readonly Label[]): Labels {
  const m = new Map<string, string>();
  for (const l of labels) m.set(l.key, l.value);
  return m;
}

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
