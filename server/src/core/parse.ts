// instanceof, not yaml's isMap/isScalar: those read a symbol property, several times slower in these hot loops.
import { Alias, isNode, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { expandedSize, nodeCount, resolveAlias, unknownAliases, type YamlTree } from './alias';
import { parseBlockDocument } from './blockyaml';
import {
  WORKLOAD_KINDS,
  type ContainerPort,
  type CustomResource,
  type IPBlock,
  type K8sObject,
  type Label,
  type LabelExpression,
  type Located,
  type NetworkPolicy,
  type ParsedDocument,
  type ParsedFile,
  type Peer,
  type PolicyPort,
  type Protocol,
  type Rule,
  type Selector,
  type ServicePort,
  type SyntaxProblem,
  type WorkloadKind,
} from './model';
import { flatCopy, span, type Span } from './text';
import { validateYaml } from './validate';

export interface ParseOptions {
  /** Files longer than this (in characters) are not parsed. */
  readonly maxFileSize?: number;
  /** Per document: alias dereferences allowed while reading objects (guards against alias bombs). */
  readonly maxAliases?: number;
  /** Documents parsed before, reused when their text is unchanged (see `parseFile`). */
  readonly cache?: DocumentCache;
  /** Read plain block YAML with blockyaml.ts (default); false sends every document to the yaml library (tests compare the two). */
  readonly fastPath?: boolean;
}

/** YAML problems reported per document. */
const MAX_PROBLEMS = 100;

/** Nodes a document may expand to through aliases (and ten times its own size), as go-yaml's limit. */
const MAX_EXPANDED_NODES = 400_000;

/** 20 MB: rendered charts of thousands of policies still fit; beyond that a file is data, not a manifest. */
export const DEFAULT_MAX_FILE_SIZE = 20_000_000;

/**
 * Parsed documents by text, so that an edit re-parses only the document it touches. A document
 * that only moved (an edit above it) is reused with its offsets shifted in place: the `yaml`
 * Document keeps ranges relative to the document, and the model's spans are moved. A cache belongs
 * to one file's successive versions; the previous version's ParsedFile is stale once a new one is made.
 */
export class DocumentCache {
  private map = new Map<string, ParsedDocument>();
  private next = new Map<string, ParsedDocument>();

  /** A document parsed before with this text, unless this parse already took it. */
  take(text: string): ParsedDocument | undefined {
    if (this.next.has(text)) return undefined;
    return this.map.get(text);
  }

  set(text: string, d: ParsedDocument): void {
    this.next.set(text, d);
  }

  /** Offer a document parsed ahead of time (see `primeFile`, which asks `has` first) to the next parse. */
  prime(text: string, d: ParsedDocument): void {
    this.map.set(text, d);
  }

  has(text: string): boolean {
    return this.map.has(text);
  }

  /** Drop what the last parse did not use. */
  sweep(): void {
    this.map = this.next;
    this.next = new Map();
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Move a cached document to a new place in its file, updating its spans in place. */
function relocate(d: ParsedDocument, source: string, start: number, index: number): ParsedDocument {
  const delta = start - d.start;
  if (delta === 0 && d.index === index && (d.objects[0]?.source ?? source) === source) return d;
  for (const o of d.objects) move(o, delta, index, source);
  for (const p of d.problems) move(p, delta, index, source);
  for (const f of d.findings) move(f, delta, index, source);
  const m = d as Mutable<ParsedDocument>;
  m.start = start;
  m.end = d.end + delta;
  m.index = index;
  return d;
}

/**
 * Shift every span in a model value by `delta`, in place. An edit moves every document below it, so
 * this runs over half a file per keystroke: for-in and no visited set, as it allocates nothing (Object.keys
 * and a Set made ~45 MB of garbage per edit at 5000 policies). That relies on the model being a tree
 * of plain objects, arrays and Maps of strings, where spans are the only objects with a numeric `start`
 * and no object is reachable twice but the shared empty list (NONE, nothing to move);
 * test/core/parse.test.ts checks both over the corpus.
 */
function move(o: object, delta: number, docIndex: number, source: string): void {
  if (Array.isArray(o)) {
    for (const x of o) if (typeof x === 'object' && x !== null) move(x, delta, docIndex, source);
    return;
  }
  const r = o as Record<string, unknown>;
  if (typeof r.start === 'number') {
    r.start += delta;
    (r.end as number) += delta;
    return;
  }
  for (const k in r) {
    const x = r[k];
    if (typeof x === 'object' && x !== null) move(x, delta, docIndex, source);
    else if (k === 'docIndex') r[k] = docIndex;
    else if (k === 'source') r[k] = source;
  }
}

/** A line that starts with `---`: the regex engine finds the few hundred among a file's thousands of lines. */
const DASH_LINE = /(?:^|\n)---/g;

/** Cut the text at `---` lines; each piece is one YAML document (directives go with the next). */
export function splitDocuments(text: string): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let start = 0;
  let first = true;
  DASH_LINE.lastIndex = 0;
  for (let m = DASH_LINE.exec(text); m; m = DASH_LINE.exec(text)) {
    const at = m.index + m[0].length - 3;
    const c = text.charCodeAt(at + 3);
    const marker = at + 3 >= text.length || c === 32 || c === 9 || c === 10 || c === 13;
    // A marker before any content (comments, directives) starts the first document, not a second one.
    if (marker && !(first && !contentBefore(text, at))) {
      pieces.push({ start, end: at });
      start = at;
    }
    first = false;
  }
  pieces.push({ start, end: text.length });
  return pieces;
}

/** Whether a line before `end` holds more than white space, a comment or a directive. */
function contentBefore(text: string, end: number): boolean {
  for (let lineStart = 0; lineStart < end; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const t = text.slice(lineStart, lineEnd).trim();
    if (t !== '' && !t.startsWith('#') && !t.startsWith('%')) return true;
    lineStart = lineEnd + 1;
  }
  return false;
}

/** Heuristic for Helm/Go templates: such documents are not YAML until rendered. */
export function isTemplate(text: string): boolean {
  // `{{`, then anything but `}`, then `}}`, as /\{\{[^}]*\}\}/ says, in one pass: the regex
  // restarts its scan at every `{`, quadratic on a run of them (40 KB of `{` took 3 s).
  let open = text.indexOf('{{');
  while (open >= 0) {
    const close = text.indexOf('}', open + 2);
    if (close < 0) return false;
    if (text.charCodeAt(close + 1) === 125 /* } */) return true;
    open = text.indexOf('{{', close + 1);
  }
  return false;
}

export function isBinary(text: string): boolean {
  const n = Math.min(text.length, 8000);
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0) return true;
  return false;
}

/** Why a file is not read at all, if it is not: over the size limit, or binary. */
function unread(text: string, options: ParseOptions): 'tooLarge' | 'binary' | undefined {
  if (text.length > (options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) return 'tooLarge';
  return isBinary(text) ? 'binary' : undefined;
}

/** Parse a file into documents and the Kubernetes objects in them. Never throws. */
export function parseFile(source: string, text: string, options: ParseOptions = {}): ParsedFile {
  const skip = unread(text, options);
  if (skip) return { source, text, documents: [], objects: [], tooLarge: skip === 'tooLarge', binary: skip === 'binary' };
  const cache = options.cache ?? new DocumentCache();
  const documents: ParsedDocument[] = [];
  const objects: K8sObject[] = [];
  for (const piece of documentTexts(text)) {
    const cached = cache.take(piece.text);
    const parsed = cached ? relocate(cached, source, piece.start, documents.length) : parseOne(source, piece.text, piece.start, documents.length, options);
    cache.set(piece.text, parsed);
    documents.push(parsed);
    for (const o of parsed.objects) objects.push(o); // not push(...): a List of 100k items overflows the stack
  }
  if (!options.cache) cache.sweep();
  return { source, text, documents, objects, tooLarge: false, binary: false };
}

/**
 * Parse a file's documents ahead of need, a slice at a time (a server's background index): each
 * call of the returned step parses documents into `cache` until `stop()` says the slice is over,
 * and false once none is left. parseFile of the same text with this cache then reuses each one.
 */
export function primeFile(source: string, text: string, cache: DocumentCache, options: ParseOptions = {}): (stop: () => boolean) => boolean {
  if (unread(text, options)) return () => false;
  const pieces = documentTexts(text);
  let index = 0;
  return (stop) => {
    for (;;) {
      const next = pieces.next();
      if (next.done) return false;
      const { start, text: t } = next.value;
      // The offsets and index parseFile will give it, so that reusing it moves nothing.
      if (!cache.has(t)) cache.prime(t, parseOne(source, t, start, index, options));
      index++;
      if (stop()) return true;
    }
  };
}

/** A file's documents as the YAML parser reads them, with their offsets in the file. */
function* documentTexts(text: string): Generator<{ start: number; text: string }, void> {
  // A BOM is not part of the YAML; offsets stay those of the full text.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // One character for another keeps every offset.
  const yaml = yamlText(text);
  for (const piece of splitDocuments(yaml)) {
    // Only the first piece starts at 0.
    const start = piece.start === 0 ? bom : piece.start;
    yield { start, text: yaml.slice(start, piece.end) };
  }
}

/** The options netpol parses with. Repeated keys are found by duplicateKeys (the fast path notes them as it reads): yaml's own check compares each key with every key before it. */
function parseYaml(text: string): Document.Parsed {
  // A copy: the nodes' strings would otherwise be views that keep the whole file's text alive.
  return parseDocument(flatCopy(text), { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: true });
}

/** The text the YAML parser reads: a lone CR ends a line for YAML (and kubectl) but not for the yaml library. */
function yamlText(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Documents parsed again for quick fixes, most recent last: a fix reads one document, a fix-all a few. */
const reparsed = new Map<ParsedDocument, Document.Parsed>();
const REPARSED_MAX = 64;

/**
 * The YAML nodes of a document, parsed again from the file's text (a parse does not keep them);
 * ranges are relative to the document's start. The same object while the document is among the
 * last ones asked for, so nodes found in two calls compare equal. Undefined for a document the
 * parser did not read (a template).
 */
export function documentYaml(file: ParsedFile, d: ParsedDocument): Document.Parsed | undefined {
  if (!d.parsed) return undefined;
  let doc = reparsed.get(d);
  if (!doc) {
    try {
      doc = parseYaml(yamlText(file.text.slice(d.start, d.end)));
    } catch {
      return undefined;
    }
  }
  remember(d, doc);
  return doc;
}

function remember(d: ParsedDocument, doc: Document.Parsed): void {
  reparsed.delete(d);
  if (reparsed.size >= REPARSED_MAX) {
    const oldest = reparsed.keys().next().value;
    if (oldest) reparsed.delete(oldest);
  }
  reparsed.set(d, doc);
}

function parseOne(source: string, text: string, base: number, index: number, options: ParseOptions): ParsedDocument {
  const maxAliases = options.maxAliases ?? 1000;
  const end = base + text.length;
  if (isTemplate(text)) {
    return { index, start: base, end, parsed: false, objects: NONE, findings: NONE, skipped: 'template', problems: NONE };
  }
  // Plain block YAML (most manifests) takes the fast path; anything else, the yaml library.
  const fast = (options.fastPath ?? true) ? parseBlockDocument(text) : undefined;
  let doc: YamlTree;
  /** The yaml library's Document, when the fast path declined. */
  let library: Document.Parsed | undefined;
  const problems: SyntaxProblem[] = [];
  const warnings: SyntaxProblem[] = [];
  let duplicates: number[];
  if (fast !== undefined) {
    doc = { contents: fast.contents };
    duplicates = fast.duplicates;
  } else {
    let parsed: Document.Parsed;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      // The yaml library should not throw; if it ever does, the document is reported, not the server.
      const message = e instanceof Error ? e.message : String(e);
      return { index, start: base, end, parsed: false, objects: NONE, findings: NONE, skipped: undefined, problems: [{ span: span(base, end), message: `YAML parser failed: ${message}`, code: 'YAML', severity: 'error' }] };
    }
    doc = library = parsed;
    for (const e of parsed.errors) {
      // The composer reports running out of stack in the engine's words; say what it means here.
      const message = e.code === 'RESOURCE_EXHAUSTION' ? `Collections nested too deeply to read (${firstLine(e.message)})` : firstLine(e.message);
      problems.push({ span: clampSpan(base, end, e.pos), message, code: e.code, severity: 'error' });
    }
    for (const a of unknownAliases(parsed)) {
      const r = a.range ?? [0, 0];
      const name = a.source.length > 60 ? `${a.source.slice(0, 60)}…` : a.source;
      problems.push({ span: clampSpan(base, end, [r[0], r[1]]), message: `Unknown alias *${name}: no anchor &${name} comes before it`, code: 'BAD_ALIAS', severity: 'error' });
    }
    for (const w of parsed.warnings) {
      warnings.push({ span: clampSpan(base, end, w.pos), message: firstLine(w.message), code: w.code, severity: 'warning' });
    }
    duplicates = duplicateKeys(parsed);
  }
  for (const at of duplicates) {
    problems.push({ span: clampSpan(base, end, [at, at + 1]), message: 'Map keys must be unique', code: 'DUPLICATE_KEY', severity: 'error' });
  }
  for (const w of warnings) problems.push(w);
  if (problems.length > MAX_PROBLEMS) {
    // The first ones, and how many more: a run of 100,000 stray `}` is not 100,000 diagnostics.
    const more = problems.length - MAX_PROBLEMS;
    problems.sort((a, b) => a.span.start - b.span.start);
    problems.length = MAX_PROBLEMS;
    const last = problems[MAX_PROBLEMS - 1]?.span ?? span(base, base);
    problems.push({ span: last, message: `…and ${more} more YAML problems in this document`, code: 'TOO_MANY', severity: 'error' });
  }
  // An alias bomb is refused, as kubectl refuses it ("excessive aliasing"), before anything reads
  // it. The fast path takes no document with aliases.
  if (library) {
    const expansion = Math.max(MAX_EXPANDED_NODES, 10 * nodeCount(library));
    if (expandedSize(library, expansion) > expansion) {
      problems.push({ span: span(base, Math.min(end, base + 3)), message: `The YAML aliases in this document expand to more than ${expansion} nodes (an alias bomb?); kubectl rejects it and netpol does not analyse it.`, code: 'ALIAS_LIMIT', severity: 'warning' });
      return { index, start: base, end, parsed: true, objects: NONE, findings: NONE, skipped: 'aliases', problems: fit(problems) };
    }
  }
  const reader = new Reader(source, index, base, doc, maxAliases);
  const objects: K8sObject[] = [];
  let skipped: ParsedDocument['skipped'];
  try {
    reader.readTop(doc.contents, objects);
  } catch (e) {
    if (!(e instanceof AliasBudgetExceeded)) throw e;
    skipped = 'aliases';
    objects.length = 0;
    problems.push({ span: span(base, Math.min(end, base + 3)), message: `Too many YAML aliases in this document (more than ${maxAliases}); netpol does not analyse it.`, code: 'ALIAS_LIMIT', severity: 'warning' });
  }
  // Validated now, while the nodes exist: the document keeps its findings, not its nodes.
  const findings = skipped ? NONE : fit(validateYaml(doc, base));
  const d: ParsedDocument = { index, start: base, end, parsed: true, objects: fit(objects), findings, skipped, problems: fit(problems) };
  if (!skipped && reader.custom.length > 0) (d as Mutable<ParsedDocument>).customResources = fit(reader.custom);
  // What the yaml library read (the fast path did not take it) is slow to read again, and is often
  // the broken document someone is fixing: it starts in the re-parse cache.
  if (library) remember(d, library);
  return d;
}

/**
 * Where keys repeat in a map of the document, as yaml's uniqueKeys reports them (the same node, or
 * scalars with equal values), in linear time: yaml compares each key with all the keys before it,
 * which takes seconds for a map of 10,000 keys and minutes for 50,000. Iterative, for deep nesting.
 */
function duplicateKeys(doc: YamlTree): number[] {
  const out: number[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (!(n instanceof YAMLMap || n instanceof YAMLSeq)) continue;
    const seen = n instanceof YAMLMap ? new Set<unknown>() : undefined;
    for (const item of n.items as unknown[]) {
      if (!(item instanceof Pair)) {
        stack.push(item);
        continue;
      }
      const key: unknown = item.key;
      if (seen) {
        const id = key instanceof Scalar ? key.value : key;
        if (seen.has(id)) out.push(isNode(key) && key.range ? key.range[0] : 0);
        else seen.add(id);
      }
      stack.push(key, item.value);
    }
  }
  return out.sort((a, b) => a - b);
}

/** yaml reports errors at end of input one past the text; keep every range inside the document. */
function clampSpan(base: number, end: number, pos: readonly [number, number]): Span {
  const start = Math.min(end, Math.max(base, base + pos[0]));
  return span(start, Math.min(end, Math.max(start, base + pos[1])));
}

function firstLine(message: string): string {
  const i = message.indexOf(' at line ');
  const m = (i > 0 ? message.slice(0, i) : message.split('\n')[0] ?? message).trim();
  // yaml quotes the source into some messages (an unresolved tag): a long tag, a long message.
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}

class AliasBudgetExceeded extends Error {}

/**
 * Whether an apiVersion is of an API group Kubernetes does not serve itself: a group with a dot that
 * is not `*.k8s.io` (`monitoring.coreos.com/v1`, not `apps/v1`, `v1` or `rbac.authorization.k8s.io/v1`).
 */
function isCustomGroup(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return false;
  const group = apiVersion.slice(0, slash);
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/** A value YAML reads as null: none written (`key:`), `null`, `~`. */
export function isNull(value: unknown): boolean {
  return value === undefined || value === null || (value instanceof Scalar && value.value === null);
}

/** The one empty list the model's lists share (they are readonly; frozen so that a cast cannot push). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A list as the model keeps it, for as long as its file is open: an array that grew by push holds
 * room for 16 more (~190 bytes for one label; ~10 MB at 5000 policies in all), its copy does not.
 */
function fit<T>(a: readonly T[]): readonly T[] {
  return a.length === 0 ? NONE : a.slice();
}

type ObjectFields = Omit<NetworkPolicy, 'kind' | 'specSpan' | 'specKeySpan' | 'podSelector' | 'policyTypes' | 'policyTypesKeySpan' | 'policyTypesCount' | 'ingress' | 'ingressKeySpan' | 'egress' | 'egressKeySpan'>;

/** Reads Kubernetes objects out of one YAML document, tolerating anything malformed. */
class Reader {
  private aliases = 0;
  /** Custom resources read (readObject's other output). */
  readonly custom: CustomResource[] = [];

  constructor(
    private readonly source: string,
    private readonly docIndex: number,
    private readonly base: number,
    private readonly doc: YamlTree,
    private readonly maxAliases: number,
  ) {}

  readTop(node: unknown, out: K8sObject[]): void {
    const map = this.map(node);
    if (!map) return;
    const kind = this.str(map, 'kind');
    if (kind !== undefined && kind.endsWith('List')) {
      // `kind: List` and typed lists (PodList, NamespaceList): items may omit their kind.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      for (const item of this.seqItems(this.get(map, 'items'))) {
        const m = this.map(item);
        if (m) this.readObject(m, itemKind, out);
      }
      return;
    }
    this.readObject(map, undefined, out);
  }

  private readObject(map: YAMLMap, impliedKind: string | undefined, out: K8sObject[]): void {
    const kind = this.str(map, 'kind') ?? impliedKind;
    if (kind === undefined) return;
    const apiVersion = this.str(map, 'apiVersion');
    const meta = this.map(this.get(map, 'metadata'));
    const nameNode = meta ? this.scalarNode(this.get(meta, 'name')) : undefined;
    const nsNode = meta ? this.scalarNode(this.get(meta, 'namespace')) : undefined;
    const base = {
      source: this.source,
      docIndex: this.docIndex,
      span: this.span(map),
      apiVersion,
      name: nameNode ? String(nameNode.value ?? '') : '',
      nameSpan: nameNode ? this.span(nameNode) : undefined,
      namespace: nsNode && nsNode.value !== null && nsNode.value !== '' ? String(nsNode.value) : undefined,
      namespaceSpan: nsNode ? this.span(nsNode) : undefined,
      labels: meta ? this.labels(this.get(meta, 'labels')) : NONE,
    };
    if (kind === 'NetworkPolicy') {
      // extensions/v1beta1 policies are gone from every supported cluster; only v1 is analysed.
      if (apiVersion !== undefined && apiVersion !== 'networking.k8s.io/v1') return;
      out.push(this.policy(map, base));
    } else if (kind === 'Namespace') {
      out.push(Object.assign(base, { kind: 'Namespace' as const }));
    } else if (kind === 'Service') {
      const spec = this.map(this.get(map, 'spec'));
      out.push(Object.assign(base, { kind: 'Service' as const, selector: spec ? this.labels(this.get(spec, 'selector')) : NONE, ports: spec ? this.servicePorts(this.get(spec, 'ports')) : NONE }));
    } else if ((WORKLOAD_KINDS as readonly string[]).includes(kind)) {
      out.push(this.workload(kind as WorkloadKind, map, base));
    } else if (apiVersion !== undefined && isCustomGroup(apiVersion)) {
      this.customResource(kind, map, meta, base);
    }
  }

  /** A custom resource's label sets (see CustomResource), kept when it declares any. */
  private customResource(kind: string, map: YAMLMap, meta: YAMLMap | undefined, base: ObjectFields): void {
    const spec = this.map(this.get(map, 'spec'));
    const template = this.map(this.get(this.map(this.get(spec, 'template')), 'metadata'));
    const podMetadata = this.map(this.get(spec, 'podMetadata'));
    const sets: (readonly (readonly [string, string])[])[] = [];
    for (const node of [meta && this.get(meta, 'labels'), this.get(template, 'labels'), this.get(podMetadata, 'labels')]) {
      const labels = this.labels(node);
      if (labels.length > 0) sets.push(labels.map((l) => [l.key, l.value] as const));
    }
    if (sets.length > 0) this.custom.push({ kind, name: base.name, namespace: base.namespace, labelSets: sets });
  }

  private workload(kind: WorkloadKind, map: YAMLMap, base: ObjectFields): K8sObject {
    let podMeta: YAMLMap | undefined;
    let podSpec: YAMLMap | undefined;
    let owner: { kind: string; name: string } | undefined;
    const spec = this.map(this.get(map, 'spec'));
    if (kind === 'Pod') {
      podMeta = this.map(this.get(map, 'metadata'));
      podSpec = spec;
      owner = this.controller(podMeta);
    } else {
      let template: YAMLMap | undefined;
      if (kind === 'CronJob') {
        const jobSpec = this.map(this.get(this.map(this.get(spec, 'jobTemplate')), 'spec'));
        template = this.map(this.get(jobSpec, 'template'));
      } else {
        template = this.map(this.get(spec, 'template'));
      }
      podMeta = this.map(this.get(template, 'metadata'));
      podSpec = this.map(this.get(template, 'spec'));
    }
    const labelsNode = podMeta ? this.get(podMeta, 'labels') : undefined;
    const ports: ContainerPort[] = [];
    for (const key of ['containers', 'initContainers']) {
      for (const c of this.seqItems(this.get(podSpec, key))) {
        const cm = this.map(c);
        if (!cm) continue;
        const cname = this.str(cm, 'name') ?? '';
        for (const p of this.seqItems(this.get(cm, 'ports'))) {
          const pm = this.map(p);
          if (!pm) continue;
          const port = this.num(pm, 'containerPort');
          if (port === undefined) continue;
          ports.push({ container: cname, name: this.str(pm, 'name'), port, protocol: this.protocol(this.str(pm, 'protocol')), span: this.span(pm) });
        }
      }
    }
    return Object.assign(base, {
      kind,
      podLabels: this.labels(labelsNode),
      podLabelsSpan: labelsNode ? this.span(this.deref(labelsNode)) : undefined,
      ports: fit(ports),
      owner,
    });
  }

  private controller(meta: YAMLMap | undefined): { kind: string; name: string } | undefined {
    for (const r of this.seqItems(this.get(meta, 'ownerReferences'))) {
      const m = this.map(r);
      if (!m) continue;
      const ctl = this.scalarNode(this.get(m, 'controller'));
      if (ctl?.value !== true) continue;
      const kind = this.str(m, 'kind') ?? 'Pod';
      const name = this.str(m, 'name');
      if (name !== undefined && kind !== 'Node') return { kind, name };
    }
    return undefined;
  }

  private servicePorts(node: unknown): readonly ServicePort[] {
    const out: ServicePort[] = [];
    for (const p of this.seqItems(node)) {
      const m = this.map(p);
      if (!m) continue;
      const tp = this.scalarNode(this.get(m, 'targetPort'));
      out.push({
        name: this.str(m, 'name'),
        port: this.num(m, 'port'),
        targetPort: tp && (typeof tp.value === 'number' || typeof tp.value === 'string') ? tp.value : undefined,
        protocol: this.protocol(this.str(m, 'protocol')),
        span: this.span(m),
      });
    }
    return fit(out);
  }

  private policy(map: YAMLMap, base: ObjectFields): NetworkPolicy {
    const specPair = this.pair(map, 'spec');
    const spec = this.map(specPair?.value);
    const ps = this.pair(spec, 'podSelector');
    const pt = this.pair(spec, 'policyTypes');
    const ing = this.pair(spec, 'ingress');
    const eg = this.pair(spec, 'egress');
    const policyTypes = pt ? fit(this.seqItems(pt.value).map((n) => this.located(n)).filter((x): x is Located<string> => x !== undefined && typeof x.value === 'string')) : undefined;
    // Fields added to the base object: a spread followed by more fields is V8's slow path (a third
    // of reading a policy).
    return Object.assign(base, {
      kind: 'NetworkPolicy' as const,
      specSpan: spec ? this.span(spec) : undefined,
      specKeySpan: specPair ? this.keySpan(specPair) : undefined,
      podSelector: ps ? this.selector(ps) : undefined,
      policyTypes,
      policyTypesKeySpan: pt ? this.keySpan(pt) : undefined,
      // As written, aliases not followed: the API server sees the list only when it is one.
      policyTypesCount: pt && pt.value instanceof YAMLSeq ? pt.value.items.length : undefined,
      ingress: ing ? this.rules(ing.value, 'ingress') : undefined,
      ingressKeySpan: ing ? this.keySpan(ing) : undefined,
      egress: eg ? this.rules(eg.value, 'egress') : undefined,
      egressKeySpan: eg ? this.keySpan(eg) : undefined,
    });
  }

  private rules(node: unknown, direction: 'ingress' | 'egress'): readonly Rule[] {
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    return fit(this.seqItems(node).map((item, index) => {
      const m = this.map(item);
      const peersPair = this.pair(m, peersKey);
      const portsPair = this.pair(m, 'ports');
      return {
        direction,
        index,
        span: this.span(this.deref(item)),
        keys: this.keys(m),
        peers: peersPair ? fit(this.seqItems(peersPair.value).map((p, i) => this.peer(p, i))) : undefined,
        peersKeySpan: peersPair ? this.keySpan(peersPair) : undefined,
        ports: portsPair ? fit(this.seqItems(portsPair.value).map((p) => this.port(p))) : undefined,
        portsKeySpan: portsPair ? this.keySpan(portsPair) : undefined,
      };
    }));
  }

  private peer(node: unknown, index: number): Peer {
    const m = this.map(node);
    // A peer's selectors and ipBlock are pointers: null is absent (`- podSelector:` alone is an
    // empty peer, which the API server rejects), unlike the policy's own podSelector.
    const ps = this.given(this.pair(m, 'podSelector'));
    const ns = this.given(this.pair(m, 'namespaceSelector'));
    const ib = this.given(this.pair(m, 'ipBlock'));
    let ipBlock: IPBlock | undefined;
    if (ib) {
      const im = this.map(ib.value);
      ipBlock = {
        span: im ? this.span(im) : this.keySpan(ib),
        keySpan: this.keySpan(ib),
        cidr: this.locatedString(this.get(im, 'cidr')),
        except: fit(this.seqItems(this.get(im, 'except')).map((n) => this.locatedString(n)).filter((x): x is Located<string> => x !== undefined)),
      };
    }
    return {
      span: this.span(this.deref(node)),
      index,
      keys: this.keys(m),
      podSelector: ps ? this.selector(ps) : undefined,
      namespaceSelector: ns ? this.selector(ns) : undefined,
      ipBlock,
    };
  }

  private port(node: unknown): PolicyPort {
    const m = this.map(node);
    const port = this.located(this.get(m, 'port'));
    const endPort = this.located(this.get(m, 'endPort'));
    return {
      span: this.span(this.deref(node)),
      protocol: this.locatedString(this.get(m, 'protocol')),
      port: port && (typeof port.value === 'number' || typeof port.value === 'string') ? (port as Located<number | string>) : undefined,
      endPort: endPort && typeof endPort.value === 'number' ? (endPort as Located<number>) : undefined,
    };
  }

  /** The pair unless its value is null (an alias counts as given: it is read, and counted, once). */
  private given(pair: Pair | undefined): Pair | undefined {
    return pair && !isNull(pair.value) ? pair : undefined;
  }

  private selector(pair: Pair): Selector {
    const value = this.deref(pair.value);
    const keySpan = this.keySpan(pair);
    const node = this.map(value);
    if (!node) {
      return { span: value ? this.span(value) : this.keySpan(pair), keySpan, matchLabels: NONE, matchExpressions: NONE, malformed: !isNull(value) };
    }
    const exprs: LabelExpression[] = [];
    for (const e of this.seqItems(this.get(node, 'matchExpressions'))) {
      const em = this.map(e);
      if (!em) continue;
      const keyNode = this.scalarNode(this.get(em, 'key'));
      const opNode = this.scalarNode(this.get(em, 'operator'));
      exprs.push({
        key: keyNode ? String(keyNode.value ?? '') : '',
        operator: opNode ? String(opNode.value ?? '') : '',
        values: fit(this.seqItems(this.get(em, 'values')).map((n) => this.locatedString(n)).filter((x): x is Located<string> => x !== undefined)),
        span: this.span(em),
        keySpan: keyNode ? this.span(keyNode) : undefined,
        operatorSpan: opNode ? this.span(opNode) : undefined,
      });
    }
    return { span: this.span(node), keySpan, matchLabels: this.labels(this.get(node, 'matchLabels')), matchExpressions: fit(exprs), malformed: false };
  }

  private labels(node: unknown): readonly Label[] {
    const m = this.map(node);
    if (!m) return NONE;
    const out: Label[] = [];
    for (const p of m.items) {
      const k = this.scalarNode(p.key);
      const v = this.scalarNode(p.value);
      if (!k) continue;
      out.push({
        key: String(k.value ?? ''),
        value: v && v.value !== null ? String(v.value) : '',
        keySpan: this.span(k),
        valueSpan: v ? this.span(v) : this.span(k),
      });
    }
    return fit(out);
  }

  private keys(map: YAMLMap | undefined): readonly string[] | undefined {
    return map && fit(map.items.map((p) => (p.key instanceof Scalar ? String(p.key.value) : '')));
  }

  // --- tolerant node access ---

  private deref(node: unknown): Node | undefined {
    if (node instanceof Alias) {
      if (++this.aliases > this.maxAliases) throw new AliasBudgetExceeded();
      const target = resolveAlias(this.doc, node);
      return target && !(target instanceof Alias) ? (target as Node) : undefined;
    }
    return node as Node | undefined;
  }

  private map(node: unknown): YAMLMap | undefined {
    const n = this.deref(node);
    return n instanceof YAMLMap ? n : undefined;
  }

  private seqItems(node: unknown): unknown[] {
    const n = this.deref(node);
    return n instanceof YAMLSeq ? n.items : [];
  }

  private pair(map: YAMLMap | undefined, key: string): Pair | undefined {
    if (!map) return undefined;
    for (const p of map.items) {
      const k = p.key;
      if (k instanceof Scalar && k.value === key) return p;
    }
    return undefined;
  }

  private get(map: YAMLMap | undefined, key: string): unknown {
    return this.pair(map, key)?.value ?? undefined;
  }

  private scalarNode(node: unknown): (Node & { value: unknown }) | undefined {
    const n = this.deref(node);
    return n instanceof Scalar ? n : undefined;
  }

  private str(map: YAMLMap | undefined, key: string): string | undefined {
    const v = this.scalarNode(this.get(map, key))?.value;
    return typeof v === 'string' ? v : undefined;
  }

  private num(map: YAMLMap | undefined, key: string): number | undefined {
    const v = this.scalarNode(this.get(map, key))?.value;
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  }

  private protocol(p: string | undefined): Protocol {
    return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
  }

  private located(node: unknown): Located<unknown> | undefined {
    const n = this.scalarNode(node);
    if (!n || n.value === null) return undefined;
    return { value: n.value, span: this.span(n) };
  }

  private locatedString(node: unknown): Located<string> | undefined {
    const n = this.scalarNode(node);
    if (!n || n.value === null) return undefined;
    return { value: String(n.value), span: this.span(n) };
  }

  private span(node: Node | undefined): Span {
    const r = node?.range;
    if (!r) return span(this.base, this.base);
    return span(this.base + r[0], this.base + r[1]);
  }

  private keySpan(pair: Pair): Span {
    return this.span(pair.key instanceof Scalar ? pair.key : undefined);
  }
}
