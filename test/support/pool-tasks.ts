/**
 * A chunk task for test/pool-bell.test.ts. Workers load this file, so it has no mocha globals.
 */

/** What the task writes to, shared with the main thread, and a tag to tell payloads apart. */
export interface EchoPayload {
  out: Int32Array;
  tag: number;
}

/**
 * Chunk i writes 1000 · visits + tag into out[i], where visits counts the jobs that have built
 * this task from this payload object: 1 for a payload just cloned into the thread, more when
 * the thread kept it from earlier jobs.
 */
export function echoTask(p: EchoPayload & { visits?: number }): (chunk: number) => void {
  p.visits = (p.visits ?? 0) + 1;
  const value = p.visits * 1000 + p.tag;
  return (chunk: number) => {
    p.out[chunk] = value;
  };
}
