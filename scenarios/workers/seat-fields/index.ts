import { createEndpointHandler } from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import type { WorkerEnv } from "../../../worker/config.js";
import { deployment } from "../../../worker/deployment.js";
import { DEFECTS, isDefect } from "./defect.js";
import { checkout } from "./checkout.js";
import { purchase } from "./purchase.js";
import { seat } from "./seat.js";

/** The reference's settings, and the test-only defect switch. */
type Env = WorkerEnv & { SEAT_FIELDS_DEFECT?: string };

/** With RESTATE_IDENTITY_KEYS set, only requests Restate signed with one of those keys are served (others get 401). */
const identityKeys = deployment.identityKeys.length > 0 ? deployment.identityKeys : undefined;
const handler = createEndpointHandler({ services: [checkout, purchase, seat], identityKeys });

export default {
  /** Restate's endpoint only. The body is read whole first (else workerd resets the connection Restate reuses). */
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const defect = env.SEAT_FIELDS_DEFECT?.trim() ?? "";
    if (defect !== "" && !isDefect(defect)) return new Response(`unknown SEAT_FIELDS_DEFECT "${defect}": one of ${DEFECTS.join(", ")}`, { status: 500 });
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    return handler(hasBody ? new Request(request, { body: await request.arrayBuffer() }) : request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
