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

// The syntaxes as loops over character codes, not regexes: they run on every label and name of
// every policy, and a loop is several times faster than a regex match on such short strings.

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;

/** s[start, end) is a DNS-1123 label: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/. */
function dnsLabelAt(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!(isLower(c) || isDigit(c) || (c === 45 /* - */ && i !== start && i !== end - 1))) return false;
  }
  return true;
}

function matchesDns1123Label(s: string): boolean {
  return dnsLabelAt(s, 0, s.length);
}

/** s[start, end) is labels joined by '.': /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/. */
function matchesDns1123Subdomain(s: string, start = 0, end = s.length): boolean {
  for (;;) {
    const dot = s.indexOf('.', start);
    const to = dot < 0 || dot > end ? end : dot;
    if (!dnsLabelAt(s, start, to)) return false;
    if (to === end) return true;
    start = to + 1;
  }
}

/**
 * s[start, end) is a label key name or label value, /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/:
 * alphanumerics, '-', '_' and '.', alphanumeric at both ends.
 */
function matchesLabelToken(s: string, start = 0, end = s.length): boolean {
  const last = end - 1;
  if (last < start) return false;
  for (let i = start; i <= last; i++) {
    const c = s.charCodeAt(i);
    if (isLower(c) || isUpper(c) || isDigit(c)) continue;
    if ((c === 45 /* - */ || c === 95 /* _ */ || c === 46 /* . */) && i !== start && i !== last) continue;
    return false;
  }
  return true;
}

/** UTF-8 length of a string, the unit of Go's len(). A lone surrogate counts 3, as WTF-8 writes it. */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: two units, four bytes
      i++;
    } else n += 2;
  }
  return n;
}

// The is… checks below answer "valid?" without building problems: validation asks that of every
// label of every policy, and nearly all are valid. Each agrees with its …Problems function being
// empty (the syntaxes accept only ASCII, so there a length in bytes is the string's length).

/** A qualified name (label key): qualifiedNameProblems(s) is empty. */
export function isQualifiedName(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return isLabelToken(s, LABEL_NAME_MAX);
  if (s.indexOf('/', slash + 1) >= 0) return false;
  // Prefix and name in place, not sliced out: no strings made for a check.
  return slash <= DNS1123_SUBDOMAIN_MAX && matchesDns1123Subdomain(s, 0, slash) && s.length - slash - 1 <= LABEL_NAME_MAX && matchesLabelToken(s, slash + 1, s.length);
}

/** A label value: labelValueProblems(s) is empty. */
export function isLabelValue(s: string): boolean {
  return s === '' || isLabelToken(s, LABEL_VALUE_MAX);
}

function isLabelToken(s: string, max: number): boolean {
  return s.length <= max && matchesLabelToken(s);
}

/** A port number, as IsValidPortNum: 1 to 65535. */
export function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
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
  if (s === '') return ['must not be empty'];
  // Valid characters are ASCII, so the length check needs no byte count.
  if ((dots ? matchesDns1123Subdomain : matchesDns1123Label)(s)) return s.length > max ? [`is ${s.length} characters long; the limit is ${max}`] : [];
  const out: string[] = [];
  const long = tooLong(s, max);
  if (long) out.push(long);
  if (/[A-Z]/.test(s)) {
    out.push(`must be lowercase (${quoted(shown.toLowerCase())})`);
    const lower = s.toLowerCase();
    if ((dots ? matchesDns1123Subdomain : matchesDns1123Label)(lower)) return out;
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
  if (matchesLabelToken(s)) return out;
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
  return isPortNumber(n) ? [] : [`${n} is not a port number (1 to 65535)`];
}

/** Problems joined for one message: "is 70 characters long; the limit is 63, and contains a space". */
export function joinProblems(problems: readonly string[]): string {
  if (problems.length <= 1) return problems[0] ?? '';
  return `${problems.slice(0, -1).join(', ')}, and ${problems[problems.length - 1] ?? ''}`;
}
