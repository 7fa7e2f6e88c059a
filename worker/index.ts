import { createEndpointHandler } from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { booking } from "./booking.js";
import { checkout } from "./checkout.js";
import { parseConfig, type WorkerEnv } from "./config.js";
import { deployment } from "./deployment.js";
import { gameManager } from "./game-manager.js";
import { handleMockPayment, MOCK_PAYMENT_PATH } from "./mock-payment.js";
import { seatMap } from "./seat-map.js";
import { ticket } from "./ticket.js";

const services = [ticket, seatMap, checkout, booking, gameManager];
/** With RESTATE_IDENTITY_KEYS set, only requests Restate signed with one of those keys are served (others get 401). */
const identityKeys = deployment.identityKeys.length > 0 ? deployment.identityKeys : undefined;
const restateHandler = createEndpointHandler({ services, identityKeys });
/** Opt-in (RESTATE_BIDIRECTIONAL=true): one streamed request per invocation; verified under local workerd, not behind Cloudflare's edge. */
const bidirectionalHandler = createEndpointHandler({ services, identityKeys, bidirectional: true });

/**
 * Restate's endpoint, plus the mock payment route. The body is read whole before the SDK sees it: the SDK stops
 * reading once it has what it needs, and workerd then resets the connection Restate wants to reuse.
 */
async function restateEndpoint(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const whole = hasBody ? new Request(request, { body: await request.arrayBuffer() }) : request;
  return restateHandler(whole, env, ctx);
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const config = parseConfig(env);
    if (new URL(request.url).pathname === MOCK_PAYMENT_PATH) {
      if (!config.mockPaymentRoute) return new Response("Not found: the mock payment route is off (MOCK_PAYMENT_ROUTE)", { status: 404 });
      return handleMockPayment(request, config);
    }
    if (config.bidirectional) return bidirectionalHandler(request, env, ctx);
    return restateEndpoint(request, env, ctx);
  },
} satisfies ExportedHandler<WorkerEnv>;
