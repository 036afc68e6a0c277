import { DEFAULT_MAX_FILE_SIZE } from '../core/parse';
import { RULE_LEVELS, type RuleLevel, type RuleSettings } from '../core/ruleconfig';
import { RULES } from '../core/rules';

/** The `netpol.*` settings the server reads (see package.json contributes.configuration). */
export interface Settings {
  readonly enable: boolean;
  readonly defaultNamespace: string;
  readonly maxFileSize: number;
  readonly exclude: readonly string[];
  /** `netpol.rules`: severity or off per rule code. */
  readonly rules: RuleSettings;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, defaultNamespace: 'default', maxFileSize: DEFAULT_MAX_FILE_SIZE, exclude: [], rules: new Map() };

/** Whether two readings of the settings say the same (clients send them again on unrelated changes). */
export function sameSettings(a: Settings, b: Settings): boolean {
  return (
    a.enable === b.enable &&
    a.defaultNamespace === b.defaultNamespace &&
    a.maxFileSize === b.maxFileSize &&
    a.exclude.length === b.exclude.length &&
    a.exclude.every((x, i) => x === b.exclude[i]) &&
    a.rules.size === b.rules.size &&
    [...a.rules].every(([code, level]) => b.rules.get(code) === level)
  );
}

/** Accept what the client sends, falling back per field on anything malformed. */
export function readSettings(raw: unknown): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    defaultNamespace: typeof r.defaultNamespace === 'string' && r.defaultNamespace ? r.defaultNamespace : DEFAULT_SETTINGS.defaultNamespace,
    maxFileSize: typeof r.maxFileSize === 'number' && r.maxFileSize >= 0 ? r.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    exclude: Array.isArray(r.exclude) ? r.exclude.filter((x): x is string => typeof x === 'string') : DEFAULT_SETTINGS.exclude,
    rules: readRules(r.rules),
  };
}

/** `files.exclude` is an object of glob → boolean (or a `when` clause, which we treat as on). */
export function readFilesExclude(raw: unknown): string[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>)
    .filter(([, v]) => v === true || (typeof v === 'object' && v !== null))
    .map(([k]) => k);
}

function readRules(raw: unknown): RuleSettings {
  const out = new Map<string, RuleLevel>();
  if (!raw || typeof raw !== 'object') return out;
  for (const [code, level] of Object.entries(raw as Record<string, unknown>)) {
    if (RULES.has(code) && typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) out.set(code, level as RuleLevel);
  }
  return out;
}
