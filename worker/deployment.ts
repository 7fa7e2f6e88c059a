import { env } from "cloudflare:workers";
import { parseConfig, type WorkerEnv } from "./config.js";

/**
 * The settings that shape the endpoint itself (which handlers are public, which keys sign Restate's requests),
 * read once when the Worker loads: Workers hand modules their environment at load time.
 */
export const deployment = parseConfig(env as WorkerEnv);

/** True for handlers only Restate may call (other handlers, not the ingress), unless the demo asks for the proof of concept's public API. */
export const privateToRestate = !deployment.publicDemoApi;
