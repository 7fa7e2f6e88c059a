import { existsSync } from "node:fs";

/** Sockets where testcontainers finds an engine when DOCKER_HOST is unset, in the order it looks. */
const SOCKETS = ["/var/run/docker.sock", "/run/podman/podman.sock", `${process.env.XDG_RUNTIME_DIR ?? "/run/user/0"}/podman/podman.sock`];

/** The container engine to use, as a DOCKER_HOST value: DOCKER_HOST itself, else the first Docker or Podman socket found. */
export function findContainerEngine(): string | undefined {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  const socket = SOCKETS.find((path) => existsSync(path));
  return socket === undefined ? undefined : `unix://${socket}`;
}

/** Why container gates cannot run here, in one line that says how to enable them; undefined when an engine is found. */
export function containerEngineMissing(): string | undefined {
  if (findContainerEngine() !== undefined) return undefined;
  return "no container engine (no DOCKER_HOST, no Docker or Podman socket): run `sudo .ci/provision-podman` or start Docker to enable the container gates";
}
