/**
 * `fields` copied into a new empty object, for the objects a fit makes afresh and its hot code
 * reads (plans, prepared parameters). V8 builds an object literal's template on the literal's
 * second run, here the second fit of a process, and then widens the type it had recorded for
 * each object-valued field (a Float64Array, a WebAssembly.Memory) to any type: the code
 * optimised during the first fit that relied on it is discarded (`--trace-deopt`: "code
 * dependencies") and recompiled during the second fit, taking one of two cores for 10–20 ms.
 * An object built up from {} keeps the recorded types.
 */
export function stableObject<T extends object>(fields: T): T {
  return Object.assign({}, fields);
}
