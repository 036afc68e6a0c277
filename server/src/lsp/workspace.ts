import { fileURLToPath } from 'node:url';
import { diagnose, type Finding } from '../core/diagnostics';
import { buildInventory, type Inventory } from '../core/inventory';
import type { ParsedFile } from '../core/model';
import { DocumentCache, parseFile, primeFile } from '../core/parse';
import { applyRuleSettings, mergeRuleSettings, type ProjectConfig } from '../core/ruleconfig';
import { DEFAULT_SETTINGS, sameSettings, type Settings } from './settings';

interface FileState {
  readonly uri: string;
  readonly file: ParsedFile;
  readonly version: number;
  readonly cache: DocumentCache;
}

/**
 * A workspace file as read from disk, parsed in the background (`prime`) or when first needed.
 * When the editor opens it, its documents go to the open file and the disk copy is dropped.
 */
interface DiskFile {
  readonly uri: string;
  readonly text: string;
  state: FileState | undefined;
  /** Documents parsed so far: the previous version's, then those parsed ahead of need; its parse (`state`) uses it too. */
  readonly cache: DocumentCache;
  /** The background parse, while it is under way. */
  primer: ((stop: () => boolean) => boolean) | undefined;
}

/** A disk file to parse, with the documents of the version before it for reuse. */
function unparsed(uri: string, text: string, cache: DocumentCache | undefined): DiskFile {
  return { uri, text, state: undefined, cache: cache ?? new DocumentCache(), primer: undefined };
}

/** One key per file whatever the client's URI encoding (`%3A`, drive letter case): the path. */
export function fileKey(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/**
 * What the server knows: open documents (their text wins) and the workspace's files on disk.
 * Parses are per document (`---`), cached by text; the inventory and findings are recomputed
 * lazily after a change.
 */
export class Workspace {
  private open = new Map<string, FileState>();
  private disk = new Map<string, DiskFile>();
  /** Indexed files that are open: their disk copy is not parsed while the editor holds them. */
  private shadowed = new Set<string>();
  /** Documents of indexed files just closed, for their disk copy (read again) to reuse. */
  private handover = new Map<string, DocumentCache>();
  private inv: Inventory | undefined;
  private findingsCache = new Map<string, Finding[]>();
  private settings: Settings = DEFAULT_SETTINGS;
  /** `.netpol.yaml` of each workspace folder, by folder path. */
  private projects = new Map<string, ProjectConfig>();

  setProjectConfig(folder: string, config: ProjectConfig | undefined): void {
    if (config) this.projects.set(folder, config);
    else this.projects.delete(folder);
    this.invalidate();
  }

  /** The project's default namespace applies unless the user changed the setting. */
  private defaultNamespace(): string {
    if (this.settings.defaultNamespace !== DEFAULT_SETTINGS.defaultNamespace) return this.settings.defaultNamespace;
    for (const c of this.projects.values()) if (c.defaultNamespace) return c.defaultNamespace;
    return this.settings.defaultNamespace;
  }

  private projectFor(key: string): ProjectConfig | undefined {
    let best: string | undefined;
    for (const folder of this.projects.keys()) if ((key === folder || key.startsWith(`${folder}/`) || key.startsWith(`${folder}\\`)) && (!best || folder.length > best.length)) best = folder;
    return best === undefined ? undefined : this.projects.get(best);
  }

  configure(settings: Settings): void {
    // VS Code sends the configuration again whenever any setting changes: keep the analysis then.
    if (sameSettings(settings, this.settings)) return;
    const reparse = settings.maxFileSize !== this.settings.maxFileSize;
    this.settings = settings;
    if (reparse) {
      for (const [k, s] of this.open) this.open.set(k, this.parse(s.uri, s.file.text, s.version, s.cache));
      for (const [k, s] of this.disk) this.disk.set(k, unparsed(s.uri, s.text, s.cache));
    }
    this.invalidate();
  }

  private parse(uri: string, text: string, version: number, cache = new DocumentCache()): FileState {
    const file = parseFile(uri, text, { maxFileSize: this.settings.maxFileSize, cache });
    cache.sweep();
    return { uri, file, version, cache };
  }

  /** An open document's text changed (or it was opened). */
  update(uri: string, text: string, version: number): void {
    const key = fileKey(uri);
    const cur = this.open.get(key);
    // The version it has (a client sending it again): the analysis stands.
    if (cur && cur.version === version && cur.file.text === text) return;
    const disk = this.disk.get(key);
    const prev = cur?.cache ?? disk?.cache;
    this.open.set(key, this.parse(uri, text, version, prev));
    if (disk) {
      // Its documents went to the open file (unchanged ones are the same objects); keeping the disk
      // copy too would double the memory of a large file. It is read again on close.
      this.disk.delete(key);
      this.shadowed.add(key);
    }
    this.invalidate();
  }

  /**
   * The document was closed: the file on disk counts again. True when the file is part of the
   * index, so the caller reads it again from disk (unsaved edits are gone with the editor).
   */
  remove(uri: string): boolean {
    const key = fileKey(uri);
    const s = this.open.get(key);
    this.open.delete(key);
    this.invalidate();
    if (!this.shadowed.delete(key)) return false;
    if (s) this.handover.set(key, s.cache);
    return true;
  }

  /** A workspace file's content on disk; undefined removes it. */
  setDisk(uri: string, text: string | undefined): void {
    const key = fileKey(uri);
    if (text !== undefined && this.open.has(key)) {
      // The open text wins: parsing the disk copy too would double the work and the memory of a
      // large open file. It is read again when the document closes.
      this.shadowed.add(key);
      this.disk.delete(key);
      return;
    }
    this.shadowed.delete(key);
    const prev = this.disk.get(key);
    const closed = this.handover.get(key);
    this.handover.delete(key);
    if (text === undefined) {
      if (!prev) return;
      this.disk.delete(key);
    } else {
      if (prev && prev.text === text) return;
      this.disk.set(key, unparsed(uri, text, prev?.cache ?? closed));
    }
    if (!this.open.has(key)) this.invalidate();
  }

  /**
   * After a walk of the folders: the indexed files it did not find leave the index, those it found
   * (setDisk with the same text changes nothing) keep their parse. An empty set clears the index.
   */
  keepDisk(found: ReadonlySet<string>): void {
    const keys = new Set<string>();
    for (const uri of found) keys.add(fileKey(uri));
    let gone = false;
    // Deleting the entry being visited is safe in a Map or Set iteration.
    for (const k of this.disk.keys()) {
      if (keys.has(k)) continue;
      this.disk.delete(k);
      gone = true;
    }
    for (const k of this.shadowed) if (!keys.has(k)) this.shadowed.delete(k);
    for (const k of this.handover.keys()) if (!keys.has(k)) this.handover.delete(k);
    if (gone) this.invalidate();
  }

  get diskFiles(): number {
    return this.disk.size + this.shadowed.size;
  }

  current(uri: string): FileState | undefined {
    const key = fileKey(uri);
    return this.open.get(key) ?? this.diskState(key);
  }

  /**
   * Parse the workspace's files ahead of need, a slice at a time: `stop` says when the slice is
   * over. True while work is left. The first diagnostics of an open file need every file of the
   * workspace, and an indexed file that the editor opens finds its documents already parsed.
   */
  prime(stop: () => boolean): boolean {
    for (const [key, d] of this.disk) {
      if (d.state) continue;
      d.primer ??= primeFile(d.uri, d.text, d.cache, { maxFileSize: this.settings.maxFileSize });
      if (d.primer(stop)) return true;
      d.primer = undefined;
      this.diskState(key); // every document is in the cache by now
      if (stop()) return true;
    }
    return false;
  }

  private diskState(key: string): FileState | undefined {
    const d = this.disk.get(key);
    if (d && !d.state) d.state = this.parse(d.uri, d.text, 0, d.cache);
    return d?.state;
  }

  /** Every file, each once: open documents over their disk copies. */
  files(): ParsedFile[] {
    const out: ParsedFile[] = [];
    for (const s of this.open.values()) out.push(s.file);
    for (const k of this.disk.keys()) {
      const s = this.open.has(k) ? undefined : this.diskState(k);
      if (s) out.push(s.file);
    }
    return out;
  }

  inventory(): Inventory {
    if (!this.inv) this.inv = buildInventory(this.files(), this.defaultNamespace());
    return this.inv;
  }

  findings(uri: string): Finding[] {
    const key = fileKey(uri);
    const cached = this.findingsCache.get(key);
    if (cached) return cached;
    const s = this.current(uri);
    if (!s || !isKubernetes(s.file)) return [];
    const all = diagnose(s.file, this.inventory(), { maxFileSize: this.settings.maxFileSize });
    // Project file first, the editor's settings over it.
    const f = applyRuleSettings(all, s.file, mergeRuleSettings(this.projectFor(key)?.rules, this.settings.rules));
    this.findingsCache.set(key, f);
    return f;
  }

  private invalidate(): void {
    this.inv = undefined;
    this.findingsCache.clear();
  }
}

/** netpol speaks only about Kubernetes manifests; other YAML (CI configs, Compose files) is left alone. */
export function isKubernetes(file: ParsedFile): boolean {
  if (file.binary) return true;
  if (file.tooLarge) return /^(apiVersion|kind)\s*:/m.test(file.text);
  if (file.objects.length > 0) return true;
  return file.documents.some((d) => d.parsed && /^(apiVersion|kind)\s*:/m.test(file.text.slice(d.start, d.end)));
}
