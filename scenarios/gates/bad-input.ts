import { rejectedWithoutChange } from "../../harness/checkers/expectations.js";
import type { Gate } from "../../harness/runner/gate.js";
import { MAX_ID_LENGTH } from "../../worker/schemas.js";
import { recordCheckout, recordRaw, recordSnapshot } from "../../harness/runner/workload.js";

/** One malformed request: where it goes, what it carries. */
interface BadRequest {
  name: string;
  path: string;
  body?: string;
  contentType?: string;
}

const JSON_TYPE = "application/json";

/** At least 30 malformed requests; every id in them starts with `prefix`, so any state they wrongly create is seen. */
export function badRequests(prefix: string, soldSeat: string, heldSeat: string): BadRequest[] {
  const long = (n: number) => prefix + "x".repeat(n);
  const checkout = (name: string, body: unknown, raw?: string): BadRequest => ({
    name: `checkout: ${name}`,
    path: "/Checkout/process",
    body: raw ?? JSON.stringify(body),
    contentType: JSON_TYPE,
  });
  const valid = { ticketId: `${prefix}free`, userId: "u-bad" };
  return [
    checkout("body is not JSON", null, "{bad"),
    checkout("body is an array", []),
    checkout("body is a string", "seat-1"),
    checkout("body is a number", 42),
    checkout("body is null", null, "null"),
    checkout("body is an empty object", {}),
    checkout("userId missing", { ticketId: valid.ticketId }),
    checkout("ticketId missing", { userId: "u-bad" }),
    checkout("ticketId is a number", { ...valid, ticketId: 7 }),
    checkout("userId is a boolean", { ...valid, userId: true }),
    checkout("ticketId is an object", { ...valid, ticketId: { id: valid.ticketId } }),
    checkout("ticketId is empty", { ...valid, ticketId: "" }),
    checkout("userId is empty", { ...valid, userId: "" }),
    checkout(`ticketId of ${MAX_ID_LENGTH + 1} characters`, { ...valid, ticketId: long(MAX_ID_LENGTH + 1 - prefix.length) }),
    // `:` separates the parts of a charge key: booking x:seat:y on seat z would pay under booking x's key for seat y:seat:z.
    checkout("ticketId with the charge key's separator", { ...valid, ticketId: `${prefix}y:seat:z` }),
    checkout("bookingId with the charge key's separator", { ...valid, bookingId: `${prefix}x:seat:y` }),
    checkout("userId of 10,000 characters", { ...valid, userId: "u".repeat(10_000) }),
    checkout("ticketId with a slash", { ...valid, ticketId: `${prefix}a/b` }),
    checkout("ticketId with a path escape", { ...valid, ticketId: `${prefix}../../etc/passwd` }),
    checkout("ticketId with unicode", { ...valid, ticketId: `${prefix}séat-✓` }),
    checkout("ticketId with a space", { ...valid, ticketId: `${prefix}seat 1` }),
    checkout("ticketId with a control character", { ...valid, ticketId: `${prefix}seat\u0000` }),
    checkout("paymentMethodId is a number", { ...valid, paymentMethodId: 4242 }),
    checkout("paymentMethodId is empty", { ...valid, paymentMethodId: "" }),
    checkout("bookingId is empty", { ...valid, bookingId: "" }),
    checkout("bookingId of 200 characters", { ...valid, bookingId: "b".repeat(200) }),
    checkout("an unknown extra field", { ...valid, admin: true }),
    { name: "checkout: text/plain body", path: "/Checkout/process", body: JSON.stringify(valid), contentType: "text/plain" },
    { name: "checkout: empty body", path: "/Checkout/process", body: "", contentType: JSON_TYPE },
    { name: "reserve: a number", path: `/Ticket/${soldSeat}/reserve`, body: "42", contentType: JSON_TYPE },
    { name: "reserve: an empty object", path: `/Ticket/${heldSeat}/reserve`, body: "{}", contentType: JSON_TYPE },
    {
      name: `reserve: userId of ${MAX_ID_LENGTH + 1} characters`,
      path: `/Ticket/${heldSeat}/reserve`,
      body: JSON.stringify("u".repeat(MAX_ID_LENGTH + 1)),
      contentType: JSON_TYPE,
    },
    {
      name: "reserve: seat id with the charge key's separator",
      path: `/Ticket/${encodeURIComponent(`${prefix}a:b`)}/reserve`,
      body: '"u-bad"',
      contentType: JSON_TYPE,
    },
    { name: "reserve: seat id with a space", path: `/Ticket/${encodeURIComponent(`${prefix}a b`)}/reserve`, body: '"u-bad"', contentType: JSON_TYPE },
    { name: "reserve: a seat held by another user", path: `/Ticket/${heldSeat}/reserve`, body: '"u-intruder"', contentType: JSON_TYPE },
    { name: "reserve: a sold seat", path: `/Ticket/${soldSeat}/reserve`, body: '"u-intruder"', contentType: JSON_TYPE },
    { name: "confirm: bookingId is a number", path: `/Ticket/${heldSeat}/confirm`, body: '{"bookingId":5}', contentType: JSON_TYPE },
    { name: "confirm: someone else's booking", path: `/Ticket/${heldSeat}/confirm`, body: `{"bookingId":"${prefix}not-mine"}`, contentType: JSON_TYPE },
    { name: "confirm: a sold seat for someone else", path: `/Ticket/${soldSeat}/confirm`, body: `{"bookingId":"${prefix}not-mine"}`, contentType: JSON_TYPE },
    { name: "release: bookingId is empty", path: `/Ticket/${heldSeat}/release`, body: '{"bookingId":""}', contentType: JSON_TYPE },
    { name: "get: unicode seat id", path: `/Ticket/${encodeURIComponent(`${prefix}✓`)}/get`, body: "{}", contentType: JSON_TYPE },
    { name: "get: seat id of 200 characters", path: `/Ticket/${long(200)}/get`, body: "{}", contentType: JSON_TYPE },
    { name: "get: body with a field", path: `/Ticket/${soldSeat}/get`, body: '{"status":"AVAILABLE"}', contentType: JSON_TYPE },
    { name: "expire: private handler", path: `/Ticket/${heldSeat}/expire`, body: '{"holdId":"x"}', contentType: JSON_TYPE },
    { name: "SeatMap set: unknown status", path: "/SeatMap/global/set", body: JSON.stringify({ seatId: soldSeat, status: "FREE" }), contentType: JSON_TYPE },
    { name: "SeatMap set: status missing", path: "/SeatMap/global/set", body: JSON.stringify({ seatId: soldSeat }), contentType: JSON_TYPE },
    { name: "unknown handler", path: `/Ticket/${soldSeat}/explode`, body: "{}", contentType: JSON_TYPE },
  ];
}

/** Malformed and out-of-place requests each get a 4xx and change no ticket, no view entry and no ledger entry. */
export const badInput: Gate = {
  name: "bad-input",
  needs: ["workerControl", "demoApi"],
  // Malformed calls to every handler of the proof of concept's contract reach the Worker: the demo's public API.
  stack: { workerEnv: { PUBLIC_DEMO_API: "true" } },
  title: "malformed requests get a 4xx and change nothing",
  checkers: [rejectedWithoutChange],
  async run(context) {
    const { prefix, log } = context;
    const soldSeat = `${prefix}sold`;
    const heldSeat = `${prefix}held`;
    await recordCheckout(context, "setup", { ticketId: soldSeat, userId: "u-owner", bookingId: `${prefix}owner` });
    await recordRaw(context, "setup", "reserve", { seatId: heldSeat, path: `/Ticket/${heldSeat}/reserve`, body: '"u-holder"' });
    await recordSnapshot(context);
    const requests = badRequests(prefix, soldSeat, heldSeat);
    log(`${requests.length} malformed requests`);
    for (const request of requests) {
      await recordRaw(context, "hostile", "raw", { name: request.name, path: request.path, body: request.body, contentType: request.contentType });
    }
  },
};
