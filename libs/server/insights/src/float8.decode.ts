/** What a report statement returns as bytes (float8send, timestamptz_send), read without parsing text. */

/** float8 values as float8send wrote them (8 big-endian bytes each), concatenated. */
export function float8s(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8);
  return out;
}

/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * Instants as timestamptz_send wrote them (8 big-endian bytes: microseconds since 2000),
 * concatenated, as Unix milliseconds truncated like the API's Dates (parseTimestamptz drops the
 * microseconds).
 */
export function instantsMs(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) {
    const micros = view.getInt32(i * 8) * 2 ** 32 + view.getUint32(i * 8 + 4);
    out[i] = Math.floor(micros / 1000) + PG_EPOCH_MS;
  }
  return out;
}
