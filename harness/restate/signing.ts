import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import bs58 from "bs58";
import { releaseOlderThan } from "./versions.js";

/** A request-signing key pair: the private key file Restate signs with, and the public key the Worker checks. */
export interface SigningKeys {
  /** PEM (PKCS#8) file the server signs with (see signingServerEnv). */
  privateKeyPath: string;
  /** `publickeyv1_<base58 of the raw ed25519 key>`, the form the SDK's `identityKeys` takes. */
  publicKey: string;
}

/**
 * The Restate setting that makes a server of release `version` sign its requests with `keys`. Releases before 1.7 read
 * it at the top level; 1.7 moved it under worker.invoker and still reads the old name, warning that it is deprecated.
 */
export function signingServerEnv(keys: SigningKeys, version = "current"): Record<string, string> {
  if (releaseOlderThan(version, 1, 7)) return { RESTATE_REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE: keys.privateKeyPath };
  return { RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE: keys.privateKeyPath };
}

/** Creates a fresh ed25519 key pair for one stack, writing the private key (mode 0600) into `dir`. */
export function newSigningKeys(dir: string): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(dir, { recursive: true });
  const privateKeyPath = join(dir, "request-signing-key.pem");
  writeFileSync(privateKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  const raw = publicKey.export({ format: "jwk" }).x;
  if (raw === undefined) throw new Error("ed25519 public key without its x coordinate");
  return { privateKeyPath, publicKey: `publickeyv1_${bs58.encode(Buffer.from(raw, "base64url"))}` };
}
