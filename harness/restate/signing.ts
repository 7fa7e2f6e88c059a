import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import bs58 from "bs58";

/** A request-signing key pair: the private key file Restate signs with, and the public key the Worker checks. */
export interface SigningKeys {
  /** PEM (PKCS#8) file for RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE. */
  privateKeyPath: string;
  /** `publickeyv1_<base58 of the raw ed25519 key>`, the form the SDK's `identityKeys` takes. */
  publicKey: string;
}

/** The Restate setting that makes the server sign its requests with `keys`. */
export function signingServerEnv(keys: SigningKeys): Record<string, string> {
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
