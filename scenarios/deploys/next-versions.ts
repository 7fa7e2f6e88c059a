import type { SourceEdit } from "../../harness/worker/variant.js";

/** A next version of the reference Worker: a realistic change, as edits of a copy of worker/, and what it does to a replayed journal. */
export interface NextVersion {
  name: string;
  /** The change, in words. */
  change: string;
  /** True when an invocation begun on the old code replays on the new code without a journal mismatch. */
  journalCompatible: boolean;
  edits: SourceEdit[];
}

/** The reference Worker's next versions the deploy gate deploys: one change a journal replays through, one it does not. */
export const NEXT_VERSIONS: readonly NextVersion[] = [
  {
    name: "email-wording",
    change: "the confirmation email says it another way (code outside any journaled step)",
    journalCompatible: true,
    edits: [{ file: "payments.ts", from: "booking of ${ticketId} confirmed", to: "your seat ${ticketId} is booked" }],
  },
  {
    name: "lookup-before-charge",
    change: "a booking asks the gateway for an earlier charge under its key before charging (a journaled step added before the charge)",
    journalCompatible: false,
    edits: [
      {
        file: "charge.ts",
        from: '  try {\n    return await ctx.run(\n      "charge",',
        to:
          '  const earlier = await unlessExhausted(ctx.run("look up an earlier charge", () => lookupCharges(config, key), paymentStepRetries(config)));\n' +
          '  const paid = earlier?.find((c) => c.state === "succeeded" && !c.refunded && c.transactionId !== null);\n' +
          '  if (paid) return { kind: "charged", transactionId: paid.transactionId! };\n' +
          '  try {\n    return await ctx.run(\n      "charge",',
      },
    ],
  },
];
