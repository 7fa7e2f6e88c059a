// The harness type-checks the Worker's modules it imports types from; outside workerd, `cloudflare:workers` is only
// the environment the Worker reads at load time. (The Worker's own tsconfig uses @cloudflare/workers-types.)
declare module "cloudflare:workers" {
  export const env: Record<string, unknown>;
}
