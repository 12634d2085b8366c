import { execFile } from 'child_process';

/**
 * Run `script` in a child Node whose working folder is build/test (so '../src/...' requires
 * resolve), so that a call spinning forever cannot freeze the test process: its stdout, and
 * whether it had to be killed after `timeoutMs`.
 */
export function runIsolated(script: string, timeoutMs = 20000): Promise<{ stdout: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { timeout: timeoutMs, cwd: `${__dirname}/..` }, (err, stdout) => {
      resolve({ stdout: String(stdout), timedOut: err !== null && (err as NodeJS.ErrnoException & { killed?: boolean }).killed === true });
    });
  });
}
