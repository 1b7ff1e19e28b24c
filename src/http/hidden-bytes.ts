/**
 * Sets `result.bytes` as a non-enumerable property: read as usual (`result.bytes`), but left out
 * of `JSON.stringify`, `console.log` / `util.inspect`, object spread and `Object.keys`, so a
 * library user who logs or serializes a result does not dump the upstream's body as a Buffer.
 */
export function hideBytes(result: { bytes?: Buffer }, bytes: Buffer): void {
  Object.defineProperty(result, 'bytes', {
    value: bytes,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}
