import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";

/** An Ed25519 private key in JWK form, with the id its public half is published under. */
export interface SigningKey {
  kid: string;
  jwk: JsonWebKey;
}

/** The public half, as it goes into the key set the gateway trusts. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: "EdDSA";
  use: "sig";
}

export function privateKeyOf(key: SigningKey): KeyObject {
  if (key.jwk.kty !== "OKP" || key.jwk.crv !== "Ed25519" || typeof key.jwk.d !== "string") {
    throw new Error(`signing key ${key.kid} must be an Ed25519 private key in JWK form (kty OKP, crv Ed25519, d)`);
  }
  return createPrivateKey({ key: key.jwk, format: "jwk" });
}

export function publicJwkOf(key: SigningKey): PublicJwk {
  const { kty, crv, x } = key.jwk;
  return { kty, crv, x, kid: key.kid, alg: "EdDSA", use: "sig" };
}
