import { diagnose, type Finding } from '../core/diagnostics';
import { buildInventory, type Inventory } from '../core/inventory';
import type { ParsedFile } from '../core/model';
import { DocumentCache, parseFile } from '../core/parse';
import { DEFAULT_SETTINGS, type Settings } from './settings';

interface FileState {
  readonly file: ParsedFile;
  readonly version: number;
  readonly cache: DocumentCache;
}

/**
 * The documents the server knows and what was computed from them. Parses are per document
 * (`---`), cached by text; the inventory and findings are recomputed lazily after a change.
 */
export class Workspace {
  private files = new Map<string, FileState>();
  private inv: Inventory | undefined;
  private findingsCache = new Map<string, Finding[]>();
  private settings: Settings = DEFAULT_SETTINGS;

  configure(settings: Settings): void {
    const reparse = settings.maxFileSize !== this.settings.maxFileSize;
    this.settings = settings;
    if (reparse) for (const [uri, s] of this.files) this.update(uri, s.file.text, s.version);
    this.invalidate();
  }

  update(uri: string, text: string, version: number): void {
    const prev = this.files.get(uri);
    const cache = prev?.cache ?? new DocumentCache();
    const file = parseFile(uri, text, { maxFileSize: this.settings.maxFileSize, cache });
    cache.sweep();
    this.files.set(uri, { file, version, cache });
    this.invalidate();
  }

  remove(uri: string): void {
    this.files.delete(uri);
    this.invalidate();
  }

  current(uri: string): FileState | undefined {
    return this.files.get(uri);
  }

  inventory(): Inventory {
    if (!this.inv) this.inv = buildInventory([...this.files.values()].map((s) => s.file), this.settings.defaultNamespace);
    return this.inv;
  }

  findings(uri: string): Finding[] {
    const cached = this.findingsCache.get(uri);
    if (cached) return cached;
    const s = this.files.get(uri);
    if (!s || !isKubernetes(s.file)) return [];
    const f = diagnose(s.file, this.inventory(), { maxFileSize: this.settings.maxFileSize });
    this.findingsCache.set(uri, f);
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
  return file.documents.some((d) => d.doc !== undefined && /^(apiVersion|kind)\s*:/m.test(file.text.slice(d.start, d.end)));
}
