/**
 * The name syntaxes Kubernetes validates (k8s.io/apimachinery/pkg/util/validation and
 * pkg/api/validate/content): DNS-1123 labels and subdomains, qualified names (label keys), label
 * values, IANA port names and port numbers. Each check returns the problems, worded for people,
 * or an empty list when the value is valid. Lengths are counted in bytes, as Go's len() does.
 */

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_NAME_MAX = 63;
export const LABEL_VALUE_MAX = 63;
export const PORT_NAME_MAX = 15;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label key names and label values: alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
const LABEL_TOKEN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** UTF-8 length of a string, the unit of Go's len(). */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

function tooLong(s: string, max: number): string | undefined {
  const n = byteLength(s);
  return n > max ? `is ${n} characters long; the limit is ${max}` : undefined;
}

/** A value quoted for a message, cut short: a megabyte name must not make a megabyte message. */
function quoted(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
}

/** The first character not in `allowed`, quoted for a message. */
function firstBad(s: string, allowed: RegExp): string | undefined {
  for (const ch of s) if (!allowed.test(ch)) return ch === ' ' ? 'a space' : JSON.stringify(ch);
  return undefined;
}

/** `shown` is the value as the user wrote it, for the lowercase suggestion. */
function dnsProblems(s: string, max: number, dots: boolean, shown = s): string[] {
  const out: string[] = [];
  const long = tooLong(s, max);
  if (long) out.push(long);
  if (s === '') return ['must not be empty'];
  if ((dots ? DNS1123_SUBDOMAIN : DNS1123_LABEL).test(s)) return out;
  if (/[A-Z]/.test(s)) {
    out.push(`must be lowercase (${quoted(shown.toLowerCase())})`);
    const lower = s.toLowerCase();
    if ((dots ? DNS1123_SUBDOMAIN : DNS1123_LABEL).test(lower)) return out;
  }
  const bad = firstBad(s, dots ? /[-a-zA-Z0-9.]/ : /[-a-zA-Z0-9]/);
  if (bad) {
    if (!dots && bad === '"."') out.push('must not contain dots');
    else out.push(`contains ${bad}; only lowercase letters, digits, '-'${dots ? " and '.'" : ''} are allowed`);
  } else if (dots && s.split('.').some((part) => part === '')) {
    out.push("must not have empty parts (no leading, trailing or double '.')");
  } else {
    out.push(dots && s.includes('.') ? "must start and end with a letter or digit, and so must each '.'-separated part" : 'must start and end with a letter or digit');
  }
  return out;
}

/** RFC 1123 label, as IsDNS1123Label: namespaces, for example. */
export function dns1123LabelProblems(s: string): string[] {
  return dnsProblems(s, DNS1123_LABEL_MAX, false);
}

/** RFC 1123 subdomain, as IsDNS1123Subdomain: object names, label key prefixes. */
export function dns1123SubdomainProblems(s: string): string[] {
  return dnsProblems(s, DNS1123_SUBDOMAIN_MAX, true);
}

/**
 * A name checked by NameIsDNSSubdomain(name, prefix). With `prefix` (metadata.generateName) a
 * trailing '-' is allowed, since a random suffix follows it.
 */
export function objectNameProblems(s: string, prefix: boolean): string[] {
  const masked = prefix && s.length > 1 && s.endsWith('-') ? `${s.slice(0, -1)}a` : s;
  return dnsProblems(masked, DNS1123_SUBDOMAIN_MAX, true, s);
}

function labelTokenProblems(s: string, max: number, what: string): string[] {
  const out: string[] = [];
  const long = tooLong(s, max);
  if (long) out.push(`${what}${long}`);
  if (LABEL_TOKEN.test(s)) return out;
  const bad = firstBad(s, /[-A-Za-z0-9_.]/);
  if (bad) out.push(`${what}contains ${bad}; only letters, digits, '-', '_' and '.' are allowed`);
  else out.push(`${what}must start and end with a letter or digit`);
  return out;
}

/**
 * A qualified name, as IsQualifiedName / IsLabelKey: an optional DNS-subdomain prefix and '/',
 * then a name of at most 63 characters. Label keys and annotation keys use it.
 */
export function qualifiedNameProblems(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) return ["may contain at most one '/' (an optional prefix such as example.com/, then the name)"];
  const out: string[] = [];
  let name = s;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix === '') out.push("has an empty prefix before '/'");
    else for (const p of dns1123SubdomainProblems(prefix)) out.push(`has the prefix ${JSON.stringify(prefix)}, which ${p}`);
  }
  if (name === '') {
    out.push(parts.length === 2 ? "has an empty name after '/'" : 'must not be empty');
    return out;
  }
  out.push(...labelTokenProblems(name, LABEL_NAME_MAX, parts.length === 2 ? `has the name ${JSON.stringify(name)}, which ` : ''));
  return out;
}

/** A label value, as IsValidLabelValue: empty, or at most 63 label characters. */
export function labelValueProblems(s: string): string[] {
  if (s === '') return [];
  return labelTokenProblems(s, LABEL_VALUE_MAX, '');
}

/**
 * An IANA service name, as IsValidPortName: at most 15 characters of a-z, 0-9 and '-', at least
 * one letter, no '-' at either end and no '--'.
 */
export function portNameProblems(s: string): string[] {
  const out: string[] = [];
  if (s === '') return ['must not be empty'];
  if (byteLength(s) > PORT_NAME_MAX) out.push(`is ${byteLength(s)} characters long; the limit is ${PORT_NAME_MAX}`);
  if (/^[0-9]+$/.test(s)) {
    out.push('is all digits, so it is not a valid port name; a name needs a letter');
    return out;
  }
  if (!/^[-a-z0-9]+$/.test(s)) {
    const bad = firstBad(s, /[-a-z0-9]/);
    out.push(/[A-Z]/.test(s) && !/[^-A-Za-z0-9]/.test(s) ? `must be lowercase (${quoted(s.toLowerCase())})` : `contains ${bad ?? 'a character'}; only lowercase letters, digits and '-' are allowed`);
  } else if (!/[a-z]/.test(s)) out.push('must contain at least one letter');
  if (s.includes('--')) out.push("must not contain '--'");
  if (s.startsWith('-') || s.endsWith('-')) out.push("must not start or end with '-'");
  return out;
}

/** A port number, as IsValidPortNum: 1 to 65535. */
export function portNumberProblems(n: number): string[] {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? [] : [`${n} is not a port number (1 to 65535)`];
}

/** Problems joined for one message: "is 70 characters long; the limit is 63, and contains a space". */
export function joinProblems(problems: readonly string[]): string {
  if (problems.length <= 1) return problems[0] ?? '';
  return `${problems.slice(0, -1).join(', ')}, and ${problems[problems.length - 1] ?? ''}`;
}
