import type { Serde } from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { serde } from "@restatedev/restate-sdk-zod";
import type { z } from "zod";

/** The largest request body a handler accepts; every valid input is far smaller. */
export const MAX_INPUT_BYTES = 16 * 1024;

/**
 * A handler's input: the zod schema's serde, after a size check. A body over MAX_INPUT_BYTES is refused (400) with
 * the limit named, before it is parsed.
 */
export function input<T>(schema: z.ZodType<T>): Serde<T> {
  const inner: Serde<T> = serde.zod(schema) as Serde<T>;
  return {
    contentType: inner.contentType,
    jsonSchema: inner.jsonSchema,
    serialize: (value) => inner.serialize(value),
    deserialize: (data) => {
      if (data.length > MAX_INPUT_BYTES) throw new Error(`request body of ${data.length} bytes is over the limit of ${MAX_INPUT_BYTES} bytes`);
      return inner.deserialize(data);
    },
  };
}
