import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { GenericContainer, getContainerRuntimeClient, ImageName } from "testcontainers";
import { outDir } from "../system/paths.js";
import { restateBinary } from "./binary-runtime.js";

/** The image name testcontainers' RestateContainer uses for a Restate version. */
export function restateImageName(version: string): string {
  return `docker.io/restatedev/restate:${version}`;
}

/**
 * Makes sure `image` is in the engine: present already, else pulled, else (no registry reachable, as on these
 * machines) built locally from the npm restate-server binary and tagged with the official name, so later runs reuse
 * it. Says which on `log`.
 */
export async function ensureRestateImage(image: string, log: (line: string) => void): Promise<"present" | "pulled" | "built"> {
  const client = await getContainerRuntimeClient();
  const name = ImageName.fromString(image);
  if (await client.image.exists(name)) return "present";
  log(`pulling ${image}`);
  // A failed pull does not always throw (the engine may report it in the progress stream): ask again afterwards.
  const pullError = await client.image.pull(name).then(
    () => undefined,
    (error: unknown) => (error as Error).message.split("\n")[0],
  );
  if (await client.image.exists(name)) return "pulled";
  log(`could not pull ${image}${pullError ? ` (${pullError})` : ""}; building it from the npm restate-server binary`);
  const context = join(outDir(), ".build", "restate-image");
  await mkdir(join(context, "tmp"), { recursive: true });
  await writeFile(join(context, "tmp", ".keep"), "");
  await copyFile(restateBinary().path, join(context, "restate-server"));
  // The server needs a CA bundle even when it talks to nothing outside; Node's own roots make one anywhere.
  await writeFile(join(context, "ca-certificates.crt"), rootCertificates.join("\n"));
  await writeFile(
    join(context, "Dockerfile"),
    `${[
      "FROM scratch",
      "COPY restate-server /usr/local/bin/restate-server",
      "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt",
      "COPY tmp /tmp",
      'ENTRYPOINT ["/usr/local/bin/restate-server"]',
    ].join("\n")}\n`,
  );
  await GenericContainer.fromDockerfile(context).build(image, { deleteOnExit: false });
  return "built";
}
