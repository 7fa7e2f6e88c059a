// Child-process entry: forwards every connection on each listener to its target, byte for byte, and prints `READY`
// once all listeners are up. A listener or a target is a TCP address or a Unix socket path; Unix sockets live in the
// file system, not in a network namespace, so one bridge inside a namespace and one outside join the two.
import { rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";

/** A TCP address (host and port) or a Unix socket path. */
export type SocketAddress = { host: string; port: number } | { path: string };

/** One forwarding: connections accepted on `listen` are piped to a new connection to `target`. */
export interface Forwarding {
  listen: SocketAddress;
  target: SocketAddress;
}

function open(address: SocketAddress): Socket {
  return "path" in address ? connect({ path: address.path }) : connect({ host: address.host, port: address.port });
}

function pipeBoth(client: Socket, address: SocketAddress): void {
  const upstream = open(address);
  client.pipe(upstream).pipe(client);
  // Either side failing or closing ends the other: the peer sees a reset, as it would from the real server.
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", end).on("close", end);
  upstream.on("error", end).on("close", end);
}

async function listen(forwarding: Forwarding): Promise<void> {
  const server = createServer({ allowHalfOpen: false }, (client) => pipeBoth(client, forwarding.target));
  if ("path" in forwarding.listen) rmSync(forwarding.listen.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen("path" in forwarding.listen ? { path: forwarding.listen.path } : { host: forwarding.listen.host, port: forwarding.listen.port }, resolve);
  });
}

const forwardings = JSON.parse(process.argv[2] ?? "[]") as Forwarding[];
try {
  await Promise.all(forwardings.map(listen));
  process.stdout.write("READY\n");
} catch (error) {
  process.stdout.write(`FAILED ${(error as Error).message}\n`);
  process.exit(1);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
