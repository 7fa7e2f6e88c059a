import type { SourceEdit } from "../harness/worker/variant.js";

/**
 * The proof of concept's flow, without its correctness defects: the Checkout updates the one `global` SeatMap
 * synchronously (awaited) after reserve, after confirm and on compensation, as the proof of concept did, Tickets do not
 * update the map themselves, and the email is a journaled step (`ctx.run`), as the proof of concept's was. Everything else
 * (holds, idempotent charges, bounded retries) is ours, so both designs pass the same audit and the difference
 * measured is the design's.
 */
export const BASELINE_EDITS: SourceEdit[] = [
  { file: "saga.ts", from: 'import { ticket } from "./ticket.js";', to: 'import { ticket } from "./ticket.js";\nimport { seatMap } from "./seat-map.js";' },
  {
    file: "saga.ts",
    from: '  if ((await seat.reserve({ userId, bookingId })) === "sold") return BOOKING_CONFIRMED;\n',
    to: '  if ((await seat.reserve({ userId, bookingId })) === "sold") return BOOKING_CONFIRMED;\n  const view = ctx.objectClient(seatMap, "global");\n  await view.set({ seatId: ticketId, status: "RESERVED" });\n',
  },
  {
    file: "saga.ts",
    from: "    await seat.release({ bookingId });\n    throw chargeFailure(payment);",
    to: '    await seat.release({ bookingId });\n    await view.set({ seatId: ticketId, status: "AVAILABLE" });\n    throw chargeFailure(payment);',
  },
  {
    file: "saga.ts",
    from: '  await crashpoint(config, "after-confirm", bookingId);\n',
    to: '  await view.set({ seatId: ticketId, status: "SOLD" });\n  await crashpoint(config, "after-confirm", bookingId);\n',
  },
  {
    file: "saga.ts",
    from: '  await crashpoint(config, "during-email", bookingId);\n  await sendEmail(config, userId, ticketId);\n',
    to: '  await ctx.run("email", async () => {\n    await crashpoint(config, "during-email", bookingId);\n    await sendEmail(config, userId, ticketId);\n  });\n',
  },
  { file: "ticket-state.ts", from: 'ctx.objectSendClient(seatMap, "global").set({ seatId, status: state.status, version });', to: "void seatMap;" },
];
