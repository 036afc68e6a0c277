import { isAlias, isCollection, isPair, isScalar, type Alias, type Node } from 'yaml';

/** A parsed YAML document as netpol reads it: its root node (a `yaml` Document is one; so is what blockyaml.ts makes). */
export interface YamlTree {
  readonly contents: Node | null;
}

/**
 * Alias targets of a document, found in one pass. yaml's `Alias.resolve(doc)` walks the whole
 * document on every call, so a few hundred aliases in a large document cost minutes; this walks it
 * once (without recursion, so deep nesting cannot overflow the stack) and answers from a map.
 * Same rule as yaml: the last node with the anchor before the alias, in document order.
 */
interface Index {
  readonly targets: Map<Alias, Node | undefined>;
  /** Nodes as written (an alias counts once, unexpanded). */
  readonly nodes: number;
}

const cache = new WeakMap<YamlTree, Index>();

function indexOf(doc: YamlTree): Index {
  let index = cache.get(doc);
  if (!index) {
    index = build(doc);
    cache.set(doc, index);
  }
  return index;
}

export function resolveAlias(doc: YamlTree, alias: Alias): Node | undefined {
  return indexOf(doc).targets.get(alias);
}

/** Nodes in the document as written, aliases not expanded. */
export function nodeCount(doc: YamlTree): number {
  return indexOf(doc).nodes;
}

function build(doc: YamlTree): Index {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [doc.contents];
  let nodes = 0;
  while (stack.length) {
    const n = stack.pop();
    if (n === null || n === undefined) continue;
    nodes++;
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
  return { targets, nodes };
}

/**
 * How many nodes the document would have with every alias expanded, counted without expanding
 * anything (each node's size is computed once), and given up once past `limit`. An alias bomb
 * (billion laughs) has a few dozen nodes and expands to billions; kubectl's YAML decoder refuses
 * such documents ("excessive aliasing"). An alias inside the node it names is not followed.
 */
export function expandedSize(doc: YamlTree, limit: number): number {
  const index = indexOf(doc);
  if (index.targets.size === 0) return index.nodes;
  const memo = new Map<unknown, number>();
  const open = new Set<unknown>();
  const frames: { node: unknown; kids: unknown[]; next: number; size: number }[] = [];
  const enter = (node: unknown): void => {
    open.add(node);
    frames.push({ node, kids: childrenOf(doc, node), next: 0, size: isAlias(node) ? 0 : 1 });
  };
  if (doc.contents === null || doc.contents === undefined) return 0;
  enter(doc.contents);
  for (;;) {
    const top = frames[frames.length - 1];
    if (!top) return 0;
    if (top.next < top.kids.length) {
      const kid = top.kids[top.next++];
      if (kid === null || kid === undefined || open.has(kid)) continue;
      const known = memo.get(kid);
      if (known === undefined) enter(kid);
      else if ((top.size += known) > limit) return top.size;
      continue;
    }
    frames.pop();
    open.delete(top.node);
    memo.set(top.node, top.size);
    const parent = frames[frames.length - 1];
    if (!parent) return top.size;
    if ((parent.size += top.size) > limit) return parent.size;
  }
}

function childrenOf(doc: YamlTree, node: unknown): unknown[] {
  if (isAlias(node)) return [resolveAlias(doc, node)];
  if (!isCollection(node)) return [];
  const out: unknown[] = [];
  for (const item of node.items as unknown[]) {
    if (isPair(item)) out.push(item.key, item.value);
    else out.push(item);
  }
  return out;
}

/** Aliases that name no anchor before them: yaml leaves them to toJS; kubectl rejects the document ("unknown anchor"). */
export function unknownAliases(doc: YamlTree): Alias[] {
  const out: Alias[] = [];
  for (const [alias, target] of indexOf(doc).targets) if (target === undefined) out.push(alias);
  return out;
}
