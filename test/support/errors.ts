/** What a call threw, for tests that assert on error messages. */
import { expect } from 'chai';

/** The error `f()` throws; fails the test when it throws none. */
export function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** The error `f()` throws or rejects with; fails the test when there is none. */
export async function rejectionOf(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** `p` rejects with a message matching `pattern`. */
export async function expectReject(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  let error: Error | undefined;
  try {
    await p;
  } catch (err) {
    error = err as Error;
  }
  expect(error?.message).to.match(pattern);
}
