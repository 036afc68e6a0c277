// Entry point that VS Code's extension host loads as extensionTestsPath: runs every bundled
// suite in out/e2e/suite with mocha and settles when they finish (rejecting on any failure,
// which the host turns into a non-zero exit code for the driver).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

interface Summary {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  output: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const dir = path.join(__dirname, 'suite');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, f));
  }

  // The extension host's console goes to the browser, not to a terminal; keep the reporter's
  // lines so the driver can print them (it passes a file path in the environment).
  const lines: string[] = [];
  const consoleLog = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => {
    lines.push(format(...data));
    consoleLog(...data);
  };

  const summary: Summary = { passed: 0, failed: 0, pending: 0, failures: [], output: '' };
  try {
    await new Promise<void>((resolve, reject) => {
      const runner = mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else resolve();
      });
      runner.on('pass', () => { summary.passed++; });
      runner.on('pending', () => { summary.pending++; });
      runner.on('fail', (test, err: unknown) => {
        summary.failed++;
        summary.failures.push({ title: test.fullTitle(), error: err instanceof Error ? err.stack ?? err.message : String(err) });
      });
    });
  } finally {
    Mocha.reporters.Base.consoleLog = consoleLog;
    summary.output = lines.join('\n');
    const report = process.env.NETPOL_E2E_REPORT;
    if (report) fs.writeFileSync(report, JSON.stringify(summary, null, 2));
  }
}
