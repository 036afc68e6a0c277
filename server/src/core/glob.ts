/**
 * VS Code's glob syntax (`**`, `*`, `?`, `{a,b}`, `[...]`) as a RegExp over `/`-separated paths
 * relative to a workspace folder. Enough for `files.exclude` and `netpol.exclude`.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let inGroup = 0;
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  while (i < g.length) {
    const c = g[i] ?? '';
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        if (g[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
      } else {
        re += '[^/]*';
        i++;
      }
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '{') {
      re += '(?:';
      inGroup++;
      i++;
    } else if (c === '}' && inGroup > 0) {
      re += ')';
      inGroup--;
      i++;
    } else if (c === ',' && inGroup > 0) {
      re += '|';
      i++;
    } else if (c === '[') {
      const end = g.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
        i++;
      } else {
        const body = g.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end + 1;
      }
    } else {
      re += c.replace(/[.+^$()|\\]/g, '\\$&');
      i++;
    }
  }
  while (inGroup-- > 0) re += ')';
  // A pattern without a slash (`*.tmp`) or starting with `**/` matches at any depth, as in VS Code.
  return new RegExp(`^${re}(?:/.*)?$`);
}

export class Excludes {
  private readonly patterns: RegExp[];

  constructor(globs: readonly string[]) {
    this.patterns = globs.filter((g) => g.trim() !== '').map(globToRegExp);
  }

  /** `rel` is relative to the folder, with `/` separators. */
  excluded(rel: string): boolean {
    return this.patterns.some((p) => p.test(rel));
  }
}
