import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from 'yaml';

/**
 * Alias targets of a document, found in one pass. yaml's `Alias.resolve(doc)` walks the whole
 * document on every call, so a few hundred aliases in a large document cost minutes; this walks it
 * once (without recursion, so deep nesting cannot overflow the stack) and answers from a map.
 * Same rule as yaml: the last node with the anchor before the alias, in document order.
 */
const cache = new WeakMap<Document.Parsed, Map<Alias, Node | undefined>>();

export function resolveAlias(doc: Document.Parsed, alias: Alias): Node | undefined {
  let targets = cache.get(doc);
  if (!targets) {
    targets = aliasTargets(doc);
    cache.set(doc, targets);
  }
  return targets.get(alias);
}

function aliasTargets(doc: Document.Parsed): Map<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isAlias(n)) {
      targets.set(n, anchors.get(n.source));
      continue;
    }
    if (isScalar(n) || isCollection(n)) {
      if (n.anchor) anchors.set(n.anchor, n);
    }
    if (isCollection(n)) {
      // Children in reverse, so they come off the stack in document order (a pair: key, then value).
      for (let i = n.items.length - 1; i >= 0; i--) {
        const item: unknown = n.items[i];
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    }
  }
  return targets;
}
