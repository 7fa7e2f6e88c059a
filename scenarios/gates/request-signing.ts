import { generateKeyPairSync, sign } from "node:crypto";
import { expectedStatuses, rejectedWithoutChange } from "../../harness/checkers/expectations.js";
import type { Gate } from "../../harness/runner/gate.js";
import { recordCheckout, recordDirect, recordSnapshot } from "../../harness/runner/workload.js";

const INVOKE = { "content-type": "application/vnd.restate.invocation.v5", accept: "application/vnd.restate.invocation.v5" };

/** A JWT of Restate's request-identity form, validly signed, but by a key the Worker was not given. */
function jwtSignedByAnotherKey(audience: string): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ typ: "JWT", alg: "EdDSA" })}.${encode({ aud: audience, nbf: now - 60, exp: now + 60 })}`;
  return `${unsigned}.${sign(null, Buffer.from(unsigned), privateKey).toString("base64url")}`;
}

/** Only Restate may call the Worker: requests without Restate's signature are refused (401) and change nothing. */
export const requestSigning: Gate = {
  name: "request-signing",
  needs: ["restateSettings", "workerControl", "requestSigning"],
  title: "the Worker serves only requests Restate signed; any other caller gets 401 and changes nothing",
  checkers: [rejectedWithoutChange, expectedStatuses],
  async run(context) {
    const { prefix, log } = context;
    await recordCheckout(context, "client", { ticketId: `${prefix}s1`, userId: "u1", bookingId: `${prefix}b1` }, { expectStatus: 200 });
    await recordSnapshot(context);
    const forged = jwtSignedByAnotherKey(`${context.stack.worker.url}/invoke/Ticket/reserve`);
    const calls = [
      { name: "discovery, unsigned", path: "/discover", method: "GET", headers: { accept: "application/vnd.restate.endpointmanifest.v3+json" } },
      { name: "Checkout/process, unsigned", path: "/invoke/Checkout/process", headers: INVOKE },
      { name: "Ticket/reserve, unsigned", path: "/invoke/Ticket/reserve", headers: INVOKE },
      { name: "Ticket/confirm, unsigned", path: "/invoke/Ticket/confirm", headers: INVOKE },
      { name: "SeatMap/resetAll, unsigned", path: "/invoke/SeatMap/resetAll", headers: INVOKE },
      { name: "GameManager/reset, unsigned", path: "/invoke/GameManager/reset", headers: INVOKE },
      { name: "Ticket/reserve, scheme 'unsigned'", path: "/invoke/Ticket/reserve", headers: { ...INVOKE, "x-restate-signature-scheme": "unsigned" } },
      {
        name: "Ticket/reserve, garbage JWT",
        path: "/invoke/Ticket/reserve",
        headers: { ...INVOKE, "x-restate-signature-scheme": "v1", "x-restate-jwt-v1": "not.a.jwt" },
      },
      {
        name: "Ticket/reserve, JWT signed by another key",
        path: "/invoke/Ticket/reserve",
        headers: { ...INVOKE, "x-restate-signature-scheme": "v1", "x-restate-jwt-v1": forged },
      },
    ];
    log(`${calls.length} calls straight to the Worker, none signed by Restate's key`);
    for (const call of calls) await recordDirect(context, "intruder", "raw", { ...call, body: call.method === "GET" ? undefined : "", expectStatus: 401 });
  },
};
