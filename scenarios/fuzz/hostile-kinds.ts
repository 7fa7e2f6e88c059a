import fc from "fast-check";
import { MAX_INPUT_BYTES } from "../../worker/input.js";
import { MAX_ID_LENGTH, MAX_KEY_LENGTH } from "../../worker/schemas.js";

/** One hostile request: where it goes (Restate's ingress, or straight to the Worker's own route), and what it carries. */
export interface HostileCase {
  kind: string;
  target: "ingress" | "worker";
  method?: string;
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** A 4xx is always expected; these narrow it. */
  expectStatus?: number;
  expectBody?: string;
  /** Send this many copies at once (the same key hammered concurrently). */
  copies?: number;
}

/** A named kind of hostile input: cases drawn from an arbitrary, every id in them under the run's prefix. */
export interface HostileKind {
  name: string;
  cases(prefix: string): fc.Arbitrary<HostileCase>;
}

const JSON_TYPE = "application/json";
/** A short valid id that can name a seat or a booking (no `:`, the charge key's separator). */
const idChars = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,16}$/);
/** One past the longest id the Worker accepts. */
const OVER_ID = MAX_ID_LENGTH + 1;
const jsonScalar = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
/** Text with at least one character an id may not hold. */
const withBadChar = (bad: fc.Arbitrary<string>) => fc.tuple(idChars, bad, fc.string({ maxLength: 6 })).map(([a, b, c]) => `${a}${b}${c}`);
const unicode = fc.constantFrom("é", "✓", "😀", "\u200b", "ß", "中", "\ufeff", "\u202e");
const control = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
const separator = fc.constantFrom("/", "\\", "/../", "..\\", "%2F", "%00", "?", "#", "&");
const whitespace = fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0");
const longId = (min: number, max: number) => fc.integer({ min, max }).map((n) => `a${"x".repeat(n - 1)}`);

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
/** Text that opens like JSON with `open` and is not JSON (a bare draw may close it: `{` + `}` is an empty object). */
const notJson = (open: string, maxLength: number) =>
  fc
    .string({ maxLength })
    .map((s) => `${open}${s}`)
    .filter((text) => !parsesAsJson(text));

/** A checkout body that is valid but for what `change` does to it. */
function checkoutKind(name: string, change: (valid: Record<string, unknown>) => fc.Arbitrary<unknown>, extra: Partial<HostileCase> = {}): HostileKind {
  return {
    name: `checkout: ${name}`,
    cases: (prefix) =>
      fc
        .tuple(idChars, idChars)
        .chain(([seat, user]) =>
          change({ ticketId: `${prefix}fz-${seat}`, userId: `u-${user}`, paymentMethodId: "card_success", bookingId: `${prefix}fb-${seat}` }),
        )
        .map((body) => ({
          kind: `checkout: ${name}`,
          target: "ingress",
          path: "/Checkout/process",
          body: JSON.stringify(body),
          contentType: JSON_TYPE,
          ...extra,
        })),
  };
}

/** A checkout whose raw body text is what `text` draws. */
function checkoutText(name: string, text: (prefix: string) => fc.Arbitrary<string>, extra: Partial<HostileCase> = {}): HostileKind {
  return {
    name: `checkout: ${name}`,
    cases: (prefix) =>
      text(prefix).map((body) => ({ kind: `checkout: ${name}`, target: "ingress", path: "/Checkout/process", body, contentType: JSON_TYPE, ...extra })),
  };
}

const field = (key: string, value: fc.Arbitrary<unknown>) => (valid: Record<string, unknown>) => value.map((v) => ({ ...valid, [key]: v }));
/** The valid id of `key` (which carries the run's prefix) with `suffix` drawn onto it. */
const suffixed = (key: string, suffix: fc.Arbitrary<string>) => (valid: Record<string, unknown>) =>
  suffix.map((s) => ({ ...valid, [key]: `${String(valid[key])}${s}` }));
const without = (key: string) => (valid: Record<string, unknown>) => fc.constant(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)));

/** A read of an object under a hostile key (the key is URL-encoded into the path). */
function keyKind(service: "Ticket" | "SeatMap", name: string, key: (prefix: string) => fc.Arbitrary<string>): HostileKind {
  return {
    name: `${service}/get key: ${name}`,
    cases: (prefix) =>
      key(prefix).map((k) => ({
        kind: `${service}/get key: ${name}`,
        target: "ingress",
        path: `/${service}/${encodeURIComponent(k)}/get`,
        body: "{}",
        contentType: JSON_TYPE,
      })),
  };
}

/** A read with a well-formed key and a hostile body. */
function getBodyKind(service: "Ticket" | "SeatMap", name: string, body: fc.Arbitrary<string>): HostileKind {
  return {
    name: `${service}/get body: ${name}`,
    cases: (prefix) =>
      body.map((b) => ({
        kind: `${service}/get body: ${name}`,
        target: "ingress",
        path: service === "Ticket" ? `/Ticket/${prefix}fz-get/get` : "/SeatMap/global/get",
        body: b,
        contentType: JSON_TYPE,
      })),
  };
}

/** A call of the Worker's mock payment route. */
function paymentKind(name: string, draw: fc.Arbitrary<Partial<HostileCase>>): HostileKind {
  return {
    name: `mock-payment: ${name}`,
    cases: () => draw.map((c) => ({ kind: `mock-payment: ${name}`, target: "worker", path: "/api/mock-payment", contentType: JSON_TYPE, ...c })),
  };
}
const payment = (body: fc.Arbitrary<unknown>) => body.map((b) => ({ body: JSON.stringify(b) }));

const oversize = (min: number, max: number) => fc.integer({ min, max }).map((n) => "p".repeat(n));
const LIMIT = { expectBody: "over the limit" };

/** Every kind of hostile input the fuzzer draws from. */
export const HOSTILE_KINDS: readonly HostileKind[] = [
  checkoutText("body is not JSON", () => notJson("{", 40)),
  checkoutText("body is empty", () => fc.constant("")),
  checkoutText("body is a JSON array", () => fc.array(fc.jsonValue(), { maxLength: 4 }).map((v) => JSON.stringify(v))),
  checkoutText("body is JSON null", () => fc.constant("null")),
  checkoutText("body is a JSON number", () => fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n))),
  checkoutText("body is a JSON string", () => fc.string({ maxLength: 30 }).map((s) => JSON.stringify(s))),
  checkoutText("body is a JSON boolean", () => fc.boolean().map((b) => JSON.stringify(b))),
  checkoutText("trailing garbage after the object", (p) =>
    fc.tuple(idChars, fc.string({ minLength: 1, maxLength: 10 })).map(([s, g]) => `${JSON.stringify({ ticketId: `${p}fz-${s}`, userId: "u1" })}x${g}`),
  ),
  // A BOM before a valid body is accepted (RFC 8259 lets parsers ignore it; the fuzzer found it does book): malformed after it.
  checkoutText("a byte-order mark before a malformed object", (p) =>
    fc.tuple(idChars, jsonScalar).map(([s, v]) => `\ufeff${JSON.stringify({ ticketId: `${p}fz-${s}`, userId: v })}`),
  ),
  checkoutText("NaN and Infinity literals", (p) => fc.constantFrom("NaN", "Infinity", "-Infinity").map((n) => `{"ticketId":"${p}fz-n","userId":${n}}`)),
  checkoutText("a number too large for a double", (p) =>
    fc.constantFrom("1e400", "-1e999", "123456789012345678901234567890e300").map((n) => `{"ticketId":"${p}fz-n","userId":${n}}`),
  ),
  checkoutText("duplicate keys, the last one malformed", (p) =>
    fc.tuple(idChars, jsonScalar).map(([s, v]) => `{"ticketId":"${p}fz-${s}","userId":"u1","userId":${JSON.stringify(v)}}`),
  ),
  checkoutText("deeply nested arrays", () => fc.integer({ min: 500, max: 7000 }).map((d) => `${"[".repeat(d)}${"]".repeat(d)}`)),
  checkoutText("deeply nested objects", () => fc.integer({ min: 200, max: 2000 }).map((d) => `${'{"a":'.repeat(d)}1${"}".repeat(d)}`)),
  checkoutText(
    "a body over the size limit",
    (p) => oversize(MAX_INPUT_BYTES + 1, MAX_INPUT_BYTES * 4).map((pad) => JSON.stringify({ ticketId: `${p}fz-big`, userId: "u1", pad })),
    LIMIT,
  ),
  checkoutText(
    "a body of a megabyte and more",
    (p) => oversize(1_048_576, 1_300_000).map((pad) => JSON.stringify({ ticketId: `${p}fz-huge`, userId: pad })),
    LIMIT,
  ),
  checkoutKind("empty object", () => fc.constant({})),
  checkoutKind("ticketId missing", without("ticketId")),
  checkoutKind("userId missing", without("userId")),
  checkoutKind("ticketId is a number", field("ticketId", fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })))),
  checkoutKind("ticketId is a boolean", field("ticketId", fc.boolean())),
  checkoutKind("ticketId is null", field("ticketId", fc.constant(null))),
  checkoutKind("ticketId is an object", field("ticketId", fc.object({ maxDepth: 2 }))),
  checkoutKind("ticketId is an array", field("ticketId", fc.array(fc.string(), { maxLength: 3 }))),
  checkoutKind("userId is a number", field("userId", fc.integer())),
  checkoutKind("userId is an object", field("userId", fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }))),
  checkoutKind("paymentMethodId is not text", field("paymentMethodId", fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })))),
  checkoutKind("bookingId is not text", field("bookingId", fc.oneof(fc.integer(), fc.object({ maxDepth: 1 })))),
  checkoutKind("an unknown field", (v) =>
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in v) && k !== "__proto__"),
        fc.jsonValue(),
      )
      .map(([k, x]) => ({ ...v, [k]: x })),
  ),
  checkoutKind("a __proto__ field", (v) =>
    fc.jsonValue().map((x) => JSON.parse(`{${JSON.stringify(v).slice(1, -1)},"__proto__":${JSON.stringify(x ?? null)}}`) as unknown),
  ),
  checkoutKind("a constructor field", field("constructor", fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }))),
  checkoutKind("ticketId is empty", field("ticketId", fc.constant(""))),
  checkoutKind("userId is empty", field("userId", fc.constant(""))),
  checkoutKind("ticketId over the id limit", suffixed("ticketId", longId(OVER_ID, 4000))),
  checkoutKind("userId over the id limit", field("userId", longId(OVER_ID, 4000))),
  checkoutKind("bookingId over the id limit", suffixed("bookingId", longId(OVER_ID, 4000))),
  checkoutKind("paymentMethodId over the id limit", field("paymentMethodId", longId(OVER_ID, 2000))),
  checkoutKind(
    "ticketId with the charge key's separator",
    suffixed(
      "ticketId",
      fc.tuple(idChars, idChars).map(([a, b]) => `${a}:${b}`),
    ),
  ),
  checkoutKind(
    "bookingId with the charge key's separator",
    suffixed(
      "bookingId",
      fc.tuple(idChars, fc.constantFrom(":seat:", ":", "::"), idChars).map(([a, sep, b]) => `${a}${sep}${b}`),
    ),
  ),
  checkoutKind("ticketId with unicode", suffixed("ticketId", withBadChar(unicode))),
  checkoutKind("ticketId with a path separator", suffixed("ticketId", withBadChar(separator))),
  checkoutKind("ticketId with a control character", suffixed("ticketId", withBadChar(control))),
  checkoutKind("ticketId with whitespace", suffixed("ticketId", withBadChar(whitespace))),
  checkoutKind(
    "ticketId starting with punctuation",
    field(
      "ticketId",
      fc.tuple(fc.constantFrom(".", "-", "_", ":", "@", "+"), idChars).map(([a, b]) => a + b),
    ),
  ),
  checkoutKind("ticketId with a lone surrogate", suffixed("ticketId", fc.constant("\ud800"))),
  checkoutKind("userId with unicode", field("userId", withBadChar(unicode))),
  checkoutKind("userId with a control character", field("userId", withBadChar(control))),
  checkoutKind("bookingId with a path separator", suffixed("bookingId", withBadChar(separator))),
  checkoutKind("paymentMethodId with unicode", field("paymentMethodId", withBadChar(unicode))),
  checkoutKind("sent as text/plain", field("userId", fc.integer()), { contentType: "text/plain" }),
  {
    name: "checkout: a huge idempotency-key header",
    cases: (prefix) =>
      fc.tuple(idChars, fc.integer({ min: 200, max: 6000 })).map(([s, n]) => ({
        kind: "checkout: a huge idempotency-key header",
        target: "ingress" as const,
        path: "/Checkout/process",
        body: JSON.stringify({ ticketId: `${prefix}fz-${s}`, userId: 7 }),
        contentType: JSON_TYPE,
        headers: { "idempotency-key": "k".repeat(n) },
      })),
  },
  {
    name: "checkout: the same seat hammered concurrently",
    cases: (prefix) =>
      fc.tuple(idChars, fc.integer({ min: 4, max: 12 }), jsonScalar).map(([s, copies, bad]) => ({
        kind: "checkout: the same seat hammered concurrently",
        target: "ingress" as const,
        path: "/Checkout/process",
        body: JSON.stringify({ ticketId: `${prefix}fz-hot-${s}`, userId: bad }),
        contentType: JSON_TYPE,
        copies,
      })),
  },
  keyKind("Ticket", "unicode", (p) => withBadChar(unicode).map((k) => p + k)),
  keyKind("Ticket", "over the id limit", (p) => longId(OVER_ID, 3000).map((k) => p + k)),
  keyKind("Ticket", "the charge key's separator", (p) => fc.tuple(idChars, idChars).map(([a, b]) => `${p}${a}:${b}`)),
  keyKind("Ticket", "a control character", (p) => withBadChar(control).map((k) => p + k)),
  keyKind("Ticket", "whitespace", (p) => withBadChar(whitespace).map((k) => p + k)),
  keyKind("Ticket", "a path separator", (p) => withBadChar(separator).map((k) => p + k)),
  keyKind("Ticket", "starting with punctuation", () => fc.tuple(fc.constantFrom(".", "-", "_", ".."), idChars).map(([a, b]) => a + b)),
  keyKind("SeatMap", "not the one map", () => idChars.filter((k) => k !== "global")),
  keyKind("SeatMap", "unicode", () => withBadChar(unicode)),
  {
    name: "Ticket/get: the same hostile key hammered concurrently",
    cases: (prefix) =>
      fc.tuple(withBadChar(unicode), fc.integer({ min: 4, max: 12 })).map(([k, copies]) => ({
        kind: "Ticket/get: the same hostile key hammered concurrently",
        target: "ingress" as const,
        path: `/Ticket/${encodeURIComponent(prefix + k)}/get`,
        body: "{}",
        contentType: JSON_TYPE,
        copies,
      })),
  },
  getBodyKind("Ticket", "not JSON", notJson("{", 20)),
  getBodyKind(
    "Ticket",
    "an object with fields",
    fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { minKeys: 1, maxKeys: 3 }).map((d) => JSON.stringify(d)),
  ),
  getBodyKind(
    "Ticket",
    "over the size limit",
    oversize(MAX_INPUT_BYTES + 1, MAX_INPUT_BYTES * 2).map((pad) => JSON.stringify({ pad })),
  ),
  getBodyKind("SeatMap", "not JSON", notJson("[", 20)),
  getBodyKind(
    "SeatMap",
    "a scalar",
    jsonScalar.map((v) => JSON.stringify(v)),
  ),
  paymentKind(
    "body is not JSON",
    notJson("{", 30).map((body) => ({ body })),
  ),
  paymentKind(
    "amount is not a positive number",
    payment(fc.oneof(fc.integer({ max: 0 }), fc.string(), fc.constant(null), fc.boolean()).map((amount) => ({ amount, paymentMethodId: "card_success" }))),
  ),
  paymentKind(
    "amount is not finite",
    fc.constantFrom("1e400", "-1e400").map((n) => ({ body: `{"amount":${n},"paymentMethodId":"card_success"}` })),
  ),
  paymentKind(
    "paymentMethodId is hostile",
    payment(fc.oneof(withBadChar(unicode), withBadChar(control), longId(OVER_ID, 1000), fc.integer()).map((m) => ({ amount: 50, paymentMethodId: m }))),
  ),
  paymentKind("fields missing", payment(fc.constantFrom({}, { amount: 50 }, { paymentMethodId: "card_success" }))),
  paymentKind(
    "a body over the size limit",
    oversize(MAX_INPUT_BYTES + 1, MAX_INPUT_BYTES * 8).map((pad) => ({
      body: JSON.stringify({ amount: 50, paymentMethodId: "card_success", pad }),
      expectStatus: 413,
      expectBody: "over the limit",
    })),
  ),
  paymentKind(
    "an idempotency key too long",
    fc
      .integer({ min: MAX_KEY_LENGTH + 1, max: 4000 })
      .map((n) => ({ body: JSON.stringify({ amount: 50, paymentMethodId: "card_success" }), headers: { "idempotency-key": "k".repeat(n) } })),
  ),
  paymentKind(
    "a method other than POST",
    fc.constantFrom("GET", "PUT", "DELETE", "PATCH").map((method) => ({ method, body: method === "GET" ? undefined : "{}", expectStatus: 405 })),
  ),
];
